"""Filters of the incident lists and the CSV export, read from the query string.

They have the API's names (`occurred_after`, `occurred_before`); the pages' old names of the
dates (`date_from`, `date_to`) are read as those.

A value that does not parse (a date like 2024-13-45, a type that does not exist) makes the
form invalid; the views then show the message and no incidents rather than quietly dropping
that filter and showing more than was asked for.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, QuerySet
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _
from django_filters.fields import ModelChoiceIterator

from advisories.choices import CountriesByName
from advisories.models import Country, Region, ThreatCategory
from config.forms import DateRangeForm

from .models import Actor, Incident, IncidentActor, IncidentType, ReviewStatus, SharingLevel

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

SEVERITY_CHOICES = [
    (1, _("1 minor or worse")),
    (2, _("2 moderate or worse")),
    (3, _("3 serious or worse")),
    (4, _("4 severe or worse")),
    (5, _("5 critical")),
]


# The names the pages gave the dates before they took the API's: links made with them still work.
ALIASES = {"date_from": "occurred_after", "date_to": "occurred_before"}
# ISO 3166 codes, stored in capitals; the addresses and the API write them in lower case (ml, ml-bko).
CODE_FILTERS = ("country", "region")


def canonical_query(data: QueryDict) -> QueryDict:
    """The query string with the old names of the filters replaced by their names, and the
    country and region codes in capitals, however they were typed."""
    query = data.copy()
    for old, new in ALIASES.items():
        values = query.pop(old, None)
        if values is not None and new not in query:
            query.setlist(new, values)
    for name in CODE_FILTERS:
        if name in query:
            query.setlist(name, [value.strip().upper() for value in query.getlist(name)])
    return query


class ChoicesInOneQuery(ModelChoiceIterator):
    """A model choice field's choices read in one round trip. Django reads them with
    QuerySet.iterator(), which on PostgreSQL is a server-side cursor: DECLARE, FETCH and CLOSE, three
    round trips for a few dozen rows. Only for fields that keep the stock iterator: a field with
    its own (the countries' CountriesByName) keeps its order and its reading."""

    def __iter__(self) -> Iterator[tuple[Any, Any]]:
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        if self.field.null_label is not None:
            yield (self.field.null_value, self.field.null_label)
        for obj in self.queryset.all():
            yield self.choice(obj)


class IncidentFilterForm(DateRangeForm):
    range_fields = ("occurred_after", "occurred_before")
    range_message = _("The start date (%(start)s) is after the end date (%(end)s).")


def _date(lookup_expr: str, label: StrOrPromise) -> django_filters.DateFilter:
    """The date an incident occurred on, compared by `lookup_expr`, as a date picker."""
    return django_filters.DateFilter(
        field_name="occurred_on", lookup_expr=lookup_expr, label=label, widget=forms.DateInput(attrs={"type": "date"})
    )


def _choice(queryset: QuerySet[Any], label: StrOrPromise, **kwargs: Any) -> django_filters.ModelChoiceFilter:
    """A list of choices whose empty choice is "All"."""
    return django_filters.ModelChoiceFilter(queryset=queryset, label=label, empty_label=_("All"), **kwargs)


class IncidentFilter(django_filters.FilterSet):
    """One filter set for every list: `country` scopes the region choices to that country
    (the country and region pages pass it; on the all-countries list the `country` filter does)."""

    occurred_after = _date("gte", _("From"))
    occurred_before = _date("lte", _("To"))
    country = _choice(Country.objects.order_by("name"), _("Country"), to_field_name="code")
    region = _choice(Region.objects.none(), _("Region"), to_field_name="code")
    type = _choice(
        IncidentType.objects.order_by("position", "name"), _("Type"), field_name="incident_type", to_field_name="slug"
    )
    category = _choice(
        ThreatCategory.objects.order_by("position", "name"),
        _("Threat category"),
        field_name="incident_type__category",
        to_field_name="slug",
    )
    actor = _choice(Actor.objects.order_by("name"), _("Actor"), method="filter_actor")
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
        if isinstance(data, QueryDict):
            data = canonical_query(data)
        super().__init__(data, queryset, **kwargs)
        if country is not None or not with_region:
            # The page is already about one country (or one region): no country to choose.
            del self.filters["country"]
        else:
            self.filters["country"].field.iterator = CountriesByName
        code = self._chosen_country_code() if country is None else country.code
        if not with_region:
            del self.filters["region"]
        else:
            # By the country's code, not a Country read first: validating a region costs one query.
            regions = Region.objects.filter(country__code=code) if code else Region.objects.none()
            self.filters["region"].queryset = regions.order_by("name")
        # The all-countries list offers regions once a country is chosen.
        self.region_choosable = bool(code) or bool((self.data or {}).get("region"))
        for filter_ in self.filters.values():
            if isinstance(filter_, django_filters.ModelChoiceFilter) and filter_.field.iterator is ModelChoiceIterator:
                filter_.field.iterator = ChoicesInOneQuery
        if not signed_in:
            # Anonymous visitors see published TLP:CLEAR incidents only; these would filter nothing.
            del self.filters["status"], self.filters["sharing_level"]

    def _chosen_country_code(self) -> str:
        """The country picked on the all-countries list, or the one a region code names (ML-BKO: ML)."""
        data = self.data or {}
        code = data.get("country") or (data.get("region") or "").split("-")[0]
        return code.upper() if code and isinstance(code, str) else ""

    def filter_actor(self, queryset: QuerySet[Incident], name: str, value: Actor | None) -> QuerySet[Incident]:
        if value is None:
            return queryset
        # EXISTS rather than a join: an actor with two roles in one incident would list it twice.
        return queryset.filter(Exists(IncidentActor.objects.filter(incident=OuterRef("pk"), actor=value)))

    @property
    def active(self) -> bool:
        """Whether any filter has a value, for the "clear filters" link."""
        return any(self.data.get(name) for name in self.filters) if self.data else False
