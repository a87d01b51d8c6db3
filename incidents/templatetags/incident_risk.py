"""The risk index counting what a signed-in member may see, beside the public one."""

from __future__ import annotations

from typing import Any

from django import template

from advisories.models import Country, Region

from ..access import viewer_for
from ..risk.selectors import member_country_risk

register = template.Library()


@register.inclusion_tag("incidents/_member_risk.html", takes_context=True)
def member_risk(context: template.Context, place: Country | Region, public: Any) -> dict[str, Any]:
    """`public`: the page's RiskExplanation of the public index. Nothing is said when the member
    may see no more incidents than the public: their index, computed now, would differ from the
    stored public one only by the days since it was computed."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"risk": None}
    country = place.country if isinstance(place, Region) else place
    places = member_country_risk(viewer_for(user), country)
    if places is None:
        return {"risk": None}
    region_id = place.pk if isinstance(place, Region) else None
    risk = next((row for row in places if row.region_id == region_id), None)
    if risk is None:
        return {"risk": None}
    counted = int(risk.breakdown.get("incidents") or 0)
    shared = max(counted - int(public.incidents), 0)
    if not shared:
        return {"risk": None}
    return {
        "risk": risk,
        "counted": counted,
        "shared": shared,
        "days": risk.breakdown["window_days"],
    }
