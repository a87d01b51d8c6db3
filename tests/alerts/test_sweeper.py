"""The sweeper queues what was lost, and only that; an SMTP server that cannot be reached stops
a batch without costing the rest of it an attempt; a digest missed while the broker was down
is started late rather than never.

Tasks run inline here (the embedded default), so "queued" means sent at once into the test
outbox; the SMTP failures use Django's real SMTP backend against a port where nothing listens.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
import time_machine
from django.utils import timezone

from alerts import dispatch, sending
from alerts.models import Delivery, DeliveryStatus, DigestRun, Frequency
from alerts.schedules import _crontab_last_due, digest_schedules_ensure
from tests.alerts.factories import SubscriptionFactory
from tests.alerts.pending import MINUTE, NOW, news_to_send, pending_delivery
from tests.environment import free_port

pytestmark = pytest.mark.django_db


@pytest.fixture
def capture(django_capture_on_commit_callbacks):
    """Run what is queued after commit at once: the test's transaction never commits."""
    return django_capture_on_commit_callbacks


@pytest.fixture
def news():
    news_to_send()


def test_the_sweeper_leaves_alone_deliveries_that_are_only_waiting_in_a_queue(news, mailoutbox, settings, capture):
    settings.ALERTS_REQUEUE_AFTER_SECONDS = 3600
    # Queued ten minutes ago, never claimed: a long run's backlog, not a lost task.
    waiting = pending_delivery(email="waiting@example.net", queued_at=NOW - 10 * MINUTE)

    with time_machine.travel(NOW, tick=False), capture(execute=True):
        dispatch.deliveries_sweep()

    waiting.refresh_from_db()
    assert (waiting.status, waiting.attempts, mailoutbox) == (DeliveryStatus.PENDING, 0, [])


def test_the_sweeper_queues_what_was_lost_and_nothing_else(news, mailoutbox, settings, capture):
    settings.ALERTS_REQUEUE_AFTER_SECONDS = 3600
    never_queued = pending_delivery(email="never-queued@example.net", queued_at=None)
    dead_worker = pending_delivery(
        email="dead-worker@example.net", queued_at=NOW - 10 * MINUTE, claimed_until=NOW - MINUTE, attempts=1
    )
    lost_by_broker = pending_delivery(email="lost@example.net", queued_at=NOW - dt.timedelta(hours=2))
    retry_not_requeued = pending_delivery(
        email="retry@example.net", queued_at=None, attempts=1, next_attempt_at=NOW - MINUTE
    )
    pending_delivery(email="waiting@example.net", queued_at=NOW - 10 * MINUTE)
    pending_delivery(email="claimed@example.net", queued_at=NOW - MINUTE, claimed_until=NOW + 4 * MINUTE, attempts=1)
    pending_delivery(email="retry-later@example.net", queued_at=None, attempts=1, next_attempt_at=NOW + 5 * MINUTE)

    with time_machine.travel(NOW, tick=False), capture(execute=True):
        dispatch.deliveries_sweep()

    sent = sorted(message.to[0] for message in mailoutbox)
    assert sent == sorted(d.email for d in (never_queued, dead_worker, lost_by_broker, retry_not_requeued))
    assert Delivery.objects.filter(status=DeliveryStatus.PENDING).count() == 3


def test_a_delivery_just_planned_is_given_time_to_be_queued(news, mailoutbox, capture):
    fresh = pending_delivery(email="fresh@example.net", queued_at=None)
    Delivery.objects.filter(pk=fresh.pk).update(updated_at=NOW - dt.timedelta(seconds=5))

    with time_machine.travel(NOW, tick=False), capture(execute=True):
        dispatch.deliveries_sweep()

    assert mailoutbox == []


# Sending into an SMTP server that is not there -----------------------------------------


@pytest.fixture
def smtp_down(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = free_port()
    settings.EMAIL_TIMEOUT = 2
    settings.ALERTS_RETRY_BASE_SECONDS = 60


def test_an_unreachable_smtp_server_stops_the_batch_and_costs_the_untried_no_attempt(news, smtp_down):
    batch = [pending_delivery(email=f"reader{n}@example.net", queued_at=NOW - MINUTE).pk for n in range(5)]

    with time_machine.travel(NOW, tick=False):
        report = sending.deliveries_send(batch)

    deliveries = {d.pk: d for d in Delivery.objects.filter(pk__in=batch)}
    assert [deliveries[pk].attempts for pk in batch] == [1, 0, 0, 0, 0]
    assert {d.status for d in deliveries.values()} == {DeliveryStatus.PENDING}
    assert {d.next_attempt_at for d in deliveries.values()} == {NOW + dt.timedelta(seconds=60)}  # the first's backoff
    assert {d.queued_at for d in deliveries.values()} == {None}  # the task queues them again
    assert "Connection refused" in deliveries[batch[0]].last_error
    assert deliveries[batch[1]].last_error == ""
    assert sorted(report.retry) == sorted(batch)
    assert report.retry_in == 61


def test_an_outage_as_long_as_every_backoff_fails_a_batch_s_first_e_mail_only(news, smtp_down, settings):
    settings.ALERTS_MAX_ATTEMPTS = 3
    batch = [pending_delivery(email=f"reader{n}@example.net", queued_at=NOW - MINUTE).pk for n in range(4)]
    moment = NOW

    for _ in range(6):  # each time the batch's retry comes due, the server is still down
        with time_machine.travel(moment, tick=False):
            report = sending.deliveries_send(batch)
        moment += dt.timedelta(seconds=report.retry_in or 60) + dt.timedelta(seconds=1)
        batch = sorted(report.retry)

    statuses = sorted(Delivery.objects.values_list("status", "attempts"))
    # One e-mail gives up per three attempts; the others wait, their attempts intact.
    assert statuses.count((DeliveryStatus.FAILED, 3)) == 2
    assert all(status == DeliveryStatus.PENDING and attempts < 3 for status, attempts in statuses if status != "failed")


# Digests missed while the broker was down ----------------------------------------------


def test_the_last_due_moment_of_a_crontab_is_found_in_its_time_zone():
    from django_celery_beat.models import CrontabSchedule

    daily = CrontabSchedule(minute="0", hour="7", timezone="Africa/Nairobi").schedule
    mondays = CrontabSchedule(minute="0", hour="7", day_of_week="1", timezone="UTC").schedule
    nairobi = zoneinfo.ZoneInfo("Africa/Nairobi")

    # 23 November 2026 is a Monday; 07:00 in Nairobi is 04:00 UTC.
    assert _crontab_last_due(daily, nairobi, NOW) == dt.datetime(2026, 11, 23, 4, 0, tzinfo=dt.UTC)
    assert _crontab_last_due(daily, nairobi, dt.datetime(2026, 11, 23, 3, 59, tzinfo=dt.UTC)) == dt.datetime(
        2026, 11, 22, 4, 0, tzinfo=dt.UTC
    )
    assert _crontab_last_due(mondays, zoneinfo.ZoneInfo("UTC"), dt.datetime(2026, 11, 29, 9, tzinfo=dt.UTC)) == (
        dt.datetime(2026, 11, 23, 7, 0, tzinfo=dt.UTC)
    )


def test_a_digest_whose_time_passed_without_a_run_is_started_by_the_sweeper(news, mailoutbox, capture):
    zone = "Africa/Nairobi"
    with time_machine.travel(NOW - dt.timedelta(days=2), tick=False):
        SubscriptionFactory.create(organisation=None, email="nairobi@example.net", time_zone=zone)
        digest_schedules_ensure(time_zones=[zone])

    with time_machine.travel(NOW, tick=False), capture(execute=True):
        dispatch.deliveries_sweep()
        dispatch.deliveries_sweep()  # the next minute's sweep finds the run and starts nothing

    run = DigestRun.objects.get(time_zone=zone)
    assert (run.frequency, run.period) == (Frequency.DAILY, "2026-11-23")
    assert run.window_end == dt.datetime(2026, 11, 23, 4, 0, tzinfo=dt.UTC)  # 07:00 in Nairobi, as scheduled
    assert [message.to for message in mailoutbox] == [["nairobi@example.net"]]


def test_the_sweeper_starts_no_digest_for_subscribers_who_came_after_its_time(news, mailoutbox, capture):
    zone = "Africa/Nairobi"
    with time_machine.travel(NOW - dt.timedelta(hours=1), tick=False):  # after 07:00 in Nairobi
        SubscriptionFactory.create(organisation=None, email="new@example.net", time_zone=zone)
        digest_schedules_ensure(time_zones=[zone])

    with time_machine.travel(NOW, tick=False), capture(execute=True):
        dispatch.deliveries_sweep()

    assert not DigestRun.objects.filter(time_zone=zone).exists()
    assert mailoutbox == []


def test_a_disabled_digest_schedule_is_not_caught_up(news, mailoutbox, capture):
    from django_celery_beat.models import PeriodicTask

    zone = "Africa/Nairobi"
    with time_machine.travel(NOW - dt.timedelta(days=2), tick=False):
        SubscriptionFactory.create(organisation=None, email="nairobi@example.net", time_zone=zone)
        digest_schedules_ensure(time_zones=[zone])
    PeriodicTask.objects.filter(name__endswith=f"({zone})").update(enabled=False)

    with time_machine.travel(NOW, tick=False), capture(execute=True):
        dispatch.deliveries_sweep()

    assert not DigestRun.objects.filter(time_zone=zone).exists()


def test_send_digests_says_a_period_was_already_run_when_another_run_planned_it(news, capsys):
    from django.core.management import call_command

    SubscriptionFactory.create(organisation=None, email="bamako@example.net")
    # Another send_digests (or beat) planned this period a moment ago.
    with time_machine.travel(NOW, tick=False):
        dispatch.digest_run_start(frequency="daily", time_zone="Africa/Bamako", now=timezone.now())
        call_command("send_digests", "--frequency", "daily", "--now", NOW.isoformat())

    assert "already run for this period" in capsys.readouterr().out
