"""The risk index of a country and of each of its regions, computed from their public incidents.

The formula and every number are in `weights.py`. The computation reads a constant number of
aggregate rows whatever the number of incidents:

1. the regions of the country;
2. the kinds of the active organisations (whose staff weigh more when targeted);
3. the incidents' counts and sums by region and day (`_by_region_and_day`): recency depends on
   the day only, so the weighing is done in Python on these rows (a few thousand at most, for any
   number of incidents), today and one window earlier, with the window's counts. Every sum is
   additive, so the country's own figures are the sums of its regions' rows (and of the row of its
   incidents without a region);
4. the same rows for the incidents that named a target weighing more, once per distinct target
   factor (`_factor_steps`: the largest factor that applies, written as a sum of steps; two
   queries with the default weights), each a semi-join that PostgreSQL runs in parallel;
5. the window's incidents by region that named each kind of target, for the explanation;
6. the window's incidents by region and threat category;
7. the place names of the window with their counts, for the explanation's "most of it on ...".

Only the incidents everyone may see count (`access.visibility_filter(ANONYMOUS)`: published
TLP:CLEAR), so that no index reveals an incident its reader may not see. A retracted incident is
not published: it drops out at the next computation.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db import connections
from django.db.models import (
    Case,
    Count,
    F,
    FloatField,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)

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

    def add_day(self, row: tuple[Any, ...], days: _Days, recencies: _Recencies, weights: RiskWeights) -> None:
        """Add one row of _by_region_and_day over all the incidents."""
        day, count = _day(row[1]), row[_INCIDENTS]
        severity, casualties = _points(row, weights)
        now, then = recencies.now(day), recencies.then(day)
        self.severity += severity * now
        self.casualties += casualties * now
        self.previous += (severity + casualties) * then
        if day <= days.previous_on:
            self.previous_incidents += count
        if day >= days.window_start:
            self.counts["incidents"] += count
            for name in CASUALTIES:
                self.counts[name] += int(row[_CASUALTY_SUMS[name]] or 0)
                self.counts[f"{name}_unknown"] += count - row[_CASUALTY_KNOWN[name]]

    def add_targeted_day(
        self, row: tuple[Any, ...], recencies: _Recencies, weights: RiskWeights, *, extra: float
    ) -> None:
        """Add one row of _by_region_and_day over the incidents that named targets weighing `extra`
        more (a step of _factor_steps)."""
        day = _day(row[1])
        points = sum(_points(row, weights))
        self.targets += extra * points * recencies.now(day)
        self.previous += extra * points * recencies.then(day)


def _day(value: dt.date | str) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(value)


def _points(row: tuple[Any, ...], weights: RiskWeights) -> tuple[float, float]:
    """The severity points and the casualty points (unknown counts included) of a row's incidents."""
    count = row[_INCIDENTS]
    casualties = 0.0
    for name, weight in zip(CASUALTIES, (weights.killed, weights.injured, weights.abducted), strict=True):
        casualties += weight * float(row[_CASUALTY_SUMS[name]] or 0)
        casualties += weights.unknown_count * (count - row[_CASUALTY_KNOWN[name]])
    return float(row[_SEVERITY] or 0), casualties


def country_risk(
    country: Country, *, now: dt.datetime, weights: RiskWeights = WEIGHTS, viewer: Viewer = ANONYMOUS
) -> list[PlaceRisk]:
    """The risk of the country (first) and of each of its regions at `now`.

    `viewer` is who the index is for: the public by default. Another viewer's index counts what
    that viewer may see, and must only be shown to them.
    """
    days = _Days.at(now, weights)
    incidents = Incident.objects.filter(visibility_filter(viewer), country=country, occurred_on__gte=days.earliest)

    region_ids = list(Region.objects.filter(country=country).order_by("name", "pk").values_list("pk", flat=True))
    targets = {
        "aid_workers": weights.aid_worker_targets,
        "foreigners": weights.foreigner_targets,
        "members_kind": _members_kind_targets(weights),
    }
    sums: dict[int | None, _Sums] = defaultdict(_Sums)
    recencies = _Recencies(days, weights)
    for day_row in _rows(_by_region_and_day(incidents, weights)):
        sums[day_row[0]].add_day(day_row, days, recencies, weights)
    for extra, slugs in _factor_steps(targets, weights):
        for day_row in _rows(_by_region_and_day(incidents.filter(pk__in=_naming(slugs)), weights)):
            sums[day_row[0]].add_targeted_day(day_row, recencies, weights, extra=extra)
    window = incidents.filter(occurred_on__gte=days.window_start).order_by()
    for counted in _targeted_counts(window, targets):
        for name in TARGETED:
            sums[counted["region_id"]].counts[f"targeted_{name}"] += counted[name]
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


@dataclass(frozen=True)
class _Days:
    """The days the computation at one moment counts from."""

    today: dt.date
    window_start: dt.date  # the first day of the explanation's window
    previous_on: dt.date  # the day the previous index is computed at, one window earlier
    earliest: dt.date  # the previous index reaches back a horizon from its own day

    @classmethod
    def at(cls, now: dt.datetime, weights: RiskWeights) -> _Days:
        today = now.astimezone(dt.UTC).date()
        previous_on = today - dt.timedelta(days=weights.window_days)
        return cls(
            today=today,
            window_start=today - dt.timedelta(days=weights.window_days - 1),
            previous_on=previous_on,
            earliest=previous_on - dt.timedelta(days=weights.horizon_days),
        )


# The queries ------------------------------------------------------------------------------


def _members_kind_targets(weights: RiskWeights) -> frozenset[str]:
    kinds = Organisation.objects.filter(is_active=True).values_list("kind", flat=True).distinct()
    return frozenset(slug for kind in kinds for slug in weights.members_kind_targets.get(kind, ()))


def _naming(slugs: frozenset[str]) -> QuerySet[Any]:
    """The ids of the incidents that named one of these target types at least."""
    return Incident.target_types.through.objects.filter(targettype__slug__in=sorted(slugs)).values("incident_id")


# The columns of _by_region_and_day's rows, after the region's id (0) and the day (1).
_INCIDENTS, _SEVERITY = 2, 3
_CASUALTY_SUMS = {name: 4 + 2 * n for n, name in enumerate(CASUALTIES)}
_CASUALTY_KNOWN = {name: 5 + 2 * n for n, name in enumerate(CASUALTIES)}


def _by_region_and_day(incidents: QuerySet[Incident], weights: RiskWeights) -> QuerySet[Any]:
    """The incidents' counts and sums by region and day: recency is a function of the day, so the
    arithmetic that weighs them is done on these rows (a few thousand at most), not per incident.
    Each row: region id, day, then the columns named by _INCIDENTS..."""
    severity = Case(
        *(When(severity=level, then=Value(float(points))) for level, points in weights.severity_points.items()),
        default=Value(0.0),
        output_field=FloatField(),
    )
    aggregates: dict[str, Any] = {"incidents": Count("pk"), "severity_points": Sum(severity)}
    for name in CASUALTIES:
        aggregates[f"{name}_sum"] = Sum(name)
        aggregates[f"{name}_known"] = Count(name)
    # No ordering: the model's would add its columns to GROUP BY.
    return (
        incidents.order_by()
        .values("region_id", "occurred_on")
        .annotate(**aggregates)
        .values_list("region_id", "occurred_on", *aggregates)
    )


def _rows(query: QuerySet[Any]) -> list[tuple[Any, ...]]:
    """The rows of an aggregate query as the database driver gives them: thousands of plain
    tuples, without the ORM's conversion of every value (dates come as text from SQLite)."""
    sql, params = query.query.sql_with_params()
    with connections[query.db].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _factor_steps(targets: dict[str, frozenset[str]], weights: RiskWeights) -> list[tuple[float, frozenset[str]]]:
    """The largest target factor that applies to an incident, as a sum of steps over semi-joins.

    With the distinct factors f1 > f2 > ... > 1, an incident's factor is
    1 + sum over j of (f_j - f_j+1) * [it named a target of a kind whose factor is f_j or more],
    so each step is one aggregate over the incidents that named such a target: an `id IN (...)`
    that PostgreSQL answers with a parallel hash semi-join, instead of a per-incident mask.
    """
    factors = {
        "aid_workers": weights.aid_worker_factor,
        "foreigners": weights.foreigner_factor,
        "members_kind": weights.members_kind_factor,
    }
    levels = sorted({factor for name, factor in factors.items() if factor > 1 and targets[name]}, reverse=True)
    steps = []
    for level, below in zip(levels, [*levels[1:], 1.0], strict=True):
        slugs = frozenset(slug for name, factor in factors.items() if factor >= level for slug in targets[name])
        steps.append((level - below, slugs))
    return steps


def _targeted_counts(window: QuerySet[Incident], targets: dict[str, frozenset[str]]) -> QuerySet[Any]:
    """The window's incidents by region that named a target of each kind (one join, each counted once)."""
    through = Incident.target_types.through
    every = sorted(set().union(*targets.values()))
    counts = {
        name: Count("incident_id", distinct=True, filter=Q(targettype__slug__in=sorted(slugs)))
        for name, slugs in targets.items()
    }
    return (
        through.objects.filter(incident__in=window.values("pk"), targettype__slug__in=every)
        .order_by()
        .values(region_id=F("incident__region_id"))
        .annotate(**counts)
    )


class _Recencies:
    """recency() of each day today and one window earlier, each worked out once."""

    def __init__(self, days: _Days, weights: RiskWeights) -> None:
        self.days, self.weights = days, weights
        self._now: dict[dt.date, float] = {}
        self._then: dict[dt.date, float] = {}

    def now(self, day: dt.date) -> float:
        if day not in self._now:
            self._now[day] = recency((self.days.today - day).days, self.weights)
        return self._now[day]

    def then(self, day: dt.date) -> float:
        """0 for a day after the previous index's own day."""
        if day not in self._then:
            previous_on = self.days.previous_on
            self._then[day] = recency((previous_on - day).days, self.weights) if day <= previous_on else 0.0
        return self._then[day]


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
