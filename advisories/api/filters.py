"""Query-string filters of the advisories endpoints, one FilterSet per resource.

Places are named by their ISO 3166 codes in either case (`ml`, `ML-BKO`), categories by their
slugs. A value that names nothing, or does not parse, is a 400 that names the parameter and
says what would be accepted, never a filter quietly dropped.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field

from config.api.filters import StrictBooleanFilter, UTCDateTimeFilter

from ..models import (
    AdvisoryLevel,
    ContactPoint,
    Country,
    Region,
    RiskAssessment,
    RiskIndicator,
    SecurityReport,
    ThreatCategory,
    ThreatRating,
)
from .serializers import RATING_NAMES

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

LEVEL_HELP = _("An advisory level, 1 (Exercise Normal Precautions) to 4 (Do Not Travel).")
LEVEL_ERRORS = {"invalid_choice": _("%(value)s is not an advisory level; give a number from 1 to 4.")}
COUNTRY_ERRORS = {
    "invalid_choice": _("There is no country with the code %(value)s; the list is at /api/v1/countries/.")
}
REGION_ERRORS = {"invalid_choice": _("There is no region with the code %(value)s; the list is at /api/v1/regions/.")}
REGION_HELP = _("ISO 3166-2 code, e.g. ml-bko.")
CATEGORY_ERRORS = {
    "invalid_choice": _("There is no threat category %(value)s; the list is at /api/v1/threat-categories/.")
}


class CodeField(django_filters.fields.ModelChoiceField):
    """An ISO 3166 code in either case: `ml` and `ML-BKO` both name a place."""

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str):
            value = value.strip()
            # ASCII only: "ß".upper() is "SS", which would otherwise name South Sudan.
            if not value.isascii():
                raise forms.ValidationError(
                    self.error_messages["invalid_choice"], code="invalid_choice", params={"value": value}
                )
            value = value.upper()
        return super().to_python(value)


class CodeFilter(django_filters.ModelChoiceFilter):
    field_class = CodeField


def country_filter(field_name: str = "country") -> CodeFilter:
    return CodeFilter(
        field_name=field_name,
        queryset=Country.objects.all(),
        to_field_name="code",
        help_text=_("ISO 3166-1 alpha-2 code, e.g. ml."),
        error_messages=COUNTRY_ERRORS,
    )


def region_filter(help_text: StrOrPromise = REGION_HELP, **kwargs: Any) -> CodeFilter:
    return CodeFilter(
        queryset=Region.objects.all(),
        to_field_name="code",
        help_text=help_text,
        error_messages=REGION_ERRORS,
        **kwargs,
    )


def level_filter(lookup_expr: str = "exact", help_text: StrOrPromise = LEVEL_HELP) -> django_filters.TypedChoiceFilter:
    # current_level is annotated by the view: the level of the advisory that applies to the place.
    return django_filters.TypedChoiceFilter(
        field_name="current_level",
        lookup_expr=lookup_expr,
        choices=AdvisoryLevel.choices,
        coerce=int,
        help_text=help_text,
        error_messages=LEVEL_ERRORS,
    )


def listed_choice_filter(
    choices: list[tuple[str, Any]], help_text: StrOrPromise, invalid: StrOrPromise
) -> django_filters.ChoiceFilter:
    """One of `choices`; `help_text` and the `invalid` message list the values where they say {values}."""
    values = ", ".join(value for value, _label in choices)
    return django_filters.ChoiceFilter(
        choices=choices,
        help_text=format_lazy(help_text, values=values),
        error_messages={"invalid_choice": format_lazy(invalid, values=values)},
    )


MIN_LEVEL_HELP = _("Places at this advisory level or higher, 1 to 4; places without an advisory are left out.")


class RatingField(forms.CharField):
    """LOW, MEDIUM, HIGH or CRITICAL, in any case, as the number the database keeps."""

    def clean(self, value: Any) -> int | None:
        text = (super().clean(value) or "").strip().upper()
        if not text:
            return None
        for number, name in RATING_NAMES.items():
            if name == text:
                return number
        raise forms.ValidationError(
            _("“%(value)s” is not a rating; give LOW, MEDIUM, HIGH or CRITICAL."),
            params={"value": value},
            code="invalid",
        )


@extend_schema_field({"type": "string", "enum": list(RATING_NAMES.values())})
class RatingFilter(django_filters.Filter):
    field_class = RatingField


class CountryFilter(django_filters.FilterSet):
    level = level_filter()
    min_level = level_filter("gte", MIN_LEVEL_HELP)
    has_advisory = StrictBooleanFilter(
        field_name="current_level",
        lookup_expr="isnull",
        exclude=True,
        help_text=_("true: only countries with a published advisory; false: only those without one."),
    )
    name = django_filters.CharFilter(
        lookup_expr="icontains", help_text=_("Part of the country's name, in any case, e.g. mal.")
    )

    class Meta:
        model = Country
        fields: list[str] = []


class RegionFilter(django_filters.FilterSet):
    """Levels are those that apply to each region: its own advisory's, else its country's."""

    country = country_filter()
    level = level_filter()
    min_level = level_filter("gte", MIN_LEVEL_HELP)

    class Meta:
        model = Region
        fields: list[str] = []


class ThreatCategoryFilter(django_filters.FilterSet):
    indicator = listed_choice_filter(
        RiskIndicator.choices,
        _("An advisory indicator letter, one of: {values}."),
        _("%(value)s is not an indicator letter; give one of: {values}."),
    )

    class Meta:
        model = ThreatCategory
        fields: list[str] = []


class ThreatRatingFilter(django_filters.FilterSet):
    country = country_filter()
    region = region_filter(
        method="filter_region",
        help_text=_("ISO 3166-2 code, e.g. ml-bko: the ratings of the region and of its cities."),
    )
    category = django_filters.ModelChoiceFilter(
        queryset=ThreatCategory.objects.all(),
        to_field_name="slug",
        help_text=_("A threat category's slug, e.g. kidnapping."),
        error_messages=CATEGORY_ERRORS,
    )
    rating = RatingFilter(field_name="level", help_text=_("LOW, MEDIUM, HIGH or CRITICAL, in any case."))
    min_rating = RatingFilter(
        field_name="level",
        lookup_expr="gte",
        help_text=_("This rating or a more serious one: LOW, MEDIUM, HIGH or CRITICAL, in any case."),
    )

    class Meta:
        model = ThreatRating
        fields: list[str] = []

    def filter_region(self, queryset: QuerySet[ThreatRating], name: str, value: Region) -> QuerySet[ThreatRating]:
        return queryset.filter(Q(region=value) | Q(city__region=value))


class SecurityReportFilter(django_filters.FilterSet):
    country = country_filter()

    class Meta:
        model = SecurityReport
        fields: list[str] = []


class ContactPointFilter(django_filters.FilterSet):
    country = country_filter()
    region = region_filter()
    kind = listed_choice_filter(
        ContactPoint.Kind.choices,
        _("One of: {values}."),
        _("%(value)s is not a kind of contact point; give one of: {values}."),
    )

    class Meta:
        model = ContactPoint
        fields: list[str] = []


class RiskHistoryFilter(django_filters.FilterSet):
    since = UTCDateTimeFilter(
        field_name="computed_at",
        lookup_expr="gte",
        help_text=_("Assessments computed at or after this ISO 8601 date or date and time, e.g. 2026-11-01T00:00:00Z."),
        # The same words as the alerts endpoints' date filters (no percent sign: django-filter formats
        # every message with its parameters).
        error_messages={
            "invalid": _(
                "Write an ISO 8601 date and time, e.g. 2026-11-23T07:00:00Z (URL-encode the + of an offset such "
                "as +01:00)."
            )
        },
    )

    class Meta:
        model = RiskAssessment
        fields: list[str] = []
