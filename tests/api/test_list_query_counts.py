"""Every list endpoint of the schema costs the same number of queries for a page of one row as for
a page of many, over the demo data: nothing is fetched row by row.

The endpoints are read from the live schema, so a list endpoint added later is checked too.
"""

from __future__ import annotations

import datetime as dt
from io import StringIO
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient
from rest_framework.throttling import SimpleRateThrottle

pytestmark = pytest.mark.django_db

# Who reads: the analyst sees the most incidents, the manager its subscriptions and deliveries.
READERS = ["analyst", "kora_manager", None]
# Lists an anonymous client is told to sign in for.
SIGNED_IN_ONLY = {"/api/v1/subscriptions/", "/api/v1/deliveries/"}


def list_paths() -> list[str]:
    schema = SchemaGenerator().get_schema(request=None, public=True)
    return sorted(
        path
        for path, operations in schema["paths"].items()
        if "get" in operations and "{" not in path and any(p["name"] == "page_size" for p in _params(operations))
    )


def _params(operations: dict[str, Any]) -> list[dict[str, Any]]:
    return operations["get"].get("parameters", [])


@pytest.fixture
def demo(monkeypatch) -> None:
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", {"anon": "100000/minute", "user": "100000/minute"})
    cache.clear()
    call_command("load_demo", "--with-accounts", stdout=StringIO())
    # Tomorrow's digest writes the delivery log that /api/v1/deliveries/ lists.
    tomorrow = (timezone.now() + dt.timedelta(days=1)).date().isoformat()
    call_command("send_digests", "--frequency", "daily", "--now", tomorrow, stdout=StringIO())


def queries_for(client: APIClient, path: str, page_size: int) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path, {"page_size": page_size})
    assert response.status_code == 200, (path, response.content[:300])
    body = response.json()
    rows = body.get("results", body.get("features", body))
    return len(queries), len(rows)


def test_the_schema_has_the_list_endpoints_this_test_is_about():
    paths = list_paths()

    assert "/api/v1/incidents/" in paths
    assert "/api/v1/countries/" in paths
    assert "/api/v1/subscriptions/" in paths
    assert "/api/v1/deliveries/" in paths


@pytest.mark.parametrize("reader", READERS)
def test_every_list_costs_the_same_queries_for_one_row_as_for_many(demo, reader):
    client = APIClient()
    if reader is not None:
        client.force_authenticate(get_user_model().objects.get(username=reader))
    several = 0
    for path in list_paths():
        if reader is None and path in SIGNED_IN_ONLY:
            continue
        one, one_rows = queries_for(client, path, 1)
        many, many_rows = queries_for(client, path, 100)
        if many_rows > 1:
            several += 1
            assert one_rows == 1, path
        assert many == one, f"{path}: {one} queries for {one_rows} row(s), {many} for {many_rows}"
    # The demo data gives most lists several rows; a test over empty lists would prove nothing.
    assert several >= 8
