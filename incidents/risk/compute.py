"""The risk index of a country and of each of its regions, computed from their public incidents.

The formula and every number are in `weights.py`. The computation reads a constant number of
aggregate rows whatever the number of incidents:

1. the regions of the country;
2. the kinds of the active organisations (whose staff weigh more when targeted);
3. the incidents grouped by region: each incident's points, target factor and recency are
   computed in SQL and summed per region, today and one window earlier, with the window's counts.
   Every sum is additive, so the country's own figures are the sums of its regions' rows (and of
   the row of its incidents without a region). The targets are one subquery per incident giving
   which of the three kinds of targets it named (a bit each; a join would count an incident once
   per target), and the rows are grouped by it too, so that the target factor (the largest that
   applies) is applied here to each group;
4. the window's incidents by region and threat category;
5. the place names of the window with their counts, for the explanation's "most of it on ...".

Only the incidents everyone may see count (`access.visibility_filter(ANONYMOUS)`: published
TLP:CLEAR), so that no index reveals an incident its reader may not see. A retracted incident is
not published: it drops out at the next computation.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import (
    Case,
    Count,
    ExpressionWrapper,
    F,
    FloatField,
    Func,
    IntegerField,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Cast, Power

from advisories.models import Country, Region

from ..access import ANONYMOUS, Viewer, visibility_filter
from ..models import Incident, Organisation
from .weights import WEIGHTS, RiskWeights

BREAKDOWN_VERSION = 1
TOP_PLACES = 3
CASUALTIES = ("killed", "injured", "abducted")
TARGETED = ("aid_workers", "foreigners", "members_kind")


@dataclass(frozen=True)
class PlaceRisk:
    country_id: int
    region_id: int | None  # None: the whole country
    index: int
    suggested_level: int
    breakdown: dict[str, Any]


@dataclass
class _Sums:
    """The additive figures of a place: weighted sums now and a window earlier, window counts."""

    severity: float = 0.0
    casualties: float = 0.0
    targets: float = 0.0
    previous: float = 0.0
    previous_incidents: int = 0
    counts: Counter[str] = field(default_factory=Counter)
    by_category: Counter[str] = field(default_factory=Counter)
    places: Counter[str] = field(default_factory=Counter)

    def add(self, other: _Sums) -> None:
        self.severity += other.severity
        self.casualties += other.casualties
        self.targets += other.targets
        self.previous += other.previous
        self.previous_incidents += other.previous_incidents
        self.counts.update(other.counts)
        self.by_category.update(other.by_category)
        self.places.update(other.places)


def country_risk(
    country: Country, *, now: dt.datetime, weights: RiskWeights = WEIGHTS, viewer: Viewer = ANONYMOUS
) -> list[PlaceRisk]:
    """The risk of the country (first) and of each of its regions at `now`.

    `viewer` is who the index is for: the public by default. Another viewer's index counts what
    that viewer may see, and must only be shown to them.
    """
    today = now.astimezone(dt.UTC).date()
    window_start = today - dt.timedelta(days=weights.window_days - 1)
    previous_on = today - dt.timedelta(days=weights.window_days)
    # The previous index (one window earlier) reaches back a horizon from its own date.
    earliest = previous_on - dt.timedelta(days=weights.horizon_days)
    incidents = Incident.objects.filter(visibility_filter(viewer), country=country, occurred_on__gte=earliest)

    region_ids = list(Region.objects.filter(country=country).order_by("name", "pk").values_list("pk", flat=True))
    targets = {
        "aid_workers": weights.aid_worker_targets,
        "foreigners": weights.foreigner_targets,
        "members_kind": _members_kind_targets(weights),
    }
    sums: dict[int | None, _Sums] = defaultdict(_Sums)
    for region_id, figures in _region_sums(
        incidents, targets=targets, today=today, previous_on=previous_on, window_start=window_start, weights=weights
    ):
        sums[region_id].add(figures)
    window = incidents.filter(occurred_on__gte=window_start).order_by()
    for row in window.values("region_id", "incident_type__category__slug").annotate(count=Count("pk")):
        sums[row["region_id"]].by_category[row["incident_type__category__slug"]] += row["count"]
    for row in window.exclude(place_name="").values("region_id", "place_name").annotate(count=Count("pk")):
        if row["place_name"].strip():
            sums[row["region_id"]].places[row["place_name"].strip()] += row["count"]

    whole = _Sums()
    for figures in list(sums.values()):
        whole.add(figures)
    return [_place_risk(country.pk, None, whole, weights=weights)] + [
        _place_risk(country.pk, region_id, sums.get(region_id) or _Sums(), weights=weights) for region_id in region_ids
    ]


def index_of(weighted_sum: float, weights: RiskWeights = WEIGHTS) -> int:
    """The weighted sum mapped onto 0..100."""
    return max(0, min(100, round(100 * (1 - math.exp(-weighted_sum / weights.scale)))))


def recency(age_days: int, weights: RiskWeights = WEIGHTS) -> float:
    """How much an incident `age_days` old still counts (a day in the future counts as today)."""
    if age_days > weights.horizon_days:
        return 0.0
    return float(0.5 ** (max(age_days, 0) / weights.half_life_days))


# The queries ------------------------------------------------------------------------------


def _members_kind_targets(weights: RiskWeights) -> frozenset[str]:
    kinds = Organisation.objects.filter(is_active=True).values_list("kind", flat=True).distinct()
    return frozenset(slug for kind in kinds for slug in weights.members_kind_targets.get(kind, ()))


def _target_mask(targets: dict[str, frozenset[str]]) -> Any:
    """Per incident, which kinds of targets it named: bit i set for the i-th kind of TARGETED.

    Each kind is an uncorrelated `id IN (incidents that named such a target)`, which PostgreSQL
    answers from one hash built once per query (a "hashed SubPlan"), not by a lookup per incident."""
    through = Incident.target_types.through
    mask: Any = Value(0)
    for bit, name in enumerate(TARGETED):
        slugs = sorted(targets[name])
        if slugs:
            named = through.objects.filter(targettype__slug__in=slugs).values("incident_id")
            mask = mask + Case(When(pk__in=named, then=Value(1 << bit)), default=Value(0))
    return ExpressionWrapper(mask, output_field=IntegerField())


def _factor(mask: int, weights: RiskWeights) -> float:
    """The largest target factor that applies, 1 when none does."""
    factors = [1.0]
    for bit, factor in enumerate((weights.aid_worker_factor, weights.foreigner_factor, weights.members_kind_factor)):
        if mask & (1 << bit):
            factors.append(factor)
    return max(factors)


class _DaysBetween(Func):
    """Whole days from the column's date to `day` (positive when the column is earlier)."""

    output_field = FloatField()

    def __init__(self, day: dt.date, column: str) -> None:
        super().__init__(Value(day.isoformat()), F(column))

    def as_sql(self, compiler: Any, connection: Any, **extra: Any) -> Any:  # type: ignore[override]
        (day, day_params), (column, column_params) = (compiler.compile(e) for e in self.source_expressions)
        return f"CAST((CAST({day} AS date) - {column}) AS double precision)", (*day_params, *column_params)

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        (day, day_params), (column, column_params) = (compiler.compile(e) for e in self.source_expressions)
        return f"(julianday({day}) - julianday({column}))", (*day_params, *column_params)


def _recency(day: dt.date, weights: RiskWeights) -> Case:
    """recency() in SQL, at `day`: 1 for an incident of that day or later, 0 past the horizon."""
    age = _DaysBetween(day, "occurred_on")
    return Case(
        When(occurred_on__gte=day, then=Value(1.0)),
        When(occurred_on__lt=day - dt.timedelta(days=weights.horizon_days), then=Value(0.0)),
        default=Power(Value(0.5), age / Value(float(weights.half_life_days))),
        output_field=FloatField(),
    )


def _points(weights: RiskWeights) -> tuple[Case, Any]:
    """An incident's severity points, and its casualty points (unknown counts included)."""
    severity = Case(
        *(When(severity=level, then=Value(float(points))) for level, points in weights.severity_points.items()),
        default=Value(0.0),
        output_field=FloatField(),
    )
    casualties: Any = Value(0.0)
    for name, weight in (("killed", weights.killed), ("injured", weights.injured), ("abducted", weights.abducted)):
        casualties = casualties + Case(
            When(**{f"{name}__isnull": True}, then=Value(float(weights.unknown_count))),
            default=Cast(F(name), FloatField()) * Value(float(weight)),
            output_field=FloatField(),
        )
    return severity, casualties


def _region_sums(
    incidents: QuerySet[Incident],
    *,
    targets: dict[str, frozenset[str]],
    today: dt.date,
    previous_on: dt.date,
    window_start: dt.date,
    weights: RiskWeights,
) -> Iterable[tuple[int | None, _Sums]]:
    in_window = Q(occurred_on__gte=window_start)
    then = Q(occurred_on__lte=previous_on, occurred_on__gte=previous_on - dt.timedelta(days=weights.horizon_days))
    aggregates: dict[str, Any] = {
        "severity_now": Sum(F("severity_points") * F("recency_now")),
        "casualties_now": Sum(F("casualty_points") * F("recency_now")),
        "previous": Sum((F("severity_points") + F("casualty_points")) * F("recency_then"), filter=then),
        "previous_incidents": Count("pk", filter=then),
        "incidents": Count("pk", filter=in_window),
    }
    for name in CASUALTIES:
        aggregates[f"{name}_sum"] = Sum(name, filter=in_window)
        aggregates[f"{name}_unknown"] = Count("pk", filter=in_window & Q(**{f"{name}__isnull": True}))
    severity, casualties = _points(weights)
    rows = (
        incidents.annotate(
            severity_points=severity,
            casualty_points=casualties,
            targets=_target_mask(targets),
            recency_now=_recency(today, weights),
            recency_then=_recency(previous_on, weights),
        )
        .order_by()  # the model's ordering would add its columns to GROUP BY
        .values("region_id", "targets")
        .annotate(**aggregates)
    )
    for row in rows:
        counts: Counter[str] = Counter({"incidents": row["incidents"]})
        for name in CASUALTIES:
            counts[name] = int(row[f"{name}_sum"] or 0)
            counts[f"{name}_unknown"] = row[f"{name}_unknown"]
        for bit, name in enumerate(TARGETED):
            if row["targets"] & (1 << bit):
                counts[f"targeted_{name}"] = row["incidents"]
        factor = _factor(row["targets"], weights)
        severity_sum, casualties_sum = float(row["severity_now"] or 0), float(row["casualties_now"] or 0)
        yield (
            row["region_id"],
            _Sums(
                severity=severity_sum,
                casualties=casualties_sum,
                targets=(factor - 1) * (severity_sum + casualties_sum),
                previous=factor * float(row["previous"] or 0),
                previous_incidents=row["previous_incidents"],
                counts=counts,
            ),
        )


# The arithmetic ---------------------------------------------------------------------------


def _place_risk(country_id: int, region_id: int | None, sums: _Sums, *, weights: RiskWeights) -> PlaceRisk:
    index = index_of(sums.severity + sums.casualties + sums.targets, weights)
    previous_index = index_of(sums.previous, weights) if sums.previous_incidents else None
    counts = sums.counts
    breakdown: dict[str, Any] = {
        "version": BREAKDOWN_VERSION,
        "window_days": weights.window_days,
        "incidents": counts["incidents"],
        "by_category": dict(sorted(sums.by_category.items())),
        **{name: counts[name] for name in CASUALTIES},
        **{f"{name}_unknown": counts[f"{name}_unknown"] for name in CASUALTIES},
        "targeted": {name: counts[f"targeted_{name}"] for name in TARGETED},
        "previous_index": previous_index,
        "change": None if previous_index is None else index - previous_index,
        "top_places": [[name, count] for name, count in _top(sums.places)],
        "components": {
            "severity": round(sums.severity, 1),
            "casualties": round(sums.casualties, 1),
            "targets": round(sums.targets, 1),
        },
        "weights_version": weights.version,
    }
    return PlaceRisk(
        country_id=country_id,
        region_id=region_id,
        index=index,
        suggested_level=weights.suggested_level(index),
        breakdown=breakdown,
    )


def _top(places: Counter[str]) -> list[tuple[str, int]]:
    return sorted(places.items(), key=lambda item: (-item[1], item[0]))[:TOP_PLACES]
