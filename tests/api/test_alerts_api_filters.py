"""The filters of /api/v1/subscriptions/ and /api/v1/deliveries/: one test each, and a 400 naming
the parameter for a value that does not parse."""

from __future__ import annotations

import datetime as dt

import pytest

from advisories.models import Country, Region, ThreatCategory
from alerts.models import Delivery, DeliveryStatus, Frequency
from tests.alerts.factories import DeliveryFactory, a_subscription
from tests.api.alerts_api import DELIVERIES, SUBSCRIPTIONS, detail, errors, ids
from tests.api.clients import client_of

pytestmark = pytest.mark.django_db

# Filters: one test each, and a 400 naming the parameter for a value that does not parse ------


def test_subscriptions_are_filtered_by_frequency(cast):
    daily = a_subscription(cast, frequency=Frequency.DAILY)
    immediate = a_subscription(cast, frequency=Frequency.IMMEDIATE)
    client = client_of(cast.manager_a)

    assert ids(client.get(SUBSCRIPTIONS, {"frequency": "immediate"})) == [immediate.pk]
    assert ids(client.get(SUBSCRIPTIONS, {"frequency": "daily"})) == [daily.pk]
    assert ids(client.get(SUBSCRIPTIONS, {"frequency": "weekly"})) == []


def test_subscriptions_are_filtered_by_the_country_they_follow(cast):
    mali = a_subscription(cast)
    niger = a_subscription(cast, countries=[Country.objects.get(code="NE")])
    both = a_subscription(cast, countries=list(Country.objects.filter(code__in=["ML", "NE"])))
    client = client_of(cast.manager_a)

    assert ids(client.get(SUBSCRIPTIONS, {"country": "ne"})) == [both.pk, niger.pk]
    assert ids(client.get(SUBSCRIPTIONS, {"country": "ML"})) == [both.pk, mali.pk]


def test_subscriptions_are_filtered_by_the_region_they_follow(cast):
    a_subscription(cast)
    gao = a_subscription(cast, countries=[], regions=[Region.objects.get(code="ML-7")])

    assert ids(client_of(cast.manager_a).get(SUBSCRIPTIONS, {"region": "ml-7"})) == [gao.pk]


def test_subscriptions_are_filtered_by_category(cast):
    a_subscription(cast)
    kidnapping = a_subscription(cast, categories=list(ThreatCategory.objects.filter(slug__in=["kidnapping", "crime"])))
    a_subscription(cast, categories=[ThreatCategory.objects.get(slug="crime")])

    assert ids(client_of(cast.manager_a).get(SUBSCRIPTIONS, {"category": "kidnapping"})) == [kidnapping.pk]


def test_subscriptions_are_filtered_by_whether_they_are_active(cast):
    active = a_subscription(cast)
    ended = a_subscription(cast)
    client = client_of(cast.manager_a)
    client.delete(detail(ended))

    assert ids(client.get(SUBSCRIPTIONS, {"active": "true"})) == [active.pk]
    assert ids(client.get(SUBSCRIPTIONS, {"active": "false"})) == [ended.pk]
    assert ids(client.get(SUBSCRIPTIONS, {"active": "1"})) == [active.pk]
    assert ids(client.get(SUBSCRIPTIONS)) == [ended.pk, active.pk]


def test_filters_never_widen_what_a_user_manages(cast):
    a_subscription(cast, organisation=cast.org_b, frequency=Frequency.IMMEDIATE)

    for query in ({"frequency": "immediate"}, {"country": "ML"}, {"active": "true"}, {"active": "false"}):
        assert ids(client_of(cast.manager_a).get(SUBSCRIPTIONS, query)) == []
        assert ids(client_of(cast.officer_a).get(SUBSCRIPTIONS, query)) == []


SUBSCRIPTION_FILTER_REFUSALS = {
    "frequency": ("hourly", "There is no frequency “hourly”; use immediate, daily or weekly."),
    "country": ("zz", "There is no country with the code ZZ."),
    "region": ("ml-99", "There is no region with the code ML-99."),
    "category": ("aliens", "There is no threat category aliens."),
    "active": ("maybe", "Write true or false, not “maybe”."),
}


@pytest.mark.parametrize(
    "name, value, message",
    [(name, value, message) for name, (value, message) in SUBSCRIPTION_FILTER_REFUSALS.items()],
    ids=SUBSCRIPTION_FILTER_REFUSALS.keys(),
)
def test_a_subscription_filter_that_does_not_parse_is_a_400_naming_it(cast, name, value, message):
    a_subscription(cast)

    response = client_of(cast.manager_a).get(SUBSCRIPTIONS, {name: value})

    assert errors(response) == {name: [message]}


def test_deliveries_are_filtered_by_status(cast):
    subscription = a_subscription(cast)
    sent = DeliveryFactory.create(subscription=subscription)
    failed = DeliveryFactory.create(subscription=subscription, status=DeliveryStatus.FAILED, last_error="550")
    client = client_of(cast.manager_a)

    assert ids(client.get(DELIVERIES, {"status": "failed"})) == [failed.pk]
    assert ids(client.get(DELIVERIES, {"status": "sent"})) == [sent.pk]
    assert ids(client.get(DELIVERIES, {"status": "cancelled"})) == []


def test_deliveries_are_filtered_by_subscription(cast):
    desk = a_subscription(cast, name="Desk")
    director = a_subscription(cast, name="Director")
    of_desk = DeliveryFactory.create(subscription=desk)
    DeliveryFactory.create(subscription=director)

    assert ids(client_of(cast.manager_a).get(DELIVERIES, {"subscription": desk.pk})) == [of_desk.pk]


def test_a_subscription_the_user_does_not_manage_cannot_be_named_in_the_filter(cast):
    of_b = a_subscription(cast, organisation=cast.org_b)
    DeliveryFactory.create(subscription=of_b, email="desk@niger-valley.example")
    message = "among those you manage; see /api/v1/subscriptions/."

    for user in (cast.manager_a, cast.officer_a):
        response = client_of(user).get(DELIVERIES, {"subscription": of_b.pk})
        assert errors(response) == {"subscription": [f"There is no subscription with the id {of_b.pk} {message}"]}
        assert "niger-valley" not in response.content.decode()
    # The same answer as for a subscription that does not exist at all.
    missing = client_of(cast.manager_a).get(DELIVERIES, {"subscription": of_b.pk + 1000})
    assert errors(missing) == {"subscription": [f"There is no subscription with the id {of_b.pk + 1000} {message}"]}


def test_deliveries_are_filtered_by_since_and_before(cast):
    subscription = a_subscription(cast)

    def written_at(moment: dt.datetime) -> Delivery:
        delivery = DeliveryFactory.create(subscription=subscription)
        Delivery.objects.filter(pk=delivery.pk).update(created_at=moment)
        return delivery

    early = written_at(dt.datetime(2026, 11, 20, 6, 59, tzinfo=dt.UTC))
    on_time = written_at(dt.datetime(2026, 11, 20, 7, 0, tzinfo=dt.UTC))
    late = written_at(dt.datetime(2026, 11, 21, 7, 0, tzinfo=dt.UTC))
    client = client_of(cast.manager_a)

    assert ids(client.get(DELIVERIES, {"since": "2026-11-20T07:00:00Z"})) == [late.pk, on_time.pk]
    # `before` is exclusive, so that one period's `before` is the next one's `since`.
    assert ids(client.get(DELIVERIES, {"before": "2026-11-21T07:00:00Z"})) == [on_time.pk, early.pk]
    assert ids(client.get(DELIVERIES, {"since": "2026-11-20T08:00:00+01:00", "before": "2026-11-21T00:00Z"})) == [
        on_time.pk
    ]


DELIVERY_FILTER_REFUSALS = {
    "status": ({"status": "lost"}, "There is no status “lost”; use pending, sent, failed or cancelled."),
    "subscription": ({"subscription": "desk"}, None),
    "since": (
        {"since": "yesterday"},
        "Write an ISO 8601 date and time, e.g. 2026-11-23T07:00:00Z (URL-encode the + of an offset such as +01:00).",
    ),
    "before": (
        {"before": "2026-13-01T00:00:00Z"},
        "Write an ISO 8601 date and time, e.g. 2026-11-23T07:00:00Z (URL-encode the + of an offset such as +01:00).",
    ),
}


@pytest.mark.parametrize("query, message", DELIVERY_FILTER_REFUSALS.values(), ids=DELIVERY_FILTER_REFUSALS.keys())
def test_a_delivery_filter_that_does_not_parse_is_a_400_naming_it(cast, query, message):
    DeliveryFactory.create(subscription=a_subscription(cast), email="desk@sahel.example")

    response = client_of(cast.manager_a).get(DELIVERIES, query)

    (name,) = query
    found = errors(response)
    assert list(found) == [name]
    if message is not None:
        assert found[name] == [message]
    assert "desk@sahel.example" not in response.content.decode()


def test_a_since_later_than_before_is_a_400_that_says_so(cast):
    response = client_of(cast.manager_a).get(
        DELIVERIES, {"since": "2026-11-21T00:00:00Z", "before": "2026-11-20T00:00:00Z"}
    )

    assert errors(response) == {
        "before": [
            "before (2026-11-20T00:00:00+00:00) is earlier than since (2026-11-21T00:00:00+00:00); "
            "swap them or change one."
        ]
    }
