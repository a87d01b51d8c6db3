"""Crafted cursors, JSON nested past any depth and bodies over the upload limit: each a 4xx in
the API's JSON error format, never a server error or Django's HTML page."""

from __future__ import annotations

import base64

import pytest
from django.conf import settings
from drf_spectacular.generators import SchemaGenerator

from incidents.models import Incident
from tests.api.clients import client_of
from tests.api.incidents_api import INCIDENTS, payload, post
from tests.factories import IncidentFactory, SecurityReportRevisionFactory

pytestmark = pytest.mark.django_db

CURSOR_MESSAGE = "This is not a cursor the API gave: follow the `next` and `previous` links as they are."


def encoded_cursor(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


# Cursors no list can have given: undecodable, malformed, or holding a NUL.
MALFORMED = [
    encoded_cursor("p=%00"),
    encoded_cursor("p=a%00b&r=1"),
    encoded_cursor("o=-1"),
    encoded_cursor("r=x"),
    "not base64!",
    "é",
]
# Positions that fit some orderings (a name) and not others (an id, a date): a 400 where they do
# not fit, an ordinary page where they do.
MISFIT = [
    encoded_cursor("p=abc"),
    encoded_cursor("o=1&r=1&p=2025-13-45"),
    encoded_cursor("p=1E%2B999999999"),
    encoded_cursor("p=" + "9" * 5000),
    encoded_cursor("p=%FF"),
    "%%%",
    "A" * 20_000,
]


def cursor_paginated_lists() -> list[str]:
    """Every list of the schema that takes a cursor."""
    schema = SchemaGenerator().get_schema(request=None, public=True)
    return [
        path
        for path, item in schema["paths"].items()
        if any(parameter["name"] == "cursor" for parameter in item.get("get", {}).get("parameters", []))
    ]


def test_the_schema_names_the_cursor_paginated_lists():
    lists = cursor_paginated_lists()

    assert {"/api/v1/incidents/", "/api/v1/incidents/geojson/", "/api/v1/countries/", "/api/v1/deliveries/"} <= set(
        lists
    )


@pytest.mark.parametrize("path", cursor_paginated_lists())
def test_a_crafted_cursor_is_a_400_or_a_page_on_every_cursor_paginated_list_never_a_server_error(cast, path):
    IncidentFactory.create(organisation=cast.org_a, reporter=cast.officer_a)
    revision = SecurityReportRevisionFactory.create()
    client = client_of(cast.manager_a)
    path = path.replace("{id}", str(revision.report_id))
    path = path.replace("countries/{code}", "countries/ml").replace("regions/{code}", "regions/ml-bko")

    for cursor in MALFORMED + MISFIT:
        response = client.get(path, {"cursor": cursor})

        assert response.status_code in (200, 400), (cursor[:40], response.content[:300])
        if response.status_code == 400 or cursor in MALFORMED:
            assert response.json()["errors"] == {"cursor": [CURSOR_MESSAGE]}, cursor[:40]


@pytest.mark.parametrize("position", ["abc", "1E%2B999999999", "9" * 5000, "1.5", "%00"])
def test_a_cursor_whose_position_is_not_an_id_is_a_400_on_a_list_by_id(cast, position):
    IncidentFactory.create(organisation=cast.org_a, reporter=cast.officer_a, sharing_level="clear")

    response = client_of().get(INCIDENTS, {"cursor": encoded_cursor(f"p={position}")})

    assert response.status_code == 400
    assert response.json()["errors"] == {"cursor": [CURSOR_MESSAGE]}


def test_a_cursor_the_api_gave_still_leads_to_the_next_page(cast):
    first, second = (
        IncidentFactory.create(organisation=cast.org_a, reporter=cast.officer_a, sharing_level="clear")
        for _ in range(2)
    )
    client = client_of(cast.officer_a)

    page = client.get("/api/v1/countries/", {"page_size": 1}).json()
    assert client.get(page["next"]).status_code == 200
    page = client.get(INCIDENTS, {"page_size": 1}).json()
    following = client.get(page["next"]).json()

    assert [page["results"][0]["id"], following["results"][0]["id"]] == [second.pk, first.pk]


@pytest.mark.parametrize("depth", [33, 5_000, 100_000])
def test_json_nested_too_deep_is_a_400_that_says_so(cast, depth):
    body = "[" * depth + "]" * depth

    response = client_of(cast.officer_a).post(INCIDENTS, body, content_type="application/json")

    assert response.status_code == 400
    assert response.json() == {
        "detail": "The JSON body nests arrays or objects more than 32 levels deep; no request needs that."
    }


def test_json_nested_a_few_levels_still_reaches_the_fields(cast):
    response = post(cast.officer_a, payload(actors=[[[[1]]]]))

    assert response.status_code == 400
    assert response.json()["errors"] == {"actors": ["Give each actor as its id, a number."]}


def test_a_body_over_the_upload_limit_is_a_413_in_the_api_s_format(cast):
    body = '{"title": "' + "x" * settings.DATA_UPLOAD_MAX_MEMORY_SIZE + '"}'

    response = client_of(cast.officer_a).post(INCIDENTS, body, content_type="application/json")

    assert response.status_code == 413
    assert response["Content-Type"] == "application/json"
    assert "larger than the 2621440 bytes the API accepts" in response.json()["detail"]
    assert not Incident.objects.exists()


def test_a_nul_in_an_api_path_is_a_json_400(cast):
    response = client_of(cast.officer_a).get("/api/v1/countries/ml%00/")

    assert response.status_code == 400
    assert "NUL character" in response.json()["detail"]
