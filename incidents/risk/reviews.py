"""Review items for analysts when a place's risk index crosses a level boundary.

A crossing is a new assessment whose suggested level differs from the previous assessment's.
A place's first assessment raises an item too when its suggestion differs from the level
analysts have published for the place: nobody has compared the two yet. A first assessment of a
place without a published level raises nothing (it would flood the queue with every quiet region
the first time the index is computed).

One item stays open per place: a further crossing updates it (keeping the level it started from),
a crossing back to that level withdraws it, since nothing then differs from what an analyst last
saw, and a new index within the same level only refreshes the index it shows.
"""

from __future__ import annotations

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from advisories.models import Advisory, RiskAssessment

from ..access import is_analyst
from .models import RiskReview, RiskReviewQuerySet


def _needs_review(previous: RiskAssessment | None, current: RiskAssessment) -> bool:
    if previous is None:
        return current.published_level is not None and current.published_level != current.suggested_level
    return previous.suggested_level != current.suggested_level


def risk_review_raise(*, previous: RiskAssessment | None, current: RiskAssessment) -> RiskReview | None:
    """Open (or update) the review item of the place of `current` when its suggested level moved;
    an open item follows the index within its level too, so the queue shows the latest one.

    Returns the open item, or None when none is open for the place afterwards."""
    if not _needs_review(previous, current):
        _open_items_of(current).update(index=current.index, assessment=current, updated_at=timezone.now())
        return _open_items_of(current).first()
    for _attempt in range(2):
        try:
            with transaction.atomic():
                return _raise(previous, current)
        except IntegrityError:
            # Another recomputation opened the place's item between our read and our insert: update it.
            continue
    return None


def _open_items_of(assessment: RiskAssessment) -> RiskReviewQuerySet:
    if assessment.region_id is not None:
        return RiskReview.objects.open().filter(region_id=assessment.region_id)
    return RiskReview.objects.open().filter(country_id=assessment.country_id, region__isnull=True)


def _raise(previous: RiskAssessment | None, current: RiskAssessment) -> RiskReview | None:
    item = _open_items_of(current).select_for_update().order_by("pk").first()
    if item is None:
        return RiskReview.objects.create(
            country_id=current.country_id,
            region_id=current.region_id,
            from_level=previous.suggested_level if previous is not None else None,
            to_level=current.suggested_level,
            index=current.index,
            assessment=current,
        )
    if item.from_level == current.suggested_level:
        item.delete()
        return None
    item.to_level, item.index, item.assessment = current.suggested_level, current.index, current
    item.save(update_fields=["to_level", "index", "assessment", "updated_at"])
    return item


def risk_review_resolve(*, review: RiskReview, analyst: User, note: str = "") -> bool:
    """Mark the item reviewed. Idempotent: False (and nothing changed) when it already was."""
    if not is_analyst(analyst):
        raise PermissionDenied(_("Only Vigil's analysts review risk levels."))
    updated = RiskReview.objects.filter(pk=review.pk, resolved_at__isnull=True).update(
        resolved_at=timezone.now(), resolved_by=analyst, note=note.strip()
    )
    return updated == 1


def risk_reviews_open() -> RiskReviewQuerySet:
    """The open items, oldest first, with the levels published now for the place: the region's
    own (`region_level`) and its country's (`country_level`)."""
    current = Advisory.objects.current()
    return (
        RiskReview.objects.open()
        .select_related("country", "region")
        .annotate(
            region_level=Subquery(current.of_region(OuterRef("region")).values("level")[:1]),
            country_level=Subquery(current.country_wide(OuterRef("country")).values("level")[:1]),
        )
        .order_by("created_at", "pk")
    )
