"""/api/v1/countries/ and /api/v1/regions/ through HTTP: what a row and a detail hold, that a
place's level is the one its page shows, each filter, and pages."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from advisories import selectors
from advisories.models import (
    AdvisoryLevel,
    Country,
    Region,
)
from tests.factories import (
    AdvisoryFactory,
)

from .helpers import API, codes, get, results

pytestmark = pytest.mark.django_db


# Countries --------------------------------------------------------------------------------------


def test_a_country_row_has_its_current_country_wide_advisory(mali_advisories):
    (row,) = results("/countries/", {"has_advisory": "true"})

    assert row == {
        "code": "ML",
        "name": "Mali",
        "level": 4,
        "level_label": "Do Not Travel",
        "indicators": [
            {"letter": "C", "name": "Crime"},
            {"letter": "T", "name": "Terrorism"},
            {"letter": "K", "name": "Kidnapping or hostage taking"},
        ],
        "issued_on": "2024-11-29",
        "risk": None,
    }


def test_a_country_without_an_advisory_has_nulls_and_no_indicators(mali_advisories):
    (row,) = results("/countries/", {"name": "burkina"})

    assert row == {
        "code": "BF",
        "name": "Burkina Faso",
        "level": None,
        "level_label": None,
        "indicators": [],
        "issued_on": None,
        "risk": None,
    }


def test_a_country_detail_adds_the_summary_the_source_and_each_regions_level(mali_advisories, osac):
    body = get("/countries/ml/").json()

    assert body["summary"] == "Armed groups attack towns and roads across the country."
    assert body["source"] == {
        "title": "Mali Country Security Report",
        "publisher": "OSAC",
        "published_on": "2024-11-29",
        "url": "https://www.osac.gov/mali",
    }
    assert body["official_name"] == Country.objects.get(code="ML").official_name
    regions = {row["code"]: row for row in body["regions"]}
    assert set(regions) == set(Region.objects.filter(country__code="ML").values_list("code", flat=True))
    assert regions["ML-BKO"] == {
        "code": "ML-BKO",
        "name": "Bamako",
        "level": 3,
        "level_label": "Reconsider Travel",
        "level_from": "region",
        "risk": None,
    }
    assert regions["ML-7"] == {
        "code": "ML-7",
        "name": "Gao",
        "level": 4,
        "level_label": "Do Not Travel",
        "level_from": "country",
        "risk": None,
    }
    assert [row["name"] for row in body["regions"]] == sorted(row["name"] for row in body["regions"])


def test_a_country_detail_without_an_advisory_has_nulls(mali_advisories):
    body = get("/countries/ne/").json()

    assert (body["level"], body["summary"], body["source"], body["indicators"]) == (None, None, None, [])
    assert {(row["level"], row["level_from"]) for row in body["regions"]} == {(None, None)}


def test_the_levels_are_those_the_country_page_shows(mali_advisories):
    country = selectors.country_by_code("ml")
    assert country is not None
    page = selectors.country_page_of(country)
    assert page.advisory is not None

    body = get("/countries/ml/").json()

    assert body["level"] == page.advisory.level
    expected = {row.region.code: (row.advisory or page.advisory).level for row in page.regions}
    assert {row["code"]: row["level"] for row in body["regions"]} == expected
    listed = {row["code"]: row["level"] for row in results("/regions/", {"country": "ml"})}
    assert listed == expected


def test_country_codes_are_read_in_either_case(mali_advisories):
    lower, upper = get("/countries/ml/"), get("/countries/ML/")

    assert lower.status_code == upper.status_code == 200
    assert lower.json() == upper.json()


def test_countries_filter_by_level_and_minimum_level(mali_advisories):
    AdvisoryFactory.create(country=Country.objects.get(code="NE"), level=AdvisoryLevel.RECONSIDER_TRAVEL)
    AdvisoryFactory.create(country=Country.objects.get(code="FR"), level=AdvisoryLevel.INCREASED_CAUTION)

    assert codes("/countries/", {"level": 3}) == ["NE"]
    assert codes("/countries/", {"min_level": 3}) == ["ML", "NE"]
    assert codes("/countries/", {"min_level": 2}) == ["FR", "ML", "NE"]


@pytest.mark.parametrize(("yes", "no"), [("true", "false"), ("1", "0"), ("True", "FALSE")])
def test_countries_filter_by_whether_they_have_an_advisory(mali_advisories, yes, no):
    assert codes("/countries/", {"has_advisory": yes}) == ["ML"]
    without = codes("/countries/", {"has_advisory": no})
    assert "ML" not in without and "NE" in without
    assert len(without) == Country.objects.count() - 1


def test_countries_filter_by_part_of_the_name(db):
    assert codes("/countries/", {"name": "NIGER"}) == ["NE", "NG"]


def test_countries_come_in_pages_by_code(db):
    client = APIClient()
    first = client.get(f"{API}/countries/", {"page_size": 3}).json()
    second = client.get(first["next"]).json()

    seen = [row["code"] for row in first["results"] + second["results"]]
    assert seen == list(Country.objects.order_by("code").values_list("code", flat=True)[:6])
    assert first["previous"] is None and second["previous"] is not None


# Regions ----------------------------------------------------------------------------------------


def test_a_region_row_has_the_advisory_that_applies_to_it(mali_advisories):
    rows = {row["code"]: row for row in results("/regions/", {"country": "ml"})}

    assert rows["ML-BKO"] == {
        "code": "ML-BKO",
        "name": "Bamako",
        "kind": Region.objects.get(code="ML-BKO").kind,
        "country": {"code": "ML", "name": "Mali"},
        "level": 3,
        "level_label": "Reconsider Travel",
        "level_from": "region",
        "indicators": [{"letter": "C", "name": "Crime"}],
        "issued_on": "2025-02-01",
        "risk": None,
    }
    gao = rows["ML-7"]
    assert (gao["level"], gao["level_from"], gao["issued_on"]) == (4, "country", "2024-11-29")
    assert [indicator["letter"] for indicator in gao["indicators"]] == ["C", "T", "K"]


def test_a_region_whose_country_has_no_advisory_has_nulls(mali_advisories):
    row = results("/regions/", {"country": "ne"})[0]

    assert (row["level"], row["level_label"], row["level_from"], row["indicators"], row["issued_on"]) == (
        None,
        None,
        None,
        [],
        None,
    )


def test_a_region_detail_adds_the_summary_and_source_of_the_advisory_that_applies(mali_advisories, osac):
    own = get("/regions/ml-bko/").json()
    inherited = get("/regions/ML-7/").json()

    assert (own["summary"], own["level_from"]) == ("Crime in the capital.", "region")
    assert own["source"]["title"] != osac.title
    assert (inherited["summary"], inherited["level_from"]) == (
        "Armed groups attack towns and roads across the country.",
        "country",
    )
    assert inherited["source"]["title"] == "Mali Country Security Report"


def test_the_region_level_is_the_one_the_region_page_shows(mali_advisories):
    for code in ("ML-BKO", "ML-7"):
        region = selectors.region_by_codes("ml", code)
        assert region is not None
        page = selectors.region_page_of(region)
        shown = page.advisory or page.country_advisory
        assert shown is not None
        body = get(f"/regions/{code.lower()}/").json()
        assert (body["level"], body["issued_on"]) == (shown.level, shown.issued_on.isoformat())


def test_region_codes_are_read_in_either_case(mali_advisories):
    assert get("/regions/ml-bko/").json() == get("/regions/ML-BKO/").json()


def test_regions_filter_by_country(mali_advisories):
    assert codes("/regions/", {"country": "ML"}) == sorted(
        Region.objects.filter(country__code="ML").values_list("code", flat=True)
    )


def test_regions_filter_by_the_level_that_applies_to_them(mali_advisories):
    mali_codes = set(Region.objects.filter(country__code="ML").values_list("code", flat=True))

    assert codes("/regions/", {"level": 3}) == ["ML-BKO"]
    assert set(codes("/regions/", {"level": 4})) == mali_codes - {"ML-BKO"}
    assert set(codes("/regions/", {"min_level": 3})) == mali_codes
    assert codes("/regions/", {"country": "ml", "level": 1}) == []
