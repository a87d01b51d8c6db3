"""The subscription forms (an organisation's, a traveler's) and the delivery log's filters.

As with incidents, a form only turns what was typed into Python values; the rules live in
`alerts.services.subscription_clean`, and its messages come back next to the fields they are
about through `add_service_errors` (config.forms.ServiceForm).

Without JavaScript, a list of every region of the world would be thousands of options, so the
regions offered are those of the countries chosen (and of regions already chosen): the "show the
regions" button shows the form again with the regions of the countries just picked.
"""

from __future__ import annotations

import datetime as dt
import functools
import importlib.resources
import zoneinfo
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.forms.boundfield import BoundWidget
from django.forms.models import model_to_dict
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from timezone_field.forms import TimeZoneFormField

from advisories.choices import CountriesByName
from advisories.models import Country, Region, ThreatCategory
from advisories.selectors import country_list_with_levels, name_sort_key
from config.forms import DateRangeForm, OrganisationChoiceMixin, PageForm, ServiceForm, several
from config.translation import supported_language
from incidents.forms import SEVERITY_SCALE
from incidents.models import Organisation

from .models import DeliveryStatus, Frequency, Subscription
from .services import SubscriptionFields, validate_no_address_literal

# Time zones offered in the list: where humanitarian and travel security desks commonly work.
# Any other IANA name can be written in "other time zone".
COMMON_TIME_ZONES = (
    "UTC",
    "Africa/Abidjan",
    "Africa/Addis_Ababa",
    "Africa/Algiers",
    "Africa/Bamako",
    "Africa/Bangui",
    "Africa/Cairo",
    "Africa/Casablanca",
    "Africa/Dakar",
    "Africa/Johannesburg",
    "Africa/Juba",
    "Africa/Khartoum",
    "Africa/Kinshasa",
    "Africa/Lagos",
    "Africa/Maputo",
    "Africa/Mogadishu",
    "Africa/Nairobi",
    "Africa/Ndjamena",
    "Africa/Niamey",
    "Africa/Nouakchott",
    "Africa/Ouagadougou",
    "Africa/Tripoli",
    "America/Bogota",
    "America/Caracas",
    "America/Chicago",
    "America/Los_Angeles",
    "America/Mexico_City",
    "America/New_York",
    "America/Port-au-Prince",
    "America/Sao_Paulo",
    "America/Toronto",
    "Asia/Aden",
    "Asia/Amman",
    "Asia/Baghdad",
    "Asia/Bangkok",
    "Asia/Beirut",
    "Asia/Damascus",
    "Asia/Dhaka",
    "Asia/Dubai",
    "Asia/Jakarta",
    "Asia/Jerusalem",
    "Asia/Kabul",
    "Asia/Karachi",
    "Asia/Kathmandu",
    "Asia/Kolkata",
    "Asia/Manila",
    "Asia/Tokyo",
    "Asia/Yangon",
    "Australia/Sydney",
    "Europe/Amsterdam",
    "Europe/Berlin",
    "Europe/Brussels",
    "Europe/Copenhagen",
    "Europe/Istanbul",
    "Europe/Kyiv",
    "Europe/London",
    "Europe/Madrid",
    "Europe/Oslo",
    "Europe/Paris",
    "Europe/Rome",
    "Europe/Stockholm",
    "Europe/Zurich",
    "Pacific/Auckland",
)

# The areas of the tz database that head the groups of the list, in the reader's language.
TIME_ZONE_AREAS = {
    "Africa": _("Africa"),
    "America": _("Americas"),
    "Antarctica": _("Antarctica"),
    "Arctic": _("Arctic"),
    "Asia": _("Asia"),
    "Atlantic": _("Atlantic"),
    "Australia": _("Australia"),
    "Europe": _("Europe"),
    "Indian": _("Indian Ocean"),
    "Pacific": _("Pacific"),
}

FREQUENCY_EXPLANATIONS = {
    Frequency.IMMEDIATE: _(
        "An e-mail within a minute of each incident at or above the severity chosen, and of each advisory change."
    ),
    Frequency.DAILY: _("One e-mail at 07:00 with what changed since the day before; none if nothing did."),
    Frequency.WEEKLY: _("One e-mail on Mondays at 07:00 with the week's changes; none if nothing changed."),
}

SEVERITY_CHOICES = [(value, label) for value, label, _explanation in SEVERITY_SCALE]
SEVERITY_EXPLANATIONS = {value: explanation for value, _label, explanation in SEVERITY_SCALE}


def time_zone_choices(*extra: zoneinfo.ZoneInfo | str) -> list[tuple[Any, Any]]:
    """The common zones grouped by continent, with `extra` zones (the organisation's, the
    subscription's own) added where they belong."""
    names = sorted({*COMMON_TIME_ZONES, *(str(zone) for zone in extra if zone)} - {"UTC"})
    groups: dict[str, list[tuple[str, str]]] = {}
    for name in names:
        area, _slash, place = name.partition("/")
        groups.setdefault(area, []).append((name, place.replace("_", " ") or name))
    return [("UTC", "UTC"), *((TIME_ZONE_AREAS.get(area, area), zones) for area, zones in groups.items())]


class WrittenTimeZoneField(TimeZoneFormField):
    """A time zone name written in a text box: django-timezone-field's check, spaces around it ignored."""

    widget = forms.TextInput

    def to_python(self, value: Any) -> str:
        return super().to_python(value.strip() if isinstance(value, str) else value)


@dataclass(frozen=True)
class ChoiceGroup:
    """Some of a field's tick boxes under a heading. A long group is drawn folded, with a filter."""

    label: Any
    boxes: list[BoundWidget]

    LONG = 30

    @property
    def long(self) -> bool:
        return len(self.boxes) > self.LONG

    @property
    def any_ticked(self) -> bool:
        return any(box.data["selected"] for box in self.boxes)


@functools.cache
def country_time_zones() -> dict[str, str]:
    """Each country's (ISO 3166 code) main time zone, from the tz database's zone.tab as the tzdata
    package ships it: its first zone for a country is the most populous one (ML: Africa/Bamako)."""
    table = importlib.resources.files("tzdata.zoneinfo").joinpath("zone.tab").read_text(encoding="utf-8")
    zones: dict[str, str] = {}
    for line in table.splitlines():
        if line.startswith("#") or not line.strip():
            continue
        code, _coordinates, zone, *_comment = line.split("\t")
        zones.setdefault(code, zone)
    return zones


class FollowForm(ServiceForm):
    """What to follow and how often: the fields an organisation's and a traveler's forms share."""

    countries = forms.ModelMultipleChoiceField(
        label=_("Countries"),
        queryset=Country.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Every region of the countries ticked."),
    )
    countries.iterator = CountriesByName
    regions = forms.ModelMultipleChoiceField(
        label=_("Regions"),
        queryset=Region.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "To follow only part of a country: tick the country, press “Show the regions of these "
            "countries”, tick its regions here, then untick the country above."
        ),
    )
    categories = several(
        _("Threat categories"),
        ThreatCategory.objects.order_by("position", "name"),
        help_text=_("None ticked: every category."),
    )
    min_severity = forms.TypedChoiceField(
        label=_("Minimum severity of incidents"),
        coerce=int,
        choices=SEVERITY_CHOICES,
        initial=1,
        widget=forms.RadioSelect,
    )
    include_advisories = forms.BooleanField(
        label=_("Also send changes of advisory levels and risk indicators, and new security report revisions"),
        required=False,
        initial=True,
    )
    frequency = forms.ChoiceField(
        label=_("How often"), choices=Frequency.choices, initial=Frequency.DAILY, widget=forms.RadioSelect
    )
    time_zone = forms.ChoiceField(
        label=_("Time zone"),
        choices=time_zone_choices,
        initial="UTC",
        help_text=_("Digests are sent at 07:00 in this time zone, and give their dates and times in it."),
    )
    language = forms.ChoiceField(
        label=_("Language of the e-mails"),
        choices=settings.LANGUAGES,
        required=False,
        help_text=_("A member who chose a language for their account receives the e-mails in that one."),
    )
    time_zone_other = WrittenTimeZoneField(
        label=_("Other time zone"),
        required=False,
        error_messages={
            "invalid_choice": _("%(value)s is not a time zone name; use one like Africa/Bamako or Europe/London.")
        },
        help_text=_("Not in the list? Write its name here, e.g. Asia/Ulaanbaatar. It replaces the choice above."),
    )

    def __init__(self, *args: Any, time_zones: Iterable[zoneinfo.ZoneInfo | str] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["time_zone"].choices = time_zone_choices(*time_zones)  # type: ignore[attr-defined]
        self._region_groups = region_choices(self.countries_of_interest())
        self.fields["regions"].choices = [  # type: ignore[attr-defined]
            choice for _country, choices in self._region_groups for choice in choices
        ]
        if not self.initial.get("language"):
            # The language the form is read in, unless the subscription already has one.
            self.fields["language"].initial = supported_language(get_language()) or settings.LANGUAGE_CODE
        if not self.is_bound and not self.initial.get("time_zone"):
            # Nobody chose a zone for this form yet: static/js/timezone.js offers the browser's.
            self.fields["time_zone"].widget.attrs["data-browser-default"] = "true"

    @functools.cached_property
    def country_groups(self) -> list[ChoiceGroup]:
        """The countries as tick boxes: those with a published advisory first, then the others,
        each part by name as people look it up. One query."""
        rows = country_list_with_levels()
        advised = [row.country for row in rows if row.level is not None]
        others = [row.country for row in rows if row.level is None]
        field = self.fields["countries"]
        field.choices = [(country.pk, country.name) for country in [*advised, *others]]  # type: ignore[attr-defined]
        boxes = list(self["countries"])
        groups = [
            ChoiceGroup(label=_("Countries with a travel advisory"), boxes=boxes[: len(advised)]),
            ChoiceGroup(label=_("Other countries"), boxes=boxes[len(advised) :]),
        ]
        return [group for group in groups if group.boxes]

    @property
    def region_groups(self) -> list[ChoiceGroup]:
        """The regions offered as tick boxes, under their country's name."""
        boxes = iter(self["regions"])
        return [
            ChoiceGroup(label=country, boxes=[next(boxes) for _choice in choices])
            for country, choices in self._region_groups
        ]

    def _submitted_ids(self, name: str) -> list[int]:
        if self.is_bound:
            values: Iterable[Any] = (
                self.data.getlist(name) if hasattr(self.data, "getlist") else self.data.get(name, [])
            )
        else:
            values = self.initial.get(name) or []
        ids = []
        for value in values:
            try:
                ids.append(int(getattr(value, "pk", value)))
            except (TypeError, ValueError):
                continue
        return ids

    def countries_of_interest(self) -> set[int]:
        """The countries whose regions are offered: those chosen, and those of chosen regions."""
        country_ids = set(self._submitted_ids("countries"))
        region_ids = self._submitted_ids("regions")
        if region_ids:
            country_ids |= set(Region.objects.filter(pk__in=region_ids).values_list("country_id", flat=True))
        return country_ids

    @property
    def severity_options(self) -> list[tuple[BoundWidget, str]]:
        return [
            (radio, str(SEVERITY_EXPLANATIONS[int(radio.data["value"])])) for radio in self["min_severity"].subwidgets
        ]

    @property
    def frequency_options(self) -> list[tuple[BoundWidget, str]]:
        return [
            (radio, str(FREQUENCY_EXPLANATIONS[Frequency(radio.data["value"])]))
            for radio in self["frequency"].subwidgets
        ]

    def chosen_time_zone(self) -> zoneinfo.ZoneInfo | str:
        return self.cleaned_data.get("time_zone_other") or self.cleaned_data["time_zone"]

    def subscription_fields(self) -> SubscriptionFields:
        """What was chosen, as the services take it. Call after is_valid()."""
        data = self.cleaned_data
        return SubscriptionFields(
            countries=list(data["countries"]),
            regions=list(data["regions"]),
            categories=list(data["categories"]),
            min_severity=data["min_severity"],
            frequency=data["frequency"],
            time_zone=self.chosen_time_zone(),
            include_advisories=data["include_advisories"],
            # Not sent (a form of before there was a choice): as it was, else the page's language.
            language=data.get("language") or self.initial.get("language") or self.fields["language"].initial,
        )

    def field_for_error(self, name: str) -> str | None:
        if name == "time_zone" and self.cleaned_data.get("time_zone_other"):
            return "time_zone_other"
        return super().field_for_error(name)


class OrganisationSubscriptionForm(OrganisationChoiceMixin, FollowForm):
    """An organisation's subscription, as its security manager sets it up."""

    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.none(), empty_label=None
    )
    name = forms.CharField(
        label=_("Name"),
        required=False,
        max_length=200,
        help_text=_("For your own use, e.g. “Sahel desk” or “Country director, Mali”."),
    )
    include_members = forms.BooleanField(
        label=_("Send to every member of the organisation who has an e-mail address"), required=False, initial=True
    )
    addresses = forms.CharField(
        label=_("Other addresses"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "spellcheck": "false", "autocapitalize": "off"}),
        help_text=_("One address per line, e.g. your security desk's shared mailbox. At most 50."),
    )

    field_order = ("organisation", "name")

    def __init__(self, *args: Any, organisations: Iterable[Organisation] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.offer_organisations(organisations)

    def clean_addresses(self) -> list[str]:
        text: str = self.cleaned_data["addresses"]
        # One per line; commas and semicolons also separate, as when a list is pasted from a mail client.
        return [part.strip() for part in text.replace(",", "\n").replace(";", "\n").splitlines() if part.strip()]

    def subscription_fields(self) -> SubscriptionFields:
        fields = super().subscription_fields()
        fields.name = self.cleaned_data["name"]
        fields.include_members = self.cleaned_data["include_members"]
        fields.addresses = self.cleaned_data["addresses"]
        return fields


class TravelerSubscriptionForm(FollowForm):
    """A traveler's subscription: an address, and what to follow."""

    email = forms.EmailField(
        label=_("Your e-mail address"),
        max_length=254,
        validators=[validate_no_address_literal],
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        help_text=_("We send a link to this address; nothing else is sent until you follow it."),
    )

    field_order = ("email",)


def region_choices(country_ids: Iterable[int]) -> list[tuple[str, list[tuple[int, str]]]]:
    """The regions of these countries, grouped by country, in one query."""
    groups: dict[str, list[tuple[int, str]]] = {}
    regions = (
        Region.objects.filter(country_id__in=list(country_ids))
        .order_by("country__name", "name")
        .values_list("pk", "name", "country__name")
    )
    for pk, name, country_name in regions:
        groups.setdefault(country_name, []).append((pk, name))
    return sorted(groups.items(), key=lambda group: name_sort_key(group[0]))


# What an edit starts from as the subscription has it; the time zone and addresses are shown otherwise.
FOLLOW_FIELDS = (
    "name",
    "countries",
    "regions",
    "categories",
    "min_severity",
    "frequency",
    "include_members",
    "include_advisories",
    "language",
)


def initial_from_subscription(subscription: Subscription) -> dict[str, Any]:
    """An existing subscription's values, to edit it."""
    zone = str(subscription.time_zone)
    common = zone in COMMON_TIME_ZONES
    initial = model_to_dict(subscription, fields=FOLLOW_FIELDS)
    return initial | {
        "time_zone": zone if common else "UTC",
        "time_zone_other": "" if common else zone,
        "addresses": "\n".join(subscription.addresses or []),
    }


# The delivery log's filters --------------------------------------------------------------


# The log's days become instants in the viewer's time zone, the end a day later: the calendar's
# first and last days have no such instant on the far side of UTC.
LOG_DATES = (dt.date(1, 1, 2), dt.date(9999, 12, 30))


def _log_date(label: Any) -> forms.DateField:
    first, last = LOG_DATES
    return forms.DateField(
        label=label,
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        validators=[
            MinValueValidator(first, message=_("Give a date on or after %(limit_value)s.")),
            MaxValueValidator(last, message=_("Give a date on or before %(limit_value)s.")),
        ],
    )


class DeliveryFilterForm(PageForm, DateRangeForm):
    # The days the deliveries were written (not an incident's date): the log's own names.
    range_fields = ("date_from", "date_to")
    range_error_field = "date_to"
    range_message = _("The end date is before the start date; swap them or change one.")

    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Any status")), *DeliveryStatus.choices]
    )
    date_from = _log_date(_("From"))
    date_to = _log_date(_("To"))

    def bounds(self, zone: zoneinfo.ZoneInfo) -> tuple[dt.datetime | None, dt.datetime | None]:
        """The dates as a [since, before) range of instants, the days counted in `zone`."""
        start, end = self.cleaned_data.get("date_from"), self.cleaned_data.get("date_to")
        since = dt.datetime.combine(start, dt.time.min, tzinfo=zone) if start else None
        before = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=zone) if end else None
        return since, before
