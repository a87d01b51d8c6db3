"""The rules of sending, each on its own and without a worker or an SMTP server: which SMTP
answers are permanent, how long a retry waits, when a delivery is given up, and which queued
deliveries the sweeper leaves to their task.

The SMTP failures use Django's real SMTP backend against a port where nothing listens; the
sweeper's queues are Celery's in-memory broker, which tells the sweeper that nothing waits.
"""

from __future__ import annotations

import datetime as dt
import smtplib
import socket
from collections.abc import Iterator

import pytest
import time_machine
from celery import current_app
from django.core.cache import cache
from django.db import OperationalError

from alerts import dispatch, sending, task_queue
from alerts.models import Delivery, DeliveryStatus
from tests.alerts.pending import MINUTE, NOW, news_to_send, pending_delivery
from tests.environment import free_port

# Classifying SMTP errors ------------------------------------------------------------------

PERMANENT = {
    "a recipient refused for good": smtplib.SMTPRecipientsRefused({"a@example.net": (550, b"No such user")}),
    "a sender refused for good": smtplib.SMTPSenderRefused(553, b"Sender not allowed", "alerts@vigil.example"),
    "a message refused for good": smtplib.SMTPDataError(554, b"Message rejected as spam"),
    "any other 5xx answer": smtplib.SMTPResponseException(500, b"Syntax error"),
}
TRANSIENT = {
    "a recipient refused for now": smtplib.SMTPRecipientsRefused({"a@example.net": (450, b"Mailbox busy")}),
    "a message refused for now": smtplib.SMTPDataError(451, b"Try again later"),
    "a refused login (the operator's to fix)": smtplib.SMTPAuthenticationError(535, b"Bad credentials"),
    "a lost connection": smtplib.SMTPServerDisconnected("Connection unexpectedly closed"),
    "a refused connection": ConnectionRefusedError(111, "Connection refused"),
    "a timeout": TimeoutError("timed out"),
    "a name that does not resolve": socket.gaierror(-2, "Name or service not known"),
    "a bug of ours": ValueError("unexpected"),
}


@pytest.mark.parametrize("error", PERMANENT.values(), ids=PERMANENT.keys())
def test_a_5xx_answer_is_a_permanent_failure(error):
    failure = sending.classify(error)

    assert isinstance(failure, sending.PermanentFailure)
    assert str(failure).startswith(type(error).__name__ + ": ")


@pytest.mark.parametrize("error", TRANSIENT.values(), ids=TRANSIENT.keys())
def test_a_4xx_answer_trouble_reaching_the_server_or_anything_unexpected_is_a_transient_failure(error):
    assert isinstance(sending.classify(error), sending.TransientFailure)


def test_a_recipient_refusal_is_judged_by_the_server_s_code_for_the_recipient():
    error = smtplib.SMTPRecipientsRefused({"a@example.net": (550, b"No such user")})

    assert "No such user" in str(sending.classify(error))


def test_the_error_kept_is_cut_to_the_column_s_length():
    failure = sending.classify(smtplib.SMTPDataError(554, b"x" * 5000))

    assert len(str(failure)) == sending.ERROR_MAX


# Backoff ---------------------------------------------------------------------------------


def test_the_wait_before_a_retry_doubles_with_each_attempt(settings):
    settings.ALERTS_RETRY_BASE_SECONDS = 60

    waits = [sending.backoff(attempts).total_seconds() for attempts in range(0, 6)]

    assert waits == [60, 60, 120, 240, 480, 960]


def test_the_wait_before_a_retry_is_at_most_an_hour(settings):
    settings.ALERTS_RETRY_BASE_SECONDS = 60

    assert sending.backoff(7) == dt.timedelta(seconds=3600)
    assert sending.backoff(30) == sending.MAX_BACKOFF == dt.timedelta(hours=1)


# Giving up -------------------------------------------------------------------------------


@pytest.fixture
def smtp_down(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", free_port(), 2
    settings.ALERTS_RETRY_BASE_SECONDS = 60
    settings.ALERTS_MAX_ATTEMPTS = 4


def _attempt_while_down(*, attempts_before: int) -> tuple[Delivery, sending.SendReport]:
    """One more attempt at a delivery tried `attempts_before` times, at NOW, the server down."""
    news_to_send()
    delivery = pending_delivery(email="reader@example.net", attempts=attempts_before)
    with time_machine.travel(NOW, tick=False):
        report = sending.deliveries_send([delivery.pk])
    delivery.refresh_from_db()
    return delivery, report


@pytest.mark.django_db
def test_a_failed_attempt_below_the_maximum_is_retried_after_its_backoff(smtp_down):
    delivery, report = _attempt_while_down(attempts_before=2)

    assert (delivery.status, delivery.attempts) == (DeliveryStatus.PENDING, 3)
    assert delivery.next_attempt_at == NOW + dt.timedelta(seconds=240)
    assert (report.retry, report.failed, report.retry_in) == ([delivery.pk], [], 241)


@pytest.mark.django_db
def test_a_delivery_is_given_up_when_its_last_allowed_attempt_fails(smtp_down):
    delivery, report = _attempt_while_down(attempts_before=3)

    assert (delivery.status, delivery.attempts) == (DeliveryStatus.FAILED, 4)
    assert delivery.last_error.startswith("Gave up after 4 attempts. Last error: ")
    assert "Connection refused" in delivery.last_error
    assert (report.failed, report.retry) == ([delivery.pk], [])


@pytest.mark.django_db
def test_a_delivery_given_up_is_not_tried_again(smtp_down):
    delivery, _report = _attempt_while_down(attempts_before=3)

    with time_machine.travel(NOW + dt.timedelta(hours=2), tick=False):
        report = sending.deliveries_send([delivery.pk])

    assert report.skipped == [delivery.pk]
    assert Delivery.objects.get(pk=delivery.pk).attempts == 4


# The sweeper and fresh deliveries ----------------------------------------------------------

QUEUES = (task_queue.IMMEDIATE_QUEUE, task_queue.DIGEST_QUEUE, task_queue.SWEEP_QUEUE)


def _purge() -> None:
    with current_app.connection_for_write() as connection:
        for name in QUEUES:
            connection.default_channel.queue_purge(name)  # type: ignore[attr-defined]


@pytest.fixture
def memory_broker() -> Iterator[None]:
    """Tasks go to Celery's in-memory broker instead of running inline: queued, never run."""
    conf = current_app.conf
    saved = (conf.task_always_eager, conf.broker_url)
    conf.update(task_always_eager=False, broker_url="memory://")
    current_app._pool = None  # type: ignore[attr-defined]
    current_app.amqp._producer_pool = None  # type: ignore[attr-defined]
    _purge()
    try:
        yield
    finally:
        _purge()
        conf.update(task_always_eager=saved[0], broker_url=saved[1])
        current_app._pool = None  # type: ignore[attr-defined]
        current_app.amqp._producer_pool = None  # type: ignore[attr-defined]


@pytest.mark.django_db
def test_with_nothing_waiting_in_its_queue_the_sweeper_requeues_a_delivery_queued_before_the_grace_only(
    memory_broker, settings, django_capture_on_commit_callbacks
):
    settings.ALERTS_QUEUE_GRACE_SECONDS = 60
    settings.ALERTS_REQUEUE_AFTER_SECONDS = 3600
    fresh = pending_delivery(email="fresh@example.net", queued_at=NOW - dt.timedelta(seconds=50))
    older = pending_delivery(email="older@example.net", queued_at=NOW - dt.timedelta(seconds=70))

    with time_machine.travel(NOW, tick=False), django_capture_on_commit_callbacks(execute=True):
        assert task_queue.messages_waiting(task_queue.DIGEST_QUEUE) == 0
        requeued = dispatch.deliveries_sweep()

    assert requeued == 1
    assert Delivery.objects.get(pk=fresh.pk).queued_at == NOW - dt.timedelta(seconds=50)  # left to its task
    assert Delivery.objects.get(pk=older.pk).queued_at == NOW  # queued again
    assert task_queue.messages_waiting(task_queue.DIGEST_QUEUE) == 1


@pytest.mark.django_db
def test_while_a_queue_holds_messages_the_sweeper_waits_for_them(
    memory_broker, settings, django_capture_on_commit_callbacks
):
    settings.ALERTS_QUEUE_GRACE_SECONDS = 60
    settings.ALERTS_REQUEUE_AFTER_SECONDS = 3600
    older = pending_delivery(email="older@example.net", queued_at=NOW - 10 * MINUTE)
    task_queue.queue(task_queue.DIGEST_SEND, ([older.pk],))  # its message, still waiting

    with time_machine.travel(NOW, tick=False), django_capture_on_commit_callbacks(execute=True):
        requeued = dispatch.deliveries_sweep()

    assert requeued == 0
    assert Delivery.objects.get(pk=older.pk).queued_at == NOW - 10 * MINUTE


# The database lost between sending and recording -------------------------------------------


@pytest.mark.django_db
def test_an_e_mail_sent_just_as_the_database_is_lost_is_recorded_by_the_next_claim_and_not_sent_again(
    mailoutbox, monkeypatch, settings
):
    news_to_send()
    delivery = pending_delivery(email="reader@example.net")
    record = sending._finish

    def database_lost_when_recording_it_sent(pk, **changes):
        if changes.get("status") == DeliveryStatus.SENT:
            raise OperationalError("server closed the connection unexpectedly")
        record(pk, **changes)

    monkeypatch.setattr(sending, "_finish", database_lost_when_recording_it_sent)
    with time_machine.travel(NOW, tick=False), pytest.raises(OperationalError):
        sending.deliveries_send([delivery.pk])
    assert len(mailoutbox) == 1
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.PENDING  # the database never heard of the sending

    # The database is back; the claim runs out and the delivery is queued again.
    monkeypatch.setattr(sending, "_finish", record)
    with time_machine.travel(NOW + dt.timedelta(seconds=settings.ALERTS_CLAIM_SECONDS + 1), tick=False):
        report = sending.deliveries_send([delivery.pk])

    delivery.refresh_from_db()
    assert len(mailoutbox) == 1, "sent twice"
    assert report.sent == [delivery.pk]
    assert (delivery.status, delivery.sent_at, delivery.attempts) == (DeliveryStatus.SENT, NOW, 1)
    assert delivery.subject == mailoutbox[0].subject


@pytest.mark.django_db
def test_a_delivery_claimed_for_the_first_time_is_sent_without_looking_for_a_note(mailoutbox):
    news_to_send()
    delivery = pending_delivery(email="reader@example.net")
    # Only an earlier attempt writes a note; one for a delivery never claimed is not about it.
    cache.set(sending._sent_note_key(delivery.pk), {"sent_at": NOW.isoformat(), "subject": "Stale"}, 60)

    with time_machine.travel(NOW, tick=False):
        report = sending.deliveries_send([delivery.pk])

    delivery.refresh_from_db()
    assert report.sent == [delivery.pk] and len(mailoutbox) == 1
    assert (delivery.attempts, delivery.subject) == (1, mailoutbox[0].subject)


@pytest.mark.django_db
def test_a_delivery_recorded_as_sent_leaves_no_note_behind(mailoutbox):
    news_to_send()
    delivery = pending_delivery(email="reader@example.net")
    with time_machine.travel(NOW, tick=False):
        sending.deliveries_send([delivery.pk])
    assert len(mailoutbox) == 1
    assert cache.get(sending._sent_note_key(delivery.pk)) is None
