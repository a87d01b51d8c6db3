"""Writes of the risk index: a country's and its regions' assessments, kept as history.

A place gets a new `RiskAssessment` row when its index, its suggested level or its published level
changed, or when its current row is from an earlier day (so that the history has a point a day
for the chart); otherwise its current row stands. Each written row is announced with the signal
`risk_assessed` once the transaction commits.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from advisories.models import Advisory, Country, RiskAssessment

from ..access import ANONYMOUS, visibility_filter
from ..models import Incident
from ..signals import risk_assessed
from .compute import PlaceRisk, country_risk
from .weights import WEIGHTS


@dataclass
class Recomputation:
    """What one recomputation of a country found: the current rows of its places (the country
    first), and the (previous, new) pairs of the rows it wrote."""

    country: Country
    current: list[RiskAssessment] = field(default_factory=list)
    written: list[tuple[RiskAssessment | None, RiskAssessment]] = field(default_factory=list)


def risk_recompute(*, country: Country, now: dt.datetime | None = None) -> list[RiskAssessment]:
    """Compute the risk of the country and of each of its regions; write what changed; return the
    current rows, the country's first."""
    return risk_recompute_report(country=country, now=now).current


def risk_recompute_report(*, country: Country, now: dt.datetime | None = None) -> Recomputation:
    """risk_recompute, saying which rows it wrote (the command prints them)."""
    now = now or timezone.now()
    report = Recomputation(country=country)
    with transaction.atomic():
        # One recomputation of a country at a time: two at once would both replace the same rows.
        Country.objects.select_for_update().filter(pk=country.pk).values_list("pk", flat=True).first()
        places = country_risk(country, now=now)
        published = _published_levels(country)
        current = {
            row.region_id: row for row in RiskAssessment.objects.current().filter(country=country).select_for_update()
        }
        for place in places:
            previous = current.get(place.region_id)
            level = published.get(place.region_id)
            if previous is not None and not _changed(previous, place, published_level=level, now=now):
                if previous.breakdown != place.breakdown:
                    # Same index and levels, other words (an incident more, of no weight yet):
                    # the explanation follows the incidents, the history gets no new point.
                    previous.breakdown, previous.computed_at = place.breakdown, now
                    previous.save(update_fields=["breakdown", "computed_at"])
                report.current.append(previous)
                continue
            if previous is not None:
                RiskAssessment.objects.filter(pk=previous.pk).update(is_current=False)
                previous.is_current = False
            row = RiskAssessment.objects.create(
                country_id=place.country_id,
                region_id=place.region_id,
                computed_at=now,
                index=place.index,
                suggested_level=place.suggested_level,
                published_level=level,
                breakdown=place.breakdown,
                is_current=True,
            )
            report.current.append(row)
            report.written.append((previous, row))
    for previous, row in report.written:
        transaction.on_commit(
            lambda previous=previous, row=row: risk_assessed.send(  # type: ignore[misc]
                sender=RiskAssessment, previous=previous, current=row
            )
        )
    return report


def risk_recompute_all(now: dt.datetime | None = None) -> list[Recomputation]:
    """Recompute every country that has a public incident within reach of the index (its horizon
    and the window before it) or a current assessment: one whose incidents have all aged out, or
    were retracted, drops to 0."""
    now = now or timezone.now()
    earliest = now.astimezone(dt.UTC).date() - dt.timedelta(days=WEIGHTS.horizon_days + WEIGHTS.window_days)
    with_incidents = Incident.objects.filter(visibility_filter(ANONYMOUS), occurred_on__gte=earliest)
    countries = Country.objects.filter(
        Q(pk__in=with_incidents.order_by().values("country_id"))
        | Q(pk__in=RiskAssessment.objects.current().order_by().values("country_id"))
    ).order_by("name", "pk")
    return [risk_recompute_report(country=country, now=now) for country in countries]


def _published_levels(country: Country) -> dict[int | None, int]:
    """The level of each place's own current advisory (None: the country as a whole)."""
    return dict(Advisory.objects.current().filter(country=country).values_list("region_id", "level"))


def _changed(previous: RiskAssessment, place: PlaceRisk, *, published_level: int | None, now: dt.datetime) -> bool:
    return (
        previous.index != place.index
        or previous.suggested_level != place.suggested_level
        or previous.published_level != published_level
        or previous.computed_at.astimezone(dt.UTC).date() < now.astimezone(dt.UTC).date()
    )
