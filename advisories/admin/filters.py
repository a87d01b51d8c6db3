"""List filters on the current advisory's level, on risk indicators and on missing French. Filters that only ask
whether a field is empty are Django's EmptyFieldListFilter, named in the model admins."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Q, QuerySet
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


def _french_missing(fields: tuple[str, ...]) -> Q:
    """Rows with English in one of `fields` and nothing in its French twin."""
    missing = Q(pk__in=[])
    for name in fields:
        missing |= Q(**{f"{name}_fr": ""}) & ~Q(**{name: ""})
    return missing


class FrenchMissingFilter(admin.SimpleListFilter):
    """Which rows still need a French translation; the model admin names its fields in `french_fields`."""

    title = _("French translation")
    parameter_name = "french"

    def __init__(self, request: HttpRequest, params: Any, model: Any, model_admin: Any) -> None:
        self.fields: tuple[str, ...] = tuple(getattr(model_admin, "french_fields", ()))
        super().__init__(request, params, model, model_admin)

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [("missing", _("Missing")), ("written", _("Written"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if self.value() == "missing":
            return queryset.filter(_french_missing(self.fields))
        if self.value() == "written":
            return queryset.exclude(_french_missing(self.fields))
        return queryset


def french_missing_column(*fields: str) -> Any:
    """A changelist column: does a row have English without its French?"""

    @admin.display(description=_("French missing"), boolean=True)
    def column(model_admin: admin.ModelAdmin, obj: Any) -> bool:
        return any(getattr(obj, name) and not getattr(obj, f"{name}_fr") for name in fields)

    return column
