"""The parts of the alerts integration harness (conftest.py makes fixtures of them): waiting,
the broker a test publishes to, a Redis server of a test's own, Celery worker processes, and
the test data that the workers read.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import pytest
from django.conf import settings
from django.db import connection

from tests.alerts.makers import CONFIRMED, subscribe
from tests.alerts.smtp_sink import SmtpSink
from tests.environment import clean_environment, database_url, free_port

TASK_QUEUES = ("immediate", "digests", "celery")
# Short enough for a test to outwait, long enough for a send on a loaded machine.
WORKER_SETTINGS: dict[str, str] = {
    "ALERTS_CLAIM_SECONDS": "4",
    "ALERTS_RETRY_BASE_SECONDS": "1",
    "ALERTS_BATCH_SIZE": "10",
    "EMAIL_TIMEOUT": "10",
    "CELERY_TASK_TIME_LIMIT": "120",
    "CELERY_VISIBILITY_TIMEOUT": "150",
}
WORKER_READY_SECONDS = 45.0
BIN = Path(sys.executable).parent
T = TypeVar("T")

WORKER_LOGS = pytest.StashKey[list[tuple[str, Path]]]()


# Waiting -------------------------------------------------------------------------------


def wait_for(condition: Callable[[], T], *, timeout: float = 30.0, interval: float = 0.1, what: str = "") -> T:
    """Call `condition` until it returns something true, and return that; fail after `timeout` s."""
    deadline = time.monotonic() + timeout
    while True:
        result = condition()
        if result:
            return result
        if time.monotonic() >= deadline:
            raise AssertionError(f"Waited {timeout:.0f} s for {what or condition.__name__}; last answer: {result!r}")
        time.sleep(interval)


# The broker -----------------------------------------------------------------------------


@dataclass
class Broker:
    """The Redis database the worker consumes from, and this process's Celery app publishing to it."""

    url: str

    def __post_init__(self) -> None:
        import redis

        self.redis = redis.Redis.from_url(self.url)

    def unacknowledged_task_ids(self) -> list[str]:
        """The tasks that workers took from a queue and have not acknowledged (finished) yet."""
        return [json.loads(raw)[0]["headers"]["id"] for raw in self.redis.hvals("unacked")]

    def expire_unacknowledged(self) -> None:
        """Make the messages taken by a worker that died look older than the visibility timeout.

        The broker hands such a message out again once the timeout has passed: kombu restores
        it to its queue when a worker starts polling. This saves the test the 150 s wait.
        """
        tags = [tag for tag in self.redis.zrange("unacked_index", 0, -1) if isinstance(tag, bytes)]
        if tags:
            self.redis.zadd("unacked_index", dict.fromkeys(tags, 0))

    def messages_in_flight(self) -> int:
        """Task messages waiting in a queue, or taken by a worker and not acknowledged yet.

        Tasks are acknowledged late (after they ran), and a task waiting for its countdown
        stays unacknowledged, so 0 means no task is queued, running or scheduled.
        """
        waiting = 0
        for key in self.redis.scan_iter(count=1000):
            queue = key.split(b"\x06\x16", 1)[0].decode(errors="replace")  # kombu's priority suffix
            if queue in TASK_QUEUES and self.redis.type(key) == b"list":
                waiting += int(self.redis.llen(key))
        return waiting + int(self.redis.hlen("unacked"))

    def wait_until_idle(self, timeout: float = 30.0) -> None:
        """Until no task is queued, running or scheduled, for a few readings in a row (a message
        is briefly in neither place while a worker moves it from the queue to its unacked set)."""
        quiet: list[bool] = []

        def idle() -> bool:
            quiet.append(self.messages_in_flight() == 0)
            return len(quiet) >= 4 and all(quiet[-4:])

        wait_for(idle, timeout=timeout, interval=0.1, what="the workers to be idle")


def _forget_producer_pools(app: Any) -> None:
    # Celery keeps the connection and producer pools of the first broker it used; forget them
    # so the next message goes to the broker configured now. (kombu keeps one pool per URL.)
    app._pool = None
    amqp = app.__dict__.get("amqp")
    if amqp is not None:
        amqp._producer_pool = None


@contextlib.contextmanager
def publishing_to(url: str) -> Iterator[None]:
    """This process's Celery app publishes to the broker at `url` (and not inline) meanwhile.

    It is made the current app too: a task's `delay()` publishes through the current app, and a
    test that made another Celery app (a client of its own) must not leave that one current."""
    from config.celery import app

    app.set_current()
    saved = {"broker_url": app.conf.broker_url, "task_always_eager": app.conf.task_always_eager}
    app.conf.update(broker_url=url, task_always_eager=False)
    _forget_producer_pools(app)
    uri = app.producer_pool.connections.connection.as_uri()
    assert uri.startswith("redis://") and uri.endswith(url.rsplit(":", 1)[1]), f"Celery would still publish to {uri}"
    try:
        yield
    finally:
        app.conf.update(**saved)
        _forget_producer_pools(app)


@contextlib.contextmanager
def broker_at(url: str) -> Iterator[Broker]:
    """The broker at `url`, which this process's Celery app publishes to meanwhile."""
    broker = Broker(url)
    try:
        with publishing_to(url):
            yield broker
    finally:
        broker.redis.close()


# A Redis server of the test's own (to stop, freeze and restart) -------------------------


class RedisServer:
    """redis-server on a free port, with an append-only file (as docker-compose.yml runs it)."""

    def __init__(self, directory: Path) -> None:
        self.port = free_port()
        self.directory = directory
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        args = ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", ""]
        args += ["--appendonly", "yes", "--dir", str(self.directory), "--logfile", str(self.directory / "redis.log")]
        self.process = subprocess.Popen(args, stdin=subprocess.DEVNULL, start_new_session=True)
        import redis

        deadline = time.monotonic() + 10
        while True:
            try:
                redis.Redis.from_url(self.url, socket_connect_timeout=0.2).ping()
                return
            except redis.RedisError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGCONT)
            self.process.terminate()
            self.process.wait(timeout=10)

    def freeze(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGSTOP)

    def thaw(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGCONT)


# The worker ----------------------------------------------------------------------------


@dataclass
class CeleryWorker:
    name: str
    process: subprocess.Popen[bytes]
    log_path: Path

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    @property
    def alive(self) -> bool:
        return self.process.poll() is None

    def wait_ready(self) -> None:
        deadline = time.monotonic() + WORKER_READY_SECONDS
        while time.monotonic() < deadline:
            if not self.alive:
                raise AssertionError(f"The Celery worker {self.name} exited ({self.process.returncode}):\n{self.log()}")
            if " ready." in self.log():
                return
            time.sleep(0.05)
        raise AssertionError(f"The Celery worker {self.name} was not ready in {WORKER_READY_SECONDS:.0f} s.")

    def kill(self) -> None:
        """SIGKILL the whole process group, as when a machine or container dies: nothing is cleaned up."""
        self._signal_group(signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        """SIGTERM to the group (Celery's warm shutdown; the worker is idle by the end of a test),
        then SIGKILL if it is still there."""
        self._signal_group(signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(timeout=15)
        self._signal_group(signal.SIGKILL)
        self.process.wait(timeout=10)

    def _signal_group(self, sig: signal.Signals) -> None:
        # Only while the group's leader, our child, has not been reaped: its id is ours until then.
        if self.alive:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, sig)


class CeleryWorkers:
    """Starts `celery -A config worker` processes for one test and stops them after it.

    The prefork pool with one child, as in production (docker-compose runs the default pool):
    late acknowledgement, prefetch 1 and a lost child's tasks are handled the way they are
    there. Killing the process group takes the parent and the child down together.
    """

    def __init__(self, *, sink: SmtpSink, broker: Broker, log_dir: Path, node: pytest.Item) -> None:
        self.sink = sink
        self.broker = broker
        self.log_dir = log_dir
        self.node = node
        self.started: list[CeleryWorker] = []
        self.database_url = database_url(connection.settings_dict)

    def environment(self, overrides: dict[str, str]) -> dict[str, str]:
        variables = {
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DJANGO_SECRET_KEY": settings.SECRET_KEY,
            "DATABASE_URL": self.database_url,
            "REDIS_URL": self.broker.url,
            "EMAIL_URL": f"smtp://{self.sink.host}:{self.sink.port}",
            "VIGIL_PUBLIC_URL": settings.VIGIL_PUBLIC_URL,
            "DEFAULT_FROM_EMAIL": settings.DEFAULT_FROM_EMAIL,
            **WORKER_SETTINGS,
            **overrides,
        }
        return clean_environment(**variables)

    def start(self, **overrides: str) -> CeleryWorker:
        number = len(self.started) + 1
        name = f"vigil-test-{os.getpid()}-{number}"
        log_path = self.log_dir / f"worker-{number}.log"
        command = [
            str(BIN / "celery"),
            "-A",
            "config",
            "worker",
            "-Q",
            ",".join(TASK_QUEUES),
            "--pool",
            "prefork",
            "--concurrency",
            "1",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "-n",
            f"{name}@%h",
            "-l",
            "info",
        ]
        with log_path.open("wb") as log:
            process = subprocess.Popen(
                command,
                cwd=settings.BASE_DIR,
                env=self.environment(overrides),
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        worker = CeleryWorker(name=name, process=process, log_path=log_path)
        self.started.append(worker)
        self.node.stash.setdefault(WORKER_LOGS, []).append((name, log_path))
        worker.wait_ready()
        return worker

    def stop_all(self) -> None:
        for worker in self.started:
            worker.stop()


# Test data ---------------------------------------------------------------------------

# A digest run at 07:00 on 23 November covers what changed from 07:00 on the 22nd.
RUN_AT = dt.datetime(2026, 11, 23, 7, 0, tzinfo=dt.UTC)
DURING = dt.datetime(2026, 11, 22, 15, 0, tzinfo=dt.UTC)


@dataclass
class People:
    org_a: Any
    org_b: Any
    officer_a: Any
    reader_a: Any
    member_b: Any
    analyst: Any


def subscribe_to(*, confirmed: bool = True, **fields: Any) -> Any:
    """tests.alerts.makers.subscribe, confirmed on CONFIRMED unless `confirmed` is False."""
    return subscribe(confirmed_at=CONFIRMED if confirmed else None, **fields)


def digest_subscribers_make(count: int) -> list[str]:
    from incidents.models import Role
    from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

    expected: list[str] = []
    # A third organisation members, a third organisation addresses, a third travelers.
    third = count // 3
    for number, (members, addresses) in enumerate([(third // 2 + 1, third // 2), (third - third // 2 - 1, third)]):
        organisation = OrganisationFactory.create(name=f"Digest Org {number}")
        for _ in range(members):
            user = UserFactory.create()
            MembershipFactory.create(organisation=organisation, user=user, role=Role.READER)
            expected.append(user.email.lower())
        desk = [f"desk{n}@org{number}.example" for n in range(addresses)]
        subscribe_to(organisation=organisation, addresses=desk, frequency="daily")
        expected += desk
    for n in range(count - len(expected)):
        subscribe_to(email=f"traveler{n}@example.net", frequency="daily")
        expected.append(f"traveler{n}@example.net")
    subscribe_to(email="unconfirmed@example.net", frequency="daily", confirmed=False)
    assert len(expected) == len(set(expected)) == count
    return expected


def incident_during_make(**fields: Any) -> Any:
    import time_machine

    from tests.factories import IncidentFactory

    with time_machine.travel(DURING, tick=False):
        return IncidentFactory.create(**fields)
