"""Template tags for incidents: the public pages' recent incidents, dates with their precision,
severities in words."""

from __future__ import annotations

from typing import Any

from django import template
from django.forms import BoundField
from django.template.defaultfilters import date as format_date
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from advisories.models import Country, Region

from ..casualties import casualty_text
from ..models import DatePrecision, Incident
from ..selectors import RECENT_PUBLIC_INCIDENTS, recent_public_incidents

register = template.Library()

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
def incident_date(incident: Incident) -> str:
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
def incident_datetime(incident: Incident) -> str:
    """The machine-readable date of a <time> element, no more precise than what is known:
    "2024-09-17", "2024-09", "2024"."""
    if incident.date_precision == DatePrecision.MONTH:
        return format_date(incident.occurred_on, "Y-m")
    if incident.date_precision == DatePrecision.YEAR:
        return format_date(incident.occurred_on, "Y")
    return format_date(incident.occurred_on, "Y-m-d")


@register.filter
def date_precision_note(incident: Incident) -> str:
    """What the short date leaves unsaid, for a tooltip and screen readers: "" for an exact day."""
    if incident.date_precision in (DatePrecision.WEEK, DatePrecision.MONTH):
        return str(_("exact day not known"))
    if incident.date_precision == DatePrecision.YEAR:
        return str(_("month and day not known"))
    return ""


@register.simple_tag
def incident_time(incident: Incident) -> str:
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


@register.simple_tag
def select_options(field: BoundField) -> str:
    """A select's <option>s, the field's current value selected, written in one pass: Django's
    option templates cost ~0.07 ms each, and the country list has 249."""
    current = field.value()
    current = "" if current is None else str(current)
    return format_html_join(
        "\n",
        '<option value="{}"{}>{}</option>',
        ((value, SELECTED if str(value) == current else "", label) for value, label in choice_list(field)),
    )


def choice_list(field: BoundField) -> list[tuple[Any, Any]]:
    """A select's choices in one query: list() over a ModelChoiceIterator would first count its
    rows (it has __len__); its generator has no length to ask for."""
    return list(iter(field.field.choices))  # type: ignore[attr-defined]
