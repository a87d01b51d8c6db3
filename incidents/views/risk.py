"""The public page that says how the risk index is computed, from the weights themselves."""

from __future__ import annotations

import math
from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from advisories.models import AdvisoryLevel

from ..forms import SEVERITY_SCALE
from ..models import Organisation, TargetType
from ..risk.weights import WEIGHTS, RiskWeights


@dataclass(frozen=True)
class TargetWeight:
    label: str
    factor: float
    target_names: list[str]


def _target_weights(weights: RiskWeights) -> list[TargetWeight]:
    """The three kinds of targets that weigh more, each with the names of its target types. One query."""
    kinds = Organisation.Kind
    members = {slug for group in weights.members_kind_targets.values() for slug in group}
    slugs = weights.aid_worker_targets | weights.foreigner_targets | members
    names = {target.slug: str(target) for target in TargetType.objects.filter(slug__in=slugs)}

    def named(group: frozenset[str] | set[str]) -> list[str]:
        return sorted(names.get(slug, slug) for slug in group)

    by_kind = [
        f"{kinds(kind).label}: {', '.join(named(group))}" for kind, group in weights.members_kind_targets.items()
    ]
    return [
        TargetWeight(str(_("Aid workers")), weights.aid_worker_factor, named(weights.aid_worker_targets)),
        TargetWeight(str(_("Foreigners")), weights.foreigner_factor, named(weights.foreigner_targets)),
        TargetWeight(str(_("Staff like those of the organisations using Vigil")), weights.members_kind_factor, by_kind),
    ]


def risk_how(request: HttpRequest) -> HttpResponse:
    weights = WEIGHTS
    bounds = (0, *weights.level_bounds, 101)
    return render(
        request,
        "incidents/risk_how.html",
        {
            "weights": weights,
            # The severity scale as the incident form words it, with each level's points.
            "severities": [
                (label, explanation, weights.severity_points[level])
                for level, label, explanation in SEVERITY_SCALE
                if level in weights.severity_points
            ],
            "targets": _target_weights(weights),
            "levels": [
                (level, AdvisoryLevel(level).label, bounds[level - 1], min(bounds[level] - 1, 100))
                for level in range(1, len(bounds))
            ],
            # The weighted sum at which the index reaches 50.
            "half_scale": round(weights.scale * math.log(2), 1),
        },
    )
