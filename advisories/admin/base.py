"""What the advisories' model admins share."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.contrib import admin
from django.db import models
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from ..models import AdvisoryLevel

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

TIMESTAMPS = ("created_at", "updated_at")
# Analysts paste addresses without a scheme; assume https, as Django 6 will.
URL_HTTPS: dict[type[models.Field[Any, Any]], dict[str, Any]] = {models.URLField: {"assume_scheme": "https"}}


def level_label(level: int | None) -> str:
    if level is None:
        return "-"
    return f"{level} · {AdvisoryLevel(level).label}"


def _count(value: Any) -> int:
    return int(value or 0)


def annotation_column(name: str, description: StrOrPromise, show: Callable[[Any], Any] = _count) -> Any:
    """A changelist column, sortable, showing the `name` annotation the admin's get_queryset adds
    (a count unless `show` says how)."""

    @admin.display(description=description, ordering=name)
    def column(model_admin: admin.ModelAdmin, obj: Any) -> Any:
        return show(getattr(obj, name, None))

    return column


def current_level_column() -> Any:
    return annotation_column("current_level", _("current level"), level_label)


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
