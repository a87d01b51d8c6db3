"""Every number the risk index is computed with, in one place.

The index of a place sums, over its published TLP:CLEAR incidents, an incident's *points* times its
*recency*, then maps that sum onto 0..100:

    points   = SEVERITY_POINTS[severity]
             + KILLED * killed + INJURED * injured + ABDUCTED * abducted   (known counts only)
             + UNKNOWN_COUNT for each of the three counts not known       (unknown is not zero)
    points  *= TARGET_FACTOR[...] for the targets named (the largest factor that applies)
    recency  = 0.5 ** (age in days / HALF_LIFE_DAYS)   (incidents older than HORIZON_DAYS count 0)
    index    = round(100 * (1 - exp(-sum / SCALE)))

so an index of 50 means a weighted sum of SCALE * ln 2. The suggested level is the first level whose
upper bound (LEVEL_BOUNDS) the index stays under. The explanation on the pages counts the last
WINDOW_DAYS and compares with the WINDOW_DAYS before them.

Changing a number here changes every index at the next recomputation; raise `version` so that the
history says which weights each assessment used.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from advisories.models.risk import RISK_LEVEL_BOUNDS


@dataclass(frozen=True)
class RiskWeights:
    version: int = 1
    # Points of an incident by its severity (1 minor .. 5 mass-casualty or kidnapping of staff).
    severity_points: Mapping[int, float] = field(
        default_factory=lambda: MappingProxyType({1: 1.0, 2: 2.0, 3: 4.0, 4: 7.0, 5: 10.0})
    )
    killed: float = 1.0
    injured: float = 0.5
    abducted: float = 2.0
    # Added once for each of killed, injured and abducted that the source does not give.
    unknown_count: float = 0.5
    # Incidents that targeted these people weigh more (target type slugs -> factor).
    aid_worker_targets: frozenset[str] = frozenset({"ngo-staff", "un-staff", "health-workers"})
    aid_worker_factor: float = 1.5
    foreigner_targets: frozenset[str] = frozenset({"foreigners"})
    foreigner_factor: float = 1.5
    # The target types of the organisations that use Vigil, by their kind: an incident against
    # staff like theirs weighs this much more.
    members_kind_targets: Mapping[str, frozenset[str]] = field(
        default_factory=lambda: MappingProxyType(
            {
                "ingo": frozenset({"ngo-staff"}),
                "nngo": frozenset({"ngo-staff"}),
                "un": frozenset({"un-staff"}),
                "red_cross": frozenset({"health-workers", "ngo-staff"}),
                "company": frozenset({"businesses"}),
                "government": frozenset({"government-officials"}),
            }
        )
    )
    members_kind_factor: float = 1.25
    half_life_days: float = 45.0
    horizon_days: int = 365
    scale: float = 60.0
    window_days: int = 90
    # Upper bounds (exclusive) of the index for levels 1, 2 and 3; 4 above the last.
    level_bounds: tuple[int, int, int] = RISK_LEVEL_BOUNDS

    def suggested_level(self, index: int) -> int:
        for level, bound in enumerate(self.level_bounds, start=1):
            if index < bound:
                return level
        return len(self.level_bounds) + 1


WEIGHTS = RiskWeights()
