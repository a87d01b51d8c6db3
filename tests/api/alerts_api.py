"""What the tests of the alerts endpoints share: the addresses, the people who use them, a
subscription (the "Sahel desk") and its payload.

The people are those of tests/factories.py `make_cast`: organisation A (Sahel Relief,
Africa/Bamako) with its security manager, administrator, officer and reader; organisation B
(Niger Valley Aid, Europe/Paris) with its security manager; a signed-in user of no
organisation (outsider); and an anonymous client.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from rest_framework.test import APIClient

from advisories.models import Region, ThreatCategory
from alerts.models import Subscription
from tests.alerts.factories import a_subscription
from tests.api.clients import client_of

SUBSCRIPTIONS = "/api/v1/subscriptions/"
DELIVERIES = "/api/v1/deliveries/"
USERS = ["anonymous", "outsider", "reader_a", "officer_a", "manager_b", "manager_a", "admin_a"]
MANAGERS_OF_A = {"manager_a", "admin_a"}


def as_who(cast, who: str) -> APIClient:
    return client_of(None if who == "anonymous" else getattr(cast, who))


def detail(subscription: Subscription) -> str:
    return f"{SUBSCRIPTIONS}{subscription.pk}/"


def payload(**changes: Any) -> dict[str, Any]:
    """A daily digest of Mali and Gao for the desk, as a manager's tool sends it; `changes` replace or add."""
    data: dict[str, Any] = {
        "name": "Sahel desk",
        "countries": ["ml"],
        "regions": ["ne-1"],
        "categories": ["kidnapping", "terrorism"],
        "min_severity": 3,
        "include_advisories": True,
        "frequency": "daily",
        "time_zone": "Africa/Bamako",
        "include_members": True,
        "addresses": ["Desk@Sahel.example", "ops@sahel.example", "desk@sahel.example"],
    }
    data.update(changes)
    return {name: value for name, value in data.items() if value is not None}


def ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


def errors(response) -> dict[str, list[str]]:
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["detail"] == "Some values are not valid; see errors for each field."
    return body["errors"]


def iso(moment: dt.datetime | None) -> str:
    assert moment is not None
    return moment.isoformat().replace("+00:00", "Z")


def a_desk_subscription(cast, **changes: Any) -> Subscription:
    """A's "Sahel desk": Mali, and Gao on its own, kidnappings only, to the members and desk@."""
    desk = {
        "name": "Sahel desk",
        "regions": [Region.objects.get(code="ML-7")],
        "categories": [ThreatCategory.objects.get(slug="kidnapping")],
        "addresses": ["desk@sahel.example"],
    }
    return a_subscription(cast, **desk | changes)
