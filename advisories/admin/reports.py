"""Threat ratings, security reports and their revisions, and contact points."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Count, Max, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from config.admin import BoundedDateHierarchy

from ..models import ContactPoint, ReportSection, SecurityReport, SecurityReportRevision, ThreatCategory, ThreatRating
from .base import TIMESTAMPS, URL_HTTPS, annotation_column
from .filters import FrenchMissingFilter, french_missing_column
from .forms import ContactPointForm, RevisionForm, ThreatRatingForm


class RevisionInline(admin.TabularInline):
    model = SecurityReportRevision
    form = RevisionForm
    fields = ("number", "published_at", "what_changed", "source")
    extra = 0
    show_change_link = True


class ReportSectionInline(admin.StackedInline):
    model = ReportSection
    fields = (("position", "kind"), ("heading", "heading_fr"), ("body", "body_fr"), "source")
    extra = 0


@admin.register(ThreatCategory)
class ThreatCategoryAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "indicator", "position")
    list_editable = ("position",)
    list_filter = ("indicator",)
    search_fields = ("name", "name_fr", "slug", "description")
    prepopulated_fields = {"slug": ("name",)}
    fields = (("name", "name_fr"), "slug", "indicator", ("description", "description_fr"), "position")


@admin.register(ThreatRating)
class ThreatRatingAdmin(BoundedDateHierarchy, admin.ModelAdmin):
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
    search_fields = ("title", "title_fr", "country__name", "=country__code")
    fields = ("country", ("title", "title_fr"), *TIMESTAMPS)
    autocomplete_fields = ("country",)
    readonly_fields = TIMESTAMPS
    inlines = (RevisionInline,)

    def get_queryset(self, request: HttpRequest) -> QuerySet[SecurityReport]:
        return (
            super()
            .get_queryset(request)
            .annotate(revision_count=Count("revisions"), last_published_at=Max("revisions__published_at"))
        )

    revision_count = annotation_column("revision_count", _("revisions"))

    @admin.display(description=_("last published"), ordering="last_published_at")
    def last_published_at(self, obj: SecurityReport) -> Any:
        return getattr(obj, "last_published_at", None) or "-"


@admin.register(SecurityReportRevision)
class SecurityReportRevisionAdmin(BoundedDateHierarchy, admin.ModelAdmin):
    form = RevisionForm
    list_display = ("report", "number", "published_at", "what_changed", "section_count", "source")
    list_filter = (("published_at", admin.EmptyFieldListFilter), ("report__country", admin.RelatedOnlyFieldListFilter))
    list_select_related = ("report", "source")
    search_fields = ("report__title", "report__country__name", "what_changed")
    autocomplete_fields = ("report",)
    date_hierarchy = "published_at"
    readonly_fields = TIMESTAMPS
    inlines = (ReportSectionInline,)

    def get_queryset(self, request: HttpRequest) -> QuerySet[SecurityReportRevision]:
        return super().get_queryset(request).annotate(section_count=Count("sections"))

    section_count = annotation_column("section_count", _("sections"))


@admin.register(ReportSection)
class ReportSectionAdmin(admin.ModelAdmin):
    list_display = ("heading", "kind", "revision", "position", "source", "french_missing")
    list_filter = ("kind", FrenchMissingFilter)
    list_select_related = ("revision__report", "source")
    search_fields = ("heading", "heading_fr", "body", "body_fr", "revision__report__title")
    autocomplete_fields = ("revision",)
    fields = ("revision", ("position", "kind"), ("heading", "heading_fr"), ("body", "body_fr"), "source")
    french_fields = ("heading", "body")
    french_missing = french_missing_column(*french_fields)


@admin.register(ContactPoint)
class ContactPointAdmin(BoundedDateHierarchy, admin.ModelAdmin):
    form = ContactPointForm
    list_display = ("name", "kind", "country", "region", "phone_list", "email", "last_verified_on", "source")
    list_filter = ("kind", ("country", admin.RelatedOnlyFieldListFilter))
    list_select_related = ("country", "region", "source")
    search_fields = ("name", "name_fr", "address", "email", "country__name", "=country__code", "region__name")
    autocomplete_fields = ("country", "region")
    date_hierarchy = "last_verified_on"
    readonly_fields = TIMESTAMPS
    formfield_overrides = URL_HTTPS

    @admin.display(description=_("phone numbers"))
    def phone_list(self, obj: ContactPoint) -> str:
        return ", ".join(obj.phones)
