"""List filters on the current advisory's level and on risk indicators. Filters that only ask
whether a field is empty are Django's EmptyFieldListFilter, named in the model admins."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from ..models import AdvisoryLevel, RiskIndicator


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
