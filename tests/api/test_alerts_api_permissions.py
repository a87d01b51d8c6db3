"""Who may do what with the alerts endpoints: every endpoint and method, for each kind of user."""

from __future__ import annotations

import pytest

from alerts.models import Delivery, DeliveryStatus, Subscription
from tests.alerts.factories import DeliveryFactory, SubscriptionFactory, a_subscription
from tests.api.alerts_api import DELIVERIES, MANAGERS_OF_A, SUBSCRIPTIONS, USERS, as_who, detail, errors, ids, payload

pytestmark = pytest.mark.django_db

# Who may do what: every endpoint and method, for each kind of user -----------------------------


@pytest.mark.parametrize("who", USERS)
def test_the_list_shows_only_the_subscriptions_the_user_manages(cast, who):
    of_a = a_subscription(cast)
    of_b = a_subscription(cast, organisation=cast.org_b)
    SubscriptionFactory.create(organisation=None, email="traveler@example.net")

    response = as_who(cast, who).get(SUBSCRIPTIONS)

    if who == "anonymous":
        assert response.status_code == 401
        return
    expected = {"manager_a": [of_a.pk], "admin_a": [of_a.pk], "manager_b": [of_b.pk]}.get(who, [])
    assert ids(response) == expected


@pytest.mark.parametrize("who", USERS)
def test_a_subscription_is_found_only_by_those_who_manage_it(cast, who):
    subscription = a_subscription(cast, name="Sahel desk")

    response = as_who(cast, who).get(detail(subscription))

    if who in MANAGERS_OF_A:
        assert response.status_code == 200
    else:
        assert response.status_code == (401 if who == "anonymous" else 404)
        assert "Sahel desk" not in response.content.decode()
        if who != "anonymous":
            assert response.json() == {"detail": "There is no such subscription among those you manage."}


@pytest.mark.parametrize("who", USERS)
@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_only_the_managers_of_its_organisation_change_or_end_a_subscription(cast, who, method):
    subscription = a_subscription(cast, name="Sahel desk")
    client = as_who(cast, who)

    if method == "delete":
        response = client.delete(detail(subscription))
    else:
        response = getattr(client, method)(detail(subscription), payload(name="Changed"), format="json")

    subscription.refresh_from_db()
    if who in MANAGERS_OF_A:
        assert response.status_code == 200, response.content
        assert (subscription.ended_at is not None) if method == "delete" else (subscription.name == "Changed")
        return
    if who == "anonymous":
        assert response.status_code == 401
        assert "Authorization: Bearer" in response.json()["detail"]
    else:
        assert response.status_code == 404
        assert response.json() == {"detail": "There is no such subscription among those you manage."}
    assert (subscription.name, subscription.ended_at) == ("Sahel desk", None)


@pytest.mark.parametrize("who", USERS)
def test_only_managers_create_subscriptions_and_only_for_their_own_organisation(cast, who):
    response = as_who(cast, who).post(SUBSCRIPTIONS, payload(organisation="sahel-relief"), format="json")

    created = Subscription.objects.first()
    if who in MANAGERS_OF_A:
        assert response.status_code == 201, response.json()
        assert created is not None and created.organisation == cast.org_a
    elif who == "manager_b":
        assert errors(response) == {
            "organisation": ["You manage the alerts of these organisations only: niger-valley-aid."]
        }
        assert created is None
    else:
        assert response.status_code == (401 if who == "anonymous" else 403)
        assert response.json()["detail"]
        assert created is None


@pytest.mark.parametrize("who", USERS)
def test_the_delivery_log_shows_only_the_deliveries_of_the_organisations_the_user_manages(cast, who):
    of_a = DeliveryFactory.create(subscription=a_subscription(cast), email="desk@sahel.example")
    of_b = DeliveryFactory.create(
        subscription=a_subscription(cast, organisation=cast.org_b), email="desk@niger-valley.example"
    )
    DeliveryFactory.create(
        subscription=SubscriptionFactory.create(organisation=None, email="traveler@example.net"),
        email="traveler@example.net",
    )

    response = as_who(cast, who).get(DELIVERIES)

    if who == "anonymous":
        assert response.status_code == 401
        assert "@" not in response.content.decode()
        return
    expected = {"manager_a": [of_a.pk], "admin_a": [of_a.pk], "manager_b": [of_b.pk]}.get(who, [])
    assert ids(response) == expected
    if not expected:
        assert "@" not in response.content.decode()


@pytest.mark.parametrize("who", USERS)
@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_the_delivery_log_is_read_only(cast, who, method):
    delivery = DeliveryFactory.create(subscription=a_subscription(cast))
    client = as_who(cast, who)

    on_list = getattr(client, method)(DELIVERIES, {}, format="json")
    on_row = getattr(client, method)(f"{DELIVERIES}{delivery.pk}/", {}, format="json")

    # Anonymous writers are turned away before anything else; the rest are told it cannot be done.
    assert on_list.status_code == (401 if who == "anonymous" else 405)
    assert on_row.status_code == 404
    assert Delivery.objects.get(pk=delivery.pk).status == DeliveryStatus.SENT
