"""The harness of the alerts integration tests: a real SMTP server, a real Celery worker, Redis.

- `smtp_sink`: an aiosmtpd server on loopback in a thread of this process (tests/alerts/smtp_sink.py).
- `celery_broker`: the run's own Redis database (tests/environment.py), emptied first; this
  process's Celery app publishes to it (and not inline) for the duration of the test.
- `celery_workers` / `celery_worker`: `celery -A config worker` as a separate process group, on
  pytest-django's test database (PostgreSQL), sending to the sink. Its log is added to the report
  of a test that fails.

The worker reads what the test wrote, so these tests commit for real (transactional_db) and
restore the data of the migrations afterwards (serialized rollback). They need PostgreSQL and
Redis and skip, saying why, when either is missing (under CI=true they fail instead).

The classes and helpers behind these fixtures are in parts.py.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Generator, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

from tests.alerts.integration.parts import (
    RUN_AT,
    WORKER_LOGS,
    Broker,
    CeleryWorker,
    CeleryWorkers,
    People,
    RedisServer,
    broker_at,
    digest_subscribers_make,
    incident_during_make,
    subscribe_to,
    wait_for,
)
from tests.alerts.smtp_sink import SmtpSink
from tests.environment import RedisClaim, postgresql_missing, redis_missing, require


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "integration: runs a real Celery worker, Redis, PostgreSQL or SMTP server (tests/alerts/integration)"
    )


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    report = yield
    if report.failed:
        for name, path in item.stash.get(WORKER_LOGS, []):
            text = path.read_text(errors="replace") if path.exists() else "(no log written)"
            report.sections.append((f"Celery worker {name} log", text[-30_000:]))
    return report


# Waiting -------------------------------------------------------------------------------


@pytest.fixture(name="wait_for")
def wait_for_fixture() -> Callable[..., Any]:
    return wait_for


# Services ------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def integration_services() -> None:
    """Skip, saying why (fail under CI), unless PostgreSQL and Redis answer. Session-scoped so
    that it runs before pytest-django creates the test database (which fails when PostgreSQL is down)."""
    require(postgresql_missing(settings.DATABASES["default"]) or redis_missing())


@pytest.fixture
def smtp_sink() -> Iterator[SmtpSink]:
    # aiosmtpd logs every command at INFO; a failing test's report needs the worker's log instead.
    server_log = logging.getLogger("mail.log")
    level = server_log.level
    server_log.setLevel(logging.WARNING)
    try:
        with SmtpSink() as sink:
            yield sink
    finally:
        server_log.setLevel(level)


@pytest.fixture
def celery_broker(integration_services: None, redis_database: RedisClaim) -> Iterator[Broker]:
    redis_database.flush()
    with broker_at(redis_database.url) as broker:
        yield broker


# A Redis server of the test's own (to stop, freeze and restart) -------------------------


@pytest.fixture
def redis_server(tmp_path: Path) -> Iterator[RedisServer]:
    server = RedisServer(tmp_path)
    server.start()
    try:
        yield server
    finally:
        server.stop()


# The worker ----------------------------------------------------------------------------


@pytest.fixture
def celery_workers(
    integration_services: None,
    django_db_serialized_rollback: None,
    transactional_db: None,
    smtp_sink: SmtpSink,
    celery_broker: Broker,
    tmp_path: Path,
    request: pytest.FixtureRequest,
) -> Iterator[CeleryWorkers]:
    workers = CeleryWorkers(sink=smtp_sink, broker=celery_broker, log_dir=tmp_path, node=request.node)
    try:
        yield workers
    finally:
        # Before the database is emptied: a worker still connected would hold it.
        workers.stop_all()


@pytest.fixture
def celery_worker(celery_workers: CeleryWorkers) -> CeleryWorker:
    return celery_workers.start()


# Test data ---------------------------------------------------------------------------


@pytest.fixture
def run_at() -> dt.datetime:
    """When the daily digest of the tests runs; `incident_during` logs incidents the day before."""
    return RUN_AT


@pytest.fixture
def subscribe() -> Callable[..., Any]:
    """subscribe(email=... | organisation=..., countries=("ML",), regions=(), categories=(),
    frequency="immediate", confirmed=True, **other fields): a subscription, confirmed by default."""
    return subscribe_to


@pytest.fixture
def people() -> People:
    """Two organisations (an officer and a reader of A, a reader of B) and an analyst.
    Request it after `celery_worker` (or `db`), which opens the database."""
    from incidents.models import Role
    from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

    org_a = OrganisationFactory.create(name="Kora Integration Aid")
    org_b = OrganisationFactory.create(name="Tamarind Integration Relief")
    return People(
        org_a=org_a,
        org_b=org_b,
        officer_a=MembershipFactory.create(organisation=org_a, role=Role.OFFICER, user=UserFactory.create()).user,
        reader_a=MembershipFactory.create(organisation=org_a, role=Role.READER, user=UserFactory.create()).user,
        member_b=MembershipFactory.create(organisation=org_b, role=Role.READER, user=UserFactory.create()).user,
        analyst=UserFactory.create(is_staff=True),
    )


@pytest.fixture
def digest_subscribers() -> Callable[[int], list[str]]:
    """digest_subscribers(n): n daily-digest recipients of Mali (members and addresses of two
    organisations, confirmed travelers) and an unconfirmed traveler; returns the n addresses."""
    return digest_subscribers_make


@pytest.fixture
def incident_during() -> Callable[..., Any]:
    """incident_during(**fields): an incident (published TLP:CLEAR in Mali unless told otherwise)
    logged in the period of the digest that runs at `run_at`."""
    return incident_during_make
