"""Corrections of published incidents: what changed in the text the public had already read.

An officer's edit of a published incident takes effect at once (holding it back for a new review
would hide an incident people may need), and it is recorded here, in the same transaction: who
changed which fields, when, and their old and new values. The incident's page and the API show the
date and the fields of each correction to whoever may see the incident; the old values stay in the
record for the organisation and the analysts, since an officer may have removed them on purpose
(a name, a place that put someone at risk).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .audit_models import acted_by_field


class IncidentCorrection(models.Model):
    """One edit of a published incident: `changes` is {field: {"old": value, "new": value}}."""

    incident = models.ForeignKey(
        "incidents.Incident", on_delete=models.CASCADE, related_name="corrections", verbose_name=_("incident")
    )
    editor = acted_by_field(_("corrected by"))
    corrected_at = models.DateTimeField(_("corrected at"), default=timezone.now)
    changes = models.JSONField(_("changes"), default=dict)

    class Meta:
        ordering = ["incident", "corrected_at", "id"]
        verbose_name = _("correction")
        verbose_name_plural = _("corrections")

    def __str__(self) -> str:
        return f"{self.incident_id}: {', '.join(self.changes)}"

    @property
    def changed_fields(self) -> list[Any]:
        """The incident's changed fields, in the incident's field order (the JSON keeps none)."""
        incident_model = apps.get_model("incidents", "Incident")
        return [field for field in incident_model._meta.get_fields() if field.name in self.changes]

    @property
    def field_names(self) -> list[str]:
        return [field.name for field in self.changed_fields]

    @property
    def field_labels(self) -> list[str]:
        """The changed fields as the incident's form names them."""
        return [str(getattr(field, "verbose_name", field.name)) for field in self.changed_fields]


def plain(value: Any) -> Any:
    """A field's value as JSON can hold it: related objects by name, several of them sorted."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, Iterable):
        return sorted(str(item) for item in value)
    return str(value)


def changed_fields(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """{field: {"old", "new"}} for every field whose plain value differs."""
    changes = {}
    for name, new in after.items():
        old_value, new_value = plain(before.get(name)), plain(new)
        if old_value != new_value:
            changes[name] = {"old": old_value, "new": new_value}
    return changes
