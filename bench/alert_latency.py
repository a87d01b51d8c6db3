"""How long an immediate alert takes from an analyst's "publish" to the SMTP server.

    DJANGO_SECRET_KEY=bench .venv/bin/python bench/alert_latency.py [--recipients 200] [--runs 5]

The issue's promise is "within a minute". This starts what production runs: a real Celery
worker for the `immediate` queue (prefork, 2 processes), Redis as the broker
(BENCH_REDIS_URL, default database 13, emptied first), PostgreSQL (BENCH_DATABASE_URL, default
vigil_bench_alerts, dropped and migrated afresh) and a real SMTP server on loopback (aiosmtpd).
It subscribes N travelers to Mali immediately, publishes an incident with incident_publish
(which commits, signals, records the alert and queues its planning on the broker) and waits for
all N messages at the SMTP server. It prints, as medians over --runs incidents:

- the time until the first and until the last of the N e-mails arrived;
- the same N messages sent straight from this process over one SMTP connection, measured in
  the same run: the floor that no alerting path can beat on this machine;
- the ratios: last e-mail / floor (the cost of planning, the broker, rendering and recording,
  per message), and last e-mail / 60 s (below 1 is within the promise).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import recreate_database  # noqa: E402 - after the path is set
from tests.alerts.smtp_sink import SmtpSink  # noqa: E402 - after the path is set

PROMISE_SECONDS = 60.0


def _wait(sink: SmtpSink, count: int, timeout: float, what: str) -> None:
    """Until the SMTP server has accepted `count` messages in all."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if len(sink.messages) >= count:
            return
        time.sleep(0.01)
    raise SystemExit(f"Timed out after {timeout:.0f} s waiting for {what}.")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--recipients", type=int, default=200)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    database_url = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/vigil_bench_alerts")
    redis_url = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/13")
    sink = SmtpSink().start()
    env = os.environ | {
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DJANGO_SECRET_KEY": os.environ.get("DJANGO_SECRET_KEY", "bench"),
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "EMAIL_URL": f"smtp://127.0.0.1:{sink.port}",
        "LOG_LEVEL": "WARNING",
    }
    os.environ.update(env)

    import redis

    redis.Redis.from_url(redis_url).flushdb()
    print(f"Preparing {database_url} (dropped, created, migrated) ...", flush=True)
    recreate_database(database_url)
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)

    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.mail import EmailMessage, get_connection

    from advisories.models import Country, Region
    from alerts.models import Delivery, DeliveryStatus, Frequency, Subscription
    from incidents.models import Incident, IncidentType, ReviewStatus, SharingLevel
    from incidents.services import incident_publish

    mali = Country.objects.get(code="ML")
    confirmed = django.utils.timezone.now()
    for number in range(args.recipients):
        subscription = Subscription.objects.create(
            email=f"traveler{number}@bench.example", frequency=Frequency.IMMEDIATE, confirmed_at=confirmed
        )
        subscription.countries.add(mali)
    analyst = get_user_model().objects.create_user("bench-analyst", "analyst@bench.example", is_staff=True)
    kidnapping = IncidentType.objects.get(slug="kidnapping")
    mopti = Region.objects.get(code="ML-5")

    worker = subprocess.Popen(
        [
            *(str(ROOT / ".venv/bin/celery"), "-A", "config", "worker", "-Q", "immediate,celery"),
            *("--concurrency", "2", "--without-gossip", "--without-mingle", "-l", "warning"),
            *("-n", f"bench-{os.getpid()}@%h"),
        ],
        cwd=ROOT,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        time.sleep(3)  # the worker's start-up; the first run below also warms it
        first_times, last_times, floors = [], [], []
        for run in range(args.runs + 1):
            # The floor: the same number of messages, straight to the server, one connection.
            before = len(sink.messages)
            started = time.perf_counter()
            with get_connection() as connection:
                connection.send_messages(
                    [
                        EmailMessage("floor", "x" * 2000, "bench@bench.example", [f"floor{n}@bench.example"])
                        for n in range(args.recipients)
                    ]
                )
            floor = time.perf_counter() - started
            _wait(sink, before + args.recipients, 60, "the floor messages")

            incident = Incident.objects.create(
                title=f"Bench kidnapping {run}",
                incident_type=kidnapping,
                severity=5,
                occurred_on=confirmed.date(),
                country=mali,
                region=mopti,
                sharing_level=SharingLevel.CLEAR,
                status=ReviewStatus.VERIFIED,
            )
            before = len(sink.messages)
            started = time.perf_counter()
            incident_publish(incident=incident, analyst=analyst)
            _wait(sink, before + 1, PROMISE_SECONDS * 3, "the first alert")
            first = time.perf_counter() - started
            _wait(sink, before + args.recipients, PROMISE_SECONDS * 3, "every alert")
            last = time.perf_counter() - started
            sent = Delivery.objects.filter(alert__incident=incident, status=DeliveryStatus.SENT).count()
            if sent != args.recipients or len(sink.messages) != before + args.recipients:
                raise SystemExit(f"Run {run}: {sent} deliveries sent for {args.recipients} recipients.")
            if run == 0:
                continue  # warm-up: imports and connections of the worker's processes
            first_times.append(first)
            last_times.append(last)
            floors.append(floor)
            print(f"run {run}: first {first:.3f} s, all {args.recipients} {last:.3f} s, floor {floor:.3f} s")
    finally:
        os.killpg(worker.pid, 15)
        worker.wait(timeout=30)
        sink.stop()

    first, last, floor = (statistics.median(values) for values in (first_times, last_times, floors))
    print()
    print(f"Immediate alert to {args.recipients} recipients, median of {args.runs} runs:")
    print(f"  first e-mail at the SMTP server  {first:8.3f} s")
    print(f"  last e-mail at the SMTP server   {last:8.3f} s")
    print(f"  floor: {args.recipients} messages sent directly   {floor:8.3f} s")
    print(f"  last / floor                     {last / floor:8.1f} x")
    print(f"  last / {PROMISE_SECONDS:.0f} s promise             {last / PROMISE_SECONDS:8.3f}")


if __name__ == "__main__":
    main()
