"""Region names as ACLED, the AWSD and geoBoundaries spell them, matched to our regions."""

import csv
import json
from pathlib import Path

import pytest
from django.conf import settings

from advisories.boundaries import BOUNDARIES_DIR
from advisories.models import Country, Region
from advisories.regions import NameIndex, RegionMatcher, edit_distance, match_region, normalize_name

pytestmark = pytest.mark.django_db

SHARED = Path(settings.BASE_DIR).parent / "shared" / "data"


def code_of(region: Region | None) -> str | None:
    return region.code if region else None


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Kayes", "ML-1"),
        ("Koulikoro", "ML-2"),
        ("Koulikouro", "ML-2"),  # geoBoundaries
        ("Sikasso", "ML-3"),
        ("Ségou", "ML-4"),
        ("Segou", "ML-4"),  # ACLED, geoBoundaries
        ("SEGOU", "ML-4"),
        ("Ségou Region", "ML-4"),
        ("Région de Ségou", "ML-4"),
        ("Mopti", "ML-5"),
        ("Tombouctou", "ML-6"),
        ("Timbuktu", "ML-6"),
        ("Tombuctou", "ML-6"),
        ("Gao", "ML-7"),
        ("Kidal", "ML-8"),
        ("Ménaka", "ML-9"),
        ("Menaka", "ML-9"),  # ACLED
        ("Taoudénit", "ML-10"),
        ("Taoudenit", "ML-10"),
        ("Taoudeni", "ML-10"),
        ("Taoudenni", "ML-10"),
        ("Bamako", "ML-BKO"),
        ("Bamako District", "ML-BKO"),
        ("Bamako, Capital District", "ML-BKO"),  # the AWSD's City column
        ("  ml-6 ", "ML-6"),  # an ISO code
        ("Sikaso", "ML-3"),  # one letter missing: close to one region only
        ("Tombouctouu", "ML-6"),
    ],
)
def test_it_matches_each_spelling_of_mali_s_regions(mali, name, expected):
    assert code_of(match_region(mali, name)) == expected


@pytest.mark.parametrize("name", ["", "   ", "Atlantis", "Niamey", "Kati", "Gaoo", "Region", "ML-99"])
def test_it_matches_no_region_for_an_unknown_name(mali, name):
    # Kati is a cercle, not a region; "Gaoo" is one letter off a name too short to guess from.
    assert match_region(mali, name) is None


def test_it_matches_only_regions_of_the_country_asked_about():
    niger = Country.objects.get(code="NE")

    assert match_region(niger, "Gao") is None
    assert code_of(match_region(niger, "Tillaberi")) == "NE-6"


def test_it_refuses_a_name_that_two_regions_share():
    # Maputo is both a province and a city of Mozambique.
    mozambique = Country.objects.get(code="MZ")
    matcher = RegionMatcher(mozambique)

    assert match_region(mozambique, "Maputo") is None
    assert sorted(r.code for r in matcher.candidates("Maputo")) == ["MZ-L", "MZ-MPM"]
    assert code_of(matcher.match("MZ-MPM")) == "MZ-MPM"


def test_it_refuses_a_misspelling_as_close_to_two_regions():
    index = NameIndex("XX", [("XX-1", "Kalama"), ("XX-2", "Kalima")])

    assert index.candidates("Kaloma") == ["XX-1", "XX-2"]
    assert index.code_for("Kaloma") is None
    assert index.code_for("Kalma") is None
    assert index.code_for("Kalamaa") == "XX-1"


def test_a_matcher_reads_the_regions_once(mali, django_assert_num_queries):
    with django_assert_num_queries(1):
        matcher = RegionMatcher(mali)
    with django_assert_num_queries(0):
        found = [matcher.match(name) for name in ["Segou", "Timbuktu", "Atlantis", "Segou"] * 500]

    assert [code_of(r) for r in found[:4]] == ["ML-4", "ML-6", None, "ML-4"]


@pytest.mark.parametrize(
    ("name", "normalized"),
    [
        ("Ségou", "segou"),
        ("Région de Ségou", "segou"),
        ("Gourma-Rharous", "gourma rharous"),
        ("N'Tillit", "n tillit"),
        ("Bamako, Capital District", "bamako"),
        ("District", "district"),
        ("Tillabéri Region", "tillaberi"),
    ],
)
def test_it_normalizes_names(name, normalized):
    assert normalize_name(name) == normalized


def test_edit_distance_counts_insertions_deletions_and_substitutions():
    assert edit_distance("koulikoro", "koulikouro", limit=2) == 1
    assert edit_distance("segou", "sego", limit=2) == 1
    assert edit_distance("kayes", "kazes", limit=2) == 1
    assert edit_distance("mopti", "kidal", limit=2) == 3  # over the limit: limit + 1


def test_every_geoboundaries_name_matches_the_region_of_its_iso_code(mali):
    matcher = RegionMatcher(mali)
    features = json.loads((BOUNDARIES_DIR / "mali_adm1_geoboundaries_simplified.geojson").read_text("utf-8"))

    for feature in features["features"]:
        properties = feature["properties"]
        assert code_of(matcher.match(properties["shapeName"])) == properties["shapeISO"]


@pytest.mark.shared_data
def test_every_admin1_of_the_real_acled_and_awsd_files_matches_a_region(mali):
    with (SHARED / "acled" / "acled_mali_2017-2018.csv").open(encoding="utf-8", newline="") as f:
        acled = {row["admin1"] for row in csv.DictReader(f)}
    with (SHARED / "awsd" / "awsd_1997-2015.csv").open(encoding="utf-8", newline="") as f:
        awsd = {row["Region"] for row in csv.DictReader(f) if row["Country Code"] == "ML" and row["Region"]}
    matcher = RegionMatcher(mali)

    unmatched = sorted(name for name in acled | awsd if matcher.match(name) is None)

    assert unmatched == []
    assert len(acled) == 10
