"""The risk index of a country and of each of its regions, computed from their public incidents.

The formula and every number are in `weights.py`. The computation reads a constant number of
aggregate rows whatever the number of incidents:

1. the regions of the country;
2. the kinds of the active organisations (whose staff weigh more when targeted);
3. the incidents grouped by region, day, severity, threat category and the three target flags,
   with the sums and unknown counts of killed, injured and abducted. Everything in a group has the
   same points per severity, the same factor and the same recency, so the formula, which is linear
   in the counts, is applied to the group's sums; decay is applied here, per day;
4. the place names of the window with their counts, for the explanation's "most of it on ...".

Only the incidents everyone may see count (`access.visibility_filter(ANONYMOUS)`: published
TLP:CLEAR), so that no index reveals an incident its reader may not see. A retracted incident is
not published: it drops out at the next computation.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import BooleanField, Count, Exists, OuterRef, Q, QuerySet, Sum, Value

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


@dataclass(frozen=True)
class _Group:
    """One aggregate row: incidents of one place, day, severity, category and target flags."""

    region_id: int | None
    occurred_on: dt.date
    severity: int
    category: str
    aid_workers: bool
    foreigners: bool
    members_kind: bool
    incidents: int
    sums: dict[str, int]  # known counts of killed, injured, abducted
    unknown: dict[str, int]  # incidents whose count is not known

    def factor(self, weights: RiskWeights) -> float:
        """The largest target factor that applies, 1 when none does."""
        factors = [1.0]
        if self.aid_workers:
            factors.append(weights.aid_worker_factor)
        if self.foreigners:
            factors.append(weights.foreigner_factor)
        if self.members_kind:
            factors.append(weights.members_kind_factor)
        return max(factors)

    def severity_points(self, weights: RiskWeights) -> float:
        return weights.severity_points[self.severity] * self.incidents

    def casualty_points(self, weights: RiskWeights) -> float:
        known = (
            weights.killed * self.sums["killed"]
            + weights.injured * self.sums["injured"]
            + weights.abducted * self.sums["abducted"]
        )
        return known + weights.unknown_count * sum(self.unknown.values())


@dataclass
class _Place:
    region_id: int | None
    groups: list[_Group] = field(default_factory=list)
    places: Counter[str] = field(default_factory=Counter)


def country_risk(
    country: Country, *, now: dt.datetime, weights: RiskWeights = WEIGHTS, viewer: Viewer = ANONYMOUS
) -> list[PlaceRisk]:
    """The risk of the country (first) and of each of its regions at `now`.

    `viewer` is who the index is for: the public by default. Another viewer's index counts what
    that viewer may see, and must only be shown to them.
    """
    today = now.astimezone(dt.UTC).date()
    window_start = today - dt.timedelta(days=weights.window_days - 1)
    # The previous index (one window earlier) reaches back a horizon from its own date.
    earliest = today - dt.timedelta(days=weights.horizon_days + weights.window_days)
    incidents = Incident.objects.filter(visibility_filter(viewer), country=country, occurred_on__gte=earliest)

    region_ids = list(Region.objects.filter(country=country).order_by("name", "pk").values_list("pk", flat=True))
    members_targets = _members_kind_targets(weights)
    groups = list(_groups(incidents, weights=weights, members_targets=members_targets))
    names = _place_names(incidents, since=window_start)

    whole = _Place(region_id=None)
    by_region: dict[int | None, _Place] = {region_id: _Place(region_id=region_id) for region_id in region_ids}
    for group in groups:
        whole.groups.append(group)
        if group.region_id is not None and group.region_id in by_region:
            by_region[group.region_id].groups.append(group)
    for region_id, name, count in names:
        whole.places[name] += count
        if region_id is not None and region_id in by_region:
            by_region[region_id].places[name] += count

    return [
        _place_risk(country.pk, place, today=today, weights=weights)
        for place in [whole, *(by_region[region_id] for region_id in region_ids)]
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


def _targeted(slugs: Iterable[str]) -> Exists | Value:
    slugs = sorted(slugs)
    if not slugs:
        return Value(False, output_field=BooleanField())
    # An EXISTS per incident rather than a join, which would count an incident once per target.
    through = Incident.target_types.through
    return Exists(through.objects.filter(incident_id=OuterRef("pk"), targettype__slug__in=slugs))


def _groups(
    incidents: QuerySet[Incident], *, weights: RiskWeights, members_targets: frozenset[str]
) -> Iterable[_Group]:
    rows = (
        incidents.annotate(
            aid_workers=_targeted(weights.aid_worker_targets),
            foreigners=_targeted(weights.foreigner_targets),
            members_kind=_targeted(members_targets),
        )
        .order_by()  # the model's ordering would add its columns to GROUP BY
        .values(
            "region_id",
            "occurred_on",
            "severity",
            "incident_type__category__slug",
            "aid_workers",
            "foreigners",
            "members_kind",
        )
        .annotate(
            incidents=Count("pk"),
            **{f"{name}_sum": Sum(name) for name in CASUALTIES},
            **{f"{name}_unknown": Count("pk", filter=Q(**{f"{name}__isnull": True})) for name in CASUALTIES},
        )
    )
    for row in rows:
        yield _Group(
            region_id=row["region_id"],
            occurred_on=row["occurred_on"],
            severity=row["severity"],
            category=row["incident_type__category__slug"],
            aid_workers=bool(row["aid_workers"]),
            foreigners=bool(row["foreigners"]),
            members_kind=bool(row["members_kind"]),
            incidents=row["incidents"],
            sums={name: int(row[f"{name}_sum"] or 0) for name in CASUALTIES},
            unknown={name: int(row[f"{name}_unknown"]) for name in CASUALTIES},
        )


def _place_names(incidents: QuerySet[Incident], *, since: dt.date) -> list[tuple[int | None, str, int]]:
    rows = (
        incidents.filter(occurred_on__gte=since)
        .exclude(place_name="")
        .order_by()
        .values("region_id", "place_name")
        .annotate(count=Count("pk"))
    )
    return [(row["region_id"], row["place_name"].strip(), row["count"]) for row in rows if row["place_name"].strip()]


# The arithmetic ---------------------------------------------------------------------------


def _weighted(groups: Iterable[_Group], *, on: dt.date, weights: RiskWeights) -> tuple[float, dict[str, float]]:
    """The weighted sum at date `on` of the groups, and its components (severity, casualties, and
    what the target factors add to them). A group dated after `on` counts as of `on`: the caller
    passes only those that had happened by then (today: a place ahead of UTC may be a day ahead)."""
    components = {"severity": 0.0, "casualties": 0.0, "targets": 0.0}
    for group in groups:
        decay = recency((on - group.occurred_on).days, weights)
        if not decay:
            continue
        severity = group.severity_points(weights) * decay
        casualties = group.casualty_points(weights) * decay
        components["severity"] += severity
        components["casualties"] += casualties
        components["targets"] += (group.factor(weights) - 1) * (severity + casualties)
    return sum(components.values()), components


def _place_risk(country_id: int, place: _Place, *, today: dt.date, weights: RiskWeights) -> PlaceRisk:
    weighted_sum, components = _weighted(place.groups, on=today, weights=weights)
    index = index_of(weighted_sum, weights)

    previous_on = today - dt.timedelta(days=weights.window_days)
    earlier = [g for g in place.groups if g.occurred_on <= previous_on]
    previous_index: int | None = None
    if any(recency((previous_on - g.occurred_on).days, weights) for g in earlier):
        previous_index = index_of(_weighted(earlier, on=previous_on, weights=weights)[0], weights)

    window_start = today - dt.timedelta(days=weights.window_days - 1)
    window = [g for g in place.groups if g.occurred_on >= window_start]
    by_category: Counter[str] = Counter()
    for group in window:
        by_category[group.category] += group.incidents
    breakdown: dict[str, Any] = {
        "version": BREAKDOWN_VERSION,
        "window_days": weights.window_days,
        "incidents": sum(g.incidents for g in window),
        "by_category": dict(sorted(by_category.items())),
        **{name: sum(g.sums[name] for g in window) for name in CASUALTIES},
        **{f"{name}_unknown": sum(g.unknown[name] for g in window) for name in CASUALTIES},
        "targeted": {flag: sum(g.incidents for g in window if getattr(g, flag)) for flag in TARGETED},
        "previous_index": previous_index,
        "change": None if previous_index is None else index - previous_index,
        "top_places": [[name, count] for name, count in _top(place.places)],
        "components": {name: round(value, 1) for name, value in components.items()},
        "weights_version": weights.version,
    }
    return PlaceRisk(
        country_id=country_id,
        region_id=place.region_id,
        index=index,
        suggested_level=weights.suggested_level(index),
        breakdown=breakdown,
    )


def _top(places: Counter[str]) -> list[tuple[str, int]]:
    return sorted(places.items(), key=lambda item: (-item[1], item[0]))[:TOP_PLACES]
