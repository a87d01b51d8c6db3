"""Risk assessments are computed, never typed: the admin shows their history, read-only."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from advisories.models import RiskAssessment


@admin.register(RiskAssessment)
class RiskAssessmentAdmin(admin.ModelAdmin):
    list_display = ("computed_at", "country", "region", "index", "suggested_level", "published_level", "is_current")
    list_filter = ("is_current", "suggested_level", "country")
    list_select_related = ("country", "region")
    search_fields = ("country__name", "region__name", "region__code")
    date_hierarchy = "computed_at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
