"""A traveler's confirmation e-mail is sent by a task, once, and never lost: a request saved while
the broker or the SMTP server was down has its e-mail sent by the sweeper when they are back.

Tasks run inline here (the embedded default) unless a test hands them to a broker that is not there.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
import time_machine
from celery import current_app

from advisories.models import Country
from alerts import confirmations, task_queue
from alerts.models import Subscription
from alerts.services import SubscriptionFields, subscription_confirm, subscription_end, subscription_request
from alerts.tokens import confirmation_token
from tests.alerts.smtp_sink import SmtpSink
from tests.environment import free_port
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 11, 23, 12, 0, tzinfo=dt.UTC)
LATER = NOW + dt.timedelta(minutes=2)  # past the sweeper's grace


def _request(email: str = "traveler@example.net") -> Subscription:
    fields = SubscriptionFields(countries=[Country.objects.get(code="ML")], time_zone="Africa/Bamako")
    return subscription_request(email=email, data=fields)


def _reset_broker_connections() -> None:
    # The app and kombu keep the connection pools they made for the previous broker URL.
    current_app._pool = None  # type: ignore[attr-defined]
    current_app.amqp._producer_pool = None  # type: ignore[attr-defined]


@pytest.fixture
def broker_down() -> Iterator[None]:
    """Tasks are handed to a broker where nothing listens, instead of running inline."""
    conf = current_app.conf
    saved = (conf.task_always_eager, conf.broker_url)
    conf.update(task_always_eager=False, broker_url=f"redis://127.0.0.1:{free_port()}/0")
    _reset_broker_connections()
    try:
        yield
    finally:
        conf.update(task_always_eager=saved[0], broker_url=saved[1])
        _reset_broker_connections()
        # The breaker opened by this outage must not hold back the tests that come next.
        task_queue.broker.succeeded()
        task_queue.broker._open_until = 0.0


@pytest.fixture
def smtp_down(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", free_port(), 2


def test_the_confirmation_is_sent_once_however_often_its_task_runs(mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        subscription = _request()

    again = current_app.tasks[task_queue.CONFIRMATION_SEND].apply((subscription.pk,)).get()

    assert (again, len(mailoutbox)) == (False, 1)
    assert mailoutbox[0].to == ["traveler@example.net"]
    subscription.refresh_from_db()
    assert subscription.confirmation_sent_at is not None


def test_a_request_confirmed_or_ended_before_its_task_ran_gets_no_confirmation(mailoutbox):
    confirmed, ended = _request("confirmed@example.net"), _request("ended@example.net")
    subscription_confirm(token=confirmation_token(subscription_id=confirmed.pk, email=confirmed.email))
    subscription_end(by=UserFactory.create(is_staff=True), subscription=ended)

    sent = [confirmations.confirmation_send(subscription_id=s.pk) for s in (confirmed, ended)]

    assert (sent, mailoutbox) == ([False, False], [])


def test_a_request_saved_while_the_broker_is_down_has_its_confirmation_sent_by_the_sweeper(
    broker_down, mailoutbox, django_capture_on_commit_callbacks
):
    with time_machine.travel(NOW, tick=False), django_capture_on_commit_callbacks(execute=True):
        subscription = _request()
    assert (Subscription.objects.filter(pk=subscription.pk).exists(), mailoutbox) == (True, [])

    current_app.conf.task_always_eager = True  # the broker is back
    with time_machine.travel(LATER, tick=False):
        queued = confirmations.confirmations_sweep()
        queued_again = confirmations.confirmations_sweep()

    assert (queued, queued_again) == (1, 0)
    [message] = mailoutbox
    assert message.to == ["traveler@example.net"]


def test_the_sweeper_gives_a_fresh_request_s_task_time_to_run(mailoutbox):
    with time_machine.travel(NOW, tick=False):
        _request()
    with time_machine.travel(NOW + dt.timedelta(seconds=30), tick=False):
        queued = confirmations.confirmations_sweep()

    assert (queued, mailoutbox) == (0, [])


def test_the_sweeper_leaves_a_request_whose_link_expired(mailoutbox, settings):
    with time_machine.travel(NOW, tick=False):
        _request()
    with time_machine.travel(NOW + dt.timedelta(days=settings.ALERTS_CONFIRMATION_DAYS, minutes=1), tick=False):
        queued = confirmations.confirmations_sweep()

    assert (queued, mailoutbox) == (0, [])


def test_a_confirmation_the_smtp_server_could_not_take_is_sent_when_it_is_back(
    smtp_down, settings, mailoutbox, django_capture_on_commit_callbacks
):
    with time_machine.travel(NOW, tick=False), django_capture_on_commit_callbacks(execute=True):
        subscription = _request()
    subscription.refresh_from_db()
    assert subscription.confirmation_sent_at is None

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with time_machine.travel(LATER, tick=False):
        assert confirmations.confirmations_sweep() == 1
    assert [m.to for m in mailoutbox] == [["traveler@example.net"]]
    assert Subscription.objects.get(pk=subscription.pk).confirmation_sent_at == LATER


@pytest.fixture
def smtp_server(settings) -> Iterator[SmtpSink]:
    with SmtpSink() as sink:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = sink.host, sink.port, 5
        yield sink


def test_an_address_the_server_refuses_for_good_is_not_asked_again(smtp_server, django_capture_on_commit_callbacks):
    smtp_server.refuse_permanently("gone@example.net")
    with time_machine.travel(NOW, tick=False), django_capture_on_commit_callbacks(execute=True):
        subscription = _request("gone@example.net")

    with time_machine.travel(LATER, tick=False):
        queued = confirmations.confirmations_sweep()

    assert (queued, smtp_server.messages) == (0, [])
    assert Subscription.objects.get(pk=subscription.pk).confirmation_sent_at == NOW


def test_a_temporary_refusal_leaves_the_confirmation_to_the_sweeper(smtp_server, django_capture_on_commit_callbacks):
    smtp_server.refuse_temporarily(1)
    with time_machine.travel(NOW, tick=False), django_capture_on_commit_callbacks(execute=True):
        subscription = _request()
    assert (Subscription.objects.get(pk=subscription.pk).confirmation_sent_at, smtp_server.messages) == (None, [])

    with time_machine.travel(LATER, tick=False):
        assert confirmations.confirmations_sweep() == 1

    assert smtp_server.recipients() == ["traveler@example.net"]
