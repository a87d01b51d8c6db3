"""What the worker does with the SMTP server's refusals: 4xx is tried again later, 5xx is final."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from alerts.models import Delivery, DeliveryStatus
from alerts.tasks import deliveries_sweep
from incidents.models import ReviewStatus
from incidents.services import incident_publish
from tests.factories import IncidentFactory

pytestmark = pytest.mark.integration

# The worker runs with ALERTS_RETRY_BASE_SECONDS=1: a second attempt after 1 s, a third 2 s later.
FIRST_BACKOFFS = dt.timedelta(seconds=1 + 2)


def test_a_temporarily_refused_alert_is_tried_again_later_and_delivered_once(
    celery_worker, smtp_sink, celery_broker, people, subscribe, wait_for
):
    subscribe(email="mali@example.net")
    smtp_sink.refuse_temporarily(1, at="RCPT")
    smtp_sink.refuse_temporarily(1, at="DATA")
    incident = IncidentFactory.create(title="Kidnapping on the Mopti road", status=ReviewStatus.VERIFIED)

    incident_publish(incident=incident, analyst=people.analyst)

    smtp_sink.wait_for_messages(1, timeout=30)
    delivery = wait_for(
        lambda: Delivery.objects.filter(status=DeliveryStatus.SENT).first(), what="the delivery to be sent"
    )
    celery_broker.wait_until_idle()
    assert smtp_sink.recipients() == ["mali@example.net"]
    assert smtp_sink.rcpt_attempts["mali@example.net"] == 2 + 1  # refused at RCPT, refused at DATA, accepted
    assert delivery.attempts == 3
    assert delivery.last_error == ""
    assert delivery.sent_at is not None
    assert delivery.sent_at - delivery.created_at >= FIRST_BACKOFFS
    assert smtp_sink.messages[0].message_id == delivery.message_id


def test_a_permanently_refused_recipient_is_recorded_as_failed_and_never_tried_again(
    celery_worker, smtp_sink, celery_broker, people, subscribe, wait_for
):
    subscribe(email="mali@example.net")
    subscribe(email="gone@example.net")
    smtp_sink.refuse_permanently("gone@example.net")
    incident = IncidentFactory.create(title="Explosion at the market", status=ReviewStatus.VERIFIED)

    incident_publish(incident=incident, analyst=people.analyst)

    smtp_sink.wait_for_messages(1, timeout=30)
    failed = wait_for(
        lambda: Delivery.objects.filter(email="gone@example.net", status=DeliveryStatus.FAILED).first(),
        what="the refused delivery to be failed",
    )
    # Past the time a retry would have come, and after a sweep of what is left pending.
    wait_for(lambda: timezone.now() > failed.updated_at + FIRST_BACKOFFS, what="the backoff to pass")
    deliveries_sweep.delay()
    celery_broker.wait_until_idle()
    failed.refresh_from_db()
    assert failed.status == DeliveryStatus.FAILED
    assert failed.attempts == 1
    assert failed.sent_at is None
    assert "550" in failed.last_error and "Mailbox unavailable" in failed.last_error
    assert smtp_sink.rcpt_attempts["gone@example.net"] == 1
    assert smtp_sink.recipients() == ["mali@example.net"]
    assert Delivery.objects.get(email="mali@example.net").status == DeliveryStatus.SENT
