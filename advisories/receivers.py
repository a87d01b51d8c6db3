"""Whatever the public pages of a country show, saved or deleted, makes a new version of them
(page_cache). Incidents do the same in the incidents app."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Model
from django.db.models.signals import post_delete, post_save

from . import models
from .page_cache import page_changed

# Each model whose rows a page shows, and how to reach the country of a row (None: every country).
_COUNTRY_OF: dict[type[Model], Callable[[Any], Any] | None] = {
    models.Country: lambda row: row,
    models.Region: lambda row: row.country,
    models.RegionBoundary: lambda row: row.region.country,
    models.City: lambda row: row.country,
    models.Advisory: lambda row: row.country,
    models.CrimeProfile: lambda row: row.country,
    models.CrimeIndicatorAssessment: lambda row: row.profile.country,
    models.ThreatRating: lambda row: row.country,
    models.SecurityReport: lambda row: row.country,
    models.SecurityReportRevision: lambda row: row.report.country,
    models.ReportSection: lambda row: row.revision.report.country,
    models.ContactPoint: lambda row: row.country,
    models.RiskAssessment: lambda row: row.country,
    models.Source: None,
    models.ThreatCategory: None,
}


def _changed(sender: type[Model], instance: Model, **kwargs: Any) -> None:
    if kwargs.get("raw"):  # loading fixtures
        return
    country_of = _COUNTRY_OF[sender]
    if country_of is None:
        page_changed()
        return
    try:
        country = country_of(instance)
    except ObjectDoesNotExist:  # deleted along with its country
        page_changed()
        return
    page_changed(country.code)


def connect() -> None:
    for model in _COUNTRY_OF:
        post_save.connect(_changed, sender=model, dispatch_uid=f"page_cache.saved.{model.__name__}")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"page_cache.deleted.{model.__name__}")
