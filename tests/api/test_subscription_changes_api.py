"""/api/v1/subscriptions/{id}/ through HTTP: a security manager changes (PUT, PATCH) and ends
(DELETE) a subscription, checked as a new one is."""

from __future__ import annotations

import pytest

from alerts.models import EndReason, Frequency
from tests.alerts.factories import DeliveryFactory, a_subscription
from tests.api.alerts_api import DELIVERIES, SUBSCRIPTIONS, a_desk_subscription, detail, errors, ids, iso
from tests.api.clients import client_of

pytestmark = pytest.mark.django_db

# Changing ------------------------------------------------------------------------------------


def test_a_patch_changes_only_the_fields_it_names(cast):
    subscription = a_desk_subscription(cast, time_zone="Asia/Ulaanbaatar", frequency=Frequency.IMMEDIATE)

    response = client_of(cast.admin_a).patch(
        detail(subscription), {"name": "Mali and Niger", "countries": ["ML", "NE"]}, format="json"
    )

    assert response.status_code == 200, response.json()
    subscription.refresh_from_db()
    assert subscription.name == "Mali and Niger"
    assert sorted(subscription.countries.values_list("code", flat=True)) == ["ML", "NE"]
    # What the PATCH did not name is kept, relations included.
    assert list(subscription.regions.values_list("code", flat=True)) == ["ML-7"]
    assert list(subscription.categories.values_list("slug", flat=True)) == ["kidnapping"]
    assert subscription.addresses == ["desk@sahel.example"]
    assert (str(subscription.time_zone), subscription.frequency) == ("Asia/Ulaanbaatar", Frequency.IMMEDIATE)
    assert (subscription.organisation, subscription.created_by) == (cast.org_a, cast.manager_a)
    assert response.json()["name"] == "Mali and Niger"


def test_a_put_replaces_every_field(cast):
    subscription = a_desk_subscription(cast, time_zone="Asia/Ulaanbaatar", min_severity=4)

    response = client_of(cast.manager_a).put(detail(subscription), {"countries": ["NE"]}, format="json")

    assert response.status_code == 200, response.json()
    subscription.refresh_from_db()
    assert list(subscription.countries.values_list("code", flat=True)) == ["NE"]
    assert not subscription.regions.exists() and not subscription.categories.exists()
    assert (subscription.name, subscription.addresses, subscription.min_severity) == ("", [], 1)
    # The time zone left out is the organisation's, as when it was created.
    assert str(subscription.time_zone) == "Africa/Bamako"


def test_a_change_is_checked_like_a_new_subscription(cast):
    subscription = a_subscription(cast, addresses=["desk@sahel.example"])
    client = client_of(cast.manager_a)

    nowhere = client.patch(detail(subscription), {"countries": []}, format="json")
    nobody = client.patch(detail(subscription), {"include_members": False, "addresses": []}, format="json")
    empty_put = client.put(detail(subscription), {}, format="json")

    assert errors(nowhere) == {"countries": ["Choose at least one country or region to follow."]}
    assert errors(nobody) == {
        "addresses": ["Send to the organisation's members, or give at least one address, or both."]
    }
    assert errors(empty_put) == {"countries": ["Choose at least one country or region to follow."]}
    subscription.refresh_from_db()
    assert list(subscription.countries.values_list("code", flat=True)) == ["ML"]
    assert subscription.include_members is True


def test_the_organisation_and_the_other_fields_a_client_may_not_write_are_kept_on_a_change(cast):
    subscription = a_subscription(cast)
    confirmed_at = subscription.confirmed_at

    response = client_of(cast.manager_a).patch(
        detail(subscription),
        {
            "organisation": "niger-valley-aid",
            "created_by": cast.manager_b.pk,
            "confirmed_at": None,
            "ended_at": "2025-01-01T00:00:00Z",
            "end_reason": "unsubscribed",
            "ended_by": cast.manager_b.pk,
            "user": cast.outsider.pk,
            "email": "someone@example.net",
            "min_severity": 2,
        },
        format="json",
    )

    assert response.status_code == 200, response.json()
    subscription.refresh_from_db()
    assert subscription.min_severity == 2
    assert (subscription.organisation, subscription.created_by, subscription.confirmed_at) == (
        cast.org_a,
        cast.manager_a,
        confirmed_at,
    )
    assert (subscription.ended_at, subscription.end_reason, subscription.ended_by) == (None, "", None)
    assert (subscription.user, subscription.email) == (None, "")


def test_an_ended_subscription_cannot_be_changed(cast):
    subscription = a_subscription(cast, name="Old desk")
    client = client_of(cast.manager_a)
    client.delete(detail(subscription))
    subscription.refresh_from_db()

    response = client.patch(detail(subscription), {"name": "Revived"}, format="json")

    assert errors(response) == {
        "non_field_errors": [
            f"This subscription ended on {subscription.ended_at:%Y-%m-%d} and can no longer be changed. "
            "Create a new one instead."
        ]
    }
    subscription.refresh_from_db()
    assert subscription.name == "Old desk"


# Ending --------------------------------------------------------------------------------------


def test_delete_ends_the_subscription_and_answers_with_it(cast):
    subscription = a_subscription(cast, name="Sahel desk")
    DeliveryFactory.create(subscription=subscription)

    response = client_of(cast.admin_a).delete(detail(subscription))

    assert response.status_code == 200, response.content
    subscription.refresh_from_db()
    assert subscription.ended_at is not None
    assert (subscription.end_reason, subscription.ended_by) == (EndReason.ENDED_BY_MANAGER, cast.admin_a)
    body = response.json()
    assert body["ended_at"] == iso(subscription.ended_at)
    assert (body["end_reason"], body["ended_by"], body["active"]) == ("ended_by_manager", "admin_a", False)
    # Ended, not deleted: it stays in the list, and its deliveries in the log.
    assert ids(client_of(cast.manager_a).get(SUBSCRIPTIONS)) == [subscription.pk]
    assert len(client_of(cast.manager_a).get(DELIVERIES).json()["results"]) == 1


def test_ending_it_again_changes_nothing(cast):
    subscription = a_subscription(cast)
    first = client_of(cast.admin_a).delete(detail(subscription))

    again = client_of(cast.manager_a).delete(detail(subscription))

    assert again.status_code == 200
    assert again.json() == first.json()
    subscription.refresh_from_db()
    assert subscription.ended_by == cast.admin_a
