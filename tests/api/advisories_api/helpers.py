"""Requests to /api/v1/ as an anonymous client, and what a refusal must say."""

from __future__ import annotations

from typing import Any

from rest_framework.test import APIClient

API = "/api/v1"
INVALID = "Some values are not valid; see errors for each field."


def get(path: str, params: dict[str, Any] | None = None) -> Any:
    return APIClient().get(f"{API}{path}", params or {})


def results(path: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    response = get(path, params)
    assert response.status_code == 200, response.content
    return response.json()["results"]


def codes(path: str, params: dict[str, Any] | None = None, key: str = "code") -> list[Any]:
    return [row[key] for row in results(path, {"page_size": 500, **(params or {})})]


def assert_refused(path: str, params: dict[str, Any], parameter: str, message: str) -> None:
    """A 400 whose errors name the parameter, with a message a person can act on."""
    response = get(path, params)
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["detail"] == INVALID
    assert list(body["errors"]) == [parameter]
    assert any(message in error for error in body["errors"][parameter]), body["errors"]


# --- Mali: a country-wide advisory, an older one, and Bamako's own -----------------------------
