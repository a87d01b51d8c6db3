"""Maps of advisory levels: places drawn as polygons in the colour of their level.

Every map is drawn twice from the same outlines: as an inline SVG in the page, which is the whole
map without JavaScript, and as GeoJSON for the Leaflet map that static/js/map.js puts in its
place. There is no tile server: the polygons are the map.

- A country's map draws its regions (RegionBoundary), each in the colour of the advisory that
  applies to it (its own, else the country's); a country with no region outlines is drawn as
  its Natural Earth outline (advisories/boundaries/world_countries_ne_110m.geojson).
- A region's map draws the region in its level's colour among its neighbours, greyed.
- Regions are coloured by the level analysts PUBLISHED; the risk index computed from the
  published incidents (RiskAssessment) and the level it suggests are told beside it, in the
  region's title and in its GeoJSON properties, never in its colour.
- The world map draws Natural Earth's countries in the colour of their country-wide level.

The projection is equirectangular, x shrunk by the cosine of the frame's mean latitude: places
keep their shape well enough at a country's scale. Outlines are simplified with Shapely to about
half a pixel of the SVG (and about 500 m for GeoJSON) and kept in this process,
keyed on the boundaries' `updated_at`, so a page costs one cheap query for the outlines (two
after a boundary changed) and none of the geometry work.

Incidents are not known here (advisories never imports incidents): a map takes its points as
`MapPoint`s from the caller; `PlaceMap.project` and `PlaceMap.anchors` let the caller place them.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache
from typing import Any, Final, cast

import numpy as np
import shapely
from django.db.models import OuterRef, Subquery
from django.urls import reverse
from django.utils.translation import gettext as _
from shapely.geometry import MultiPolygon, Polygon, mapping, shape
from shapely.geometry.base import BaseGeometry
from shapely.validation import make_valid

from .geo import WORLD_OUTLINES
from .models import AdvisoryLevel, Country, Region, RegionBoundary, RiskAssessment

# The colours of static/css/vigil.css (--level-1 .. --level-4); grey where no level is published.
LEVEL_COLOURS: Final = {1: "#1f4e79", 2: "#f2c230", 3: "#e07400", 4: "#a3150f"}
NO_LEVEL_COLOUR: Final = "#c4c9cf"
# The width of every SVG map, in its own units; the page scales it to the screen.
SVG_WIDTH: Final = 600
WORLD_SVG_WIDTH: Final = 960
# Blank space around the drawn places, in SVG units.
SVG_MARGIN: Final = 6
# Simplification, in SVG units: half a pixel of a map drawn at its own width.
SVG_TOLERANCE: Final = 0.5
# GeoJSON for Leaflet, which lets the reader zoom in a few steps: about 500 m (country) or 25 km
# (world, already coarse at 1:110m), coordinates to about 100 m and 10 km.
GEOJSON_TOLERANCE_DEGREES: Final = 0.005
GEOJSON_DECIMALS: Final = 3
WORLD_GEOJSON_TOLERANCE_DEGREES: Final = 0.25
WORLD_GEOJSON_DECIMALS: Final = 1
# A region map shows this much of the surroundings on each side, as a share of the region's size.
REGION_SURROUNDINGS: Final = 0.15
# Antarctica is left off the world map: no advisory covers it and it would take a third of the height.
WORLD_LEFT_OUT: Final = frozenset({"AQ"})


def level_colour(level: int | None) -> str:
    return LEVEL_COLOURS.get(level or 0, NO_LEVEL_COLOUR)


def level_label(level: int | None) -> str:
    if not level:
        return _("No advisory level published")
    return _("Level %(number)s: %(label)s") % {"number": level, "label": AdvisoryLevel(level).label}


def risk_label(index: int | None, suggested_level: int | None) -> str:
    """The risk index in words, with the level it suggests; empty when none is computed."""
    if index is None:
        return ""
    if suggested_level is None:
        return _("Risk index %(index)s of 100") % {"index": index}
    return _("Risk index %(index)s of 100, suggesting level %(level)s") % {"index": index, "level": suggested_level}


@dataclass(frozen=True)
class LegendEntry:
    level: int | None
    colour: str
    label: str


def legend(drawn: Iterable[int | None] = (1, 2, 3, 4, None)) -> list[LegendEntry]:
    """The levels drawn on a map, lowest first, then the grey of a place without one if any is."""
    shown = set(drawn)
    entries = [
        LegendEntry(level=level, colour=level_colour(level), label=level_label(level))
        for level in (1, 2, 3, 4)
        if level in shown
    ]
    if None in shown:
        entries.append(LegendEntry(level=None, colour=NO_LEVEL_COLOUR, label=level_label(None)))
    return entries


# Projection ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Frame:
    """Longitude and latitude to SVG units: equirectangular, x shrunk by the cosine of the mean
    latitude, fitted into `width` with SVG_MARGIN around."""

    west: float
    south: float
    east: float
    north: float
    width: int

    @property
    def shrink(self) -> float:
        return math.cos(math.radians((self.south + self.north) / 2))

    @property
    def scale(self) -> float:
        span = max((self.east - self.west) * self.shrink, 1e-9)
        return (self.width - 2 * SVG_MARGIN) / span

    @property
    def height(self) -> int:
        return math.ceil((self.north - self.south) * self.scale + 2 * SVG_MARGIN)

    def xy(self, longitude: float, latitude: float) -> tuple[float, float]:
        x = SVG_MARGIN + (longitude - self.west) * self.shrink * self.scale
        y = SVG_MARGIN + (self.north - latitude) * self.scale
        return round(x, 1), round(y, 1)

    def project(self, geometry: BaseGeometry) -> BaseGeometry:
        factors = np.array([self.shrink * self.scale, -self.scale])
        offset = np.array([SVG_MARGIN - self.west * self.shrink * self.scale, SVG_MARGIN + self.north * self.scale])
        return shapely.transform(geometry, lambda coords: coords * factors + offset)


def _frame_around(bounds: tuple[float, float, float, float], *, width: int, surroundings: float = 0.0) -> Frame:
    west, south, east, north = bounds
    pad_x, pad_y = (east - west) * surroundings, (north - south) * surroundings
    return Frame(west=west - pad_x, south=south - pad_y, east=east + pad_x, north=north + pad_y, width=width)


def _number(tenths: int) -> str:
    """A coordinate in tenths of a unit, as short as SVG allows: 12, 1.5, -.5, .5."""
    text = f"{tenths / 10:g}"
    if text.startswith("0."):
        return text[1:]
    if text.startswith("-0."):
        return "-" + text[2:]
    return text


def _join(numbers: Iterable[int]) -> str:
    # SVG needs no separator before a minus sign.
    out: list[str] = []
    for tenths in numbers:
        text = _number(tenths)
        if out and not text.startswith("-"):
            out.append(" ")
        out.append(text)
    return "".join(out)


def _ring_path(coords: Sequence[tuple[float, float]]) -> str:
    """One closed ring in relative moves, coordinates rounded to a tenth of a unit."""
    points = [(round(x * 10), round(y * 10)) for x, y in coords]
    if len(points) > 1 and points[0] == points[-1]:
        points.pop()
    steps: list[int] = []
    previous = points[0]
    for point in points[1:]:
        if point == previous:
            continue
        steps += [point[0] - previous[0], point[1] - previous[1]]
        previous = point
    if len(steps) < 4:  # fewer than three corners: nothing to see at this scale
        return ""
    return f"M{_join(points[0])}l{_join(steps)}z"


def svg_path(geometry: BaseGeometry) -> str:
    """The `d` of an SVG path for a (projected) polygon or multipolygon; holes are drawn by the
    even-odd rule (fill-rule="evenodd" on the path)."""
    polygons = _polygons(geometry)
    parts = []
    for polygon in polygons:
        for ring in (polygon.exterior, *polygon.interiors):
            parts.append(_ring_path(cast(Sequence[tuple[float, float]], ring.coords)))
    return "".join(parts)


def _polygons(geometry: BaseGeometry) -> list[Polygon]:
    if isinstance(geometry, Polygon):
        return [geometry]
    if isinstance(geometry, MultiPolygon):
        return list(geometry.geoms)
    if hasattr(geometry, "geoms"):  # a collection left by make_valid: keep its polygons
        return [polygon for part in geometry.geoms for polygon in _polygons(part)]
    return []


def _simplified_for_svg(geometry: BaseGeometry, frame: Frame) -> str:
    projected = frame.project(geometry).simplify(SVG_TOLERANCE, preserve_topology=True)
    return svg_path(projected)


def _rounded_geojson(geometry: BaseGeometry, *, tolerance: float, decimals: int) -> dict[str, Any]:
    simplified = geometry.simplify(tolerance, preserve_topology=True)
    rounded = shapely.transform(simplified, lambda coords: np.round(coords, decimals))
    return mapping(rounded)


def _valid(geometry: dict[str, Any]) -> BaseGeometry:
    parsed = shape(geometry)
    return parsed if parsed.is_valid else make_valid(parsed)


# What a map is made of ------------------------------------------------------------------------


@dataclass(frozen=True)
class MapArea:
    """A place drawn on a map: a region or a country."""

    code: str
    name: str
    url: str
    level: int | None
    path: str
    # False for the neighbours around a region, drawn grey for orientation.
    focus: bool = True
    region_id: int | None = None
    # The region's current risk index (0..100) and the level it suggests; None until computed.
    risk_index: int | None = None
    suggested_level: int | None = None

    @property
    def colour(self) -> str:
        # The published level, never the suggestion: analysts decide what a place's colour says.
        return level_colour(self.level) if self.focus else NO_LEVEL_COLOUR

    @property
    def risk_label(self) -> str:
        return risk_label(self.risk_index, self.suggested_level) if self.focus else ""

    @property
    def title(self) -> str:
        if not self.focus:
            return self.name
        if self.risk_label:
            return f"{self.name} ({level_label(self.level)}; {self.risk_label})"
        return f"{self.name} ({level_label(self.level)})"


@dataclass(frozen=True)
class MapPoint:
    """Something that happened at a place, drawn as a dot linking to its page."""

    x: float
    y: float
    title: str
    url: str


@dataclass(frozen=True)
class PlaceMap:
    """A map's places in SVG units, ready for templates/advisories/_map.html."""

    key: str
    frame: Frame
    areas: list[MapArea]
    # The places that have no outline and are not drawn (Taoudénit: advisories/boundaries/README.md).
    unmapped: list[str] = field(default_factory=list)
    # A point inside each region drawn (region id -> longitude, latitude), for things known only
    # by their region.
    anchors: dict[int, tuple[float, float]] = field(default_factory=dict)
    attribution: str = ""
    # Where the outlines come from, for their GeoJSON: a country id and its boundary stamps, or
    # None for Natural Earth's outlines.
    outlines_key: tuple[int, tuple[tuple[int, dt.datetime], ...]] | None = None

    @property
    def width(self) -> int:
        return self.frame.width

    @property
    def shows_risk(self) -> bool:
        """Whether a place drawn in focus has a risk index, which the legend then explains."""
        return any(area.risk_index is not None for area in self.areas if area.focus)

    @property
    def height(self) -> int:
        return self.frame.height

    def project(self, longitude: float, latitude: float) -> tuple[float, float]:
        return self.frame.xy(longitude, latitude)


@dataclass(frozen=True)
class _Outlines:
    """A country's region outlines, valid, in longitude and latitude."""

    geometries: dict[int, BaseGeometry]
    anchors: dict[int, tuple[float, float]]
    bounds: tuple[float, float, float, float] | None


def _boundary_stamps(country: Country) -> tuple[tuple[int, dt.datetime], ...]:
    """When each of the country's boundaries last changed: the key of everything cached. One query."""
    rows = RegionBoundary.objects.filter(region__country=country).order_by("region_id")
    return tuple(rows.values_list("region_id", "updated_at"))


@lru_cache(maxsize=64)
def _outlines(country_id: int, stamps: tuple[tuple[int, dt.datetime], ...]) -> _Outlines:
    """The country's outlines as of `stamps`: one query, when they are not in memory yet."""
    if not stamps:
        return _Outlines(geometries={}, anchors={}, bounds=None)
    rows = RegionBoundary.objects.filter(region__country_id=country_id).values_list("region_id", "geometry")
    geometries = {region_id: _valid(cast(dict[str, Any], geometry)) for region_id, geometry in rows}
    anchors = {}
    for region_id, geometry in geometries.items():
        point = geometry.representative_point()
        anchors[region_id] = (round(point.x, 4), round(point.y, 4))
    bounds = cast(tuple[float, float, float, float], tuple(shapely.union_all(list(geometries.values())).bounds))
    return _Outlines(geometries=geometries, anchors=anchors, bounds=bounds)


@lru_cache(maxsize=256)
def _svg_paths(country_id: int, stamps: tuple[tuple[int, dt.datetime], ...], frame: Frame) -> dict[int, str]:
    """Each region's SVG path in `frame`, simplified for it."""
    outlines = _outlines(country_id, stamps)
    return {region_id: _simplified_for_svg(geometry, frame) for region_id, geometry in outlines.geometries.items()}


@lru_cache(maxsize=64)
def _geojson_geometries(country_id: int, stamps: tuple[tuple[int, dt.datetime], ...]) -> dict[int, dict[str, Any]]:
    outlines = _outlines(country_id, stamps)
    return {
        region_id: _rounded_geojson(geometry, tolerance=GEOJSON_TOLERANCE_DEGREES, decimals=GEOJSON_DECIMALS)
        for region_id, geometry in outlines.geometries.items()
    }


def _region_rows(country: Country) -> list[dict[str, Any]]:
    """The country's regions with the level that applies to each, and their current risk index
    and suggested level. One query."""
    risk = RiskAssessment.objects.current().filter(region=OuterRef("pk"))
    regions = (
        Region.objects.filter(country=country)
        .with_current_level()
        .annotate(
            risk_index=Subquery(risk.values("index")[:1]),
            risk_suggested_level=Subquery(risk.values("suggested_level")[:1]),
        )
        .only("id", "code", "name")
    )
    return [
        {
            "id": region.pk,
            "code": region.code,
            "name": region.name,
            "current_level": cast(Any, region).current_level,
            "risk_index": cast(Any, region).risk_index,
            "suggested_level": cast(Any, region).risk_suggested_level,
        }
        for region in regions.order_by("name")
    ]


def _country_level(country: Country) -> int | None:
    annotated = Country.objects.with_current_level().filter(pk=country.pk).only("id").first()
    return cast(Any, annotated).current_level if annotated is not None else None


BOUNDARIES_ATTRIBUTION: Final = "geoBoundaries (CC BY 4.0)"


def country_map(country: Country) -> PlaceMap | None:
    """The country's regions by level; its Natural Earth outline when it has no region outlines;
    None when it has neither. Two queries (three after a boundary changed)."""
    stamps = _boundary_stamps(country)
    outlines = _outlines(country.pk, stamps)
    if outlines.bounds is None:
        return _country_outline_map(country)
    frame = _frame_around(outlines.bounds, width=SVG_WIDTH)
    paths = _svg_paths(country.pk, stamps, frame)
    areas, unmapped = [], []
    for row in _region_rows(country):
        if row["id"] not in paths:
            unmapped.append(row["name"])
            continue
        areas.append(_region_area(row, paths[row["id"]]))
    return PlaceMap(
        key=country.code.lower(),
        frame=frame,
        areas=areas,
        unmapped=unmapped,
        anchors=outlines.anchors,
        attribution=BOUNDARIES_ATTRIBUTION,
        outlines_key=(country.pk, stamps),
    )


def region_map(region: Region) -> PlaceMap | None:
    """The region in its level's colour, among its country's other regions in grey; None when the
    region has no outline. Two queries (three after a boundary changed)."""
    country = region.country
    stamps = _boundary_stamps(country)
    outlines = _outlines(country.pk, stamps)
    geometry = outlines.geometries.get(region.pk)
    if geometry is None:
        return None
    frame = _frame_around(geometry.bounds, width=SVG_WIDTH, surroundings=REGION_SURROUNDINGS)
    paths = _svg_paths(country.pk, stamps, frame)
    neighbours: list[MapArea] = []
    focus: list[MapArea] = []
    for row in _region_rows(country):
        if row["id"] not in paths:
            continue
        area = _region_area(row, paths[row["id"]], focus=row["id"] == region.pk)
        (focus if area.focus else neighbours).append(area)
    return PlaceMap(
        key=region.code.lower(),
        frame=frame,
        # The region last, so that its outline is drawn over its neighbours'.
        areas=neighbours + focus,
        anchors={region.pk: outlines.anchors[region.pk]},
        attribution=BOUNDARIES_ATTRIBUTION,
        outlines_key=(country.pk, stamps),
    )


def _region_area(row: dict[str, Any], path: str, *, focus: bool = True) -> MapArea:
    code = row["code"]
    url = reverse("advisories:region", kwargs={"country_code": code.split("-")[0].lower(), "region_code": code.lower()})
    return MapArea(
        code=code,
        name=row["name"],
        url=url,
        level=row["current_level"],
        path=path,
        focus=focus,
        region_id=row["id"],
        risk_index=row["risk_index"],
        suggested_level=row["suggested_level"],
    )


def _country_outline_map(country: Country) -> PlaceMap | None:
    geometry = _world_geometries().get(country.code)
    if geometry is None:
        return None
    frame = _frame_around(geometry.bounds, width=SVG_WIDTH)
    area = MapArea(
        code=country.code,
        name=country.name,
        url=country.get_absolute_url(),
        level=_country_level(country),
        path=_world_country_path(country.code, frame),
    )
    return PlaceMap(key=country.code.lower(), frame=frame, areas=[area])


# The world ------------------------------------------------------------------------------------


@cache
def _world_geometries() -> dict[str, BaseGeometry]:
    with WORLD_OUTLINES.open(encoding="utf-8") as file:
        features = json.load(file)["features"]
    geometries = {}
    for feature in features:
        code = feature["properties"]["iso_a2"]
        if code not in WORLD_LEFT_OUT:
            geometries[code] = _valid(feature["geometry"])
    return geometries


@cache
def _world_frame() -> Frame:
    bounds = shapely.union_all(list(_world_geometries().values())).bounds
    west, south, east, north = bounds
    # Not shrunk: the whole world keeps the familiar proportions of the plate carrée.
    return Frame(west=west, south=south, east=east, north=north, width=WORLD_SVG_WIDTH)


@lru_cache(maxsize=256)
def _world_country_path(code: str, frame: Frame) -> str:
    return _simplified_for_svg(_world_geometries()[code], frame)


@cache
def _world_paths() -> dict[str, str]:
    frame = _world_frame()
    return {code: _simplified_for_svg(geometry, frame) for code, geometry in _world_geometries().items()}


@cache
def _world_geojson_geometries() -> dict[str, dict[str, Any]]:
    return {
        code: _rounded_geojson(geometry, tolerance=WORLD_GEOJSON_TOLERANCE_DEGREES, decimals=WORLD_GEOJSON_DECIMALS)
        for code, geometry in _world_geometries().items()
    }


def _world_rows() -> dict[str, tuple[str, int | None]]:
    """Every country of ours by code: its name and current country-wide level. One query."""
    rows = Country.objects.with_current_level().only("code", "name")
    return {row.code: (row.name, cast(Any, row).current_level) for row in rows}


def world_map() -> PlaceMap:
    """Natural Earth's countries, those with a published advisory in their level's colour, each
    linking to its page. One query."""
    rows = _world_rows()
    areas = []
    for code, path in _world_paths().items():
        name, level = rows.get(code, (code, None))
        url = reverse("advisories:country", kwargs={"country_code": code.lower()}) if code in rows else ""
        areas.append(MapArea(code=code, name=name, url=url, level=level, path=path))
    areas.sort(key=lambda area: area.name)
    return PlaceMap(key="world", frame=_world_frame(), areas=areas)


# GeoJSON for Leaflet -------------------------------------------------------------------------


def _feature(area: MapArea, geometry: dict[str, Any]) -> dict[str, Any]:
    properties: dict[str, Any] = {
        "code": area.code,
        "name": area.name,
        "url": area.url,
        "level": area.level if area.focus else None,
        "label": area.title,
        "level_label": level_label(area.level) if area.focus else "",
        "colour": area.colour,
        "focus": area.focus,
    }
    if area.region_id is not None:
        # Regions only: the world map's countries would carry three nulls each for nothing.
        properties["risk_index"] = area.risk_index if area.focus else None
        properties["suggested_level"] = area.suggested_level if area.focus else None
        properties["risk_label"] = area.risk_label
    return {"type": "Feature", "geometry": geometry, "properties": properties}


def areas_geojson(place_map: PlaceMap) -> dict[str, Any]:
    """The map's places as a GeoJSON FeatureCollection, simplified to about 500 m (country and
    region maps) or 25 km (world), with each place's level, colour, label and address."""
    features = []
    if place_map.outlines_key is not None:
        regions = _geojson_geometries(*place_map.outlines_key)
        features = [_feature(area, regions[area.region_id]) for area in place_map.areas if area.region_id in regions]
    elif place_map.key == "world":
        world = _world_geojson_geometries()
        features = [_feature(area, world[area.code]) for area in place_map.areas]
    else:  # a country drawn as its Natural Earth outline
        features = [_feature(area, _world_country_geojson(area.code)) for area in place_map.areas]
    return {"type": "FeatureCollection", "features": features}


@lru_cache(maxsize=256)
def _world_country_geojson(code: str) -> dict[str, Any]:
    return _rounded_geojson(_world_geometries()[code], tolerance=GEOJSON_TOLERANCE_DEGREES, decimals=GEOJSON_DECIMALS)
