"""What the advisories' writes share: the outcome they report, and one way to create or update a
row that writes only when something differs, so loading the same data twice changes no row
(and no updated_at)."""

from __future__ import annotations

from enum import StrEnum
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from ..models import Country, Region

_M = TypeVar("_M", bound=models.Model)


class Outcome(StrEnum):
    """What a write did, so commands can report created / updated / unchanged counts."""

    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    # The place already has a current advisory issued later than the one offered.
    SUPERSEDED = "superseded"


def check_region_in_country(region: Region | None, country: Country) -> None:
    if region is not None and region.country_id != country.pk:
        raise ValidationError(
            _("Region %(region)s is not in %(country)s.") % {"region": region.code, "country": country.name}
        )


def validated(obj: Any, *, exclude: list[str] | None = None) -> None:
    """Run the model's own validation so bad input fails with a message, not a database error."""
    obj.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)


def apply(obj: Any, values: dict[str, Any]) -> list[str]:
    """Set the values that differ on obj and return the names of the fields that changed."""
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    for name in changed:
        setattr(obj, name, values[name])
    return changed


def save_changes(obj: Any, changed: list[str]) -> Outcome:
    if not changed:
        return Outcome.UNCHANGED
    validated(obj)
    update_fields = [*changed, "updated_at"] if hasattr(obj, "updated_at") else changed
    obj.save(update_fields=update_fields)
    return Outcome.UPDATED


def create_validated(obj: _M) -> _M:
    validated(obj)
    obj.save()
    return obj


def upsert(model: type[_M], match: dict[str, Any], values: dict[str, Any]) -> tuple[_M, Outcome]:
    """Create the row that `match` finds, with `values`, or set the values that differ on it."""
    with transaction.atomic():
        found = model._default_manager.select_for_update(of=("self",)).filter(**match).first()
        if found is None:
            return create_validated(model(**match, **values)), Outcome.CREATED
        return found, save_changes(found, apply(found, values))
