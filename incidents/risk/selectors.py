"""The risk index as a signed-in member sees it: counting, beside the public incidents, those
shared with them. Shown to that member only (pages for signed-in users are never cached)."""

from __future__ import annotations

import datetime as dt
import hashlib

from django.core.cache import cache
from django.utils import timezone

from advisories.models import Country
from advisories.page_cache import page_version

from ..access import Viewer
from .compute import PlaceRisk, country_risk

# How long a member's computation is kept; any change to the country's incidents makes a new one.
MEMBER_RISK_SECONDS = 300


def _viewer_key(viewer: Viewer) -> str:
    parts = (
        viewer.user_id,
        viewer.is_analyst,
        viewer.is_operator,
        sorted(viewer.organisation_ids),
        sorted(viewer.officer_organisation_ids),
        sorted(viewer.partner_organisation_ids),
    )
    return hashlib.blake2s(repr(parts).encode(), digest_size=12).hexdigest()


def member_country_risk(viewer: Viewer, country: Country, *, now: dt.datetime | None = None) -> list[PlaceRisk] | None:
    """The risk of the country and its regions counting what `viewer` may see; None for a viewer
    who may see no more than the public (the public index says it all)."""
    if not (viewer.is_member or viewer.is_analyst):
        return None
    version, _page = page_version(country.code)
    key = f"vigil:member-risk:{country.code}:{version.token if version else '-'}:{_viewer_key(viewer)}"
    kept: list[PlaceRisk] | None = cache.get(key)
    if kept is None:
        kept = country_risk(country, now=now or timezone.now(), viewer=viewer)
        cache.set(key, kept, timeout=MEMBER_RISK_SECONDS)
    return kept
