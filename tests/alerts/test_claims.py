"""A claim is one statement: the conditional UPDATE that only one worker can win, which on
PostgreSQL also says that its commit need not wait for the disk (the mark "sent" that follows it
commits synchronously, and so writes the claim to disk first)."""

import datetime as dt

import pytest
from django.db import connection

from alerts import sending
from alerts.models import Delivery
from tests.alerts.pending import NOW, news_to_send, pending_delivery

pytestmark = pytest.mark.django_db


def _synchronous_commit() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SHOW synchronous_commit")
        return str(cursor.fetchone()[0])


@pytest.mark.skipif(connection.vendor != "postgresql", reason="synchronous_commit is PostgreSQL's")
def test_on_postgresql_a_claim_turns_off_waiting_for_the_disk_in_its_transaction():
    news_to_send()
    delivery = pending_delivery(email="reader@example.net")
    assert _synchronous_commit() == "on"

    # The test runs in one transaction: the claim's setting holds until that transaction ends.
    assert sending._claim(delivery.pk, NOW) == 1

    assert _synchronous_commit() == "off"
    assert Delivery.objects.get(pk=delivery.pk).claimed_until is not None


@pytest.mark.skipif(connection.vendor != "postgresql", reason="synchronous_commit is PostgreSQL's")
# Real transactions; the data the migrations made is put back afterwards for the tests that follow.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_on_postgresql_the_transaction_after_a_claim_waits_for_the_disk_again():
    news_to_send()
    delivery = pending_delivery(email="reader@example.net")

    # Outside any enclosing transaction the claim commits on its own, and its setting ends with it.
    assert sending._claim(delivery.pk, NOW) == 1

    assert _synchronous_commit() == "on"
    assert Delivery.objects.get(pk=delivery.pk).claimed_until is not None


def test_a_delivery_is_claimed_once_until_its_lease_runs_out(settings):
    news_to_send()
    delivery = pending_delivery(email="reader@example.net")

    assert sending._claim(delivery.pk, NOW) == 1
    assert sending._claim(delivery.pk, NOW) is None
    lease = NOW + dt.timedelta(seconds=settings.ALERTS_CLAIM_SECONDS)
    assert sending._claim(delivery.pk, lease) == 2
