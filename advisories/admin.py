"""The analysts' admin for what is known about places.

Two rules shape it. Publishing a new advisory for a place goes through `advisory_set`, so the
previous one stays as history instead of being overwritten or tripping the database's
"one current advisory per place" constraint. And every constraint the database enforces is
checked in the forms first, with a message an analyst can act on, so a save never ends in a 500.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, Exists, Max, OuterRef, QuerySet, Subquery
from django.http import HttpRequest
from django.utils.html import format_html_join
from django.utils.safestring import SafeString
from django.utils.text import capfirst, format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .models import (
    RISK_INDICATOR_EXPLANATIONS,
    Advisory,
    AdvisoryLevel,
    City,
    ContactPoint,
    Country,
    CrimeIndicatorAssessment,
    CrimeProfile,
    Region,
    RegionBoundary,
    ReportSection,
    RiskIndicator,
    SecurityReport,
    SecurityReportRevision,
    Source,
    ThreatCategory,
    ThreatRating,
)
from .services import Outcome, advisory_set, normalize_indicators

TIMESTAMPS = ("created_at", "updated_at")
# Analysts paste addresses without a scheme; assume https, as Django 6 will.
URL_HTTPS: dict[type[models.Field[Any, Any]], dict[str, Any]] = {models.URLField: {"assume_scheme": "https"}}


def _level_label(level: int | None) -> str:
    if level is None:
        return "-"
    return f"{level} · {AdvisoryLevel(level).label}"


# Form fields -------------------------------------------------------------------------------


class IndicatorsField(forms.MultipleChoiceField):
    """The advisory's indicator letters as checkboxes, stored as one ordered string such as "CTK"."""

    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault(
            "choices", [(value, format_lazy("{} ({})", label, value)) for value, label in RiskIndicator.choices]
        )
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def prepare_value(self, value: Any) -> Any:
        # The model stores "CTK"; the checkboxes want ["C", "T", "K"].
        return list(value) if isinstance(value, str) else value

    def clean(self, value: Any) -> str:
        return normalize_indicators("".join(super().clean(value)))

    def has_changed(self, initial: Any, data: Any) -> bool:
        return super().has_changed(self.prepare_value(initial or ""), data)


class LinesField(forms.CharField):
    """A list of short strings (phone numbers), one per line in a text area."""

    widget = forms.Textarea(attrs={"rows": 3})

    def prepare_value(self, value: Any) -> Any:
        return "\n".join(value) if isinstance(value, list) else value

    def to_python(self, value: Any) -> list[str]:  # type: ignore[override]
        text = super().to_python(value) or ""
        return [line.strip() for line in text.splitlines() if line.strip()]

    def has_changed(self, initial: Any, data: Any) -> bool:
        return (initial or []) != self.to_python(data)


# Forms -------------------------------------------------------------------------------------


class PlaceForm(forms.ModelForm):
    """A form for something placed in a country, optionally in one of its regions or cities."""

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        country = cleaned.get("country")
        region = cleaned.get("region")
        city = cleaned.get("city")
        if country is not None and region is not None and region.country_id != country.pk:
            self.add_error(
                "region",
                gettext("%(region)s is not a region of %(country)s.") % {"region": region, "country": country},
            )
        if country is not None and city is not None and city.country_id != country.pk:
            self.add_error("city", gettext("%(city)s is not in %(country)s.") % {"city": city, "country": country})
        elif region is not None and city is not None and city.region_id not in (None, region.pk):
            self.add_error("city", gettext("%(city)s is not in %(region)s.") % {"city": city, "region": region})
        return cleaned


class AdvisoryForm(PlaceForm):
    indicators = IndicatorsField(
        label=capfirst(Advisory._meta.get_field("indicators").verbose_name),
        help_text=_("Why the place has this level: tick every risk that applies."),
    )

    class Meta:
        model = Advisory
        fields = ["country", "region", "level", "indicators", "summary", "source", "issued_on", "is_current"]
        help_texts = {
            "is_current": _(
                "Adding a current advisory for a place that has one replaces it; the old one is kept as "
                "history. Untick to record a past advisory."
            ),
        }

    # Set by clean() when the save must publish through advisory_set.
    publish = False

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        country = cleaned.get("country")
        if country is None or "region" in self.errors or not cleaned.get("is_current"):
            return cleaned
        region = cleaned.get("region")
        current = (
            Advisory.objects.filter(country=country, region=region, is_current=True)
            .exclude(pk=self.instance.pk)
            .first()
        )
        place = region.name if region else country.name
        if not self.instance._state.adding:
            # Editing corrects an advisory in place; only adding publishes a new one.
            if current is not None:
                self.add_error(
                    "is_current",
                    gettext(
                        "%(place)s already has a current advisory (level %(level)s, issued on %(date)s). "
                        "To publish a new level, add a new advisory: the current one is then kept as history."
                    )
                    % {"place": place, "level": current.level, "date": current.issued_on},
                )
            return cleaned
        # advisory_set retires the current advisory and writes this one in one transaction. Until
        # then the unsaved instance must not claim to be current, or the form's own constraint
        # check would refuse what the save is about to do.
        self.publish = True
        cleaned["is_current"] = False
        if current is not None:
            self._check_replaces(current, cleaned, place)
        return cleaned

    def _check_replaces(self, current: Advisory, cleaned: dict[str, Any], place: str) -> None:
        issued_on = cleaned.get("issued_on")
        if issued_on is not None and current.issued_on > issued_on:
            self.add_error(
                "issued_on",
                gettext(
                    "%(place)s already has a current advisory issued on %(date)s, later than this one. "
                    "Untick “current” to record this one as history."
                )
                % {"place": place, "date": current.issued_on},
            )
            return
        wanted = tuple(cleaned.get(name) for name in ("level", "indicators", "summary", "source", "issued_on"))
        if (current.level, current.indicators, current.summary, current.source, current.issued_on) == wanted:
            self.add_error(
                None,
                gettext("This is the same as the current advisory of %(place)s; there is nothing to add.")
                % {"place": place},
            )


class ThreatRatingForm(PlaceForm):
    class Meta:
        model = ThreatRating
        fields = ["country", "region", "city", "category", "level", "assessed_on", "source", "note"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        country, category = cleaned.get("country"), cleaned.get("category")
        if self.errors or country is None or category is None:
            return cleaned
        region, city = cleaned.get("region"), cleaned.get("city")
        # The same three cases as the model's conditional unique constraints.
        ratings = ThreatRating.objects.filter(category=category).exclude(pk=self.instance.pk)
        if city is not None:
            ratings, place = ratings.filter(city=city), city.name
        elif region is not None:
            ratings, place = ratings.filter(region=region, city__isnull=True), region.name
        else:
            ratings, place = ratings.filter(country=country, region__isnull=True, city__isnull=True), country.name
        existing = ratings.first()
        if existing is not None:
            self.add_error(
                "category",
                gettext(
                    "%(place)s already has a %(category)s rating (%(level)s, assessed on %(date)s). "
                    "Change that rating instead of adding a second one."
                )
                % {
                    "place": place,
                    "category": category,
                    "level": existing.get_level_display(),
                    "date": existing.assessed_on,
                },
            )
        return cleaned


class RevisionForm(forms.ModelForm):
    class Meta:
        model = SecurityReportRevision
        fields = ["report", "number", "published_at", "what_changed", "source"]

    def clean_number(self) -> int:
        number: int = self.cleaned_data["number"]
        if number < 1:
            raise ValidationError(gettext("Revisions are numbered from 1."))
        return number


def _https_urls(db_field: models.Field[Any, Any], **kwargs: Any) -> forms.Field | None:
    if isinstance(db_field, models.URLField):
        kwargs.setdefault("assume_scheme", "https")
    return db_field.formfield(**kwargs)


class ContactPointForm(PlaceForm):
    phones = LinesField(
        label=capfirst(ContactPoint._meta.get_field("phones").verbose_name),
        required=False,
        help_text=_("One number per line, as a caller dials it, e.g. 8000-1115."),
    )

    class Meta:
        model = ContactPoint
        formfield_callback = _https_urls
        fields = [
            "country",
            "region",
            "kind",
            "name",
            "address",
            "phones",
            "email",
            "website",
            "hours",
            "languages",
            "notes",
            "last_verified_on",
            "source",
            "position",
        ]


# List filters ------------------------------------------------------------------------------


class CurrentLevelFilter(admin.SimpleListFilter):
    """Filters places on the level of their current advisory (the `current_level` annotation)."""

    title = _("current advisory level")
    parameter_name = "current_level"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [("none", _("No current advisory")), *((str(v), label) for v, label in AdvisoryLevel.choices)]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        value = self.value()
        if value == "none":
            return queryset.filter(current_level__isnull=True)
        if value:
            return queryset.filter(current_level=value)
        return queryset


class IndicatorFilter(admin.SimpleListFilter):
    title = _("risk indicator")
    parameter_name = "indicator"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return list(RiskIndicator.choices)

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        value = self.value()
        if value in RiskIndicator.values:
            return queryset.filter(indicators__contains=value)
        return queryset


class ScopeFilter(admin.SimpleListFilter):
    title = _("scope")
    parameter_name = "scope"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [("country", _("Whole country")), ("region", _("Region"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if self.value() == "country":
            return queryset.filter(region__isnull=True)
        if self.value() == "region":
            return queryset.filter(region__isnull=False)
        return queryset


class HasBoundaryFilter(admin.SimpleListFilter):
    title = _("boundary")
    parameter_name = "has_boundary"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [("yes", _("Has a boundary")), ("no", _("No boundary"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if self.value() in ("yes", "no"):
            return queryset.filter(boundary__isnull=self.value() == "no")
        return queryset


class PublishedFilter(admin.SimpleListFilter):
    title = _("status")
    parameter_name = "published"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [("yes", _("Published")), ("no", _("Draft"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if self.value() in ("yes", "no"):
            return queryset.filter(published_at__isnull=self.value() == "no")
        return queryset


# Inlines -----------------------------------------------------------------------------------


class IsoPlaceAdmin(admin.ModelAdmin):
    """Countries and regions are ISO 3166 reference data, created by migration and sync_countries.

    Deleting one would cascade to every advisory, rating and report about it, so the admin
    does not offer it.
    """

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class CurrentAdvisoryInline(ReadOnlyInline):
    model = Advisory
    verbose_name_plural = _("current advisories of the country and its regions")
    fields = ("region", "level", "indicators", "issued_on", "source")
    readonly_fields = fields

    def get_queryset(self, request: HttpRequest) -> QuerySet[Advisory]:
        return super().get_queryset(request).filter(is_current=True).select_related("country", "region", "source")


class RegionInline(ReadOnlyInline):
    model = Region
    fields = ("code", "name", "kind")
    readonly_fields = fields


class RevisionInline(admin.TabularInline):
    model = SecurityReportRevision
    form = RevisionForm
    fields = ("number", "published_at", "what_changed", "source")
    extra = 0
    show_change_link = True


class ReportSectionInline(admin.StackedInline):
    model = ReportSection
    fields = (("position", "kind", "heading"), "body", "source")
    extra = 0


class AssessmentInline(admin.TabularInline):
    model = CrimeIndicatorAssessment
    fields = ("indicator", "pillar", "score", "summary")
    readonly_fields = ("pillar",)
    extra = 0

    def get_formset(self, request: HttpRequest, obj: Any = None, **kwargs: Any) -> Any:
        kwargs.setdefault("widgets", {"summary": forms.Textarea(attrs={"rows": 2, "cols": 60})})
        return super().get_formset(request, obj, **kwargs)


# Model admins ------------------------------------------------------------------------------


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ("title", "publisher", "kind", "published_on")
    list_filter = ("kind", "publisher")
    search_fields = ("title", "publisher", "slug", "url")
    prepopulated_fields = {"slug": ("title",)}
    date_hierarchy = "published_on"
    readonly_fields = TIMESTAMPS
    formfield_overrides = URL_HTTPS


def _current_level(**place: Any) -> Subquery:
    return Subquery(Advisory.objects.filter(is_current=True, **place).values("level")[:1])


@admin.register(Country)
class CountryAdmin(IsoPlaceAdmin):
    list_display = ("code", "name", "alpha3", "current_level_display", "region_count")
    list_filter = (CurrentLevelFilter,)
    search_fields = ("=code", "=alpha3", "name", "official_name")
    readonly_fields = TIMESTAMPS
    inlines = (CurrentAdvisoryInline, RegionInline)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Country]:
        return (
            super()
            .get_queryset(request)
            .annotate(
                current_level=_current_level(country=OuterRef("pk"), region__isnull=True),
                region_count=Count("regions"),
            )
        )

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        # ISO codes are identities other data is keyed on; they are set once, by sync_countries.
        return TIMESTAMPS + (("code", "alpha3", "numeric") if obj else ())

    @admin.display(description=_("current level"), ordering="current_level")
    def current_level_display(self, obj: Country) -> str:
        return _level_label(getattr(obj, "current_level", None))

    @admin.display(description=_("regions"), ordering="region_count")
    def region_count(self, obj: Country) -> int:
        return int(getattr(obj, "region_count", 0))


@admin.register(Region)
class RegionAdmin(IsoPlaceAdmin):
    list_display = ("code", "name", "country", "kind", "current_level_display", "has_boundary")
    list_filter = (CurrentLevelFilter, HasBoundaryFilter)
    list_select_related = ("country",)
    search_fields = ("=code", "name", "country__name", "=country__code")
    autocomplete_fields = ("country",)
    readonly_fields = TIMESTAMPS

    def get_queryset(self, request: HttpRequest) -> QuerySet[Region]:
        return (
            super()
            .get_queryset(request)
            .annotate(
                current_level=_current_level(region=OuterRef("pk")),
                has_outline=Exists(RegionBoundary.objects.filter(region=OuterRef("pk"))),
            )
        )

    @admin.display(description=_("current level"), ordering="current_level")
    def current_level_display(self, obj: Region) -> str:
        return _level_label(getattr(obj, "current_level", None))

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
class AdvisoryAdmin(admin.ModelAdmin):
    form = AdvisoryForm
    list_display = ("place", "level_display", "indicators_display", "issued_on", "is_current", "source")
    list_display_links = ("place",)
    list_filter = (
        "is_current",
        "level",
        IndicatorFilter,
        ScopeFilter,
        ("country", admin.RelatedOnlyFieldListFilter),
        ("source", admin.RelatedOnlyFieldListFilter),
    )
    list_select_related = ("country", "region", "source")
    search_fields = ("country__name", "=country__code", "region__name", "=region__code", "summary")
    autocomplete_fields = ("country", "region")
    date_hierarchy = "issued_on"
    readonly_fields = TIMESTAMPS

    @admin.display(description=_("place"), ordering="country__name")
    def place(self, obj: Advisory) -> str:
        if obj.region is not None:
            return f"{obj.region.name}, {obj.country.name}"
        return obj.country.name

    @admin.display(description=_("level"), ordering="level")
    def level_display(self, obj: Advisory) -> str:
        return _level_label(obj.level)

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
        advisory, outcome = advisory_set(
            country=obj.country,
            region=obj.region,
            level=obj.level,
            indicators=obj.indicators,
            summary=obj.summary,
            source=obj.source,
            issued_on=obj.issued_on,
        )
        # The admin goes on to log and redirect to `obj`: make it the row advisory_set wrote.
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


@admin.register(ThreatCategory)
class ThreatCategoryAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "indicator", "position")
    list_editable = ("position",)
    list_filter = ("indicator",)
    search_fields = ("name", "slug", "description")
    prepopulated_fields = {"slug": ("name",)}


@admin.register(ThreatRating)
class ThreatRatingAdmin(admin.ModelAdmin):
    form = ThreatRatingForm
    list_display = ("place", "country", "category", "level", "assessed_on", "source")
    list_filter = ("level", "category", ("country", admin.RelatedOnlyFieldListFilter))
    list_select_related = ("country", "region", "city", "category", "source")
    search_fields = ("country__name", "=country__code", "region__name", "city__name", "category__name", "note")
    autocomplete_fields = ("country", "region", "city")
    date_hierarchy = "assessed_on"
    readonly_fields = TIMESTAMPS

    @admin.display(description=_("place"))
    def place(self, obj: ThreatRating) -> str:
        return obj.place_name


@admin.register(SecurityReport)
class SecurityReportAdmin(admin.ModelAdmin):
    list_display = ("title", "country", "revision_count", "last_published_at")
    list_select_related = ("country",)
    search_fields = ("title", "country__name", "=country__code")
    autocomplete_fields = ("country",)
    readonly_fields = TIMESTAMPS
    inlines = (RevisionInline,)

    def get_queryset(self, request: HttpRequest) -> QuerySet[SecurityReport]:
        return (
            super()
            .get_queryset(request)
            .annotate(revision_count=Count("revisions"), last_published_at=Max("revisions__published_at"))
        )

    @admin.display(description=_("revisions"), ordering="revision_count")
    def revision_count(self, obj: SecurityReport) -> int:
        return int(getattr(obj, "revision_count", 0))

    @admin.display(description=_("last published"), ordering="last_published_at")
    def last_published_at(self, obj: SecurityReport) -> Any:
        return getattr(obj, "last_published_at", None) or "-"


@admin.register(SecurityReportRevision)
class SecurityReportRevisionAdmin(admin.ModelAdmin):
    form = RevisionForm
    list_display = ("report", "number", "published_at", "what_changed", "section_count", "source")
    list_filter = (PublishedFilter, ("report__country", admin.RelatedOnlyFieldListFilter))
    list_select_related = ("report", "source")
    search_fields = ("report__title", "report__country__name", "what_changed")
    autocomplete_fields = ("report",)
    date_hierarchy = "published_at"
    readonly_fields = TIMESTAMPS
    inlines = (ReportSectionInline,)

    def get_queryset(self, request: HttpRequest) -> QuerySet[SecurityReportRevision]:
        return super().get_queryset(request).annotate(section_count=Count("sections"))

    @admin.display(description=_("sections"), ordering="section_count")
    def section_count(self, obj: SecurityReportRevision) -> int:
        return int(getattr(obj, "section_count", 0))


@admin.register(ReportSection)
class ReportSectionAdmin(admin.ModelAdmin):
    list_display = ("heading", "kind", "revision", "position", "source")
    list_filter = ("kind",)
    list_select_related = ("revision__report", "source")
    search_fields = ("heading", "body", "revision__report__title")
    autocomplete_fields = ("revision",)


@admin.register(ContactPoint)
class ContactPointAdmin(admin.ModelAdmin):
    form = ContactPointForm
    list_display = ("name", "kind", "country", "region", "phone_list", "email", "last_verified_on", "source")
    list_filter = ("kind", ("country", admin.RelatedOnlyFieldListFilter))
    list_select_related = ("country", "region", "source")
    search_fields = ("name", "address", "email", "country__name", "=country__code", "region__name")
    autocomplete_fields = ("country", "region")
    date_hierarchy = "last_verified_on"
    readonly_fields = TIMESTAMPS
    formfield_overrides = URL_HTTPS

    @admin.display(description=_("phone numbers"))
    def phone_list(self, obj: ContactPoint) -> str:
        return ", ".join(obj.phones)


@admin.register(CrimeProfile)
class CrimeProfileAdmin(admin.ModelAdmin):
    list_display = (
        "country",
        "edition",
        "criminality_score",
        "criminal_markets_score",
        "criminal_actors_score",
        "resilience_score",
        "assessment_count",
        "source",
    )
    list_filter = ("edition", ("country", admin.RelatedOnlyFieldListFilter))
    list_select_related = ("country", "source")
    search_fields = ("country__name", "=country__code", "summary")
    autocomplete_fields = ("country",)
    readonly_fields = TIMESTAMPS
    inlines = (AssessmentInline,)

    def get_queryset(self, request: HttpRequest) -> QuerySet[CrimeProfile]:
        return super().get_queryset(request).annotate(assessment_count=Count("assessments"))

    @admin.display(description=_("assessments"), ordering="assessment_count")
    def assessment_count(self, obj: CrimeProfile) -> int:
        return int(getattr(obj, "assessment_count", 0))


@admin.register(CrimeIndicatorAssessment)
class CrimeIndicatorAssessmentAdmin(admin.ModelAdmin):
    list_display = ("profile", "indicator", "pillar", "score")
    list_filter = ("indicator", "profile__edition")
    list_select_related = ("profile__country",)
    search_fields = ("profile__country__name", "summary")
    autocomplete_fields = ("profile",)

    @admin.display(description=_("pillar"))
    def pillar(self, obj: CrimeIndicatorAssessment) -> str:
        return str(obj.pillar.label)
