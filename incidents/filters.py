"""Filters of the incident lists and the CSV export, read from the query string.

A value that does not parse (a date like 2024-13-45, a type that does not exist) makes the
form invalid; the views then show the message and no incidents rather than quietly dropping
that filter and showing more than was asked for.
"""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, QuerySet
from django.utils.translation import gettext_lazy as _

from advisories.models import Country, Region, ThreatCategory

from .models import Actor, Incident, IncidentActor, IncidentType, ReviewStatus, SharingLevel

SEVERITY_CHOICES = [
    (1, _("1 minor or worse")),
    (2, _("2 moderate or worse")),
    (3, _("3 serious or worse")),
    (4, _("4 severe or worse")),
    (5, _("5 critical")),
]


class IncidentFilterForm(forms.Form):
    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            raise forms.ValidationError(
                _("The start date (%(start)s) is after the end date (%(end)s)."),
                params={"start": start.isoformat(), "end": end.isoformat()},
                code="date_range",
            )
        return cleaned


class IncidentFilter(django_filters.FilterSet):
    """One filter set for every list: `country` scopes the region choices to that country
    (the country and region pages pass it; on the all-countries list the `country` filter does)."""

    date_from = django_filters.DateFilter(
        field_name="occurred_on",
        lookup_expr="gte",
        label=_("From"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    date_to = django_filters.DateFilter(
        field_name="occurred_on",
        lookup_expr="lte",
        label=_("To"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    country = django_filters.ModelChoiceFilter(
        queryset=Country.objects.order_by("name"), to_field_name="code", label=_("Country"), empty_label=_("All")
    )
    region = django_filters.ModelChoiceFilter(
        queryset=Region.objects.none(), to_field_name="code", label=_("Region"), empty_label=_("All")
    )
    type = django_filters.ModelChoiceFilter(
        field_name="incident_type",
        queryset=IncidentType.objects.order_by("position", "name"),
        to_field_name="slug",
        label=_("Type"),
        empty_label=_("All"),
    )
    category = django_filters.ModelChoiceFilter(
        field_name="incident_type__category",
        queryset=ThreatCategory.objects.order_by("position", "name"),
        to_field_name="slug",
        label=_("Threat category"),
        empty_label=_("All"),
    )
    actor = django_filters.ModelChoiceFilter(
        queryset=Actor.objects.order_by("name"), method="filter_actor", label=_("Actor"), empty_label=_("All")
    )
    severity_min = django_filters.ChoiceFilter(
        field_name="severity",
        lookup_expr="gte",
        choices=SEVERITY_CHOICES,
        label=_("Severity"),
        empty_label=_("Any"),
    )
    status = django_filters.ChoiceFilter(choices=ReviewStatus.choices, label=_("Review status"), empty_label=_("All"))
    sharing_level = django_filters.ChoiceFilter(
        choices=SharingLevel.choices, label=_("Sharing level"), empty_label=_("All")
    )

    class Meta:
        model = Incident
        fields: list[str] = []
        form = IncidentFilterForm

    def __init__(
        self,
        data: Any = None,
        queryset: QuerySet[Incident] | None = None,
        *,
        country: Country | None = None,
        with_region: bool = True,
        signed_in: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(data, queryset, **kwargs)
        if country is not None or not with_region:
            # The page is already about one country (or one region): no country to choose.
            del self.filters["country"]
        if not with_region:
            del self.filters["region"]
        elif country is None:
            country = self._chosen_country()
        if "region" in self.filters:
            regions = Region.objects.filter(country=country).order_by("name") if country else Region.objects.none()
            self.filters["region"].queryset = regions
        # The all-countries list offers regions once a country is chosen.
        self.region_choosable = country is not None or bool((self.data or {}).get("region"))
        if not signed_in:
            # Anonymous visitors see published TLP:CLEAR incidents only; these would filter nothing.
            del self.filters["status"], self.filters["sharing_level"]

    def _chosen_country(self) -> Country | None:
        """The country picked on the all-countries list, or the one a region code names (ML-BKO: ML)."""
        data = self.data or {}
        code = data.get("country") or (data.get("region") or "").split("-")[0]
        if not code or not isinstance(code, str):
            return None
        return Country.objects.filter(code=code.upper()).first()

    def filter_actor(self, queryset: QuerySet[Incident], name: str, value: Actor | None) -> QuerySet[Incident]:
        if value is None:
            return queryset
        # EXISTS rather than a join: an actor with two roles in one incident would list it twice.
        return queryset.filter(Exists(IncidentActor.objects.filter(incident=OuterRef("pk"), actor=value)))

    @property
    def active(self) -> bool:
        """Whether any filter has a value, for the "clear filters" link."""
        return any(self.data.get(name) for name in self.filters) if self.data else False
