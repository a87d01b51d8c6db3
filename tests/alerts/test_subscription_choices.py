"""Choosing what to follow works on a phone: tick boxes, never "hold Ctrl"; the countries with an
advisory first and the others folded; a country page's "Get e-mail alerts" link (?country=ml)
arrives with that country ticked and its time zone chosen."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from alerts.forms import country_time_zones
from tests.factories import ActorFactory, AdvisoryFactory

pytestmark = pytest.mark.django_db

SUBSCRIBE = reverse("alerts:subscribe")


def checkbox(html: str, label: str) -> str:
    """The <input> of the tick box labelled `label`."""
    found = re.search(rf'<label for="(id_countries_\d+)">{re.escape(label)}</label>', html)
    assert found, label
    tag = re.search(rf'<input [^>]*id="{found.group(1)}"[^>]*>', html)
    assert tag
    return tag.group(0)


def selected_zone(html: str) -> str:
    select = html.split('name="time_zone"', 1)[1].split("</select>", 1)[0]
    found = re.search(r'<option value="([^"]+)" selected>', select)
    assert found
    return found.group(1)


@pytest.mark.parametrize("who", [None, "manager_a", "officer_a"])
def test_no_form_asks_to_hold_ctrl(cast, who):
    ActorFactory.create(name="Unidentified armed men")
    client = Client()
    if who:
        client.force_login(getattr(cast, who))
    path = {None: SUBSCRIBE, "manager_a": reverse("alerts:create"), "officer_a": reverse("incidents:create")}[who]

    html = client.get(path).content.decode()

    assert "Ctrl" not in html and "<select multiple" not in html and 'multiple id="id_' not in html
    assert 'type="checkbox" name="' + ("actors" if who == "officer_a" else "countries") in html


def test_countries_with_an_advisory_come_first_and_the_others_are_folded(mali):
    AdvisoryFactory(country=mali, level=4)

    html = Client().get(SUBSCRIBE).content.decode()

    first, _, others = html.partition('<details class="choice-group long">')
    assert '<p class="choice-group-label">Countries with a travel advisory</p>' in first
    assert ">Mali</label>" in first and ">Niger</label>" not in first
    assert others.startswith("\n  <summary>Other countries")
    assert ">Niger</label>" in others and ">Mali</label>" not in others
    assert 'data-filter-choices="Find in Other countries"' in others
    # The first tick box, which the error summary links to, is the first country.
    assert checkbox(html, "Mali").count('id="id_countries_0"') == 1


def test_a_ticked_country_among_the_others_opens_its_group(mali):
    niger = mali.__class__.objects.get(code="NE")

    html = Client().get(SUBSCRIBE, {"country": "ne"}).content.decode()

    assert '<details class="choice-group long" open>' in html
    assert "checked" in checkbox(html, niger.name)


@pytest.mark.parametrize("code", ["ml", "ML"])
def test_the_country_in_the_link_is_ticked_and_its_time_zone_chosen(mali, code):
    html = Client().get(SUBSCRIBE, {"country": code}).content.decode()

    assert "checked" in checkbox(html, "Mali")
    assert selected_zone(html) == "Africa/Bamako"
    # A zone chosen for them: the browser's is not offered instead.
    assert "data-browser-default" not in html


def test_a_country_with_a_zone_outside_the_common_list_gets_it_added_and_chosen(db):
    html = Client().get(SUBSCRIBE, {"country": "mn"}).content.decode()

    assert selected_zone(html) == "Asia/Ulaanbaatar"


@pytest.mark.parametrize("query", [{}, {"country": "zz"}, {"country": "mali"}, {"country": "<b>"}])
def test_without_a_known_country_nothing_is_ticked_and_the_browser_may_offer_its_zone(db, query):
    response = Client().get(SUBSCRIBE, query)

    html = response.content.decode()
    assert response.status_code == 200
    assert 'name="countries"' in html and "checked" not in html.split('id="countries"', 1)[1].split("</fieldset>")[0]
    assert selected_zone(html) == "UTC"
    assert re.search(r'<select name="time_zone"[^>]*data-browser-default="true"', html)
    assert '<script src="/static/js/timezone.js" defer></script>' in html


def test_each_countrys_main_time_zone_comes_from_the_tz_database():
    zones = country_time_zones()

    assert zones["ML"] == "Africa/Bamako"
    assert zones["FR"] == "Europe/Paris"
    assert zones["US"] == "America/New_York"
    assert len(zones) > 240
