"""What the advisories endpoints refuse, and what they cost: a value that names nothing is a 400
naming the parameter, an unknown object a JSON 404 naming it, a write a 405 for everyone; a
list or a detail runs the same number of queries however much it holds."""

from __future__ import annotations

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from advisories.models import (
    Advisory,
    AdvisoryLevel,
    Region,
    RiskAssessment,
    ThreatCategory,
)
from tests.api.clients import api_key_for
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

from .helpers import API, assert_refused, get, results

pytestmark = pytest.mark.django_db


# Values and addresses that name nothing ---------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "params", "parameter", "message"),
    [
        ("/countries/", {"level": 5}, "level", "5 is not an advisory level; give a number from 1 to 4."),
        ("/countries/", {"min_level": "high"}, "min_level", "high is not an advisory level"),
        ("/countries/", {"has_advisory": "maybe"}, "has_advisory", "Write true or false, not “maybe”."),
        (
            "/regions/",
            {"country": "zz"},
            "country",
            "There is no country with the code ZZ; the list is at /api/v1/countries/.",
        ),
        ("/regions/", {"country": "ß"}, "country", "There is no country with the code ß"),
        ("/regions/", {"level": "0"}, "level", "0 is not an advisory level"),
        ("/regions/", {"min_level": "9"}, "min_level", "9 is not an advisory level"),
        ("/threat-categories/", {"indicator": "Z"}, "indicator", "Z is not an indicator letter; give one of: C,"),
        ("/threat-ratings/", {"country": "zz"}, "country", "There is no country with the code ZZ"),
        (
            "/threat-ratings/",
            {"region": "ml-zzz"},
            "region",
            "There is no region with the code ML-ZZZ; the list is at /api/v1/regions/.",
        ),
        ("/threat-ratings/", {"category": "piracy"}, "category", "There is no threat category piracy"),
        (
            "/threat-ratings/",
            {"rating": "severe"},
            "rating",
            "“severe” is not a rating; give LOW, MEDIUM, HIGH or CRITICAL.",
        ),
        ("/threat-ratings/", {"min_rating": "4"}, "min_rating", "“4” is not a rating"),
        ("/security-reports/", {"country": "xx-1"}, "country", "There is no country with the code XX-1"),
        ("/contact-points/", {"country": "zz"}, "country", "There is no country with the code ZZ"),
        ("/contact-points/", {"region": "zz-1"}, "region", "There is no region with the code ZZ-1"),
        (
            "/contact-points/",
            {"kind": "priest"},
            "kind",
            "priest is not a kind of contact point; give one of: embassy, consulate",
        ),
    ],
)
def test_each_list_refuses_values_that_name_nothing(db, path, params, parameter, message):
    assert_refused(path, params, parameter, message)


@pytest.mark.parametrize(
    "path", ["/countries/zz/", "/countries/mali/", "/countries/ß/", "/regions/ml-zzz/", "/regions/bamako/"]
)
def test_an_unknown_place_is_a_json_404(db, path):
    response = get(path)

    assert response.status_code == 404
    assert set(response.json()) == {"detail"}


@pytest.mark.parametrize(
    ("path", "detail"),
    [
        ("/countries/zz/", "There is no country with the code ZZ."),
        ("/regions/ml-zzz/", "There is no region with the code ML-ZZZ."),
        ("/threat-ratings/999999/", "There is no threat rating 999999."),
        ("/contact-points/123456/", "There is no contact point 123456."),
    ],
)
def test_the_404_of_an_unknown_object_names_what_was_looked_for(db, path, detail):
    response = get(path)

    assert response.status_code == 404
    assert response.json() == {"detail": detail}


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
        client.credentials(
            HTTP_AUTHORIZATION=f"Bearer {api_key_for(UserFactory.create(is_staff=True, is_superuser=True))}"
        )
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
        for region in (None, own, inheriting):
            RiskAssessment.objects.create(
                country=country, region=region, computed_at=timezone.now(), index=40, suggested_level=2
            )


@pytest.mark.parametrize(
    ("path", "params", "queries"),
    [
        # The page, with every advisory annotated on it; the places' current risk assessments.
        ("/countries/", {"has_advisory": "true"}, 2),
        ("/regions/", {"min_level": 1}, 2),
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
    for region in Region.objects.filter(country=many):
        RiskAssessment.objects.create(
            country=many, region=region, computed_at=timezone.now(), index=60, suggested_level=3
        )
    # The country and its risk, its advisory and source, its regions with their levels and risks.
    for country in (few, many):
        with django_assert_num_queries(5):
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
