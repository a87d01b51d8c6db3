"""The public pages of a country show its published incidents: saving or deleting an incident
makes a new version of its country's pages (advisories.page_cache), as the advisories app does for
what it keeps. Bulk writes (the importers, the review transitions) call `incidents_changed`."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models.signals import post_delete, post_save

from advisories.models import Country
from advisories.page_cache import page_changed

from .models import Incident, IncidentType


def incidents_changed(country_ids: Iterable[int | None]) -> None:
    """The incidents of these countries were written in bulk."""
    ids = {pk for pk in country_ids if pk is not None}
    if ids:
        page_changed(*Country.objects.filter(pk__in=ids).values_list("code", flat=True))


def _incident_changed(sender: type[Incident], instance: Incident, **kwargs: Any) -> None:
    if kwargs.get("raw") or instance.country_id is None:
        return
    incidents_changed([instance.country_id])


def _type_changed(sender: type[IncidentType], instance: IncidentType, **kwargs: Any) -> None:
    if not kwargs.get("raw"):
        page_changed()  # its name is on every country's pages


def connect() -> None:
    post_save.connect(_incident_changed, sender=Incident, dispatch_uid="page_versions.incident_saved")
    post_delete.connect(_incident_changed, sender=Incident, dispatch_uid="page_versions.incident_deleted")
    post_save.connect(_type_changed, sender=IncidentType, dispatch_uid="page_versions.type_saved")
    post_delete.connect(_type_changed, sender=IncidentType, dispatch_uid="page_versions.type_deleted")
