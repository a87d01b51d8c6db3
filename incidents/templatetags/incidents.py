"""Template tags for incidents: the public pages' recent incidents, dates with their precision,
severities in words."""

from __future__ import annotations

import html
from collections.abc import Callable, Iterable
from datetime import date
from typing import Any, Protocol

from django import template
from django.forms import BoundField
from django.template.context import Context
from django.template.defaultfilters import date as format_date
from django.template.defaultfilters import time as format_time
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from advisories.models import Country, Region
from advisories.templatetags.localized import localized_tag

from ..casualties import casualty_text
from ..models import DatePrecision, Incident, ReviewStatus, SharingLevel
from ..selectors import RECENT_PUBLIC_INCIDENTS, IncidentRow, recent_public_incidents

register = template.Library()


class Dated(Protocol):
    """An incident, or a list's row of one: what its date is written from."""

    @property
    def occurred_on(self) -> date: ...

    @property
    def date_precision(self) -> str: ...


SEVERITY_LABELS = {
    1: _("minor"),
    2: _("moderate"),
    3: _("serious"),
    4: _("severe"),
    5: _("critical"),
}


@register.inclusion_tag("incidents/_recent_incidents.html")
def recent_incidents(place: Country | Region, limit: int = RECENT_PUBLIC_INCIDENTS) -> dict[str, Any]:
    """The latest published TLP:CLEAR incidents of a country or region, and a link to them all.

    Always the anonymous view, even for a signed-in user: these public pages are cached and
    must not carry anything a visitor may not see."""
    if isinstance(place, Region):
        incidents = recent_public_incidents(region=place, limit=limit)
        code = place.code.split("-")[0].lower()
        url = reverse("incidents:region", kwargs={"country_code": code, "region_code": place.code.lower()})
    else:
        incidents = recent_public_incidents(country=place, limit=limit)
        url = reverse("incidents:country", kwargs={"country_code": place.code.lower()})
    return {"incidents": incidents, "place": place, "list_url": url, "show_region": not isinstance(place, Region)}


@register.filter
def incident_date(incident: Dated) -> str:
    """The date as precisely as it is known, the way the reader's language writes dates:
    "17 Sep 2024", "week of 17 Sep 2024", "Sep 2024", "2024" (French: "17 sept. 2024", "sept. 2024")."""
    day = incident.occurred_on
    if incident.date_precision == DatePrecision.WEEK:
        return str(_("week of %(date)s") % {"date": format_date(day, "DATE_FORMAT")})
    if incident.date_precision == DatePrecision.MONTH:
        return format_date(day, "YEAR_MONTH_FORMAT")
    if incident.date_precision == DatePrecision.YEAR:
        return format_date(day, "Y")
    return format_date(day, "DATE_FORMAT")


@register.filter
def incident_datetime(incident: Dated) -> str:
    """The machine-readable date of a <time> element, no more precise than what is known:
    "2024-09-17", "2024-09", "2024"."""
    if incident.date_precision == DatePrecision.MONTH:
        return format_date(incident.occurred_on, "Y-m")
    if incident.date_precision == DatePrecision.YEAR:
        return format_date(incident.occurred_on, "Y")
    return format_date(incident.occurred_on, "Y-m-d")


@register.filter
def date_precision_note(incident: Dated) -> str:
    """What the short date leaves unsaid, for a tooltip and screen readers: "" for an exact day."""
    if incident.date_precision in (DatePrecision.WEEK, DatePrecision.MONTH):
        return str(_("exact day not known"))
    if incident.date_precision == DatePrecision.YEAR:
        return str(_("month and day not known"))
    return ""


@register.simple_tag
def incident_time(incident: Dated) -> str:
    """The incident's date in a <time> element, as precisely as it is known; what the short date
    leaves unsaid in a tooltip and for screen readers: <time datetime="2024-09"
    title="Exact day not known">Sep 2024</time><span class="visually-hidden"> (exact day not known)</span>.
    A tag rather than a template: a list renders it for each of its rows."""
    note = date_precision_note(incident)
    if not note:
        return format_html('<time datetime="{}">{}</time>', incident_datetime(incident), incident_date(incident))
    return format_html(
        '<time datetime="{}" title="{}">{}</time><span class="visually-hidden"> ({})</span>',
        incident_datetime(incident),
        capfirst(note),
        incident_date(incident),
        note,
    )


@register.filter
def casualties(incident: Incident) -> str:
    """The toll as far as it is known: "70 killed, 3 injured, 0 abducted", "70 killed; injured and
    abducted not known", "Killed, injured and abducted: not known". An unknown count is never a 0."""
    return casualty_text(killed=incident.killed, injured=incident.injured, abducted=incident.abducted)


@register.filter
def has_known_casualties(incident: Incident) -> bool:
    """Whether anyone is known to have been killed, injured or abducted."""
    return any(count for count in (incident.killed, incident.injured, incident.abducted))


@register.filter
def severity_label(severity: int) -> str:
    return str(SEVERITY_LABELS.get(severity, ""))


SELECTED = mark_safe(" selected")  # nosec B703 B308 - a constant


def _escaped(value: Any) -> str:
    """conditional_escape's result, without its lazy-string wrapper (which costs more than the
    escaping): safe text as it is, anything else escaped by the same html.escape."""
    if isinstance(value, Promise):
        value = str(value)
    if hasattr(value, "__html__"):
        return str(value.__html__())
    return html.escape(str(value))


def _html(format_string: str, *args: Any) -> SafeString:
    """format_html, for the tags below that write a whole list at once: the same escaping."""
    return mark_safe(format_string.format(*map(_escaped, args)))  # nosec B703 B308 - every value is escaped


@register.simple_tag
def select_options(field: BoundField) -> str:
    """A select's <option>s, the field's current value selected, written in one pass: Django's
    option templates cost ~0.07 ms each, and the country list has 249."""
    current = field.value()
    current = "" if current is None else str(current)
    return mark_safe(  # nosec B703 B308 - every option is written by _html
        "\n".join(
            _html('<option value="{}"{}>{}</option>', value, SELECTED if str(value) == current else "", label)
            for value, label in choice_list(field)
        )
    )


def choice_list(field: BoundField) -> list[tuple[Any, Any]]:
    """A select's choices in one query: list() over a ModelChoiceIterator would first count its
    rows (it has __len__); its generator has no length to ask for."""
    return list(iter(field.field.choices))  # type: ignore[attr-defined]


@register.simple_tag(takes_context=True)
def incident_rows(context: Context, rows: Iterable[IncidentRow]) -> SafeString:
    """The <tr>s of an incident table (incidents/_incident_table.html), written in one pass: through
    the template, each row's dozen tags and lookups cost more than the page's query. The context's
    `signed_in` adds the sharing and review cell, `show_country` the country under the place."""
    writer = _RowWriter(signed_in=bool(context.get("signed_in")), show_country=bool(context.get("show_country")))
    return mark_safe("\n".join(writer.row(row) for row in rows))  # nosec B703 B308 - rows written by _html


class _RowWriter:
    """Writes the rows of one table. What many rows share (a date, a toll, a label) is written once."""

    def __init__(self, *, signed_in: bool, show_country: bool) -> None:
        self.signed_in, self.show_country = signed_in, show_country
        # The cells' labels for narrow screens: the table's own headings (the same messages).
        self.date_label, self.place_label = gettext("Date"), gettext("Place")
        self.severity_label, self.casualties_label = gettext("Severity"), gettext("Casualties")
        self.sharing_label = gettext("Sharing and review")
        self.detail_url = detail_urls()
        self.levels = {value: str(label) for value, label in SharingLevel.choices}
        self.statuses = {value: str(label) for value, label in ReviewStatus.choices}
        self.severities = {value: str(label) for value, label in SEVERITY_LABELS.items()}
        self.dates: dict[tuple[date, str], str] = {}
        self.tolls: dict[tuple[int | None, ...], str] = {}

    def row(self, row: IncidentRow) -> SafeString:
        return _html(
            '<tr>\n<td class="date" data-label="{}">\n{}{}\n</td>\n'
            '<th scope="row">\n<a href="{}">{}</a>\n<span class="note">{}{}</span>\n</th>\n'
            '<td data-label="{}">\n{}{}\n</td>\n'
            '<td data-label="{}"><span class="severity severity-{}">{} {}</span></td>\n'
            '<td class="casualties" data-label="{}">{}</td>{}\n</tr>',
            self.date_label,
            self.date(row),
            _html('\n<span class="note-inline">{}</span>', format_time(row.occurred_at_time, "H:i"))
            if row.occurred_at_time
            else "",
            self.detail_url(row.pk),
            row.title,
            localized_tag(row.incident_type, "name"),
            _html(" · {}", ", ".join(row.actors)) if row.actors else "",
            self.place_label,
            row.place_name + (", " if row.place_name and row.region else "") + (row.region or ""),
            _html('\n<span class="note">{}</span>', row.country) if self.show_country else "",
            self.severity_label,
            row.severity,
            row.severity,
            self.severities.get(row.severity, ""),
            self.casualties_label,
            self.toll(row),
            self.sharing(row) if self.signed_in else "",
        )

    def date(self, row: IncidentRow) -> str:
        key = (row.occurred_on, row.date_precision)
        if key not in self.dates:
            self.dates[key] = incident_time(row)
        return self.dates[key]

    def toll(self, row: IncidentRow) -> str:
        key = (row.killed, row.injured, row.abducted)
        if key not in self.tolls:
            self.tolls[key] = casualty_text(killed=row.killed, injured=row.injured, abducted=row.abducted)
        return self.tolls[key]

    def sharing(self, row: IncidentRow) -> SafeString:
        return _html(
            '\n<td data-label="{}">\n<span class="tlp tlp-{}">{}</span>\n'
            '<span class="status status-{}">{}</span>{}\n</td>',
            self.sharing_label,
            row.sharing_level,
            self.levels.get(row.sharing_level, row.sharing_level),
            row.status,
            self.statuses.get(row.status, row.status),
            _html('\n<span class="note">{}</span>', row.reporter) if row.reporter else "",
        )


def detail_urls() -> Callable[[int], str]:
    """The address of an incident's page by its id, reversed once for a whole list: the address of
    incident 0 with the id in place of the 0."""
    head, _zero, tail = reverse("incidents:detail", kwargs={"pk": 0}).rpartition("/0/")
    return lambda pk: f"{head}/{pk}/{tail}"
