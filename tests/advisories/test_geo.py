"""Region boundaries: what the migration loads, and placing coordinates in Mali's regions."""

import csv
import io
import json
import math
from pathlib import Path

import pytest
import shapely
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.template.loader import render_to_string
from shapely.geometry import Point, shape
from shapely.geometry.base import BaseGeometry

from advisories.boundaries import (
    BOUNDARIES_DIR,
    SHIPPED,
    BoundaryDataError,
    CountryBoundaries,
    boundaries_load,
    country_boundaries,
)
from advisories.geo import (
    BORDER_TOLERANCE_METRES,
    METRES_PER_DEGREE,
    PointOutsideCountry,
    RegionLocator,
    countries_at,
    country_outline,
    region_at,
)
from advisories.models import Country, Region, RegionBoundary
from advisories.regions import RegionMatcher

pytestmark = pytest.mark.django_db

SHARED = Path(settings.BASE_DIR).parent / "shared" / "data"
ACLED_FILE = SHARED / "acled" / "acled_mali_2017-2018.csv"
ADM1_FILE = BOUNDARIES_DIR / "mali_adm1_geoboundaries_simplified.geojson"
ADM2_FILE = BOUNDARIES_DIR / "mali_adm2_geoboundaries_simplified.geojson"

MAPPED = {"ML-1", "ML-2", "ML-3", "ML-4", "ML-5", "ML-6", "ML-7", "ML-8", "ML-9", "ML-BKO"}

# Towns as ACLED's Mali export of 2017-2018 places them ("location", latitude, longitude, at
# geo_precision 1), and Bamako as the Aid Worker Security Database places it; the last test of
# this file checks them against the files when ../shared/data is present.
ACLED_TOWNS = {
    "Kayes": (14.4417, -11.4341, "ML-1"),
    "Sikasso": (11.0992, -5.9454, "ML-3"),
    "Segou": (13.4312, -6.2492, "ML-4"),
    "Mopti": (14.4891, -4.1928, "ML-5"),
    "Sevare": (14.5297, -4.0922, "ML-5"),
    "Timbuktu": (16.7705, -3.0056, "ML-6"),
    "Gao": (16.2717, -0.0447, "ML-7"),
    "Kidal": (18.44, 1.41, "ML-8"),
    "Menaka": (15.9182, 2.4022, "ML-9"),
    "Bamako": (12.65, -8.0, "ML-BKO"),
    "Taoudenni": (22.6744, -3.9789, "ML-6"),  # in Taoudénit (ML-10), which has no polygon
    "Kouremale": (11.9458, -8.7905, "ML-2"),  # on the Guinean border, just outside the outline
}
AWSD_BAMAKO = (12.665771, -7.972909)
AWSD_NIAMEY = (13.51366, 2.1098)  # Niger's capital, as the AWSD places it


def adm2_units() -> dict[str, BaseGeometry]:
    features = json.loads(ADM2_FILE.read_text(encoding="utf-8"))["features"]
    return {f["properties"]["shapeName"]: shape(f["geometry"]) for f in features}


def old_gao_polygon() -> BaseGeometry:
    features = json.loads(ADM1_FILE.read_text(encoding="utf-8"))["features"]
    return shape(next(f["geometry"] for f in features if f["properties"]["shapeISO"] == "ML-7"))


def geometry_of(region: Region) -> BaseGeometry:
    return shape(RegionBoundary.objects.get(region=region).geometry)


def stored(code: str) -> BaseGeometry:
    return geometry_of(Region.objects.get(code=code))


def placed(locator: RegionLocator, latitude: float, longitude: float) -> str | None:
    region = locator.region_at(latitude=latitude, longitude=longitude)
    return region.code if region else None


def point_west_of_mali(metres: float) -> tuple[float, float]:
    """(latitude, longitude) of a point `metres` due west of Mali's westernmost vertex."""
    vertices = shapely.get_coordinates([geometry_of(r) for r in Region.objects.filter(code__in=MAPPED)])
    longitude, latitude = min(map(tuple, vertices))
    return latitude, longitude - metres / (METRES_PER_DEGREE * math.cos(math.radians(latitude)))


@pytest.fixture
def locator(mali):
    return RegionLocator(mali)


@pytest.mark.parametrize(("town", "expected"), [(town, code) for town, (_lat, _lon, code) in ACLED_TOWNS.items()])
def test_it_places_towns_in_their_regions(locator, town, expected):
    latitude, longitude, _code = ACLED_TOWNS[town]

    assert placed(locator, latitude, longitude) == expected


@pytest.mark.parametrize(
    ("cercle", "expected"),
    [
        ("Kayes", "ML-1"),
        ("Koulikoro", "ML-2"),
        ("Sikasso", "ML-3"),
        ("Segou", "ML-4"),
        ("Mopti", "ML-5"),
        ("Tombouctou", "ML-6"),
        ("Gao", "ML-7"),
        ("Kidal", "ML-8"),
        ("Menaka", "ML-9"),
        ("Bamako", "ML-BKO"),
    ],
)
def test_it_places_the_cercle_of_each_regional_capital_in_its_region(locator, cercle, expected):
    inside = adm2_units()[cercle].representative_point()

    assert placed(locator, inside.y, inside.x) == expected


def test_it_places_menaka_town_in_menaka_and_no_longer_in_gao(locator):
    latitude, longitude, _code = ACLED_TOWNS["Menaka"]
    assert old_gao_polygon().covers(Point(longitude, latitude))  # the file's Gao polygon includes it

    assert placed(locator, latitude, longitude) == "ML-9"
    assert not stored("ML-7").covers(Point(longitude, latitude))


def test_menaka_and_gao_together_cover_the_old_gao_polygon_without_overlapping():
    old_gao = old_gao_polygon()
    gao, menaka = stored("ML-7"), stored("ML-9")

    assert gao.intersection(menaka).area < 1e-6
    # Rounded to 6 decimals: the outline moves by less than a metre (1e-5 degree), nowhere more.
    assert gao.union(menaka).hausdorff_distance(old_gao) < 1e-5
    assert menaka.symmetric_difference(adm2_units()["Menaka"]).area < 1e-4
    assert 0.4 < menaka.area / old_gao.area < 0.5


def test_it_refuses_a_point_in_niger(locator):
    with pytest.raises(PointOutsideCountry, match="not in Mali"):
        locator.region_at(latitude=AWSD_NIAMEY[0], longitude=AWSD_NIAMEY[1])


def test_it_accepts_a_point_a_few_hundred_metres_outside_the_border(locator):
    latitude, longitude = point_west_of_mali(300)
    assert not any(stored(code).covers(Point(longitude, latitude)) for code in MAPPED)

    assert placed(locator, latitude, longitude) == "ML-1"


def test_it_places_a_border_town_that_the_outline_leaves_out(locator):
    latitude, longitude, _code = ACLED_TOWNS["Kouremale"]
    assert not any(stored(code).covers(Point(longitude, latitude)) for code in MAPPED)

    assert placed(locator, latitude, longitude) == "ML-2"


def test_it_refuses_a_point_just_beyond_the_tolerance(locator):
    latitude, longitude = point_west_of_mali(BORDER_TOLERANCE_METRES + 200)

    with pytest.raises(PointOutsideCountry):
        locator.region_at(latitude=latitude, longitude=longitude)


def test_it_says_whether_a_point_is_in_a_named_region_or_within_the_tolerance_of_it(locator):
    bamako = ACLED_TOWNS["Bamako"][:2]
    just_outside, beyond = point_west_of_mali(300), point_west_of_mali(BORDER_TOLERANCE_METRES + 200)

    assert locator.is_near(Region.objects.get(code="ML-BKO"), latitude=bamako[0], longitude=bamako[1]) is True
    assert locator.is_near(Region.objects.get(code="ML-1"), latitude=bamako[0], longitude=bamako[1]) is False
    assert locator.is_near(Region.objects.get(code="ML-1"), latitude=just_outside[0], longitude=just_outside[1]) is True
    assert locator.is_near(Region.objects.get(code="ML-1"), latitude=beyond[0], longitude=beyond[1]) is False


def test_it_says_nothing_about_a_region_without_a_boundary(locator):
    latitude, longitude, _code = ACLED_TOWNS["Taoudenni"]

    assert locator.is_near(Region.objects.get(code="ML-10"), latitude=latitude, longitude=longitude) is None


def test_it_says_nothing_for_a_country_without_boundaries():
    niger = Country.objects.get(code="NE")
    locator = RegionLocator(niger)

    assert not locator.has_boundaries
    assert locator.region_at(latitude=AWSD_NIAMEY[0], longitude=AWSD_NIAMEY[1]) is None
    assert region_at(country=niger, latitude=AWSD_NIAMEY[0], longitude=AWSD_NIAMEY[1]) is None


def test_it_repairs_a_self_intersecting_boundary():
    niger = Country.objects.get(code="NE")
    # A bow tie: two triangles that meet at (1, 1), an invalid polygon as drawn.
    RegionBoundary.objects.create(
        region=Region.objects.get(code="NE-8"),
        geometry={"type": "Polygon", "coordinates": [[[0, 0], [2, 2], [2, 0], [0, 2], [0, 0]]]},
    )

    locator = RegionLocator(niger)

    assert placed(locator, 1.0, 0.2) == "NE-8"
    assert placed(locator, 1.0, 1.8) == "NE-8"
    with pytest.raises(PointOutsideCountry):
        locator.region_at(latitude=1.8, longitude=1.0)


def test_the_migration_loaded_exactly_mali_s_mapped_regions():
    with_boundary = Region.objects.filter(boundary__isnull=False)

    assert set(with_boundary.values_list("code", flat=True)) == MAPPED
    assert not RegionBoundary.objects.filter(region__code="ML-10").exists()
    geometries = {region.code: geometry_of(region) for region in with_boundary}
    assert all(g.is_valid and g.geom_type in ("Polygon", "MultiPolygon") for g in geometries.values())
    # Stored small enough to load on each placement: about 160 kB of JSON for the whole country.
    assert sum(len(json.dumps(b.geometry)) for b in RegionBoundary.objects.all()) < 250_000


def test_no_two_regions_overlap():
    geometries = {code: stored(code) for code in sorted(MAPPED)}
    codes = list(geometries)

    overlaps = [
        (a, b)
        for i, a in enumerate(codes)
        for b in codes[i + 1 :]
        if geometries[a].intersection(geometries[b]).area > 1e-6
    ]

    assert overlaps == []


def test_loading_again_changes_nothing():
    before = dict(RegionBoundary.objects.values_list("region__code", "updated_at"))

    (result,) = boundaries_load()

    assert (result.updated, result.cleared) == ([], [])
    assert sorted(result.unchanged) == sorted(Region.objects.filter(country__code="ML").values_list("code", flat=True))
    assert result.without_polygon == [("ML-10", "ML-6")]
    assert dict(RegionBoundary.objects.values_list("region__code", "updated_at")) == before


def test_the_command_restores_changed_boundaries():
    RegionBoundary.objects.filter(region__code="ML-5").delete()
    RegionBoundary.objects.create(
        region=Region.objects.get(code="ML-10"), geometry=RegionBoundary.objects.get(region__code="ML-6").geometry
    )
    out = io.StringIO()

    call_command("load_boundaries", "--country", "ml", stdout=out)

    assert "ML: 1 updated, 9 unchanged, 1 cleared." in out.getvalue()
    assert "ML-10 has no polygon of its own: points there are placed in ML-6." in out.getvalue()
    assert "geoBoundaries (CC BY 4.0)" in out.getvalue()
    assert set(Region.objects.filter(boundary__isnull=False).values_list("code", flat=True)) == MAPPED
    again = io.StringIO()
    call_command("load_boundaries", stdout=again)
    assert "ML: 0 updated, 11 unchanged, 0 cleared." in again.getvalue()


def test_the_command_refuses_a_country_without_shipped_boundaries():
    with pytest.raises(CommandError, match="No boundaries are shipped for NE; there are for ML"):
        call_command("load_boundaries", "--country", "NE")


def test_it_matches_features_without_an_iso_code_by_name(tmp_path):
    features = json.loads(ADM1_FILE.read_text(encoding="utf-8"))["features"][:5]
    for feature in features:
        feature["properties"]["shapeISO"] = ""
    path = tmp_path / "no_codes.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}), encoding="utf-8")
    regions = tuple(Region.objects.filter(country__code="ML").values_list("code", "name"))

    loaded = country_boundaries(CountryBoundaries(country="ML", adm1_file=str(path)), regions)

    assert set(loaded) == {"ML-BKO", "ML-7", "ML-1", "ML-8", "ML-2"}  # "Koulikouro" is ML-2


def test_it_refuses_a_feature_that_matches_no_region(tmp_path):
    feature = json.loads(ADM1_FILE.read_text(encoding="utf-8"))["features"][0]
    feature["properties"].update(shapeISO="", shapeName="Atlantis")
    path = tmp_path / "atlantis.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [feature]}), encoding="utf-8")
    regions = tuple(Region.objects.filter(country__code="ML").values_list("code", "name"))

    with pytest.raises(BoundaryDataError, match=r"feature 1 \(Atlantis, no ISO code\): matches no single region"):
        country_boundaries(CountryBoundaries(country="ML", adm1_file=str(path)), regions)


def test_the_shipped_files_are_listed_with_their_attribution():
    readme = (BOUNDARIES_DIR / "README.md").read_text(encoding="utf-8")

    for spec in SHIPPED:
        for name in (spec.adm1_file, spec.adm2_file):
            assert (BOUNDARIES_DIR / name).exists()
            assert name in readme
    assert "geoBoundaries (CC BY 4.0)" in readme


def test_the_attribution_partial_names_and_links_geoboundaries_and_its_licence():
    html = render_to_string("advisories/_boundaries_attribution.html")

    assert "Region boundaries:" in html
    assert '<a href="https://www.geoboundaries.org/" rel="noopener">geoBoundaries</a>' in html
    assert '<a href="https://creativecommons.org/licenses/by/4.0/" rel="license noopener">CC BY 4.0</a>' in html


@pytest.mark.shared_data
def test_the_town_coordinates_here_are_those_of_the_real_files():
    with ACLED_FILE.open(encoding="utf-8", newline="") as f:
        places = {(r["location"], float(r["latitude"]), float(r["longitude"])) for r in csv.DictReader(f)}
    with (SHARED / "awsd" / "awsd_1997-2015.csv").open(encoding="utf-8", newline="") as f:
        awsd = {(float(r["Latitude"]), float(r["Longitude"])) for r in csv.DictReader(f) if r["Latitude"]}

    assert {(town, lat, lon) for town, (lat, lon, _code) in ACLED_TOWNS.items()} <= places
    assert {AWSD_BAMAKO, AWSD_NIAMEY} <= awsd


@pytest.mark.shared_data
def test_the_shipped_files_are_the_shared_ones_unchanged():
    for path in (ADM1_FILE, ADM2_FILE):
        assert path.read_bytes() == (SHARED / "geo" / path.name).read_bytes()


@pytest.mark.shared_data
def test_coordinates_of_acled_events_agree_with_their_admin1(mali, locator):
    matcher = RegionMatcher(mali)
    with ACLED_FILE.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    disagreements = []
    for line, row in enumerate(rows, start=2):
        named = matcher.match(row["admin1"])
        placed = locator.region_at(latitude=float(row["latitude"]), longitude=float(row["longitude"]))
        if named is None or placed != named:
            disagreements.append((line, row["admin1"], row["location"], placed))

    # Measured: 2,327 of 2,327 rows agree (Kouremalé, 850 m outside the outline, by the tolerance).
    assert len(rows) == 2327
    assert len(disagreements) <= 0.01 * len(rows), disagreements[:20]


@pytest.mark.parametrize(
    ("code", "latitude", "longitude"),
    [
        ("NE", 15.343726, 3.887058),  # Tillabéri
        ("FR", 48.8566, 2.3522),  # France is "-99" in the Natural Earth file: matched by its alpha-3
        ("NO", 59.9139, 10.7522),
        ("SO", 9.56, 44.06),  # Hargeisa, in Natural Earth's Somaliland
        ("TZ", -6.165, 39.202),  # Zanzibar: no 1:110m outline of its own, within the tolerance
        ("SD", 15.5, 32.53),  # one of the two outlines invalid as published
    ],
)
def test_a_country_outline_holds_its_points(code, latitude, longitude):
    outline = country_outline(code)

    assert outline is not None
    assert outline.near(latitude=latitude, longitude=longitude) or outline.in_box(
        latitude=latitude, longitude=longitude
    )


def test_a_country_outline_is_widened_for_coasts_but_not_to_other_countries():
    niger = country_outline("NE")
    assert niger is not None

    assert not niger.near(latitude=1.5343726, longitude=3.887058)  # the Gulf of Guinea
    assert not niger.near(latitude=15.343726, longitude=38.87058)  # Eritrea
    assert not niger.in_box(latitude=15.343726, longitude=38.87058)


def test_a_country_missing_from_the_world_file_has_no_outline():
    assert country_outline("BH") is None  # Bahrain: too small for 1:110m


def test_countries_at_gives_the_countries_whose_outline_holds_a_point():
    assert countries_at(latitude=34.3753, longitude=73.4731) == ["PK"]  # Muzaffarabad
    assert countries_at(latitude=0, longitude=-30) == []  # the Atlantic


def test_the_box_of_a_country_across_the_antimeridian_holds_nothing():
    russia = country_outline("RU")
    assert russia is not None

    assert russia.near(latitude=43.0, longitude=44.25)  # North Ossetia
    assert not russia.in_box(latitude=43.0, longitude=4.425)  # the Gulf of Lion
