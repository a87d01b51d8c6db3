"""The public home page, and the addresses and error pages of the advisory pages."""

import re

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from advisories.models import (
    AdvisoryLevel,
    Country,
)
from tests.advisories.helpers import text_of
from tests.factories import (
    AdvisoryFactory,
)

pytestmark = pytest.mark.django_db


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

    mali_row = re.search(
        r'<tr data-search="[^"]*"><th scope="row"><a href="/countries/ml/">Mali</a></th>(.*?)</tr>', html
    )
    france_row = re.search(
        r'<tr data-search="[^"]*"><th scope="row"><a href="/countries/fr/">France</a></th>(.*?)</tr>', html
    )
    peru_row = re.search(
        r'<tr data-search="[^"]*"><th scope="row"><a href="/countries/pe/">Peru</a></th>(.*?)</tr>', html
    )
    assert mali_row and "Level 4" in mali_row[1] and "Do Not Travel" in mali_row[1]
    assert france_row and "Level 2" in france_row[1] and "Exercise Increased Caution" in france_row[1]
    assert peru_row and "No advisory yet" in peru_row[1]
    total = Country.objects.count()
    assert f"2 of {total} countries have a published advisory" in text_of(client.get("/"))


def test_home_puts_countries_with_an_advisory_first_highest_level_first(client, mali_advisory):
    for code, level in [("FR", 2), ("NE", 4), ("SN", 1)]:
        AdvisoryFactory(country=Country.objects.get(code=code), level=level)

    html = client.get("/").content.decode()

    published = html.split('id="published-heading"')[1].split("</ul>")[0]
    assert re.findall(r'<li><a href="[^"]+">([^<]+)</a>', published) == [
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


# The countries with their levels, the latest changes (two), the world map's levels, whatever
# the number of advisories.
HOME_QUERIES = 4


def test_home_costs_a_fixed_number_of_queries_however_many_advisories(client, django_assert_num_queries):
    AdvisoryFactory(country=Country.objects.get(code="ML"), level=4)
    with django_assert_num_queries(HOME_QUERIES):
        assert client.get("/").status_code == 200

    for code in ["FR", "NE", "BF", "SN", "CI", "GN", "DZ", "MR", "TD", "NG"]:
        country = Country.objects.get(code=code)
        AdvisoryFactory(country=country, level=2)
        AdvisoryFactory(country=country, region=country.regions.first(), level=3)
    with django_assert_num_queries(HOME_QUERIES):
        assert client.get("/").status_code == 200


def test_the_search_form_finds_a_country_without_javascript_accents_and_case_ignored(client, mali_advisory):
    html = client.get("/", {"q": "cote d"}).content.decode()

    matches = html.split('class="country-matches"')[1].split("</ul>")[0]
    assert re.findall(r'<a href="([^"]+)">', matches) == ["/countries/ci/"]
    assert "1 country matches" in text_of(client.get("/", {"q": "cote d"}))
    assert "/countries/ml/" in client.get("/", {"q": "MLI"}).content.decode().split('class="country-matches"')[1]


def test_a_search_that_finds_nothing_says_so(client):
    text = text_of(client.get("/", {"q": "Atlantis"}))

    assert "0 countries match" in text and "No country has that name" in text


def test_the_home_page_explains_what_each_level_means(client):
    text = text_of(client.get("/"))

    assert "Level 4: Do Not Travel" in text and "do not go" in text
    assert "Level 1: Exercise Normal Precautions" in text


def test_the_latest_changes_say_whether_a_level_was_raised(client, mali):
    import datetime as dt

    AdvisoryFactory(country=mali, level=3, issued_on=dt.date(2023, 1, 5), is_current=False)
    AdvisoryFactory(country=mali, level=4, issued_on=dt.date(2024, 11, 29))

    html = client.get("/").content.decode()

    changes = html.split('id="changes-heading"')[1].split("</ol>")[0]
    items = re.findall(r"<li>(.*?)</li>", changes, re.S)
    assert "29 Nov 2024" in items[0] and "Level 4" in items[0] and "raised from level 3" in items[0]
    assert "5 Jan 2023" in items[1] and "first advisory" in items[1]


def test_countries_address_leads_to_the_list_on_the_home_page(client):
    response = client.get("/countries/")

    assert response.status_code == 302
    assert response["Location"] == "/"


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
