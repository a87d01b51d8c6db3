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


# Spellings of the AWSD's 1997-2015 export (its Region column), next to ISO 3166-2's names.
@pytest.mark.parametrize(
    ("country_code", "name", "expected"),
    [
        ("SY", "Aleppo", "SY-HL"),  # ISO: Ḩalab
        ("SY", "Idlib", "SY-ID"),
        ("SY", "Deir ez-Zor", "SY-DY"),  # ISO: Dayr az Zawr
        ("SY", "Rural Damascus", "SY-RD"),  # ISO: Rīf Dimashq
        ("SY", "Rif Dimashq", "SY-RD"),
        ("SY", "Ar-Raqqah", "SY-RA"),
        ("SY", "Al-Hasakah", "SY-HA"),
        ("SY", "Homs", "SY-HI"),
        ("SY", "Hama", "SY-HM"),
        ("SY", "Daraa", "SY-DR"),
        ("HT", "West", "HT-OU"),  # ISO: Ouest
        ("HT", "North", "HT-ND"),
        ("HT", "Ouest", "HT-OU"),
        ("HT", "Artibonite", "HT-AR"),
        ("CD", "North Kivu", "CD-NK"),  # ISO: Nord-Kivu
        ("CD", "South Kivu", "CD-SK"),
        ("CD", "Ituri", "CD-IT"),
        ("CD", "Kongo-Central", "CD-BC"),
        ("CD", "Bas-Uele", "CD-BU"),  # ISO: Bas-Uélé
        ("KE", "Nairobi", "KE-30"),  # ISO: Nairobi City
        ("KE", "Wajir", "KE-46"),
        ("KE", "Siaya", "KE-38"),
        ("UA", "Zaporizhia", "UA-23"),  # ISO: Zaporizka oblast
        ("UA", "Donetsk Oblast", "UA-14"),  # ISO: Donetska oblast
        ("UA", "Donetsk", "UA-14"),
        ("UA", "Kiev", "UA-30"),
        ("YE", "Taiz", "YE-TA"),  # ISO: Taizz with an ayn
        ("YE", "Sa'dah", "YE-SD"),  # ISO: Sadah with an ayn, read as nothing
        ("YE", "Ma'rib", "YE-MA"),
        ("YE", "Ad Dali'", "YE-DA"),
        ("YE", "Al Hodeidah", "YE-HU"),
        ("YE", "Amanat Al Asimah", "YE-SA"),
        ("PS", "Gaza Strip", "PS-GZA"),
        ("SO", "Lower Shabelle", "SO-SH"),  # ISO: Shabeellaha Hoose
        ("AF", "Paktia", "AF-PIA"),  # ISO: Paktiyā, one letter from Paktīkā too
    ],
)
def test_it_matches_the_awsd_spellings_of_regions(country_code, name, expected):
    country = Country.objects.get(code=country_code)

    assert code_of(RegionMatcher(country, source="awsd").match(name)) == expected


def test_a_data_set_s_own_alias_decides_a_name_others_read_differently():
    yemen = Country.objects.get(code="YE")

    # The AWSD's "Sana'a" rows are in the capital (YE-SA); ISO's Sana with an ayn, ACLED's "Sanaa", is the
    # governorate around it.
    assert code_of(RegionMatcher(yemen, source="awsd").match("Sana'a")) == "YE-SA"
    assert code_of(RegionMatcher(yemen, source="acled").match("Sanaa")) == "YE-SN"
    assert code_of(RegionMatcher(yemen).match("Sana'a")) == "YE-SN"


@pytest.mark.parametrize(("country_code", "name"), [("KE", "North Eastern"), ("PS", "West Bank"), ("KE", "Central")])
def test_a_former_province_or_a_territory_matches_no_region(country_code, name):
    assert match_region(Country.objects.get(code=country_code), name) is None


def test_every_alias_names_a_region_of_ours_and_its_source():
    rows = list(csv.DictReader((Path(settings.BASE_DIR) / "advisories" / "regions" / "aliases.csv").open()))

    assert {row["code"] for row in rows} <= set(Region.objects.values_list("code", flat=True))
    assert all(row["alias"].strip() and row["source"].strip() for row in rows)
    assert {row["only_for"] for row in rows} <= {"", "awsd", "acled"}
    assert {"ML-2", "ML-6", "ML-10"} <= {row["code"] for row in rows}
