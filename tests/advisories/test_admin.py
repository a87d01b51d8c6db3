"""The analysts' admin: every page opens, changelists do not run a query per row, and the
rules of the data (one current advisory per place, one rating per place and category...)
come back as form errors an analyst can act on, never as a server error."""

from decimal import Decimal

import pytest
from django.apps import apps
from django.contrib import admin
from django.db import connection
from django.db.models import Model
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from advisories.models import (
    Advisory,
    Country,
    CrimeIndicator,
    CrimeIndicatorAssessment,
    CrimeProfile,
    Region,
    RegionBoundary,
    RiskAssessment,
    SecurityReport,
    SecurityReportRevision,
)
from tests.advisories.helpers import admin_url
from tests.factories import (
    AdvisoryFactory,
    CityFactory,
    ContactPointFactory,
    CountryFactory,
    RegionFactory,
    ReportSectionFactory,
    SecurityReportRevisionFactory,
    SourceFactory,
    ThreatCategoryFactory,
    ThreatRatingFactory,
)

pytestmark = pytest.mark.django_db

ADVISORY_MODELS = list(apps.get_app_config("advisories").get_models())


@pytest.fixture
def one_of_each(db) -> dict[type[Model], Model]:
    """One saved object of every advisories model, all about a made-up country."""
    country = CountryFactory.create(code="XA", name="Testland XA")
    region = RegionFactory.create(country=country, name="Northern Province")
    city = CityFactory.create(country=country, region=region, name="Port Testville")
    source = SourceFactory.create(title="Testland field report")
    revision = SecurityReportRevisionFactory.create(report__country=country, report__title="Testland security report")
    profile = CrimeProfile.objects.create(country=country, edition=2025, source=source, resilience_score=Decimal("2.5"))
    category = ThreatCategoryFactory.create(slug="crime", name="Crime")
    objects: list[Model] = [
        source,
        country,
        region,
        RegionBoundary.objects.create(
            region=region, geometry={"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 0]]]}
        ),
        city,
        AdvisoryFactory.create(country=country, region=region, summary="Roads are mined."),
        category,
        ThreatRatingFactory.create(country=country, city=city, category=category),
        revision.report,
        revision,
        ReportSectionFactory.create(revision=revision, heading="Crime in the capital"),
        ContactPointFactory.create(country=country, name="Testville police"),
        profile,
        CrimeIndicatorAssessment.objects.create(
            profile=profile, indicator=CrimeIndicator.ARMS_TRAFFICKING, score=Decimal("7.5"), summary="Guns."
        ),
        RiskAssessment.objects.create(
            country=country, region=region, computed_at=timezone.now(), index=42, suggested_level=2
        ),
    ]
    return {type(obj): obj for obj in objects}


# A search on each changelist that must find the object made by `one_of_each`.
SEARCHES = {
    "source": "Testland field",
    "country": "Testland",
    "region": "Northern",
    "regionboundary": "Northern",
    "city": "Testville",
    "advisory": "mined",
    "threatcategory": "crime",
    "threatrating": "Testville",
    "securityreport": "Testland security",
    "securityreportrevision": "Testland",
    "reportsection": "capital",
    "contactpoint": "Testville police",
    "crimeprofile": "Testland",
    "crimeindicatorassessment": "Testland",
    "riskassessment": "Northern",
}
# Computed, never typed: their admin only shows them.
READ_ONLY = {RiskAssessment}


def test_every_advisories_model_has_an_admin():
    assert [m for m in ADVISORY_MODELS if not admin.site.is_registered(m)] == []
    assert {m._meta.model_name for m in ADVISORY_MODELS} == set(SEARCHES)


@pytest.mark.parametrize("model", ADVISORY_MODELS, ids=lambda m: m._meta.model_name)
def test_each_admin_page_opens(admin_client, one_of_each, model):
    obj = one_of_each[model]
    assert admin_client.get(admin_url(model, "changelist")).status_code == 200
    assert admin_client.get(admin_url(model, "add")).status_code == (403 if model in READ_ONLY else 200)
    assert admin_client.get(admin_url(model, "change", obj.pk)).status_code == 200


@pytest.mark.parametrize("model", ADVISORY_MODELS, ids=lambda m: m._meta.model_name)
def test_each_changelist_search_finds_the_object(admin_client, one_of_each, model):
    response = admin_client.get(admin_url(model, "changelist"), {"q": SEARCHES[model._meta.model_name]})
    assert response.status_code == 200
    assert one_of_each[model] in response.context["cl"].result_list


def test_a_visitor_who_is_not_staff_is_sent_to_the_login_page(client, django_user_model):
    client.force_login(django_user_model.objects.create_user("reader", password="x"))
    response = client.get(admin_url(Advisory, "changelist"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_countries_and_regions_cannot_be_deleted_from_the_admin(admin_client, mali):
    mopti = Region.objects.get(code="ML-5")
    assert admin_client.post(admin_url(Country, "delete", mali.pk), {"post": "yes"}).status_code == 403
    assert admin_client.post(admin_url(Region, "delete", mopti.pk), {"post": "yes"}).status_code == 403
    assert Country.objects.filter(pk=mali.pk).exists()
    assert Region.objects.filter(pk=mopti.pk).exists()


# List filters --------------------------------------------------------------------------------


# Each list filter that asks only whether a field is empty: its parameter, a search that finds
# just the test's rows, and a row to add beside one_of_each's own whose field is empty.
EMPTY_OR_NOT = {
    Advisory: (
        "region__isempty",
        "mined",
        lambda objects: AdvisoryFactory.create(country=objects[Country], summary="Mined roads everywhere."),
    ),
    Region: (
        "boundary__isempty",
        "Testland XA",
        lambda objects: RegionFactory.create(country=objects[Country], name="Northern Desert"),
    ),
    SecurityReportRevision: (
        "published_at__isempty",
        "Testland",
        lambda objects: SecurityReportRevisionFactory.create(
            report=objects[SecurityReport], number=2, published_at=None
        ),
    ),
}


@pytest.mark.parametrize("model", list(EMPTY_OR_NOT), ids=lambda m: m._meta.model_name)
def test_an_empty_or_not_filter_splits_the_list_in_two(admin_client, one_of_each, model):
    parameter, search, add_empty = EMPTY_OR_NOT[model]
    empty = add_empty(one_of_each)

    def listed(value: str) -> set[Model]:
        response = admin_client.get(admin_url(model, "changelist"), {"q": search, parameter: value})
        assert response.status_code == 200
        return set(response.context["cl"].result_list)

    assert (listed("1"), listed("0")) == ({empty}, {one_of_each[model]})


# Query counts ------------------------------------------------------------------------------


def _queries(client, url: str, params: dict[str, str]) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(queries)


def _assert_changelist_does_not_grow(client, url, params, add_rows, django_assert_max_num_queries) -> None:
    add_rows(3)
    client.get(url, params)  # warms the session and content-type caches
    with_3 = _queries(client, url, params)
    add_rows(27)
    with django_assert_max_num_queries(with_3):
        response = client.get(url, params)
    assert response.context["cl"].result_count == 30


def test_the_advisory_changelist_does_not_run_a_query_per_row(admin_client, django_assert_max_num_queries):
    country = CountryFactory.create(code="XB")
    source = SourceFactory.create()

    def add_rows(n: int) -> None:
        for region in RegionFactory.create_batch(n, country=country):
            AdvisoryFactory.create(country=country, region=region, source=source, indicators="CTK")

    _assert_changelist_does_not_grow(
        admin_client, admin_url(Advisory, "changelist"), {}, add_rows, django_assert_max_num_queries
    )


def test_the_region_changelist_does_not_run_a_query_per_row(admin_client, django_assert_max_num_queries):
    country = CountryFactory.create(code="XC")

    def add_rows(n: int) -> None:
        for region in RegionFactory.create_batch(n, country=country):
            AdvisoryFactory.create(country=country, region=region, level=2)

    # No advisory exists but these, so "current level 2" lists exactly the regions made here.
    _assert_changelist_does_not_grow(
        admin_client, admin_url(Region, "changelist"), {"current_level": "2"}, add_rows, django_assert_max_num_queries
    )
