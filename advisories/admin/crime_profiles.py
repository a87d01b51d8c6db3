"""Organized-crime profiles and their indicator assessments."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from ..models import CrimeIndicatorAssessment, CrimeProfile
from .base import TIMESTAMPS, annotation_column


class AssessmentInline(admin.TabularInline):
    model = CrimeIndicatorAssessment
    fields = ("indicator", "pillar", "score", "summary")
    readonly_fields = ("pillar",)
    extra = 0

    def get_formset(self, request: HttpRequest, obj: Any = None, **kwargs: Any) -> Any:
        kwargs.setdefault("widgets", {"summary": forms.Textarea(attrs={"rows": 2, "cols": 60})})
        return super().get_formset(request, obj, **kwargs)


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

    assessment_count = annotation_column("assessment_count", _("assessments"))


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
