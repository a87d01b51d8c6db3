"""The incident form an officer fills in, and the analysts' retraction form.

The form only turns what was typed into Python values; every rule about an incident lives in
`incident_clean`, which `incident_submit` and `incident_update` run. Its messages come back onto
the form's fields through `add_service_errors` (config.forms.ServiceForm), so a rule is written once and an
officer reads its message next to the field it is about.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django import forms
from django.forms.boundfield import BoundWidget
from django.forms.models import model_to_dict
from django.utils.translation import gettext_lazy as _

from advisories.choices import CountriesByName
from advisories.models import Country, Region
from config.forms import OrganisationChoiceMixin, ServiceForm, several

from .models import (
    SHARING_LEVEL_EXPLANATIONS,
    Actor,
    DatePrecision,
    Incident,
    IncidentType,
    LocationPrecision,
    Organisation,
    SharingLevel,
    TargetType,
)
from .services import IncidentFields

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# The severity scale, shown beside each choice so two officers mean the same by "3".
SEVERITY_SCALE = [
    (1, _("1 · Minor"), _("Nobody hurt, little lost: a theft, a threat.")),
    (2, _("2 · Moderate"), _("Intimidation, light injuries or a real loss of property.")),
    (3, _("3 · Serious"), _("Armed robbery, injuries, a detention, an illegal roadblock.")),
    (4, _("4 · Severe"), _("Someone killed or abducted, an attack on a compound or convoy.")),
    (5, _("5 · Critical"), _("Mass casualties, hostages, or a threat to a whole programme.")),
]
SEVERITY_EXPLANATIONS = {value: explanation for value, _label, explanation in SEVERITY_SCALE}

# What the form says about an incident: the fields of IncidentFields, by the same names.
INCIDENT_FIELDS = tuple(field.name for field in dataclasses.fields(IncidentFields))

# Five decimal places is about a metre: what the database keeps.
COORDINATE_STEP = Decimal("0.00001")
MAX_PEOPLE = 100_000


def _people(label: StrOrPromise) -> forms.IntegerField:
    """A number of people, empty when it is not known: 0 says that nobody was."""
    return forms.IntegerField(
        label=label,
        min_value=0,
        max_value=MAX_PEOPLE,
        required=False,
        widget=forms.NumberInput(attrs={"placeholder": _("not known")}),
        help_text=_("Leave empty if not known; 0 means nobody."),
    )


class IncidentForm(OrganisationChoiceMixin, ServiceForm):
    """What happened, when, where, who, the impact, and who may see it.

    `organisations` are those the user may log for; the organisation field is shown only when
    there are several. Regions offered are those of the chosen country; a region of another
    country is still accepted here so that `incident_clean` can say what is wrong with it.
    """

    organisation = forms.ModelChoiceField(
        label=_("Reporting organisation"), queryset=Organisation.objects.none(), empty_label=None
    )
    # One per form shown: the same form sent twice (a double click, a retry after a timeout)
    # logs one incident (incident_submit_once).
    submission_key = forms.CharField(widget=forms.HiddenInput, required=False, max_length=100)
    incident_type = forms.ModelChoiceField(
        label=_("What happened"),
        queryset=IncidentType.objects.select_related("category"),
        empty_label=_("Choose the type of incident"),
    )
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        help_text=_("A few words, e.g. “Two staff vehicles stopped at a false checkpoint near Sévaré”."),
    )
    occurred_on = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    occurred_at_time = forms.TimeField(
        label=_("Local time (if known)"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    date_precision = forms.ChoiceField(
        label=_("How precise is the date?"), choices=DatePrecision.choices, initial=DatePrecision.DAY
    )
    country = forms.ModelChoiceField(
        label=_("Country"), queryset=Country.objects.order_by("name"), empty_label=_("Choose the country")
    )
    country.iterator = CountriesByName
    region = forms.ModelChoiceField(
        label=_("Region"),
        queryset=Region.objects.all(),
        required=False,
        help_text=_("Pick the region, or give the coordinates below and the region is found from them."),
    )
    place_name = forms.CharField(
        label=_("Place"), max_length=200, required=False, help_text=_("Town, village, road or landmark.")
    )
    latitude = forms.DecimalField(
        label=_("Latitude"),
        required=False,
        widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}),
        help_text=_("Decimal degrees, e.g. 14.4936 (north is positive)."),
    )
    longitude = forms.DecimalField(
        label=_("Longitude"),
        required=False,
        widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}),
        help_text=_("Decimal degrees, e.g. -4.1982 (west is negative)."),
    )
    location_precision = forms.ChoiceField(
        label=_("How precise is the place?"), choices=LocationPrecision.choices, initial=LocationPrecision.EXACT
    )
    actors = several(_("Who did it"), Actor.objects.order_by("name"), help_text=_("Tick none if not known."))
    target_types = several(_("Who was hit"), TargetType.objects.order_by("position", "name"))
    killed = _people(_("Killed"))
    injured = _people(_("Injured"))
    abducted = _people(_("Abducted"))
    severity = forms.TypedChoiceField(
        label=_("Severity"),
        coerce=int,
        choices=[(value, label) for value, label, _explanation in SEVERITY_SCALE],
        widget=forms.RadioSelect,
    )
    # No max_length here: the browser would cut a long paste silently. incident_clean says how
    # long it is and how long it may be.
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 6}))
    sources = forms.CharField(
        label=_("Sources"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Where this account comes from, one per line: a witness, a partner, a press article's address."),
    )
    sharing_level = forms.ChoiceField(
        label=_("Who may see it"), choices=SharingLevel.choices, initial=SharingLevel.AMBER, widget=forms.RadioSelect
    )

    def __init__(self, *args: Any, organisations: Iterable[Organisation] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.offer_organisations(organisations)
        self.fields["incident_type"].choices = _types_by_category()  # type: ignore[attr-defined]
        self.fields["region"].choices = self._region_choices()  # type: ignore[attr-defined]

    # Choices -------------------------------------------------------------------------------

    def selected_country_id(self) -> int | None:
        value: Any = self.data.get("country") if self.is_bound else self.initial.get("country")
        if isinstance(value, Country):
            return value.pk
        if value in (None, ""):
            return None
        try:
            return int(value)
        except (TypeError, ValueError):
            return None

    def _region_choices(self) -> list[tuple[Any, Any]]:
        country_id = self.selected_country_id()
        if country_id is None:
            return [("", _("Choose the country first, or give the coordinates"))]
        regions = Region.objects.filter(country_id=country_id).order_by("name").values_list("pk", "name")
        return [("", _("Choose the region")), *regions]

    @property
    def severity_options(self) -> list[tuple[BoundWidget, str]]:
        return [(radio, str(SEVERITY_EXPLANATIONS[int(radio.data["value"])])) for radio in self["severity"].subwidgets]

    @property
    def sharing_level_options(self) -> list[tuple[BoundWidget, str]]:
        return [
            (radio, str(SHARING_LEVEL_EXPLANATIONS[SharingLevel(radio.data["value"])]))
            for radio in self["sharing_level"].subwidgets
        ]

    # Cleaning ------------------------------------------------------------------------------

    def clean_latitude(self) -> Decimal | None:
        return _round_coordinate(self.cleaned_data["latitude"], limit=90)

    def clean_longitude(self) -> Decimal | None:
        return _round_coordinate(self.cleaned_data["longitude"], limit=180)

    def incident_fields(self) -> IncidentFields:
        """What the officer typed, as the services take it. Call after is_valid()."""
        values = {name: self.cleaned_data[name] for name in INCIDENT_FIELDS}
        return IncidentFields(
            **values | {"actors": list(values["actors"]), "target_types": list(values["target_types"])}
        )


def _round_coordinate(value: Decimal | None, *, limit: int) -> Decimal | None:
    # Out-of-range values are left as typed, for incident_clean's message to quote them as typed.
    if value is None or value.copy_abs() > limit:  # abs() would round, and overflow on 1E+999999999
        return value
    return value.quantize(COORDINATE_STEP)


def _types_by_category() -> list[tuple[Any, Any]]:
    """The taxonomy as <optgroup>s, one per threat category, in the categories' order."""
    groups: dict[str, list[tuple[int, str]]] = {}
    types = IncidentType.objects.select_related("category").order_by(
        "category__position", "category__name", "position", "name"
    )
    for incident_type in types:
        # str(): the names in the reader's language (English where no French is written).
        groups.setdefault(str(incident_type.category), []).append((incident_type.pk, str(incident_type)))
    return [("", _("Choose the type of incident")), *groups.items()]


def initial_from_incident(incident: Incident) -> dict[str, Any]:
    """An existing incident's values, to edit it."""
    return model_to_dict(incident, fields=INCIDENT_FIELDS)
