"""What every endpoint of /api/v1/ shares: JSON errors a person can act on, throttling, the
schema and its documentation served with no internet, and a few inputs that must never reach
the database."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from rest_framework.test import APIClient
from rest_framework.throttling import SimpleRateThrottle

from incidents.models import Incident

pytestmark = pytest.mark.django_db


def test_an_address_under_the_api_that_names_no_endpoint_is_a_json_404_whatever_the_method():
    client = Client(enforce_csrf_checks=True)

    for response in (
        client.get("/api/v1/nothing-here/"),
        client.post("/api/v1/incidents/not-an-id/publish/", {}),
        client.delete("/api/v1/subscriptions/%0A/"),
    ):
        assert response.status_code == 404
        assert response["Content-Type"] == "application/json"
        assert "/api/v1/docs/" in response.json()["detail"]


def test_a_cursor_the_api_did_not_give_is_a_400_that_says_to_follow_the_links():
    response = APIClient().get("/api/v1/incidents/", {"cursor": "made-up"})

    assert response.status_code == 400
    assert response.json()["errors"] == {
        "cursor": ["This is not a cursor the API gave: follow the `next` and `previous` links as they are."]
    }


def test_a_nul_character_in_a_query_string_is_refused_before_any_filter_reads_it():
    api = APIClient().get("/api/v1/incidents/", {"type": "theft\x00"})
    page = Client().get("/incidents/", {"type": "theft\x00"})

    assert api.status_code == 400
    assert "NUL character" in api.json()["detail"]
    assert page.status_code == 400
    assert "NUL character" in page.content.decode()


def test_a_nul_character_in_a_json_body_is_refused_on_the_field_that_holds_it(cast):
    client = APIClient()
    client.force_authenticate(cast.officer_a)

    response = client.post(
        "/api/v1/incidents/",
        {"title": "Roadblock", "type": "theft", "actors": [1, "x\x00"], "country": "ml"},
        format="json",
    )

    assert response.status_code == 400
    assert response.json()["errors"] == {"actors.1": ["Null characters are not allowed."]}
    assert not Incident.objects.exists()


def test_errors_of_nested_values_are_named_by_their_path(cast):
    client = APIClient()
    client.force_authenticate(cast.officer_a)

    response = client.post(
        "/api/v1/incidents/",
        {"title": "Roadblock", "type": "theft", "occurred_on": "2025-01-05", "country": "ml", "target_types": [7]},
        format="json",
    )

    assert response.status_code == 400
    errors = response.json()["errors"]
    assert all(isinstance(messages, list) and all(isinstance(m, str) for m in messages) for messages in errors.values())
    assert "target_types" in errors or any(name.startswith("target_types.") for name in errors)


def test_a_body_that_is_not_json_is_a_415_with_the_type_to_send(cast):
    client = APIClient()
    client.force_authenticate(cast.officer_a)

    response = client.post("/api/v1/incidents/", "title=x", content_type="application/x-www-form-urlencoded")

    assert response.status_code == 415
    assert "application/x-www-form-urlencoded" in response.json()["detail"]


def test_too_many_requests_get_a_429_saying_how_long_to_wait(monkeypatch):
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", {"anon": "3/minute", "user": "5/minute"})
    client = APIClient()

    statuses = [client.get("/api/v1/countries/").status_code for _ in range(4)]

    assert statuses == [200, 200, 200, 429]
    response = client.get("/api/v1/countries/")
    assert response.status_code == 429
    body = response.json()
    assert 0 < body["retry_after_seconds"] <= 60
    assert int(response["Retry-After"]) == body["retry_after_seconds"]
    assert "Request was throttled" in body["detail"]


def test_signed_in_clients_have_their_own_larger_allowance(cast, monkeypatch):
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", {"anon": "1/minute", "user": "3/minute"})
    anonymous, officer = APIClient(), APIClient()
    officer.force_authenticate(cast.officer_a)

    assert [anonymous.get("/api/v1/countries/").status_code for _ in range(2)] == [200, 429]
    assert [officer.get("/api/v1/countries/").status_code for _ in range(4)] == [200, 200, 200, 429]


def test_the_schema_is_openapi_3_and_lists_every_resource():
    response = Client().get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")

    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    paths = set(schema["paths"])
    for path in (
        "/api/v1/countries/",
        "/api/v1/regions/",
        "/api/v1/threat-categories/",
        "/api/v1/threat-ratings/",
        "/api/v1/security-reports/",
        "/api/v1/contact-points/",
        "/api/v1/incidents/",
        "/api/v1/incidents/geojson/",
        "/api/v1/actors/",
        "/api/v1/incident-types/",
        "/api/v1/organisations/",
        "/api/v1/subscriptions/",
        "/api/v1/deliveries/",
    ):
        assert path in paths, path
    assert {"type": "http", "scheme": "bearer"} in schema["components"]["securitySchemes"].values()


def test_the_documentation_pages_load_their_assets_from_this_site(settings):
    # Served as `collectstatic` would have them served, without collecting them for the test.
    settings.WHITENOISE_USE_FINDERS = True
    client = Client()

    for page in ("/api/v1/docs/", "/api/v1/redoc/"):
        html = client.get(page).content.decode()
        assets = re.findall(r"""(?:src|href)=["']([^"']+\.(?:js|css))["']""", html)
        assert assets, page
        assert any(asset.startswith("/static/drf_spectacular_sidecar/") for asset in assets), assets
        for asset in assets:
            # The sidecar's copy of Swagger UI or ReDoc, and our own start-up script.
            assert asset.startswith(("/static/drf_spectacular_sidecar/", "/static/js/")), asset
            assert client.get(asset).status_code == 200, asset
