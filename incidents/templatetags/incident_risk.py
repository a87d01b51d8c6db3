"""The risk index counting what a signed-in member may see, beside the public one."""

from __future__ import annotations

from typing import Any

from django import template

from advisories.models import Country, Region
from advisories.selectors import public_risk_incidents

from ..access import viewer_for
from ..risk.selectors import member_country_risk

register = template.Library()


@register.inclusion_tag("incidents/_member_risk.html", takes_context=True)
def member_risk(context: template.Context, place: Country | Region) -> dict[str, Any]:
    """The place's risk index counting what a signed-in member may see, beside the public one.
    Nothing is said when the member may see no more incidents than the public index counts (their
    index, computed now, would differ from the stored public one only by the days since it was
    computed), nor before the public index is first computed."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"risk": None}
    country = place.country if isinstance(place, Region) else place
    places = member_country_risk(viewer_for(user), country)
    if places is None:
        return {"risk": None}
    region = place if isinstance(place, Region) else None
    risk = next((row for row in places if row.region_id == (region.pk if region else None)), None)
    if risk is None:
        return {"risk": None}
    public = public_risk_incidents(country, region)
    if public is None:
        return {"risk": None}
    counted = int(risk.breakdown.get("incidents") or 0)
    shared = max(counted - public, 0)
    if not shared:
        return {"risk": None}
    return {
        "risk": risk,
        "counted": counted,
        "shared": shared,
        "days": risk.breakdown["window_days"],
    }
