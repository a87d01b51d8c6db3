"""Incidents as points on the advisory maps of advisories/maps.py.

The polygons and levels are the advisories' (which know nothing of incidents); the points are
added here, from `incidents_visible_to(ANONYMOUS)` narrowed to published incidents: the maps
belong to the public advisory pages, which show everyone the same published TLP:CLEAR
incidents (as their "Recent incidents" list does), so that a page and its map data can be
cached and shared. Members find what else they may see in the incident lists.

An incident is drawn at its coordinates; one known only by its region is drawn at a point
inside the region (`PlaceMap.anchors`); one known by neither is not drawn. The most recent
MAP_POINT_LIMIT are drawn: enough to see where things happen, few enough for a phone.
"""

from __future__ import annotations

from typing import Any, Final

from django.db.models import Q
from django.utils.translation import gettext as _

from advisories.maps import MapPoint, PlaceMap
from advisories.models import Country, Region

from .access import ANONYMOUS
from .models import Incident, ReviewStatus
from .selectors import incidents_visible_to
from .templatetags.incidents import incident_date

MAP_POINT_LIMIT: Final = 500
# Coordinates in the map data: four decimals are about 10 m, finer than any incident's place.
POINT_DECIMALS: Final = 4


def map_incidents(*, country: Country, region: Region | None = None, limit: int = MAP_POINT_LIMIT) -> list[Incident]:
    """The most recent published incidents of the place that anyone may see and that have a
    place to be drawn at, newest first, with only the columns a map shows. One query."""
    incidents = (
        incidents_visible_to(ANONYMOUS)
        .select_related(None)
        .prefetch_related(None)
        .filter(status=ReviewStatus.PUBLISHED, country=country)
        .filter(Q(latitude__isnull=False) | Q(region__isnull=False))
    )
    if region is not None:
        incidents = incidents.filter(region=region)
    fields = ("id", "title", "occurred_on", "date_precision", "latitude", "longitude", "region_id")
    return list(incidents.only(*fields).order_by("-occurred_on", "-id")[:limit])


def _place(incident: Incident, place_map: PlaceMap) -> tuple[float, float] | None:
    """Longitude and latitude to draw the incident at, or None."""
    if incident.latitude is not None and incident.longitude is not None:
        return float(incident.longitude), float(incident.latitude)
    if incident.region_id is not None:
        return place_map.anchors.get(incident.region_id)
    return None


def _label(incident: Incident) -> str:
    label = f"{incident.title} ({incident_date(incident)})"
    if incident.latitude is None:
        return f"{label}. {_('Drawn inside its region: the exact place is not known.')}"
    return label


def incident_points(place_map: PlaceMap, incidents: list[Incident]) -> list[MapPoint]:
    """The incidents as dots of the map's SVG, oldest first so that the newest are drawn on top."""
    points = []
    for incident in reversed(incidents):
        place = _place(incident, place_map)
        if place is None:
            continue
        x, y = place_map.project(*place)
        points.append(MapPoint(x=x, y=y, title=_label(incident), url=incident.get_absolute_url()))
    return points


def incident_features(place_map: PlaceMap, incidents: list[Incident]) -> dict[str, Any]:
    """The incidents as a GeoJSON FeatureCollection of Points, for the Leaflet map."""
    features = []
    for incident in incidents:
        place = _place(incident, place_map)
        if place is None:
            continue
        longitude, latitude = place
        features.append(
            {
                "type": "Feature",
                "geometry": {
                    "type": "Point",
                    "coordinates": [round(longitude, POINT_DECIMALS), round(latitude, POINT_DECIMALS)],
                },
                "properties": {
                    "title": incident.title,
                    "date": incident_date(incident),
                    "url": incident.get_absolute_url(),
                    "approximate": incident.latitude is None,
                },
            }
        )
    return {"type": "FeatureCollection", "features": features}
