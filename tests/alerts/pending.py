"""A digest delivery waiting to be sent, in the state a test names: for the sending and sweeping tests."""

from __future__ import annotations

import datetime as dt

import time_machine

from alerts.models import Delivery, DeliveryStatus
from tests.alerts.factories import DeliveryFactory, DigestRunFactory, SubscriptionFactory
from tests.factories import IncidentFactory

NOW = dt.datetime(2026, 11, 23, 12, 0, tzinfo=dt.UTC)
MINUTE = dt.timedelta(minutes=1)


def news_to_send() -> None:
    """Something to send: an incident in the window of every delivery made by `pending_delivery`."""
    with time_machine.travel(NOW - dt.timedelta(hours=12), tick=False):
        IncidentFactory.create(title="Roadblock near Sévaré")


def pending_delivery(**fields) -> Delivery:
    """A digest delivery to `email`, pending since ten minutes before NOW, with these fields."""
    subscription = SubscriptionFactory.create(organisation=None, email=fields.pop("email"))
    run = DigestRunFactory.create(window_end=NOW - dt.timedelta(hours=5))
    delivery = DeliveryFactory.create(
        subscription=subscription,
        email=subscription.email,
        run=run,
        window_start=run.window_end - dt.timedelta(days=1),
        status=DeliveryStatus.PENDING,
        subject="",
        **{"attempts": 0, **fields},
    )
    # DeliveryFactory's created_at and updated_at are now; the states tested are older.
    Delivery.objects.filter(pk=delivery.pk).update(created_at=NOW - 10 * MINUTE, updated_at=NOW - 10 * MINUTE)
    return delivery
