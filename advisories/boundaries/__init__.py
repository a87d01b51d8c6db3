"""Region boundaries shipped with Vigil, and their loading into `RegionBoundary`.

The GeoJSON files beside this module are geoBoundaries' simplified outlines (CC BY 4.0, see
README.md here). `boundaries_load` turns them into one GeoJSON geometry per region and stores it;
the data migration 0006_region_boundaries and `manage.py load_boundaries` both call it, and a
second run changes nothing.

Mali's first-level file predates the 2016 reform: it has 9 polygons, while ISO 3166-2 has 11
regions. What we do about the two new ones:

- Ménaka (ML-9) is the former cercle of Ménaka, which the second-level file has: that polygon is
  cut out of Gao's (ML-7) and becomes Ménaka's.
- Taoudénit (ML-10) was made from the northern parts of the Tombouctou and Goundam cercles and
  matches no unit of either file, so it has no polygon of its own: a point there is placed in
  Tombouctou (ML-6). This is a known limitation, stated in README.md.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, Final

import numpy as np
import shapely
from django.db import transaction
from shapely.geometry import MultiPolygon, Polygon, mapping, shape
from shapely.geometry.base import BaseGeometry
from shapely.validation import make_valid

from ..models import Country, Region, RegionBoundary
from ..regions import NameIndex

BOUNDARIES_DIR: Final = Path(__file__).resolve().parent
ATTRIBUTION: Final = "geoBoundaries (CC BY 4.0)"

# Six decimals of a degree are about 0.1 m: far finer than the simplified outlines, and a third
# shorter in JSON than the files' full doubles.
COORDINATE_DECIMALS: Final = 6

# Cutting a second-level polygon out of a first-level one leaves slivers where the two files'
# simplified edges differ by a few metres. A piece this small, relative to the whole region, is a
# sliver and goes to the carved region instead.
SLIVER_FRACTION: Final = 1e-4


class BoundaryDataError(ValueError):
    """A shipped file does not say what its description here expects."""


@dataclass(frozen=True)
class Carve:
    """A region missing from the first-level file, made of a second-level unit cut from its parent."""

    region: str  # ISO 3166-2 code of the region that gets the polygon
    feature_name: str  # shapeName of the unit in the second-level file
    out_of: str  # ISO 3166-2 code of the region whose polygon contains it


@dataclass(frozen=True)
class CountryBoundaries:
    country: str  # ISO 3166-1 alpha-2
    adm1_file: str
    adm2_file: str = ""
    carves: tuple[Carve, ...] = ()
    # Regions of the country knowingly left without a polygon, each with the region its points land in.
    without_polygon: tuple[tuple[str, str], ...] = ()


SHIPPED: Final = (
    CountryBoundaries(
        country="ML",
        adm1_file="mali_adm1_geoboundaries_simplified.geojson",
        adm2_file="mali_adm2_geoboundaries_simplified.geojson",
        carves=(Carve(region="ML-9", feature_name="Menaka", out_of="ML-7"),),
        without_polygon=(("ML-10", "ML-6"),),
    ),
)


@dataclass
class LoadResult:
    country: str
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    cleared: list[str] = field(default_factory=list)
    # Regions left without a polygon, each with the region its points land in ("" if not known).
    without_polygon: list[tuple[str, str]] = field(default_factory=list)


def _features(file_name: str) -> list[dict[str, Any]]:
    path = BOUNDARIES_DIR / file_name
    try:
        collection = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise BoundaryDataError(f"Cannot read the boundary file {path}: {error}") from error
    features = collection.get("features") if isinstance(collection, dict) else None
    if not isinstance(features, list):
        raise BoundaryDataError(f"{path} is not a GeoJSON FeatureCollection.")
    return features


def _areal(geometry: BaseGeometry) -> Polygon | MultiPolygon:
    """The polygons of a geometry, valid, without the points and lines that make_valid can leave."""
    if not geometry.is_valid:
        geometry = make_valid(geometry)
    polygons = [part for part in shapely.get_parts(geometry) if isinstance(part, Polygon | MultiPolygon)]
    flat = [p for part in polygons for p in shapely.get_parts(part)]
    if not flat:
        raise BoundaryDataError("A boundary has no area.")
    return flat[0] if len(flat) == 1 else MultiPolygon(flat)


def _rounded(geometry: BaseGeometry) -> Polygon | MultiPolygon:
    rounded = shapely.transform(geometry, lambda coords: np.round(coords, COORDINATE_DECIMALS))
    return _areal(rounded)


def _split_slivers(geometry: BaseGeometry, *, total_area: float) -> tuple[BaseGeometry, BaseGeometry | None]:
    parts = list(shapely.get_parts(_areal(geometry)))
    kept = [p for p in parts if p.area >= SLIVER_FRACTION * total_area]
    slivers = [p for p in parts if p.area < SLIVER_FRACTION * total_area]
    return shapely.union_all(kept), (shapely.union_all(slivers) if slivers else None)


def _adm1_geometries(spec: CountryBoundaries, index: NameIndex) -> dict[str, BaseGeometry]:
    geometries: dict[str, BaseGeometry] = {}
    for number, feature in enumerate(_features(spec.adm1_file), start=1):
        properties = feature.get("properties") or {}
        iso = str(properties.get("shapeISO") or "").strip()
        name = str(properties.get("shapeName") or "").strip()
        # The ISO code where the file has one; otherwise the name, with its spelling variants.
        code = index.code_for(iso) if iso else None
        if code is None:
            code = index.code_for(name)
        if code is None:
            raise BoundaryDataError(
                f"{spec.adm1_file}, feature {number} ({name or 'no name'}, {iso or 'no ISO code'}): "
                f"matches no single region of {spec.country}; add its spelling to advisories/regions/aliases.csv."
            )
        if code in geometries:
            raise BoundaryDataError(f"{spec.adm1_file}: two features for region {code}.")
        geometries[code] = _areal(shape(feature["geometry"]))
    return geometries


def _carve(spec: CountryBoundaries, geometries: dict[str, BaseGeometry]) -> None:
    if not spec.carves:
        return
    units = _features(spec.adm2_file)
    for carve in spec.carves:
        found = [f for f in units if (f.get("properties") or {}).get("shapeName") == carve.feature_name]
        if len(found) != 1:
            raise BoundaryDataError(
                f"{spec.adm2_file} has {len(found)} features named {carve.feature_name!r}; expected one."
            )
        if carve.out_of not in geometries:
            raise BoundaryDataError(f"{spec.adm1_file} has no polygon for {carve.out_of} to cut {carve.region} from.")
        parent = geometries[carve.out_of]
        unit = _areal(shape(found[0]["geometry"]))
        carved = _areal(parent.intersection(unit))
        remainder, slivers = _split_slivers(parent.difference(unit), total_area=parent.area)
        geometries[carve.out_of] = _areal(remainder)
        geometries[carve.region] = _areal(carved.union(slivers) if slivers is not None else carved)


@cache
def _boundaries_json(spec: CountryBoundaries, regions: tuple[tuple[str, str], ...]) -> dict[str, str]:
    geometries = _adm1_geometries(spec, NameIndex(spec.country, regions))
    _carve(spec, geometries)
    return {code: json.dumps(mapping(_rounded(g))) for code, g in sorted(geometries.items())}


def country_boundaries(spec: CountryBoundaries, regions: tuple[tuple[str, str], ...]) -> dict[str, dict[str, Any]]:
    """Region code -> GeoJSON geometry, as RegionBoundary.geometry stores it, for one shipped country.

    `regions` are the country's (code, name) pairs, to match features that have no ISO code.
    Parsed from JSON text, so each call gets its own dicts, equal to what a JSON column returns.
    """
    return {code: json.loads(text) for code, text in _boundaries_json(spec, regions).items()}


def boundaries_load(
    *,
    countries: tuple[str, ...] | None = None,
    country_model: Any = Country,
    region_model: Any = Region,
    boundary_model: Any = RegionBoundary,
) -> list[LoadResult]:
    """Store the shipped boundaries on the regions of each country that has them.

    A region whose stored boundary is already the same is left alone, so a second run changes
    nothing; a region of such a country that gets no polygon has its boundary cleared. The
    model arguments let a data migration pass its historical models. `countries` limits the
    load to some ISO codes; unknown ones raise BoundaryDataError.
    """
    specs = [s for s in SHIPPED if countries is None or s.country in countries]
    missing = set(countries or ()) - {s.country for s in specs}
    if missing:
        shipped = ", ".join(s.country for s in SHIPPED)
        raise BoundaryDataError(f"No boundaries are shipped for {', '.join(sorted(missing))}; there are for {shipped}.")
    results = []
    with transaction.atomic():
        for spec in specs:
            country = country_model.objects.filter(code=spec.country).first()
            if country is None:
                continue
            regions = list(region_model.objects.filter(country=country).order_by("code"))
            wanted = country_boundaries(spec, tuple((r.code, r.name) for r in regions))
            stored = {b.region_id: b for b in boundary_model.objects.filter(region__country=country)}
            result = LoadResult(country=spec.country)
            for region in regions:
                boundary = wanted.get(region.code)
                current = stored.get(region.pk)
                if (current.geometry if current else None) == boundary:
                    result.unchanged.append(region.code)
                elif boundary is None:
                    result.cleared.append(region.code)
                    boundary_model.objects.filter(region=region).delete()
                else:
                    result.updated.append(region.code)
                    boundary_model.objects.update_or_create(
                        region=region, defaults={"geometry": boundary, "attribution": ATTRIBUTION}
                    )
            landing = dict(spec.without_polygon)
            result.without_polygon = [(r.code, landing.get(r.code, "")) for r in regions if r.code not in wanted]
            results.append(result)
    return results
