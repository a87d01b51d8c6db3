"""Alerts meet addresses that name a server by its IP address and dates at the calendar's end:
each refused with a message a person can act on, never a server error."""

from __future__ import annotations

from html import unescape

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from alerts.models import Subscription
from alerts.services import subscription_clean, subscription_request
from tests.alerts.factories import DeliveryFactory, SubscriptionFactory, mali_fields
from tests.alerts.pages import form_data, signed_in, traveler_data
from tests.api.alerts_api import SUBSCRIPTIONS, errors, payload
from tests.api.clients import client_of

pytestmark = pytest.mark.django_db

LITERALS = ["a@[127.0.0.1]", "desk@[10.0.0.7]", "a@[IPv6:::1]", "A@[IPV6:2001:db8::1]"]


def literal_message(address: str) -> str:
    return (
        f"“{address.lower()}” names a mail server by its IP address; give an address with a domain name, "
        "e.g. name@example.org."
    )


@pytest.mark.parametrize("address", LITERALS)
def test_the_services_refuse_an_address_literal_for_a_traveler_and_an_organisation(address):
    with pytest.raises(ValidationError) as traveler:
        subscription_request(email=address, data=mali_fields())
    with pytest.raises(ValidationError) as desk:
        subscription_clean(mali_fields(addresses=[address]), for_organisation=True)

    assert traveler.value.message_dict == {"email": [literal_message(address)]}
    assert desk.value.message_dict == {"addresses": [literal_message(address)]}
    assert not Subscription.objects.exists()


def test_the_subscribe_page_refuses_an_address_literal_on_its_field(client, mailoutbox):
    response = client.post(reverse("alerts:subscribe"), traveler_data(email="a@[127.0.0.1]"))

    assert response.status_code == 400
    assert literal_message("a@[127.0.0.1]") in unescape(response.content.decode())
    assert not Subscription.objects.exists()
    assert mailoutbox == []


def test_the_subscription_page_and_the_api_refuse_an_address_literal_among_the_addresses(cast):
    page = signed_in(cast.manager_a).post(reverse("alerts:create"), form_data(addresses="desk@[10.0.0.7]"))
    api = client_of(cast.manager_a).post(SUBSCRIPTIONS, payload(addresses=["a@[IPv6:::1]"]), format="json")

    assert page.status_code == 400
    assert literal_message("desk@[10.0.0.7]") in unescape(page.content.decode())
    assert errors(api) == {"addresses": [literal_message("a@[IPv6:::1]")]}
    assert not Subscription.objects.exists()


def test_an_address_with_a_domain_name_is_still_taken(cast):
    subscription = subscription_clean(mali_fields(addresses=["desk@sahel.example"]), for_organisation=True)

    assert subscription.addresses == ["desk@sahel.example"]


@pytest.mark.parametrize(
    "query, message",
    [
        ({"date_to": "9999-12-31"}, "Give a date on or before 9999-12-30."),
        ({"date_from": "9999-12-31"}, "Give a date on or before 9999-12-30."),
        ({"date_from": "0001-01-01"}, "Give a date on or after 0001-01-02."),
    ],
)
def test_the_delivery_log_refuses_the_calendar_s_first_and_last_days_with_a_message(cast, query, message):
    DeliveryFactory.create(subscription=SubscriptionFactory.create(organisation=cast.org_a), email="x@sahel.example")

    response = signed_in(cast.manager_a).get(reverse("alerts:deliveries"), query)

    assert response.status_code == 400
    assert message in unescape(response.content.decode())


def test_the_delivery_log_takes_the_last_days_it_can_place(cast):
    response = signed_in(cast.manager_a).get(
        reverse("alerts:deliveries"), {"date_from": "0001-01-02", "date_to": "9999-12-30"}
    )

    assert response.status_code == 200
