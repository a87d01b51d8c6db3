"""Places from coordinates: which region of a country a point falls in.

Region boundaries are GeoJSON geometries stored on `RegionBoundary` (loaded from the files in
advisories/boundaries/ by a data migration and `manage.py load_boundaries`); Shapely does the
point-in-polygon test. A `RegionLocator` loads and prepares a country's boundaries once (about
10 ms for Mali), so an importer placing thousands of points should make one and keep it.

Known limitation: a region without a polygon of its own is never returned. Mali's Taoudénit
(ML-10) is one: the shipped outlines predate it, so its points are placed in Tombouctou (ML-6),
the region it was cut from (see advisories/boundaries/README.md).
"""

from __future__ import annotations

import math
from decimal import Decimal
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

    def _nearest_within_tolerance(self, point: Point) -> Region | None:
        # Distances in metres, in a plane where a degree of longitude is shrunk by the cosine of the
        # point's latitude: exact enough over a few kilometres, away from the poles and the antimeridian.
        shrink = math.cos(math.radians(point.y))
        local_point = Point(point.x * shrink, point.y)
        best: tuple[float, Region] | None = None
        for region, geometry, _prepared in self._regions:
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
