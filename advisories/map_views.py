"""The data of the world map for Leaflet (static/js/map.js), as JSON.

The map is the same for everyone (no incident is on it) and changes when an advisory does:
caches may keep it for a few minutes, and ask again with the ETag to be answered 304.
"""

from typing import Any

from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import conditional_page, require_GET

from .maps import areas_geojson, world_map

MAP_DATA_MAX_AGE = 300
NO_POINTS: dict[str, Any] = {"type": "FeatureCollection", "features": []}
# No spaces after separators: a tenth less to send.
COMPACT = {"separators": (",", ":")}


@require_GET
@conditional_page
@cache_control(max_age=MAP_DATA_MAX_AGE)
def world_map_data(request: HttpRequest) -> JsonResponse:
    return JsonResponse(map_data(areas_geojson(world_map())), json_dumps_params=COMPACT)


def map_data(areas: dict[str, Any], points: dict[str, Any] | None = None) -> dict[str, Any]:
    """The answer of every map data endpoint: the places (GeoJSON, each with its level, colour,
    label and address) and the points (GeoJSON; none on the world map)."""
    return {"areas": areas, "points": points or NO_POINTS}
