"""Writes of organized-crime profiles and their indicator assessments."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ..models import Country, CrimeIndicator, CrimeIndicatorAssessment, CrimeProfile, Source
from .common import Outcome, apply, upsert, validated


@dataclass(frozen=True)
class AssessmentInput:
    """One market, actor type or resilience indicator of a crime profile."""

    indicator: str
    summary: str
    score: Decimal | None = None


def crime_profile_upsert(
    *,
    country: Country,
    edition: int,
    source: Source,
    summary: str = "",
    criminality_score: Decimal | None = None,
    criminal_markets_score: Decimal | None = None,
    criminal_actors_score: Decimal | None = None,
    resilience_score: Decimal | None = None,
    assessments: Sequence[AssessmentInput] = (),
) -> tuple[CrimeProfile, Outcome]:
    """Create or update a country's organized-crime profile for one edition.

    The profile ends up with exactly the assessments given: missing ones are added, changed
    ones updated, and ones no longer given removed.
    """
    indicators = [a.indicator for a in assessments]
    unknown = sorted(set(indicators) - set(CrimeIndicator.values))
    if unknown:
        raise ValidationError(_("Unknown crime indicator %(names)s.") % {"names": ", ".join(unknown)})
    repeated = sorted({i for i in indicators if indicators.count(i) > 1})
    if repeated:
        raise ValidationError(_("Crime indicator %(names)s is given twice.") % {"names": ", ".join(repeated)})
    values = {
        "source": source,
        "summary": summary,
        "criminality_score": criminality_score,
        "criminal_markets_score": criminal_markets_score,
        "criminal_actors_score": criminal_actors_score,
        "resilience_score": resilience_score,
    }
    with transaction.atomic():
        profile, outcome = upsert(CrimeProfile, {"country": country, "edition": edition}, values)
        if _assessments_sync(profile, assessments) and outcome is not Outcome.CREATED:
            # The assessments are part of the profile; a change to them is a change to it.
            if outcome is Outcome.UNCHANGED:
                profile.save(update_fields=["updated_at"])
            outcome = Outcome.UPDATED
    return profile, outcome


def _assessments_sync(profile: CrimeProfile, assessments: Sequence[AssessmentInput]) -> bool:
    """Make the profile's assessments exactly these; return whether anything was written."""
    existing = {a.indicator: a for a in profile.assessments.all()}
    wanted = {a.indicator for a in assessments}
    stale = [a.pk for indicator, a in existing.items() if indicator not in wanted]
    if stale:
        CrimeIndicatorAssessment.objects.filter(pk__in=stale).delete()
    wrote = bool(stale)
    for given in assessments:
        row = existing.get(given.indicator)
        if row is None:
            row = CrimeIndicatorAssessment(profile=profile, indicator=given.indicator)
        changed = apply(row, {"summary": given.summary, "score": given.score})
        if row.pk is None or changed:
            validated(row, exclude=["profile"])
            row.save()
            wrote = True
    return wrote
