"""Template tags of the advisory maps (advisories/maps.py).

- `{% map_assets %}`, in a page's `{% block extra_head %}`: the stylesheets and deferred scripts
  that turn the maps' inline SVG into Leaflet maps.
- `{% world_map %}`: the countries of the world by their country-wide level.

The maps of a country and of a region show incidents as well, so their tags are the incidents
app's (`{% load incident_maps %}`, incidents/templatetags/incident_maps.py); both render
templates/advisories/_map.html with the context `map_context` builds.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse
from django.utils.translation import gettext as _

from ..maps import MapPoint, PlaceMap, legend
from ..maps import world_map as build_world_map

register = template.Library()


def map_context(
    place_map: PlaceMap, *, label: str, caption: str, data_url: str, points: list[MapPoint] | None = None
) -> dict[str, Any]:
    """What templates/advisories/_map.html needs: the map, its accessible name (`label`), the
    caption under it, the address of its data for Leaflet, its points and the legend."""
    return {
        "place_map": place_map,
        "label": label,
        "caption": caption,
        "data_url": data_url,
        "points": points or [],
        "legend": legend(area.level if area.focus else None for area in place_map.areas),
    }


@register.inclusion_tag("advisories/_map_assets.html")
def map_assets() -> dict[str, Any]:
    return {}


@register.inclusion_tag("advisories/_map.html")
def world_map() -> dict[str, Any]:
    return map_context(
        build_world_map(),
        label=_("World map of travel advisory levels"),
        caption=_(
            "Countries with a published advisory are coloured by its level; select a country to read its advisory."
        ),
        data_url=reverse("advisories:world-map-data"),
    )
