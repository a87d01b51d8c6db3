"""Browsers find the site's icon: the pages name it, and /favicon.ico leads to it rather than to a 404."""

import re
from urllib.request import urlopen

import pytest
from django.contrib.staticfiles import finders
from django.test import Client


@pytest.mark.django_db
def test_favicon_ico_redirects_for_good_to_the_icon_which_is_served():
    client = Client()

    response = client.get("/favicon.ico")

    assert response.status_code == 301
    assert response["Location"] == "/static/favicon.svg"
    icon = finders.find("favicon.svg")
    assert icon is not None
    with open(icon, encoding="utf-8") as svg:
        drawing = svg.read()
    assert drawing.startswith("<svg") and "#1f4e79" in drawing


def test_a_browser_asking_for_favicon_ico_gets_the_svg(live_server):
    # urllib follows the redirect as a browser does; the live server serves the static files.
    with urlopen(live_server.url + "/favicon.ico", timeout=10) as answer:
        assert answer.status == 200
        assert answer.url == live_server.url + "/static/favicon.svg"
        assert answer.headers["Content-Type"].startswith("image/svg+xml")
        assert answer.read().startswith(b"<svg")


@pytest.mark.django_db
def test_every_page_names_its_icon(client):
    html = client.get("/").content.decode()

    assert re.search(r'<link rel="icon" href="/static/favicon\.svg" type="image/svg\+xml">', html)
