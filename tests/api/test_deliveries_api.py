"""/api/v1/deliveries/ through HTTP: what the delivery log says of each e-mail, what it hides, its
pages and its query counts."""

from __future__ import annotations

import datetime as dt

import pytest

from advisories.models import Region
from alerts.models import DeliveryStatus
from tests.alerts.factories import (
    DeliveryFactory,
    a_day_of_deliveries,
    a_subscription,
    advisory_alert,
    alerts_to_a_member_of_two,
    incident_alert,
)
from tests.api.alerts_api import DELIVERIES, iso
from tests.api.clients import client_of

pytestmark = pytest.mark.django_db

# The delivery log ----------------------------------------------------------------------------


def test_each_delivery_says_what_was_sent_to_whom_and_how_it_went(cast):
    subscription = a_subscription(cast, name="Sahel desk")
    change = advisory_alert(country__code="ML", region=Region.objects.get(code="ML-7"))
    digest, failed, pending = a_day_of_deliveries(
        subscription, alert=change, subject="", next_attempt_at=dt.datetime(2026, 11, 23, 7, 5, tzinfo=dt.UTC)
    )
    alert = failed.alert
    assert alert is not None

    rows = {row["id"]: row for row in client_of(cast.manager_a).get(DELIVERIES).json()["results"]}

    brief = {
        "id": subscription.pk,
        "name": "Sahel desk",
        "organisation": {"slug": "sahel-relief", "name": "Sahel Relief"},
    }
    digest.refresh_from_db()
    assert rows[digest.pk] == {
        "id": digest.pk,
        "subscription": brief,
        "email": "reader@sahel.example",
        "digest": {"frequency": "daily", "period": "2026-11-23"},
        "incident": None,
        "advisory": None,
        "subject": "Vigil daily digest 2026-11-23: Mali",
        "subject_hidden": False,
        "status": "sent",
        "attempts": 1,
        "last_error": "",
        "next_attempt_at": None,
        "sent_at": iso(digest.sent_at),
        "created_at": iso(digest.created_at),
    }
    assert (rows[failed.pk]["digest"], rows[failed.pk]["incident"], rows[failed.pk]["advisory"]) == (
        None,
        alert.incident_id,
        None,
    )
    assert rows[failed.pk]["subject"] == "Vigil alert: roadblock near Sévaré"
    assert rows[failed.pk]["last_error"] == "550 5.1.1 <desk@sahel.example>: mailbox unavailable"
    assert rows[pending.pk]["advisory"] == {
        "id": change.advisory_id,
        "country": {"code": "ML", "name": "Mali"},
        "region": {"code": "ML-7", "name": "Gao"},
    }
    assert (rows[pending.pk]["status"], rows[pending.pk]["attempts"], rows[pending.pk]["subject"]) == ("pending", 2, "")
    assert rows[pending.pk]["next_attempt_at"] == "2026-11-23T07:05:00Z"


def test_the_subject_of_an_incident_the_manager_may_not_see_is_null(cast):
    """A member of two organisations receives, under A's subscription, what they may see as a
    user, which includes a third organisation's strictly internal incidents: A's manager must
    not read their titles."""
    hidden, shown = alerts_to_a_member_of_two(cast, a_subscription(cast))

    response = client_of(cast.manager_a).get(DELIVERIES)

    rows = {row["id"]: row for row in response.json()["results"]}
    assert (rows[hidden.pk]["subject"], rows[hidden.pk]["subject_hidden"]) == (None, True)
    assert (rows[shown.pk]["subject"], rows[shown.pk]["subject_hidden"]) == (
        "Vigil alert: Armed robbery on the Ségou road",
        False,
    )
    assert "Evacuation plan" not in response.content.decode()


def test_the_delivery_log_costs_the_same_number_of_queries_for_one_row_or_many(cast, django_assert_num_queries):
    subscription = a_subscription(cast)
    client = client_of(cast.manager_a)
    DeliveryFactory.create(subscription=subscription)
    # Token and user, the managed organisations, the manager's sharing rights (memberships,
    # partners), the page.
    with django_assert_num_queries(5):
        assert len(client.get(DELIVERIES).json()["results"]) == 1

    for n in range(6):
        DeliveryFactory.create(subscription=subscription)
        DeliveryFactory.create(subscription=subscription, run=None, alert=incident_alert(title=f"Incident {n}"))
        DeliveryFactory.create(
            subscription=a_subscription(cast, name=f"Desk {n}"),
            run=None,
            alert=advisory_alert(country__code="ML", region=Region.objects.get(code="ML-7")),
            status=DeliveryStatus.FAILED,
            last_error="550",
        )
    with django_assert_num_queries(5):
        assert len(client.get(DELIVERIES).json()["results"]) == 19


def test_the_delivery_log_is_paginated_newest_first(cast):
    subscription = a_subscription(cast)
    created = [delivery.pk for delivery in DeliveryFactory.create_batch(5, subscription=subscription)]
    client = client_of(cast.manager_a)

    first = client.get(DELIVERIES, {"page_size": 3}).json()
    second = client.get(first["next"]).json()

    assert [row["id"] for row in first["results"] + second["results"]] == sorted(created, reverse=True)
    assert second["next"] is None


def test_an_alert_about_an_incident_the_manager_may_not_see_does_not_say_which_incident(cast):
    """The log shows that the alert went out, not which incident of the third organisation it was."""
    hidden, shown = alerts_to_a_member_of_two(cast, a_subscription(cast))
    assert hidden.alert is not None and shown.alert is not None

    rows = {row["id"]: row for row in client_of(cast.manager_a).get(DELIVERIES).json()["results"]}

    assert rows[hidden.pk]["incident"] is None
    assert rows[shown.pk]["incident"] == shown.alert.incident_id
