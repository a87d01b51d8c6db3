"""/api/v1/ countries, regions, threat categories and ratings, security reports and contact points,
through HTTP: what a row and a detail hold, that a place's level is the one its page shows, each
filter and the message of a value it refuses, pages, query counts, and that nothing is writable."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from advisories import selectors
from advisories.models import (
    Advisory,
    AdvisoryLevel,
    ContactPoint,
    Country,
    Region,
    ReportSection,
    ThreatCategory,
    ThreatLevel,
)
from tests.factories import (
    AdvisoryFactory,
    CityFactory,
    ContactPointFactory,
    CountryFactory,
    RegionFactory,
    ReportSectionFactory,
    SecurityReportFactory,
    SecurityReportRevisionFactory,
    SourceFactory,
    ThreatRatingFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

API = "/api/v1"
INVALID = "Some values are not valid; see errors for each field."


def get(path: str, params: dict[str, Any] | None = None) -> Any:
    return APIClient().get(f"{API}{path}", params or {})


def results(path: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    response = get(path, params)
    assert response.status_code == 200, response.content
    return response.json()["results"]


def codes(path: str, params: dict[str, Any] | None = None, key: str = "code") -> list[Any]:
    return [row[key] for row in results(path, {"page_size": 500, **(params or {})})]


def assert_refused(path: str, params: dict[str, Any], parameter: str, message: str) -> None:
    """A 400 whose errors name the parameter, with a message a person can act on."""
    response = get(path, params)
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["detail"] == INVALID
    assert list(body["errors"]) == [parameter]
    assert any(message in error for error in body["errors"][parameter]), body["errors"]


# --- Mali: a country-wide advisory, an older one, and Bamako's own -----------------------------


@pytest.fixture
def osac(db):
    return SourceFactory.create(
        title="Mali Country Security Report",
        publisher="OSAC",
        published_on=dt.date(2024, 11, 29),
        url="https://www.osac.gov/mali",
    )


@pytest.fixture
def mali_advisories(mali, osac):
    AdvisoryFactory.create(
        country=mali, level=AdvisoryLevel.INCREASED_CAUTION, issued_on=dt.date(2019, 1, 1), is_current=False
    )
    country_wide = AdvisoryFactory.create(
        country=mali,
        level=AdvisoryLevel.DO_NOT_TRAVEL,
        indicators="CTK",
        summary="Armed groups attack towns and roads across the country.",
        source=osac,
        issued_on=dt.date(2024, 11, 29),
    )
    bamako = Region.objects.get(code="ML-BKO")
    AdvisoryFactory.create(
        country=mali,
        region=bamako,
        level=AdvisoryLevel.RECONSIDER_TRAVEL,
        issued_on=dt.date(2020, 1, 1),
        is_current=False,
    )
    own = AdvisoryFactory.create(
        country=mali,
        region=bamako,
        level=AdvisoryLevel.RECONSIDER_TRAVEL,
        indicators="C",
        summary="Crime in the capital.",
        issued_on=dt.date(2025, 2, 1),
    )
    return country_wide, own


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
    }
    assert regions["ML-7"] == {
        "code": "ML-7",
        "name": "Gao",
        "level": 4,
        "level_label": "Do Not Travel",
        "level_from": "country",
    }
    assert [row["name"] for row in body["regions"]] == sorted(row["name"] for row in body["regions"])


def test_a_country_detail_without_an_advisory_has_nulls(mali_advisories):
    body = get("/countries/ne/").json()

    assert (body["level"], body["summary"], body["source"], body["indicators"]) == (None, None, None, [])
    assert {(row["level"], row["level_from"]) for row in body["regions"]} == {(None, None)}


def test_the_levels_are_those_the_country_page_shows(mali_advisories):
    page = selectors.country_page("ml")
    assert page is not None and page.advisory is not None

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


@pytest.mark.parametrize("path", ["/countries/zz/", "/countries/mali/", "/countries/ß/"])
def test_an_unknown_country_is_a_json_404(db, path):
    response = get(path)

    assert response.status_code == 404
    assert set(response.json()) == {"detail"}


def test_an_unknown_country_code_is_named_in_the_404(db):
    assert get("/countries/zz/").json() == {"detail": "There is no country with the code ZZ."}


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


@pytest.mark.parametrize(
    ("params", "parameter", "message"),
    [
        ({"level": 5}, "level", "5 is not an advisory level; give a number from 1 to 4."),
        ({"min_level": "high"}, "min_level", "high is not an advisory level"),
        ({"has_advisory": "maybe"}, "has_advisory", "Write true or false, not “maybe”."),
    ],
)
def test_countries_refuse_values_that_name_nothing(db, params, parameter, message):
    assert_refused("/countries/", params, parameter, message)


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
        page = selectors.region_page("ml", code)
        assert page is not None
        shown = page.advisory or page.country_advisory
        assert shown is not None
        body = get(f"/regions/{code.lower()}/").json()
        assert (body["level"], body["issued_on"]) == (shown.level, shown.issued_on.isoformat())


def test_region_codes_are_read_in_either_case(mali_advisories):
    assert get("/regions/ml-bko/").json() == get("/regions/ML-BKO/").json()


@pytest.mark.parametrize("path", ["/regions/ml-zzz/", "/regions/bamako/"])
def test_an_unknown_region_is_a_json_404(db, path):
    response = get(path)

    assert response.status_code == 404
    assert set(response.json()) == {"detail"}


def test_an_unknown_region_code_is_named_in_the_404(db):
    assert get("/regions/ml-zzz/").json() == {"detail": "There is no region with the code ML-ZZZ."}


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


@pytest.mark.parametrize(
    ("params", "parameter", "message"),
    [
        ({"country": "zz"}, "country", "There is no country with the code ZZ; the list is at /api/v1/countries/."),
        ({"country": "ß"}, "country", "There is no country with the code ß"),
        ({"level": "0"}, "level", "0 is not an advisory level"),
        ({"min_level": "9"}, "min_level", "9 is not an advisory level"),
    ],
)
def test_regions_refuse_values_that_name_nothing(db, params, parameter, message):
    assert_refused("/regions/", params, parameter, message)


# Threat categories ------------------------------------------------------------------------------


def test_threat_categories_are_listed_with_their_indicator(db):
    rows = {row["slug"]: row for row in results("/threat-categories/")}

    assert set(rows) == set(ThreatCategory.objects.values_list("slug", flat=True))
    assert rows["kidnapping"] == {
        "slug": "kidnapping",
        "name": "Kidnapping",
        "indicator": {"letter": "K", "name": "Kidnapping or hostage taking"},
        "description": "Kidnapping and hostage taking, for ransom or for leverage.",
    }
    assert rows["cyber"]["indicator"] is None


def test_a_threat_category_is_found_by_its_slug(db):
    assert get("/threat-categories/terrorism/").json()["name"] == "Terrorism"
    response = get("/threat-categories/piracy/")
    assert response.status_code == 404
    assert response.json() == {"detail": "There is no threat category piracy."}


def test_threat_categories_filter_by_indicator(db):
    assert codes("/threat-categories/", {"indicator": "T"}, key="slug") == ["terrorism"]


def test_threat_categories_refuse_an_unknown_indicator(db):
    assert_refused(
        "/threat-categories/", {"indicator": "Z"}, "indicator", "Z is not an indicator letter; give one of: C,"
    )


# Threat ratings ---------------------------------------------------------------------------------


@pytest.fixture
def ratings(mali):
    crime = ThreatCategory.objects.get(slug="crime")
    terrorism = ThreatCategory.objects.get(slug="terrorism")
    bamako = Region.objects.get(code="ML-BKO")
    city = CityFactory.create(country=mali, region=bamako, name="Kati (test)")
    niger = Country.objects.get(code="NE")
    return {
        "mali_crime": ThreatRatingFactory.create(country=mali, category=crime, level=ThreatLevel.HIGH, note="Roads."),
        "mali_terrorism": ThreatRatingFactory.create(country=mali, category=terrorism, level=ThreatLevel.CRITICAL),
        "bamako_crime": ThreatRatingFactory.create(
            country=mali, region=bamako, category=crime, level=ThreatLevel.MEDIUM
        ),
        "city_crime": ThreatRatingFactory.create(
            country=mali, region=bamako, city=city, category=crime, level=ThreatLevel.LOW
        ),
        "niger_crime": ThreatRatingFactory.create(country=niger, category=crime, level=ThreatLevel.HIGH),
    }


def ids(params: dict[str, Any]) -> set[int]:
    return set(codes("/threat-ratings/", params, key="id"))


def test_a_threat_rating_row_names_the_place_the_category_and_the_osac_rating(ratings):
    rating = ratings["city_crime"]

    (row,) = [row for row in results("/threat-ratings/") if row["id"] == rating.pk]

    assert row == {
        "id": rating.pk,
        "country": {"code": "ML", "name": "Mali"},
        "region": {"code": "ML-BKO", "name": "Bamako"},
        "city": {"name": "Kati (test)", "latitude": None, "longitude": None},
        "place": "Kati (test)",
        "category": {"slug": "crime", "name": "Crime"},
        "rating": "LOW",
        "assessed_on": "2024-11-29",
        "note": "",
        "source": {
            "title": rating.source.title,
            "publisher": "Test Publisher",
            "published_on": "2024-11-29",
            "url": "",
        },
    }
    assert get(f"/threat-ratings/{rating.pk}/").json() == row


def test_threat_ratings_filter_by_country(ratings):
    assert ids({"country": "ml"}) == {
        ratings[key].pk for key in ("mali_crime", "mali_terrorism", "bamako_crime", "city_crime")
    }


def test_threat_ratings_filter_by_region_with_its_cities(ratings):
    assert ids({"region": "ml-bko"}) == {ratings["bamako_crime"].pk, ratings["city_crime"].pk}


def test_threat_ratings_filter_by_category(ratings):
    assert ids({"category": "terrorism"}) == {ratings["mali_terrorism"].pk}


def test_threat_ratings_filter_by_rating_in_any_case(ratings):
    assert ids({"rating": "high"}) == {ratings["mali_crime"].pk, ratings["niger_crime"].pk}


def test_threat_ratings_filter_by_minimum_rating(ratings):
    assert ids({"min_rating": "HIGH", "country": "ml"}) == {ratings["mali_crime"].pk, ratings["mali_terrorism"].pk}
    assert ids({"min_rating": "medium", "region": "ml-bko"}) == {ratings["bamako_crime"].pk}


@pytest.mark.parametrize(
    ("params", "parameter", "message"),
    [
        ({"country": "zz"}, "country", "There is no country with the code ZZ"),
        ({"region": "ml-zzz"}, "region", "There is no region with the code ML-ZZZ; the list is at /api/v1/regions/."),
        ({"category": "piracy"}, "category", "There is no threat category piracy"),
        ({"rating": "severe"}, "rating", "“severe” is not a rating; give LOW, MEDIUM, HIGH or CRITICAL."),
        ({"min_rating": "4"}, "min_rating", "“4” is not a rating"),
    ],
)
def test_threat_ratings_refuse_values_that_name_nothing(db, params, parameter, message):
    assert_refused("/threat-ratings/", params, parameter, message)


def test_an_unknown_threat_rating_is_a_json_404(db):
    response = get("/threat-ratings/999999/")

    assert response.status_code == 404
    assert response.json() == {"detail": "There is no threat rating 999999."}


# Security reports -------------------------------------------------------------------------------


@pytest.fixture
def report(mali):
    report = SecurityReportFactory.create(country=mali, title="Mali Country Security Report")
    first = SecurityReportRevisionFactory.create(
        report=report, number=1, published_at=dt.datetime(2023, 5, 1, tzinfo=dt.UTC), what_changed="First edition."
    )
    ReportSectionFactory.create(revision=first, position=1, heading="Old crime")
    current = SecurityReportRevisionFactory.create(
        report=report, number=2, published_at=dt.datetime(2024, 11, 29, tzinfo=dt.UTC), what_changed="Kidnapping."
    )
    ReportSectionFactory.create(revision=current, position=2, kind=ReportSection.Kind.KIDNAPPING, heading="Kidnapping")
    ReportSectionFactory.create(revision=current, position=1, heading="Crime")
    # A draft, and a revision to be published tomorrow: neither is shown yet.
    SecurityReportRevisionFactory.create(report=report, number=3, published_at=None, what_changed="Draft.")
    SecurityReportRevisionFactory.create(
        report=report, number=4, published_at=timezone.now() + dt.timedelta(days=1), what_changed="Scheduled."
    )
    return report


def test_a_report_row_has_its_latest_published_revision(report):
    (row,) = results("/security-reports/", {"country": "ml"})

    assert row == {
        "id": report.pk,
        "country": {"code": "ML", "name": "Mali"},
        "title": "Mali Country Security Report",
        "current_revision": {"number": 2, "published_at": "2024-11-29T00:00:00Z", "what_changed": "Kidnapping."},
    }


def test_a_report_detail_has_the_sections_of_its_current_revision_in_order(report):
    body = get(f"/security-reports/{report.pk}/").json()

    revision = body["current_revision"]
    assert (revision["number"], revision["what_changed"]) == (2, "Kidnapping.")
    assert [(s["position"], s["heading"], s["kind"]) for s in revision["sections"]] == [
        (1, "Crime", "crime"),
        (2, "Kidnapping", "kidnapping"),
    ]
    assert revision["sections"][0]["body"] == "Robberies on the roads out of the capital are common at night."


def test_the_revisions_of_a_report_are_the_published_ones_newest_first(report):
    rows = results(f"/security-reports/{report.pk}/revisions/")

    assert [(row["number"], row["what_changed"]) for row in rows] == [(2, "Kidnapping."), (1, "First edition.")]
    assert set(rows[0]) == {"number", "published_at", "what_changed", "source"}


def test_the_report_matches_the_current_revision_the_country_page_shows(report):
    page = selectors.country_page("ml")
    assert page is not None

    (row,) = results("/security-reports/", {"country": "ml"})

    assert [revision.number for revision in page.revisions] == [row["current_revision"]["number"]]


def test_a_report_without_a_published_revision_is_not_shown(mali):
    draft = SecurityReportFactory.create(country=mali, title="Unfinished")
    SecurityReportRevisionFactory.create(report=draft, number=1, published_at=None)

    assert results("/security-reports/") == []
    for path in (f"/security-reports/{draft.pk}/", f"/security-reports/{draft.pk}/revisions/"):
        response = get(path)
        assert response.status_code == 404
        assert response.json() == {"detail": f"There is no security report {draft.pk}."}


def test_security_reports_filter_by_country(report):
    niger_report = SecurityReportFactory.create(country=Country.objects.get(code="NE"))
    SecurityReportRevisionFactory.create(report=niger_report, number=1)

    assert codes("/security-reports/", {"country": "ne"}, key="id") == [niger_report.pk]
    assert codes("/security-reports/", {"country": "ML"}, key="id") == [report.pk]


def test_security_reports_refuse_an_unknown_country(db):
    assert_refused("/security-reports/", {"country": "xx-1"}, "country", "There is no country with the code XX-1")


def test_an_enormous_report_id_is_a_404_not_a_server_error(db):
    assert get(f"/security-reports/{10**30}/").status_code == 404


# Contact points ---------------------------------------------------------------------------------


@pytest.fixture
def contacts(mali):
    bamako = Region.objects.get(code="ML-BKO")
    return {
        "embassy": ContactPointFactory.create(
            country=mali,
            region=bamako,
            kind=ContactPoint.Kind.EMBASSY,
            name="U.S. Embassy Bamako",
            phones=["+223 2070 2300"],
            email="acsbamako@state.gov",
        ),
        "police": ContactPointFactory.create(country=mali, kind=ContactPoint.Kind.POLICE, name="Police"),
        "niger": ContactPointFactory.create(country=Country.objects.get(code="NE"), kind=ContactPoint.Kind.POLICE),
    }


def contact_ids(params: dict[str, Any]) -> set[int]:
    return set(codes("/contact-points/", params, key="id"))


def test_a_contact_point_row_says_whom_to_call(contacts):
    embassy = contacts["embassy"]

    row = get(f"/contact-points/{embassy.pk}/").json()

    assert row == {
        "id": embassy.pk,
        "country": {"code": "ML", "name": "Mali"},
        "region": {"code": "ML-BKO", "name": "Bamako"},
        "kind": "embassy",
        "name": "U.S. Embassy Bamako",
        "address": "",
        "phones": ["+223 2070 2300"],
        "email": "acsbamako@state.gov",
        "website": "",
        "hours": "",
        "languages": "",
        "notes": "",
        "last_verified_on": "2024-11-29",
        "source": None,
    }
    assert row in results("/contact-points/")


def test_contact_points_filter_by_country(contacts):
    assert contact_ids({"country": "ml"}) == {contacts["embassy"].pk, contacts["police"].pk}


def test_contact_points_filter_by_region(contacts):
    assert contact_ids({"region": "ML-bko"}) == {contacts["embassy"].pk}


def test_contact_points_filter_by_kind(contacts):
    assert contact_ids({"kind": "police"}) == {contacts["police"].pk, contacts["niger"].pk}


@pytest.mark.parametrize(
    ("params", "parameter", "message"),
    [
        ({"country": "zz"}, "country", "There is no country with the code ZZ"),
        ({"region": "zz-1"}, "region", "There is no region with the code ZZ-1"),
        ({"kind": "priest"}, "kind", "priest is not a kind of contact point; give one of: embassy, consulate"),
    ],
)
def test_contact_points_refuse_values_that_name_nothing(db, params, parameter, message):
    assert_refused("/contact-points/", params, parameter, message)


def test_an_unknown_contact_point_is_a_json_404(db):
    response = get("/contact-points/123456/")

    assert response.status_code == 404
    assert response.json() == {"detail": "There is no contact point 123456."}


# Nothing is writable ----------------------------------------------------------------------------


@pytest.fixture
def one_of_each(mali_advisories, ratings, report, contacts):
    return {
        "/countries/": "/countries/ml/",
        "/regions/": "/regions/ml-bko/",
        "/threat-categories/": "/threat-categories/crime/",
        "/threat-ratings/": f"/threat-ratings/{ratings['mali_crime'].pk}/",
        "/security-reports/": f"/security-reports/{report.pk}/",
        "/contact-points/": f"/contact-points/{contacts['police'].pk}/",
    }


@pytest.mark.parametrize("signed_in", [False, True], ids=["anonymous", "signed-in"])
def test_writes_are_refused_with_a_405_for_everyone(one_of_each, signed_in):
    client = APIClient()
    if signed_in:
        token = Token.objects.create(user=UserFactory.create(is_staff=True, is_superuser=True))
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {token.key}")
    before = Advisory.objects.count()

    for list_path, detail_path in one_of_each.items():
        for method, path in [
            ("post", list_path),
            ("put", detail_path),
            ("patch", detail_path),
            ("delete", detail_path),
            ("post", f"{detail_path}revisions/" if "security-reports" in detail_path else detail_path),
        ]:
            response = getattr(client, method)(f"{API}{path}", {"level": 1}, format="json")
            assert response.status_code == 405, (method, path, response.content)
            assert "the advisories API is read-only" in response.json()["detail"]
            assert "GET" in response["Allow"]

    assert Advisory.objects.count() == before
    assert get("/countries/ml/").json()["level"] == 4


# Query counts -----------------------------------------------------------------------------------


def _advise(count: int) -> None:
    """`count` more made-up countries with an advisory, two regions each (one with its own),
    ratings, a published report with a draft, and contact points."""
    crime = ThreatCategory.objects.get(slug="crime")
    for _ in range(count):
        country = CountryFactory.create()
        own, inheriting = RegionFactory.create(country=country), RegionFactory.create(country=country)
        AdvisoryFactory.create(country=country)
        AdvisoryFactory.create(country=country, region=own, level=AdvisoryLevel.DO_NOT_TRAVEL)
        city = CityFactory.create(country=country, region=inheriting)
        ThreatRatingFactory.create(country=country, region=own, category=crime)
        ThreatRatingFactory.create(country=country, region=inheriting, city=city, category=crime)
        report = SecurityReportFactory.create(country=country)
        SecurityReportRevisionFactory.create(report=report, number=1)
        SecurityReportRevisionFactory.create(report=report, number=2, published_at=None)
        ContactPointFactory.create(country=country, region=own)


@pytest.mark.parametrize(
    ("path", "params", "queries"),
    [
        # The page, with every advisory annotated on it.
        ("/countries/", {"has_advisory": "true"}, 1),
        ("/regions/", {"min_level": 1}, 1),
        ("/threat-ratings/", {}, 1),
        ("/security-reports/", {}, 1),
        ("/contact-points/", {"kind": "police"}, 1),
        # A filter by category checks first that it names one.
        ("/threat-ratings/", {"category": "crime"}, 2),
    ],
)
def test_a_list_costs_the_same_number_of_queries_for_one_row_or_many(
    db, django_assert_num_queries, path, params, queries
):
    _advise(1)
    with django_assert_num_queries(queries):
        first = results(path, params)
    _advise(5)
    with django_assert_num_queries(queries):
        second = results(path, params)
    assert len(first) >= 1 and len(second) > len(first)


def test_a_detail_costs_the_same_number_of_queries_whatever_it_holds(db, django_assert_num_queries):
    few, many = CountryFactory.create(), CountryFactory.create()
    AdvisoryFactory.create(country=few)
    AdvisoryFactory.create(country=many)
    RegionFactory.create(country=few)
    for _ in range(8):
        region = RegionFactory.create(country=many)
        AdvisoryFactory.create(country=many, region=region)
    # The country, its advisory and source, its regions with their levels.
    for country in (few, many):
        with django_assert_num_queries(3):
            get(f"/countries/{country.code}/")

    small, large = SecurityReportFactory.create(), SecurityReportFactory.create()
    ReportSectionFactory.create(revision=SecurityReportRevisionFactory.create(report=small, number=1))
    revision = SecurityReportRevisionFactory.create(report=large, number=1)
    for position in range(8):
        ReportSectionFactory.create(revision=revision, position=position, source=SourceFactory.create())
    # The report, its current revision, that revision's sections.
    for report in (small, large):
        with django_assert_num_queries(3):
            get(f"/security-reports/{report.pk}/")
