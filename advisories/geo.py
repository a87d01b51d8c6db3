"""Places from coordinates: which region of a country a point falls in.

Region boundaries are GeoJSON geometries stored on `RegionBoundary` (loaded from the files in
advisories/boundaries/ by a data migration and `manage.py load_boundaries`); Shapely does the
point-in-polygon test. A `RegionLocator` loads and prepares a country's boundaries once (about
10 ms for Mali), so an importer placing thousands of points should make one and keep it.

Where a country has no region boundaries, `country_outline` gives its outline from Natural
Earth's 1:110m countries (advisories/boundaries/world_countries_ne_110m.geojson, public domain):
coarse, so widened by `OUTLINE_TOLERANCE_METRES`, with the outline's box as a last resort. It
tells a likely point from an unlikely one (an importer choosing where a decimal point goes), not
which side of a border a town is on.

Known limitation: a region without a polygon of its own is never returned. Mali's Taoudénit
(ML-10) is one: the shipped outlines predate it, so its points are placed in Tombouctou (ML-6),
the region it was cut from (see advisories/boundaries/README.md).
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any, Final, cast

import numpy as np
import shapely
from shapely import prepared
from shapely.geometry import Point, shape
from shapely.geometry.base import BaseGeometry
from shapely.validation import make_valid

from .models import Country, Region, RegionBoundary

# Simplified outlines cut corners off real borders, rivers and coasts: a point this close to a
# region is taken to be in it. Mali's simplified outlines differ from each other by about 100 m,
# and the farthest outside that ACLED places a Malian town (Kouremalé, on the Guinean border) is
# about 850 m. 2 km takes such towns in while keeping the band where a town across the border
# could be taken for a Malian one narrow.
BORDER_TOLERANCE_METRES: Final = 2_000
# A degree of latitude, on a sphere of the Earth's mean radius.
METRES_PER_DEGREE: Final = 6_371_008.8 * math.pi / 180
WORLD_OUTLINES: Final = Path(__file__).resolve().parent / "boundaries" / "world_countries_ne_110m.geojson"
# The 1:110m outlines leave out small islands and cut coasts and borders by up to a few tens of
# kilometres (Bahrain, Singapore and most island states are missing altogether).
OUTLINE_TOLERANCE_METRES: Final = 50_000


class PointOutsideCountry(ValueError):
    """The coordinates fall in none of the country's mapped regions."""


class RegionLocator:
    def __init__(self, country: Country) -> None:
        self.country = country
        self._regions: list[tuple[Region, BaseGeometry, prepared.PreparedGeometry]] = []
        boundaries = RegionBoundary.objects.filter(region__country=country).select_related("region")
        for boundary in boundaries.order_by("region__code"):
            region = boundary.region
            geometry = shape(cast(dict[str, Any], boundary.geometry))
            if not geometry.is_valid:
                geometry = make_valid(geometry)
            self._regions.append((region, geometry, prepared.prep(geometry)))

    @property
    def has_boundaries(self) -> bool:
        return bool(self._regions)

    def region_at(self, *, latitude: Decimal | float, longitude: Decimal | float) -> Region | None:
        """The region whose boundary contains the point.

        None when the country has no mapped boundaries (nothing can be said); raises
        PointOutsideCountry when it has some but the point is in none of them.
        """
        if not self._regions:
            return None
        point = Point(float(longitude), float(latitude))
        for region, _geometry, prepared_geometry in self._regions:
            if prepared_geometry.covers(point):
                return region
        nearest = self._nearest_within_tolerance(point)
        if nearest is not None:
            return nearest
        raise PointOutsideCountry(f"The point ({latitude}, {longitude}) is not in {self.country.name}.")

    def is_near(self, region: Region, *, latitude: Decimal | float, longitude: Decimal | float) -> bool | None:
        """Whether the point is in `region` or within the tolerance of its boundary; None when the
        region has no mapped boundary (nothing can be said)."""
        point = Point(float(longitude), float(latitude))
        for candidate, _geometry, prepared_geometry in self._regions:
            if candidate.pk == region.pk:
                return prepared_geometry.covers(point) or self._nearest_within_tolerance(point, only=region) is not None
        return None

    def _nearest_within_tolerance(self, point: Point, only: Region | None = None) -> Region | None:
        # Distances in metres, in a plane where a degree of longitude is shrunk by the cosine of the
        # point's latitude: exact enough over a few kilometres, away from the poles and the antimeridian.
        shrink = math.cos(math.radians(point.y))
        local_point = Point(point.x * shrink, point.y)
        best: tuple[float, Region] | None = None
        for region, geometry, _prepared in self._regions:
            if only is not None and region.pk != only.pk:
                continue
            # Shrinking x by `shrink` shortens no distance by more than that factor: a cheap lower bound.
            if geometry.distance(point) * shrink * METRES_PER_DEGREE > BORDER_TOLERANCE_METRES:
                continue
            local = shapely.transform(geometry, lambda coords: coords * np.array([shrink, 1.0]))
            metres = local.distance(local_point) * METRES_PER_DEGREE
            if metres <= BORDER_TOLERANCE_METRES and (best is None or metres < best[0]):
                best = (metres, region)
        return best[1] if best else None


def region_at(*, country: Country, latitude: Decimal | float, longitude: Decimal | float) -> Region | None:
    return RegionLocator(country).region_at(latitude=latitude, longitude=longitude)


@dataclass(frozen=True)
class CountryOutline:
    """A country's coarse outline, widened by OUTLINE_TOLERANCE_METRES, and the box around it."""

    code: str
    widened: prepared.PreparedGeometry
    box: tuple[float, float, float, float]  # west, south, east, north, widened too

    def near(self, *, latitude: Decimal | float, longitude: Decimal | float) -> bool:
        """The point is within the tolerance of the outline."""
        return bool(self.widened.covers(Point(float(longitude), float(latitude))))

    def in_box(self, *, latitude: Decimal | float, longitude: Decimal | float) -> bool:
        """The point is in the widened outline's box; never for a country whose box spans half the
        globe or more (Russia, Fiji and the United States cross the antimeridian): it says nothing."""
        west, south, east, north = self.box
        if east - west >= 180:
            return False
        return west <= float(longitude) <= east and south <= float(latitude) <= north


@cache
def _world_outlines() -> dict[str, BaseGeometry]:
    with WORLD_OUTLINES.open(encoding="utf-8") as file:
        features = json.load(file)["features"]
    return {feature["properties"]["iso_a2"]: shape(feature["geometry"]) for feature in features}


@cache
def country_outline(code: str) -> CountryOutline | None:
    """The outline of the country with this ISO alpha-2 code; None for a country the file lacks."""
    geometry = _world_outlines().get(code.upper())
    if geometry is None:
        return None
    # Degrees of latitude; a degree of longitude is shorter away from the equator, so the band is
    # narrower east-west there: the box below is the fallback.
    margin = OUTLINE_TOLERANCE_METRES / METRES_PER_DEGREE
    widened = geometry.buffer(margin)
    west, south, east, north = widened.bounds
    return CountryOutline(code=code.upper(), widened=prepared.prep(widened), box=(west, south, east, north))


@cache
def _prepared_outlines() -> dict[str, prepared.PreparedGeometry]:
    return {code: prepared.prep(geometry) for code, geometry in _world_outlines().items()}


def countries_at(*, latitude: Decimal | float, longitude: Decimal | float) -> list[str]:
    """The ISO alpha-2 codes of the countries whose coarse outline (not widened) holds the point."""
    point = Point(float(longitude), float(latitude))
    return sorted(code for code, outline in _prepared_outlines().items() if outline.covers(point))
