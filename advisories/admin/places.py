"""Sources, countries, regions, cities and their advisories."""

from __future__ import annotations

from typing import Any, cast

from django.contrib import admin, messages
from django.db.models import Count, Exists, OuterRef, QuerySet
from django.http import HttpRequest
from django.utils.html import format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from config.admin import BoundedDateHierarchy

from ..models.places import (
    RISK_INDICATOR_EXPLANATIONS,
    Advisory,
    AdvisoryQuerySet,
    City,
    Country,
    CountryQuerySet,
    Region,
    RegionBoundary,
    RegionQuerySet,
    RiskIndicator,
    Source,
)
from ..services import Outcome, advisory_publish
from .base import (
    TIMESTAMPS,
    URL_HTTPS,
    IsoPlaceAdmin,
    ReadOnlyInline,
    annotation_column,
    current_level_column,
    level_label,
)
from .filters import CurrentLevelFilter, FrenchMissingFilter, IndicatorFilter, french_missing_column
from .forms import PUBLISHED_FIELDS, AdvisoryForm, PlaceForm


class CurrentAdvisoryInline(ReadOnlyInline):
    model = Advisory
    verbose_name_plural = _("current advisories of the country and its regions")
    fields = ("region", "level", "indicators", "issued_on", "source")
    readonly_fields = fields

    def get_queryset(self, request: HttpRequest) -> QuerySet[Advisory]:
        advisories = cast(AdvisoryQuerySet, super().get_queryset(request))
        return advisories.current().select_related("country", "region", "source")


class RegionInline(ReadOnlyInline):
    model = Region
    fields = ("code", "name", "kind")
    readonly_fields = fields


@admin.register(Source)
class SourceAdmin(BoundedDateHierarchy, admin.ModelAdmin):
    list_display = ("title", "publisher", "kind", "published_on")
    list_filter = ("kind", "publisher")
    search_fields = ("title", "publisher", "slug", "url")
    prepopulated_fields = {"slug": ("title",)}
    date_hierarchy = "published_on"
    readonly_fields = TIMESTAMPS
    formfield_overrides = URL_HTTPS


@admin.register(Country)
class CountryAdmin(IsoPlaceAdmin):
    list_display = ("code", "name", "alpha3", "current_level_display", "region_count")
    list_filter = (CurrentLevelFilter,)
    search_fields = ("=code", "=alpha3", "name", "official_name")
    readonly_fields = TIMESTAMPS
    inlines = (CurrentAdvisoryInline, RegionInline)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Country]:
        countries = cast(CountryQuerySet, super().get_queryset(request))
        return countries.with_current_level().annotate(region_count=Count("regions"))

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        # ISO codes are identities other data is keyed on; they are set once, by sync_countries.
        return TIMESTAMPS + (("code", "alpha3", "numeric") if obj else ())

    current_level_display = current_level_column()
    region_count = annotation_column("region_count", _("regions"))


@admin.register(Region)
class RegionAdmin(IsoPlaceAdmin):
    list_display = ("code", "name", "country", "kind", "current_level_display", "has_boundary")
    list_filter = (CurrentLevelFilter, ("boundary", admin.EmptyFieldListFilter))
    list_select_related = ("country",)
    search_fields = ("=code", "name", "country__name", "=country__code")
    autocomplete_fields = ("country",)
    readonly_fields = TIMESTAMPS

    def get_queryset(self, request: HttpRequest) -> QuerySet[Region]:
        regions = cast(RegionQuerySet, super().get_queryset(request))
        return regions.with_own_level().annotate(
            has_outline=Exists(RegionBoundary.objects.filter(region=OuterRef("pk")))
        )

    current_level_display = current_level_column()

    @admin.display(description=_("boundary"), boolean=True)
    def has_boundary(self, obj: Region) -> bool:
        return bool(getattr(obj, "has_outline", False))


@admin.register(RegionBoundary)
class RegionBoundaryAdmin(admin.ModelAdmin):
    list_display = ("region", "attribution", "updated_at")
    list_select_related = ("region__country",)
    search_fields = ("=region__code", "region__name")
    autocomplete_fields = ("region",)
    readonly_fields = ("updated_at",)


@admin.register(City)
class CityAdmin(admin.ModelAdmin):
    form = PlaceForm
    list_display = ("name", "country", "region", "latitude", "longitude")
    list_select_related = ("country", "region")
    search_fields = ("name", "country__name", "region__name")
    autocomplete_fields = ("country", "region")
    readonly_fields = TIMESTAMPS


@admin.register(Advisory)
class AdvisoryAdmin(BoundedDateHierarchy, admin.ModelAdmin):
    form = AdvisoryForm
    list_display = (
        "place",
        "level_display",
        "indicators_display",
        "issued_on",
        "is_current",
        "source",
        "french_missing",
    )
    list_display_links = ("place",)
    list_filter = (
        "is_current",
        "level",
        IndicatorFilter,
        FrenchMissingFilter,
        ("region", admin.EmptyFieldListFilter),
        ("country", admin.RelatedOnlyFieldListFilter),
        ("source", admin.RelatedOnlyFieldListFilter),
    )
    list_select_related = ("country", "region", "source")
    search_fields = ("country__name", "=country__code", "region__name", "=region__code", "summary", "summary_fr")
    autocomplete_fields = ("country", "region")
    date_hierarchy = "issued_on"
    readonly_fields = TIMESTAMPS
    french_fields = ("summary",)
    french_missing = french_missing_column(*french_fields)

    @admin.display(description=_("place"), ordering="country__name")
    def place(self, obj: Advisory) -> str:
        if obj.region is not None:
            return f"{obj.region.name}, {obj.country.name}"
        return obj.country.name

    @admin.display(description=_("level"), ordering="level")
    def level_display(self, obj: Advisory) -> str:
        return level_label(obj.level)

    @admin.display(description=_("indicators"), ordering="indicators")
    def indicators_display(self, obj: Advisory) -> SafeString:
        return format_html_join(
            " ",
            '<abbr title="{}: {}">{}</abbr>',
            ((RiskIndicator(letter).label, RISK_INDICATOR_EXPLANATIONS[letter], letter) for letter in obj.indicators),
        )

    def save_model(self, request: HttpRequest, obj: Advisory, form: Any, change: bool) -> None:
        if not getattr(form, "publish", False):
            super().save_model(request, obj, form, change)
            return
        advisory, outcome = advisory_publish(**{name: getattr(obj, name) for name in PUBLISHED_FIELDS})
        # The admin goes on to log and redirect to `obj`: make it the row advisory_publish wrote.
        obj.pk = advisory.pk
        obj.refresh_from_db()
        obj._state.adding = False
        if outcome == Outcome.UPDATED:
            self.message_user(
                request,
                gettext("The new level replaces the previous advisory of this place, which is kept as history."),
                messages.INFO,
            )
        elif outcome in (Outcome.SUPERSEDED, Outcome.UNCHANGED):
            # Only when another analyst published for the same place since the form was checked.
            self.message_user(
                request,
                gettext("Nothing was added: the place's current advisory is newer or the same."),
                messages.WARNING,
            )
