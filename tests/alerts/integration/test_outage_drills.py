"""Outage drills on the production topology: gunicorn, a prefork Celery worker, PostgreSQL, a
Redis server of the test's own and an SMTP server, each made to fail while officers log
incidents through the form and the API.

For each outage (Redis stopped, Redis frozen, PostgreSQL refusing and dropping connections,
the SMTP server refusing connections; OUTAGE_SECONDS each) the drill checks what an officer
and a subscriber would notice:
- every incident submitted is saved exactly once, the ones sent again after an error included
  (the form's token, the API's Idempotency-Key);
- no request takes longer than a few seconds, and none answers 5xx for an incident it saved;
- afterwards every immediate alert reaches each recipient once, and the next digest once.

Celery beat does not run here: the drill queues the sweeper every SWEEP_EVERY seconds, as beat
would every minute.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psycopg
import pytest
import requests
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import connection
from django.test import Client

from advisories.models import Country
from incidents.models import Incident, Role
from tests.alerts.integration.parts import WORKER_SETTINGS, Broker, CeleryWorkers, RedisServer, broker_at
from tests.alerts.integration.submissions import Submission, api_submission, form_submission
from tests.alerts.smtp_sink import SmtpSink
from tests.environment import clean_environment, database_url, free_port
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory
from tests.processes import run, running, wait_for_log, wait_until_served

pytestmark = pytest.mark.integration

OUTAGE_SECONDS = 30.0
SUBMIT_EVERY = 3.0
SWEEP_EVERY = 2.0
# "A few seconds": what an officer waits at most for the form or the API to answer.
SLOWEST_ANSWER = 5.0
BIN = Path(sys.executable).parent
DRILL_SETTINGS = {
    **WORKER_SETTINGS,
    "ALERTS_MAX_ATTEMPTS": "12",
    "ALERTS_QUEUE_GRACE_SECONDS": "2",
    "ALERTS_IMMEDIATE_REQUEUE_SECONDS": "10",
    "DATABASE_CONN_MAX_AGE": "60",  # as docker-compose.yml runs it: kept connections, which a restart breaks
    "API_THROTTLE_USER": "100000/minute",
}


@pytest.fixture
def drill_broker(redis_server: RedisServer, integration_services: None) -> Iterator[Broker]:
    """This process's Celery app publishes to the drill's Redis (to queue the sweeper)."""
    with broker_at(redis_server.url) as broker:
        yield broker


# The stack ----------------------------------------------------------------------------


@dataclass
class Stack:
    url: str
    sink: SmtpSink
    redis: RedisServer
    gunicorn_log: Path


@pytest.fixture(scope="module")
def static_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("static")
    env = clean_environment(DJANGO_SECRET_KEY="collectstatic", DJANGO_STATIC_ROOT=str(root))
    run([sys.executable, "manage.py", "collectstatic", "--no-input", "-v", "0"], env=env)
    return root


@pytest.fixture
def stack(
    celery_workers: CeleryWorkers,
    drill_broker: Broker,
    redis_server: RedisServer,
    smtp_sink: SmtpSink,
    static_root: Path,
    tmp_path: Path,
) -> Iterator[Stack]:
    """gunicorn (two workers) and a Celery worker, on the test database and the drill's Redis."""
    celery_workers.start(REDIS_URL=redis_server.url, **DRILL_SETTINGS)
    port = free_port()
    env = clean_environment(
        DJANGO_SETTINGS_MODULE="config.settings",
        DJANGO_SECRET_KEY=settings.SECRET_KEY,
        DJANGO_STATIC_ROOT=str(static_root),
        DATABASE_URL=database_url(connection.settings_dict),
        REDIS_URL=redis_server.url,
        EMAIL_URL=f"smtp://{smtp_sink.host}:{smtp_sink.port}",
        VIGIL_PUBLIC_URL=f"http://127.0.0.1:{port}",
        **DRILL_SETTINGS,
    )
    log = tmp_path / "gunicorn.log"
    command = [str(BIN / "gunicorn"), "config.wsgi:application", "--bind", f"127.0.0.1:{port}"]
    command += ["--workers", "2", "--timeout", "30", "--access-logfile", "-"]
    with running(command, env=env, log=log) as server:
        wait_for_log(server, log, r"Booting worker with pid", what="gunicorn")
        wait_until_served(server, log, f"http://127.0.0.1:{port}/healthz", what="gunicorn")
        yield Stack(url=f"http://127.0.0.1:{port}", sink=smtp_sink, redis=redis_server, gunicorn_log=log)


# The people and what they follow ------------------------------------------------------


@dataclass
class Officer:
    user: Any
    session: requests.Session
    api: requests.Session


@pytest.fixture
def officer(stack: Stack) -> Officer:
    """An officer of Kora Drill Aid, signed in on the site and holding an API token; the
    organisation's members follow Mali immediately and daily."""
    from alerts.models import Frequency, Subscription
    from tests.api.clients import api_key_for

    organisation = OrganisationFactory.create(name="Kora Drill Aid")
    user = UserFactory.create(username="drill_officer", email="officer@kora-drill.example")
    user.password = make_password(None)
    user.save()
    MembershipFactory.create(organisation=organisation, user=user, role=Role.OFFICER)
    reader = UserFactory.create(username="drill_reader", email="reader@kora-drill.example")
    MembershipFactory.create(organisation=organisation, user=reader, role=Role.READER)
    for frequency in (Frequency.IMMEDIATE, Frequency.DAILY):
        subscription = Subscription.objects.create(
            organisation=organisation,
            frequency=frequency,
            time_zone="UTC",
            include_members=True,
            confirmed_at=dt.datetime.now(tz=dt.UTC) - dt.timedelta(hours=1),
        )
        subscription.countries.set(Country.objects.filter(code="ML"))

    browser = Client()
    browser.force_login(user)
    session = requests.Session()
    session.cookies.set("sessionid", browser.cookies["sessionid"].value)
    api = requests.Session()
    api.headers["Authorization"] = f"Bearer {api_key_for(user)}"
    return Officer(user=user, session=session, api=api)


# Submitting during an outage (each incident's requests: submissions.py) ----------------


@dataclass
class Drill:
    stack: Stack
    officer: Officer
    broker: Broker
    submissions: list[Submission] = field(default_factory=list)
    outage_ended: float = 0.0

    def run(self, *, start: Callable[[], None], end: Callable[[], None], name: str) -> None:
        """Before, during and after the outage, an officer logs an incident through the form
        and one through the API every SUBMIT_EVERY seconds; what failed is sent again after."""
        rounds = int(OUTAGE_SECONDS / SUBMIT_EVERY) + 2
        planned = [
            (
                form_submission(self.stack.url, self.officer.session, f"{name} drill, form {n}"),
                api_submission(self.stack.url, self.officer.api, f"{name} drill, API {n}"),
            )
            for n in range(rounds)
        ]
        for pair in planned:
            self.submissions.extend(pair)
        planned[0][0].try_once()
        planned[0][1].try_once()
        start()
        outage_ends = time.monotonic() + OUTAGE_SECONDS
        try:
            for form, api in planned[1:-1]:
                form.try_once()
                api.try_once()
                time.sleep(max(0.0, min(SUBMIT_EVERY, outage_ends - time.monotonic())))
            time.sleep(max(0.0, outage_ends - time.monotonic()))
        finally:
            end()
            self.outage_ended = time.monotonic()
        planned[-1][0].try_once()
        planned[-1][1].try_once()
        # The officer sends again what was refused, the same form or the same request.
        deadline = time.monotonic() + 60
        while not all(s.succeeded for s in self.submissions):
            assert time.monotonic() < deadline, self.report()
            for submission in self.submissions:
                if not submission.succeeded:
                    submission.try_once()
            time.sleep(0.5)

    def sweep_until(self, done: Callable[[], bool], *, waiting_for: Callable[[], str], timeout: float = 90.0) -> None:
        """Queue the sweeper every SWEEP_EVERY seconds, as beat would, until `done()`."""
        from alerts.tasks import deliveries_sweep

        deadline = time.monotonic() + timeout
        while not done():
            assert time.monotonic() < deadline, f"{waiting_for()}\n{self.report()}"
            with contextlib.suppress(Exception):
                deliveries_sweep.delay()
            time.sleep(SWEEP_EVERY)

    def keep_sweeping(self, *, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        self.sweep_until(lambda: time.monotonic() > deadline, waiting_for=lambda: "", timeout=seconds + 30)

    def report(self) -> str:
        lines = [
            f"{s.via} {s.title!r}: {[(round(a.seconds, 2), a.status) for a in s.attempts]}" for s in self.submissions
        ]
        return "\n".join(lines) + "\n--- gunicorn log (end) ---\n" + self.stack.gunicorn_log.read_text()[-4000:]


def _alerts_received(sink: SmtpSink) -> Counter[tuple[str, str]]:
    """(recipient, incident title) of every immediate alert the SMTP server accepted."""
    received: Counter[tuple[str, str]] = Counter()
    for message in sink.messages:
        subject = str(message.message["Subject"])
        match = re.search(r"(\S+ drill, (?:form|API) \d+)", subject)
        if match:
            for rcpt in message.rcpt_tos:
                received[(rcpt.lower(), match.group(1))] += 1
    return received


def _digests_received(sink: SmtpSink) -> Counter[str]:
    return Counter(
        rcpt.lower()
        for message in sink.messages
        if "digest" in str(message.message["Subject"]).lower()
        for rcpt in message.rcpt_tos
    )


def _unsent_deliveries() -> str:
    from alerts.models import Delivery, DeliveryStatus

    fields = ("pk", "email", "alert_id", "status", "attempts", "claimed_until", "queued_at", "next_attempt_at")
    rows = Delivery.objects.exclude(status=DeliveryStatus.SENT).values_list(*fields, "last_error")
    return "\n".join(str(row) for row in rows)


def _check(drill: Drill) -> None:
    """Saved once, answered quickly, alerted once, digested once."""
    titles = [s.title for s in drill.submissions]
    saved = Counter(Incident.objects.filter(title__in=titles).values_list("title", flat=True))
    assert saved == Counter(titles), drill.report()

    slow = [(s.title, a) for s in drill.submissions for a in s.attempts if a.seconds > SLOWEST_ANSWER]
    assert slow == [], drill.report()

    # An error is an honest answer only if that try saved nothing: had it saved the incident,
    # the next try would have been told "already logged".
    saved_but_refused = [
        s.title
        for s in drill.submissions
        for first_success in [next(a for a in s.attempts if a.status is not None and a.status < 400)]
        if first_success.replayed
    ]
    assert saved_but_refused == [], drill.report()

    recipients = ("officer@kora-drill.example", "reader@kora-drill.example")
    expected = Counter({(rcpt, title): 1 for rcpt in recipients for title in titles})
    drill.sweep_until(
        lambda: _alerts_received(drill.stack.sink) == expected,
        waiting_for=lambda: (
            f"alerts missing: {sorted(expected - _alerts_received(drill.stack.sink))}, "
            f"more than once or unexpected: {sorted(_alerts_received(drill.stack.sink) - expected)}\n"
            + _unsent_deliveries()
        ),
    )
    alerts_recovered = time.monotonic() - drill.outage_ended
    drill.keep_sweeping(seconds=3 * SWEEP_EVERY)  # and nothing comes twice
    assert _alerts_received(drill.stack.sink) == expected
    attempts = [a for s in drill.submissions for a in s.attempts]
    # The figures of the README's reliability section, also kept in var/outage-drills.txt.
    figures = (
        f"{drill.submissions[0].title.split(' drill')[0]}: {len(drill.submissions)} incidents, "
        f"{len(attempts)} requests, slowest {max(a.seconds for a in attempts):.2f} s, "
        f"{sum(1 for a in attempts if a.status is None or a.status >= 500)} answered 5xx or nothing, "
        f"every alert sent {alerts_recovered:.0f} s after the outage ended"
    )
    print(figures)
    with (Path(settings.BASE_DIR) / "var" / "outage-drills.txt").open("a", encoding="utf-8") as out:
        out.write(f"{dt.datetime.now(tz=dt.UTC):%Y-%m-%d %H:%M} {figures}\n")

    from alerts.tasks import digest_start

    now = dt.datetime.now(tz=dt.UTC) + dt.timedelta(minutes=1)
    digest_start.delay("daily", "UTC", now.isoformat())
    digest_start.delay("daily", "UTC", now.isoformat())  # twice, as two beats would
    drill.sweep_until(
        lambda: _digests_received(drill.stack.sink) == Counter(recipients),
        waiting_for=lambda: f"digests received: {_digests_received(drill.stack.sink)}",
    )
    drill.keep_sweeping(seconds=3 * SWEEP_EVERY)
    assert _digests_received(drill.stack.sink) == Counter(recipients)


# The drills ---------------------------------------------------------------------------


def test_redis_stopped_loses_no_incident_and_delays_no_request(stack, officer, drill_broker):
    drill = Drill(stack, officer, drill_broker)

    drill.run(start=stack.redis.stop, end=stack.redis.start, name="Redis-stopped")

    _check(drill)


def test_redis_frozen_loses_no_incident_and_delays_no_request(stack, officer, drill_broker):
    drill = Drill(stack, officer, drill_broker)

    drill.run(start=stack.redis.freeze, end=stack.redis.thaw, name="Redis-frozen")

    _check(drill)


def test_postgresql_dropping_connections_loses_no_incident_and_answers_503_meanwhile(stack, officer, drill_broker):
    name = connection.settings_dict["NAME"]
    admin = psycopg.connect(
        host=connection.settings_dict["HOST"] or None,
        port=connection.settings_dict["PORT"] or None,
        user=connection.settings_dict["USER"] or None,
        password=connection.settings_dict["PASSWORD"] or None,
        dbname="postgres",
        autocommit=True,
    )
    ours = connection.cursor().connection.info.backend_pid

    def refuse_and_drop() -> None:
        # A restart or a failover: kept connections die, new ones are refused for a while.
        admin.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false')
        admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s AND pid <> %s", (name, ours)
        )

    def allow() -> None:
        admin.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')

    drill = Drill(stack, officer, drill_broker)
    try:
        drill.run(start=refuse_and_drop, end=allow, name="PostgreSQL")
    finally:
        allow()
        admin.close()

    answered_503 = [a for s in drill.submissions for a in s.attempts if a.status == 503]
    assert answered_503, "the outage was not seen: " + drill.report()
    _check(drill)


def test_smtp_refusing_connections_loses_no_alert_and_sends_each_once(stack, officer, drill_broker):
    drill = Drill(stack, officer, drill_broker)

    drill.run(start=stack.sink.go_down, end=stack.sink.come_back, name="SMTP")

    _check(drill)
