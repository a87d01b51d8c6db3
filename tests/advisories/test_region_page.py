"""The public region page, and what the country and region pages cost in queries."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from lxml import html as lxml_html  # type: ignore[import-untyped]

from advisories.models import (
    RISK_INDICATOR_EXPLANATIONS,
    City,
    Country,
    CrimeIndicatorAssessment,
    CrimeProfile,
    Region,
    RiskIndicator,
    ThreatLevel,
)
from tests.advisories.helpers import text_of
from tests.factories import (
    AdvisoryFactory,
    CityFactory,
    ContactPointFactory,
    CountryFactory,
    RegionFactory,
    ReportSectionFactory,
    RiskAssessmentFactory,
    SecurityReportRevisionFactory,
    SourceFactory,
    ThreatCategoryFactory,
    ThreatRatingFactory,
)

pytestmark = pytest.mark.django_db


# --- Region page ---------------------------------------------------------------------------


def test_region_page_shows_its_level_reason_ratings_contacts_and_link_back(
    client, mali_advisory, bamako_ratings, embassy, police, categories
):
    region = Region.objects.get(code="ML-BKO")
    AdvisoryFactory(country=region.country, region=region, level=4, indicators="CT", summary="Attack in Sept 2024.")
    ThreatRatingFactory(country=region.country, region=region, category=categories[0], level=ThreatLevel.HIGH)
    gao = CityFactory(country=region.country, region=Region.objects.get(code="ML-7"), name="Gao")
    ThreatRatingFactory(country=region.country, city=gao, category=categories[0], level=ThreatLevel.LOW)

    response = client.get("/countries/ml/regions/ml-bko/")

    assert response.status_code == 200
    html = response.content.decode()
    text = text_of(response)
    assert "<h1>Bamako</h1>" in html
    assert "Level 4: Do Not Travel" in text and "Attack in Sept 2024." in text
    assert str(RISK_INDICATOR_EXPLANATIONS[RiskIndicator.TERRORISM]) in text
    assert str(RISK_INDICATOR_EXPLANATIONS[RiskIndicator.KIDNAPPING]) not in text
    assert text.count("CRITICAL") == 3 and "HIGH" in text
    ratings = html.split('id="threats-heading"')[1].split("</section>")[0]
    assert "Gao" not in ratings and "LOW" not in text
    contacts = html.split('id="contacts-heading"')[1]
    assert "U.S. Embassy Bamako" in contacts and "Police emergency" not in contacts
    assert 'id="incidents"' in html
    assert html.count('href="/countries/ml/"') >= 2
    assert '<h2 id="indicators-heading">Why this level: risk indicators</h2>' in html
    assert '<h2 id="sources-heading">Sources</h2>' in html


def test_region_without_its_own_advisory_says_the_country_level_applies(client, mali_advisory):
    text = text_of(client.get("/countries/ml/regions/ml-8/"))

    assert "Kidal" in text
    assert "Level 4: Do Not Travel" in text
    assert "No separate advisory: the level of Mali applies (issued 29 Nov 2024)." in text


def test_a_region_page_gives_the_country_emergency_numbers_first(client, mali_advisory, embassy, police):
    html = client.get("/countries/ml/regions/ml-bko/").content.decode()

    emergency = html.split('id="emergency-heading"')[1].split("</section>")[0]
    assert emergency.index("Police emergency") < emergency.index("U.S. Embassy Bamako")
    assert 'href="tel:' in emergency
    assert html.index('id="emergency-heading"') < html.index('id="incidents-heading"')


def test_region_of_a_country_without_data_says_no_advisory_is_published_yet(client):
    text = text_of(client.get("/countries/fr/regions/fr-idf/"))

    assert "No advisory published yet" in text
    assert not re.search(r"Level \d", text)
    # With nothing to explain or cite, neither section is there, on the region page or the country's.
    for page in ("/countries/fr/regions/fr-idf/", "/countries/fr/"):
        html = client.get(page).content.decode()
        assert 'id="indicators"' not in html and 'id="sources"' not in html


def test_region_page_escapes_text_fields(client, mali):
    region = Region.objects.get(code="ML-1")
    AdvisoryFactory(country=mali, region=region, level=3, summary="<script>alert(1)</script>")

    html = client.get("/countries/ml/regions/ml-1/").content.decode()

    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


# --- Query counts --------------------------------------------------------------------------


def build_country(size: int) -> Country:
    """A made-up country with `size` of everything the country page shows."""
    country = CountryFactory.create()
    AdvisoryFactory(country=country, level=3, indicators="CTK")
    AdvisoryFactory(country=country, level=1, is_current=False, issued_on=dt.date(2020, 1, 1))
    categories = [ThreatCategoryFactory() for _ in range(3)]
    revision = SecurityReportRevisionFactory(report__country=country)
    profile = CrimeProfile.objects.create(country=country, edition=2025, source=SourceFactory.create())
    indicators = CrimeIndicatorAssessment._meta.get_field("indicator").choices or []
    for n, (indicator, _label) in enumerate(indicators[: min(size, len(indicators))]):
        CrimeIndicatorAssessment.objects.create(profile=profile, indicator=indicator, score=Decimal(1 + n % 9))
    for n in range(size):
        region = RegionFactory(country=country)
        AdvisoryFactory(country=country, region=region, level=1 + n % 4)
        city = CityFactory(country=country, region=region)
        for category in categories:
            ThreatRatingFactory(country=country, region=region, category=category)
            ThreatRatingFactory(country=country, city=city, category=category)
        ContactPointFactory(country=country, region=region)
        ReportSectionFactory(revision=revision, position=n + 1, source=SourceFactory())
        RiskAssessmentFactory(country=country, region=region, index=10 + n % 80, is_current=False)
        RiskAssessmentFactory(country=country, region=region, index=20 + n % 80, by_category=categories)
        RiskAssessmentFactory(country=country, index=n % 100, is_current=False)
    RiskAssessmentFactory(country=country, index=55, by_category=categories)
    return country


# Each includes one query for the page's recent public incidents (incidents' recent_incidents tag)
# and one for the map's outlines (these made-up regions have none, so no map is drawn; a drawn
# map's queries are counted in test_maps.py); one for the risk index and its history (the country
# page's gives its regions' current indexes too), and one more for the names of the threat
# categories the current index counts, when it counts any.
COUNTRY_PAGE_QUERIES = 13
REGION_PAGE_QUERIES = 7


def history_rows(response) -> list:
    return lxml_html.fromstring(response.content).xpath("//section[@id='risk']//details//tbody/tr")


def test_country_page_runs_the_same_queries_for_3_or_30_regions(client, django_assert_num_queries):
    small, large = build_country(3), build_country(30)

    with django_assert_num_queries(COUNTRY_PAGE_QUERIES):
        small_text = text_of(client.get(small.get_absolute_url()))
    with django_assert_num_queries(COUNTRY_PAGE_QUERIES):
        large_response = client.get(large.get_absolute_url())
    large_text = text_of(large_response)

    # The pages really show what was built, so the counts measure full pages.
    assert small_text.count("Checked on") == 3 and large_text.count("Checked on") == 30
    assert large_text.count("Robberies on the roads") == 30
    assert large_text.count("suggesting level") == 30
    assert "55 of 100" in large_text and len(history_rows(large_response)) == 31


def test_region_page_runs_the_same_queries_for_few_or_many_ratings_and_contacts(client, django_assert_num_queries):
    region = RegionFactory.create()
    AdvisoryFactory(country=region.country, level=2)
    with django_assert_num_queries(REGION_PAGE_QUERIES):
        client.get(region.get_absolute_url())

    for _ in range(10):
        category = ThreatCategoryFactory.create()
        city = City.objects.create(country=region.country, region=region, name=f"City {category.pk}")
        ThreatRatingFactory(country=region.country, region=region, category=category)
        ThreatRatingFactory(country=region.country, city=city, category=category)
        ContactPointFactory(country=region.country, region=region)
        RiskAssessmentFactory(country=region.country, region=region, is_current=False)
    RiskAssessmentFactory(country=region.country, region=region, index=64, by_category=[category])
    with CaptureQueriesContext(connection) as queries:
        response = client.get(region.get_absolute_url())
    text = text_of(response)
    assert len(queries) == REGION_PAGE_QUERIES + 1  # the names of the categories its index counts
    assert "64 of 100" in text and len(history_rows(response)) == 11
    assert text.count("Checked on") == 10
    assert text.count("HIGH") == 20
