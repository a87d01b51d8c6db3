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
