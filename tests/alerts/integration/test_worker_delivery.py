"""A real Celery worker sends digests and immediate alerts through a real SMTP server, once each."""

from __future__ import annotations

import datetime as dt
import re
import time
import zoneinfo
from collections import Counter
from email.message import EmailMessage

import pytest
import time_machine

from alerts.models import Delivery, DeliveryStatus, DigestRun
from alerts.tasks import digest_start
from incidents.models import ReviewStatus
from incidents.services import incident_publish
from tests.alerts.makers import convoy_attack
from tests.factories import IncidentFactory

pytestmark = pytest.mark.integration

BAMAKO = "Africa/Bamako"


def _later_the_same_day(moment: dt.datetime, zone: str) -> dt.datetime:
    local = moment.astimezone(zoneinfo.ZoneInfo(zone))
    end_of_day = local.replace(hour=23, minute=59, second=0, microsecond=0)
    return moment + (end_of_day - local) / 2


def _parts(message: EmailMessage) -> list[str]:
    return [part.get_content_type() for part in message.walk() if not part.is_multipart()]


def test_a_daily_digest_reaches_each_subscriber_once_and_a_second_run_sends_nothing(
    celery_worker, smtp_sink, celery_broker, digest_subscribers, incident_during, run_at, wait_for
):
    expected = digest_subscribers(25)
    incident_during(title="Roadblock on the Ségou road")

    digest_start.delay("daily", BAMAKO, run_at.isoformat())

    smtp_sink.wait_for_messages(25, timeout=40)
    wait_for(
        lambda: not Delivery.objects.filter(status=DeliveryStatus.PENDING).exists(), what="no delivery to be pending"
    )
    celery_broker.wait_until_idle()
    messages = smtp_sink.messages
    assert Counter(smtp_sink.recipients()) == Counter(expected)
    assert sorted(str(m.message["To"]).lower() for m in messages) == sorted(expected)
    deliveries = list(Delivery.objects.all())
    assert len(deliveries) == 25
    assert {d.status for d in deliveries} == {DeliveryStatus.SENT}
    message_ids = [m.message_id for m in messages]
    assert len(set(message_ids)) == 25
    assert set(message_ids) == {d.message_id for d in deliveries}
    for received in messages:
        message = received.message
        assert _parts(message) == ["text/plain", "text/html"], _parts(message)
        assert "Roadblock on the Ségou road" in message.get_body(("plain",)).get_content()
        assert "Roadblock on the Ségou road" in message.get_body(("html",)).get_content()
        # A long header is folded right after its colon; the whitespace is not part of the value.
        unsubscribe = str(message["List-Unsubscribe"]).strip()
        assert re.fullmatch(r"<https?://\S+/alerts/unsubscribe/\S+>", unsubscribe), unsubscribe
        assert unsubscribe.strip("<>") in message.get_body(("plain",)).get_content()
        assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert "2026-11-23" in message["Subject"]

    # Later the same day, with news since the first run: the period's digest was sent, and that is all.
    later = _later_the_same_day(run_at, BAMAKO)
    with time_machine.travel(run_at + (later - run_at) / 2, tick=False):
        IncidentFactory.create(title="Carjacking after the digest went out")
    digest_start.delay("daily", BAMAKO, later.isoformat())

    celery_broker.wait_until_idle()
    assert len(smtp_sink.messages) == 25
    assert Delivery.objects.count() == 25
    assert DigestRun.objects.count() == 1


def test_a_published_severe_incident_alerts_the_matching_subscriptions_within_a_minute(
    celery_worker, smtp_sink, celery_broker, people, subscribe, wait_for
):
    subscribe(organisation=people.org_a, addresses=["desk@kora.example"])
    subscribe(email="mali@example.net", min_severity=4)
    subscribe(email="mopti@example.net", countries=(), regions=("ML-5",))
    subscribe(email="terrorism@example.net", categories=("terrorism",))
    subscribe(email="niger@example.net", countries=("NE",))
    subscribe(email="gao@example.net", countries=(), regions=("ML-7",))
    subscribe(email="too-minor@example.net", min_severity=5)
    subscribe(email="crime@example.net", categories=("crime",))
    subscribe(email="daily@example.net", frequency="daily")
    subscribe(organisation=people.org_b, frequency="daily")
    subscribe(email="unconfirmed@example.net", confirmed=False)
    subscribe(email="ended@example.net", ended_at=dt.datetime(2026, 11, 2, tzinfo=dt.UTC), end_reason="unsubscribed")
    incident = convoy_attack()
    expected = sorted(
        [
            people.officer_a.email,
            people.reader_a.email,
            "desk@kora.example",
            "mali@example.net",
            "mopti@example.net",
            "terrorism@example.net",
        ]
    )

    started = time.monotonic()
    incident_publish(incident=incident, analyst=people.analyst)
    smtp_sink.wait_for_messages(len(expected), timeout=60)
    took = time.monotonic() - started

    celery_broker.wait_until_idle()
    assert took < 60
    assert sorted(smtp_sink.recipients()) == expected
    assert sorted(Delivery.objects.values_list("email", flat=True)) == expected
    assert set(Delivery.objects.values_list("status", flat=True)) == {DeliveryStatus.SENT}
    assert all("Attack on a convoy near Sévaré" in m.message["Subject"] for m in smtp_sink.messages)


def test_line_breaks_in_an_incident_title_cannot_add_headers_or_recipients(
    celery_worker, smtp_sink, celery_broker, people, subscribe
):
    subscribe(email="mali@example.net")
    incident = IncidentFactory.create(title="Attack\r\nBcc: leak@example.org", status=ReviewStatus.VERIFIED)

    incident_publish(incident=incident, analyst=people.analyst)

    (received,) = smtp_sink.wait_for_messages(1)
    celery_broker.wait_until_idle()
    assert smtp_sink.recipients() == ["mali@example.net"]
    assert received.rcpt_tos == ("mali@example.net",)
    header_block = received.raw.split(b"\r\n\r\n", 1)[0]
    unfolded = re.sub(rb"\r\n[ \t]+", b" ", header_block).split(b"\r\n")
    assert not [line for line in unfolded if line.lower().startswith(b"bcc:")]
    assert received.message.get_all("Bcc") is None
    subjects = [line for line in unfolded if line.lower().startswith(b"subject:")]
    assert len(subjects) == 1
    subject = str(received.message["Subject"])
    assert "\r" not in subject and "\n" not in subject
    assert "Attack Bcc: leak@example.org" in subject


def test_a_traveler_s_confirmation_is_sent_by_the_worker_once_the_request_is_saved(
    celery_worker, smtp_sink, celery_broker
):
    from advisories.models import Country
    from alerts.models import Subscription
    from alerts.services import SubscriptionFields, subscription_request

    fields = SubscriptionFields(countries=[Country.objects.get(code="ML")], time_zone=BAMAKO)
    subscription = subscription_request(email="Traveler@Example.net", data=fields)

    [received] = smtp_sink.wait_for_messages(1, timeout=40)
    celery_broker.wait_until_idle()
    assert smtp_sink.recipients() == ["traveler@example.net"]
    assert str(received.message["Subject"]) == "Confirm your Vigil alerts: Mali"
    assert _parts(received.message) == ["text/plain", "text/html"]
    assert "/alerts/confirm/" in received.message.get_body(("plain",)).get_content()
    assert Subscription.objects.get(pk=subscription.pk).confirmation_sent_at is not None
