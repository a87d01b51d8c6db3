"""The public advisory pages: home, country and region, as a traveler reads them."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from advisories.models import (
    RISK_INDICATOR_EXPLANATIONS,
    Advisory,
    AdvisoryLevel,
    City,
    Country,
    CrimeIndicatorAssessment,
    CrimeProfile,
    Region,
    ReportSection,
    RiskIndicator,
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
    ThreatCategoryFactory,
    ThreatRatingFactory,
)

pytestmark = pytest.mark.django_db


def text_of(response) -> str:
    """The page's text with tags removed and whitespace collapsed, to match sentences."""
    html = response.content.decode()
    text = " ".join(re.sub(r"<[^>]+>", " ", html).split())
    return re.sub(r" ([,.:;)])", r"\1", text)


# --- Mali, built with the factories (facts from the OSAC report of 29 Nov 2024) ---------


@pytest.fixture
def osac(db):
    return SourceFactory(
        slug="osac-mali-2024",
        title="Mali Country Security Report",
        publisher="OSAC",
        published_on=dt.date(2024, 11, 29),
    )


@pytest.fixture
def mali_advisory(mali, osac):
    return AdvisoryFactory(
        country=mali,
        level=AdvisoryLevel.DO_NOT_TRAVEL,
        indicators="CTK",
        summary="Armed groups attack towns and roads across the country, Bamako included.",
        source=osac,
    )


@pytest.fixture
def categories(db):
    return [
        ThreatCategoryFactory(slug="page-crime", name="Crime (test)", position=1),
        ThreatCategoryFactory(slug="page-terrorism", name="Terrorism (test)", position=2),
        ThreatCategoryFactory(slug="page-political", name="Political violence (test)", position=3),
    ]


@pytest.fixture
def bamako(mali):
    return CityFactory(country=mali, region=Region.objects.get(code="ML-BKO"), name="Bamako")


@pytest.fixture
def bamako_ratings(mali, bamako, categories, osac):
    return [
        ThreatRatingFactory(country=mali, city=bamako, category=category, level=ThreatLevel.CRITICAL, source=osac)
        for category in categories
    ]


@pytest.fixture
def embassy(mali, osac):
    return ContactPointFactory(
        country=mali,
        region=Region.objects.get(code="ML-BKO"),
        kind="embassy",
        name="U.S. Embassy Bamako",
        address="ACI 2000, Rue 243, Porte 297, Bamako",
        phones=["+223 2070 2300"],
        hours="Monday to Thursday 07:30-17:00; Friday 07:30-11:30",
        last_verified_on=dt.date(2024, 11, 29),
        source=osac,
        position=1,
    )


@pytest.fixture
def country_council(mali, osac):
    return ContactPointFactory(
        country=mali,
        kind="country_council",
        name="OSAC Mali Country Council",
        phones=[],
        email="OSACBamako@state.gov",
        last_verified_on=dt.date(2024, 11, 29),
        source=osac,
        position=3,
    )


@pytest.fixture
def police(mali, osac):
    return ContactPointFactory(
        country=mali,
        kind="police",
        name="Police emergency",
        phones=["8000-1115"],
        languages="Bambara, French",
        last_verified_on=dt.date(2024, 11, 29),
        source=osac,
        position=2,
    )


# --- Home page -----------------------------------------------------------------------------


def test_home_links_every_country_by_its_name(client, mali_advisory):
    response = client.get(reverse("advisories:home"))

    assert response.status_code == 200
    html = response.content.decode()
    assert '<a href="/countries/ml/">Mali</a>' in html
    assert '<a href="/countries/fr/">France</a>' in html
    country_links = set(re.findall(r'href="/countries/([a-z]{2})/"', html))
    assert country_links == {code.lower() for code in Country.objects.values_list("code", flat=True)}


def test_home_shows_each_country_level_in_words(client, mali_advisory):
    AdvisoryFactory(country=Country.objects.get(code="FR"), level=AdvisoryLevel.INCREASED_CAUTION, indicators="T")

    html = client.get(reverse("advisories:home")).content.decode()

    mali_row = re.search(r"<tr>\s*<th scope=\"row\"><a href=\"/countries/ml/\">Mali</a></th>(.*?)</tr>", html, re.S)
    france_row = re.search(r"<tr>\s*<th scope=\"row\"><a href=\"/countries/fr/\">France</a></th>(.*?)</tr>", html, re.S)
    peru_row = re.search(r"<tr>\s*<th scope=\"row\"><a href=\"/countries/pe/\">Peru</a></th>(.*?)</tr>", html, re.S)
    assert mali_row and "Level 4" in mali_row[1] and "Do Not Travel" in mali_row[1]
    assert france_row and "Level 2" in france_row[1] and "Exercise Increased Caution" in france_row[1]
    assert peru_row and "No advisory yet" in peru_row[1]
    total = Country.objects.count()
    assert f"2 of {total} countries have a published advisory" in text_of(client.get("/"))


def test_home_puts_countries_with_an_advisory_first_highest_level_first(client, mali_advisory):
    for code, level in [("FR", 2), ("NE", 4), ("SN", 1)]:
        AdvisoryFactory(country=Country.objects.get(code=code), level=level)

    html = client.get("/").content.decode()

    published = html.split('id="published-heading"')[1].split("</table>")[0]
    assert re.findall(r'<th scope="row"><a href="[^"]+">([^<]+)</a>', published) == [
        "Mali",
        "Niger",
        "France",
        "Senegal",
    ]
    assert f"4 of {Country.objects.count()} countries have a published advisory" in text_of(client.get("/"))


def test_home_without_any_advisory_has_no_published_list(client):
    html = client.get("/").content.decode()

    assert 'id="published-heading"' not in html
    assert f"0 of {Country.objects.count()} countries have a published advisory" in text_of(client.get("/"))


def test_home_ignores_an_advisory_that_is_no_longer_current(client, mali):
    AdvisoryFactory(country=mali, level=AdvisoryLevel.NORMAL_PRECAUTIONS, is_current=False)

    html = client.get("/").content.decode()

    mali_row = re.search(r'href="/countries/ml/">Mali</a></th>(.*?)</tr>', html, re.S)
    assert mali_row and "No advisory yet" in mali_row[1]
    assert 'id="published-heading"' not in html


def test_home_lists_all_countries_in_one_query_however_many_advisories(client, django_assert_num_queries):
    AdvisoryFactory(country=Country.objects.get(code="ML"), level=4)
    with django_assert_num_queries(1):
        assert client.get("/").status_code == 200

    for code in ["FR", "NE", "BF", "SN", "CI", "GN", "DZ", "MR", "TD", "NG"]:
        country = Country.objects.get(code=code)
        AdvisoryFactory(country=country, level=2)
        AdvisoryFactory(country=country, region=country.regions.first(), level=3)
    with django_assert_num_queries(1):
        assert client.get("/").status_code == 200


def test_countries_address_leads_to_the_list_on_the_home_page(client):
    response = client.get("/countries/")

    assert response.status_code == 302
    assert response["Location"] == "/"


# --- Country page --------------------------------------------------------------------------


def test_country_page_shows_level_four_do_not_travel_with_source_and_date(client, mali_advisory):
    response = client.get("/countries/ml/")

    assert response.status_code == 200
    text = text_of(response)
    assert "Level 4: Do Not Travel" in text
    assert "Issued 29 Nov 2024" in text
    assert "Armed groups attack towns and roads across the country, Bamako included." in text
    assert "Source: Mali Country Security Report, OSAC, published 29 Nov 2024" in text


def test_country_page_explains_each_indicator_in_words(client, mali_advisory):
    text = text_of(client.get("/countries/ml/"))

    for letter in "CTK":
        indicator = RiskIndicator(letter)
        assert f"{letter} {indicator.label}" in text
        assert str(RISK_INDICATOR_EXPLANATIONS[indicator]) in text
    assert str(RISK_INDICATOR_EXPLANATIONS[RiskIndicator.HEALTH]) not in text


def test_country_page_shows_bamako_critical_threat_ratings(client, mali_advisory, bamako_ratings):
    html = client.get("/countries/ml/").content.decode()

    table = re.search(r'<table class="ratings">.*?</table>', html, re.S)
    assert table
    assert "Bamako" in table[0]
    for category in ["Crime (test)", "Terrorism (test)", "Political violence (test)"]:
        row = re.search(rf'<th scope="row">{re.escape(category)}</th>(.*?)</tr>', table[0], re.S)
        assert row and "CRITICAL" in row[1] and "29 Nov 2024" in row[1]


def test_country_page_lists_every_region_with_its_level_and_reason(client, mali_advisory):
    mopti = Region.objects.get(code="ML-5")
    AdvisoryFactory(country=mopti.country, region=mopti, level=4, summary="Armed groups control roads between towns.")
    kayes = Region.objects.get(code="ML-1")
    AdvisoryFactory(country=kayes.country, region=kayes, level=3, summary="Robberies near gold-mining sites.")

    html = client.get("/countries/ml/").content.decode()

    table = re.search(r'<table class="regions">.*?</table>', html, re.S)
    assert table
    rows = re.findall(r"<tr>\s*<th scope=\"row\"><a href=\"([^\"]+)\">([^<]+)</a></th>(.*?)</tr>", table[0], re.S)
    assert len(rows) == 11
    assert {url for url, _, _ in rows} == {r.get_absolute_url() for r in Region.objects.filter(country__code="ML")}
    by_name = {name: cell for _, name, cell in rows}
    assert "Level 4" in by_name["Mopti"] and "Armed groups control roads between towns." in by_name["Mopti"]
    assert "Level 3" in by_name["Kayes"] and "Reconsider Travel" in by_name["Kayes"]
    assert "Robberies near gold-mining sites." in by_name["Kayes"]
    assert "Level 4" in by_name["Kidal"] and "the country level applies" in by_name["Kidal"]
    assert all("Level " in cell for cell in by_name.values())


def test_country_page_shows_sections_of_the_latest_published_revision_in_order(client, mali_advisory, osac):
    report = SecurityReportFactory(country=mali_advisory.country, title="Mali Country Security Report")
    old = SecurityReportRevisionFactory(report=report, number=1, what_changed="First edition.")
    ReportSectionFactory(revision=old, heading="Crime", position=1, body="Outdated crime text.")
    current = SecurityReportRevisionFactory(
        report=report, number=2, what_changed="Added the September 2024 Bamako attack.", source=osac
    )
    ReportSectionFactory(revision=current, kind="terrorism", heading="Terrorism", position=2, body="Terror text.")
    ReportSectionFactory(revision=current, kind="crime", heading="Crime", position=1, body="Current crime text.")
    ReportSectionFactory(revision=current, kind="kidnapping", heading="Kidnapping Threat", position=3, body="Kid.")
    draft = SecurityReportRevisionFactory(report=report, number=3, published_at=None, what_changed="Draft.")
    ReportSectionFactory(revision=draft, heading="Crime", position=1, body="Draft crime text.")
    scheduled = SecurityReportRevisionFactory(
        report=report, number=4, published_at=dt.datetime(2999, 1, 1, tzinfo=dt.UTC), what_changed="Later."
    )
    ReportSectionFactory(revision=scheduled, heading="Crime", position=1, body="Not yet published text.")

    html = client.get("/countries/ml/").content.decode()
    text = text_of(client.get("/countries/ml/"))

    headings = re.findall(r'<h3 id="section-\d+">([^<]+)</h3>', html)
    assert headings == ["Crime", "Terrorism", "Kidnapping Threat"]
    assert "Current crime text." in text
    assert "revision 2, published 29 Nov 2024" in text
    assert "What changed: Added the September 2024 Bamako attack." in text
    for hidden in ["Outdated crime text.", "Draft crime text.", "Not yet published text.", "Draft."]:
        assert hidden not in text


def test_country_page_does_not_show_a_report_that_only_has_drafts(client, mali_advisory):
    draft = SecurityReportRevisionFactory(report__country=mali_advisory.country, number=1, published_at=None)
    ReportSectionFactory(revision=draft, body="Unpublished words.")

    text = text_of(client.get("/countries/ml/"))

    assert "Unpublished words." not in text
    assert "Security report" not in text


def test_country_page_does_not_show_a_superseded_advisory(client, mali):
    AdvisoryFactory(
        country=mali,
        level=2,
        summary="Old text from an earlier advisory.",
        issued_on=dt.date(2020, 1, 1),
        is_current=False,
    )
    AdvisoryFactory(country=mali, level=4, summary="The current reason.")

    text = text_of(client.get("/countries/ml/"))

    assert "Level 4: Do Not Travel" in text
    assert "The current reason." in text
    assert "Old text from an earlier advisory." not in text
    assert "Exercise Increased Caution" not in text


def test_country_page_shows_contacts_with_phones_hours_and_last_verified_date(
    client, mali_advisory, embassy, police, country_council
):
    html = client.get("/countries/ml/").content.decode()
    text = text_of(client.get("/countries/ml/"))

    assert re.findall(r"<h3>([^<]+)</h3>", html.split('id="contacts"')[1]) == [
        "U.S. Embassy Bamako",
        "Police emergency",
        "OSAC Mali Country Council",
    ]
    assert "ACI 2000, Rue 243, Porte 297, Bamako" in text
    assert '<a href="tel:+22320702300">+223 2070 2300</a>' in html
    assert "Monday to Thursday 07:30-17:00; Friday 07:30-11:30" in text
    assert '<a href="tel:8000-1115">8000-1115</a>' in html
    assert "Bambara, French" in text
    assert '<a href="mailto:OSACBamako@state.gov">' in html
    assert text.count("Last verified 29 Nov 2024") == 3


def test_country_page_lists_where_each_fact_comes_from(client, mali_advisory, bamako_ratings, embassy):
    unesco = SourceFactory(title="Sahel programme page", publisher="UNODC", published_on=None, url="https://x.test/")
    ContactPointFactory(country=mali_advisory.country, name="Hospital", source=unesco)

    html = client.get("/countries/ml/").content.decode()
    sources = html.split('id="sources"')[1]

    items = re.findall(r"<li>(.*?)</li>", sources, re.S)
    assert len(items) == 2
    assert "<cite>Mali Country Security Report</cite>, OSAC, published 29 Nov 2024" in items[0]
    assert '<a href="https://x.test/" rel="noopener">Sahel programme page</a>' in items[1]
    assert "UNODC" in items[1]


def test_country_page_shows_organized_crime_profiles_by_edition(client, mali_advisory):
    mali = mali_advisory.country
    gitoc_2025 = SourceFactory.create(title="Mali profile 2025", publisher="GI-TOC", published_on=dt.date(2025, 1, 1))
    gitoc_2021 = SourceFactory.create(title="Mali profile 2021", publisher="GI-TOC", published_on=dt.date(2021, 1, 1))
    profile_2025 = CrimeProfile.objects.create(
        country=mali, edition=2025, source=gitoc_2025, resilience_score=Decimal("2.08"), summary="Markets grew."
    )
    CrimeIndicatorAssessment.objects.create(
        profile=profile_2025, indicator="law_enforcement", score=Decimal("2.50"), summary="Police stretched thin."
    )
    CrimeIndicatorAssessment.objects.create(
        profile=profile_2025, indicator="human_smuggling", summary="Routes north through Gao."
    )
    CrimeProfile.objects.create(country=mali, edition=2021, source=gitoc_2021, summary="The earlier picture.")

    html = client.get("/countries/ml/").content.decode()
    text = text_of(client.get("/countries/ml/"))

    assert re.findall(r"<h3>(\d{4}) edition</h3>", html) == ["2025", "2021"]
    assert "Resilience 2.08" in text
    assert "Law enforcement 2.50 Police stretched thin." in text
    assert "Human smuggling not given Routes north through Gao." in text
    assert "Criminal markets, 2025 edition" in text
    assert "Resilience, 2025 edition" in text
    assert "The earlier picture." in text
    assert "Mali profile 2021, GI-TOC, published 1 Jan 2021" in text


def test_country_without_any_data_says_no_advisory_is_published_yet(client):
    response = client.get("/countries/fr/")

    assert response.status_code == 200
    text = text_of(response)
    assert "No advisory published yet" in text
    assert "Île-de-France" in text
    assert "Threat ratings" not in text
    assert not re.search(r"Level \d", text)


def test_country_page_escapes_text_fields(client, mali):
    AdvisoryFactory(country=mali, level=4, summary="<script>alert('x')</script> & more")
    ContactPointFactory(country=mali, name="<b>Bold</b> post", address="<img src=x onerror=alert(1)>")

    html = client.get("/countries/ml/").content.decode()

    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; more" in html
    assert "<b>Bold</b>" not in html and "&lt;b&gt;Bold&lt;/b&gt; post" in html
    assert "<img src=x" not in html


def test_country_page_is_marked_with_the_language_it_is_written_in(client, mali_advisory):
    english = client.get("/countries/ml/").content.decode()
    french = client.get("/countries/ml/", headers={"accept-language": "fr"}).content.decode()

    assert '<html lang="en"' in english
    assert '<html lang="fr"' in french


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
    assert "Gao" not in text and "LOW" not in text
    assert "U.S. Embassy Bamako" in text and "Police emergency" not in text
    assert 'id="incidents"' in html
    assert html.count('href="/countries/ml/"') >= 2


def test_region_without_its_own_advisory_says_the_country_level_applies(client, mali_advisory):
    text = text_of(client.get("/countries/ml/regions/ml-8/"))

    assert "Kidal" in text
    assert "Level 4: Do Not Travel" in text
    assert "This region has no separate advisory: the level of Mali applies." in text


def test_region_of_a_country_without_data_says_no_advisory_is_published_yet(client):
    text = text_of(client.get("/countries/fr/regions/fr-idf/"))

    assert "No advisory published yet" in text
    assert not re.search(r"Level \d", text)


def test_region_page_escapes_text_fields(client, mali):
    region = Region.objects.get(code="ML-1")
    AdvisoryFactory(country=mali, region=region, level=3, summary="<script>alert(1)</script>")

    html = client.get("/countries/ml/regions/ml-1/").content.decode()

    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


# --- Addresses and errors ------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "/countries/zz/",
        "/countries/mali/",
        "/countries/ml/regions/ml-99/",
        "/countries/fr/regions/ml-bko/",
        "/countries/zz/regions/ml-bko/",
        "/countries/ß/",
        "/countries/ml/regions/ml-ß/",
    ],
)
def test_unknown_country_or_region_is_a_404_page(client, url):
    response = client.get(url)

    assert response.status_code == 404
    assert "404.html" in [t.name for t in response.templates]
    assert "Page not found" in text_of(response)


@pytest.mark.parametrize(
    ("url", "location"),
    [
        ("/countries/ML/", "/countries/ml/"),
        ("/countries/Ml/regions/ML-BKO/", "/countries/ml/regions/ml-bko/"),
        ("/countries/ml/regions/ML-bko/", "/countries/ml/regions/ml-bko/"),
    ],
)
def test_upper_case_codes_redirect_permanently_to_the_lower_case_address(client, url, location):
    response = client.get(url)

    assert response.status_code == 301
    assert response["Location"] == location


def test_server_error_page_renders_without_a_request():
    html = render_to_string("500.html")

    assert "Something went wrong on our side" in html


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
    return country


# Each includes one query for the page's recent public incidents (incidents' recent_incidents tag).
COUNTRY_PAGE_QUERIES = 10
REGION_PAGE_QUERIES = 5


def test_country_page_runs_the_same_queries_for_3_or_30_regions(client, django_assert_num_queries):
    small, large = build_country(3), build_country(30)

    with django_assert_num_queries(COUNTRY_PAGE_QUERIES):
        small_text = text_of(client.get(small.get_absolute_url()))
    with django_assert_num_queries(COUNTRY_PAGE_QUERIES):
        large_text = text_of(client.get(large.get_absolute_url()))

    # The pages really show what was built, so the counts measure full pages.
    assert small_text.count("Last verified") == 3 and large_text.count("Last verified") == 30
    assert large_text.count("Robberies on the roads") == 30


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
    with CaptureQueriesContext(connection) as queries:
        text = text_of(client.get(region.get_absolute_url()))
    assert len(queries) == REGION_PAGE_QUERIES
    assert text.count("Last verified") == 10
    assert text.count("HIGH") == 20


def test_sections_are_not_reordered_by_creation(client, mali_advisory):
    revision = SecurityReportRevisionFactory.create(report__country=mali_advisory.country)
    for position, heading in [(3, "Third"), (1, "First"), (2, "Second")]:
        ReportSection.objects.create(revision=revision, kind="other", heading=heading, position=position, body="x")

    html = client.get("/countries/ml/").content.decode()

    assert re.findall(r'<h3 id="section-\d+">([^<]+)</h3>', html) == ["First", "Second", "Third"]


def test_a_current_advisory_is_the_one_the_page_shows_among_several_rows(client, mali):
    for year, level in [(2019, 1), (2021, 2), (2022, 3)]:
        Advisory.objects.create(country=mali, level=level, issued_on=dt.date(year, 1, 1), is_current=False)
    Advisory.objects.create(country=mali, level=4, issued_on=dt.date(2024, 11, 29))

    text = text_of(client.get("/countries/ml/"))

    assert "Level 4: Do Not Travel" in text
    assert "Level 3" not in text and "Level 2" not in text and "Level 1" not in text
