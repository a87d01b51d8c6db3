"""A daily digest to N travelers following Mali, end to end, against plain smtplib in the same run.

    DJANGO_SECRET_KEY=bench .venv/bin/python bench/digests.py [--recipients 2000 10000] [--rounds 3]

What production runs: PostgreSQL (BENCH_DATABASE_URL, default vigil_bench_digests, dropped and
migrated afresh), Redis as the broker (BENCH_REDIS_URL, default database 14, emptied first), a real
Celery worker for the `digests` queue (prefork, 2 processes) and an SMTP server on loopback that
counts what it accepts (aiosmtpd, in a thread of this process). N confirmed travelers follow Mali
daily in Africa/Bamako, one in ten reading French; 20 published TLP:CLEAR incidents and an advisory
change fall in each round's period, so each digest is about 13 KB.

Digests are sent in batches of --batch (ALERTS_DIGEST_BATCH_SIZE, 200 as in docker-compose.yml).
Each round runs `manage.py send_digests --frequency daily --now <a later day>` and records when the
command returned, when the first e-mail and when the N-th arrived. The ceiling, in the same round:
the last digest the server received, sent N times by plain smtplib over one connection. The ratio
is the ceiling's time over the time until the last digest arrived (1 would be as fast as sending
one ready-made message over and over). Medians of the rounds.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import smtplib
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import recreate_database  # noqa: E402 - after the path is set
from tests.alerts.smtp_sink import free_port  # noqa: E402 - after the path is set

INCIDENTS = 14


class CountingSink:
    """An SMTP server that keeps only a count, the arrival times and the last message."""

    def __init__(self) -> None:
        self.port = free_port()
        self.count = 0
        self.first: float | None = None
        self.last: float | None = None
        self.last_raw = b""
        self._lock = threading.Lock()
        self._controller = Controller(self, hostname="127.0.0.1", port=self.port)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        now = time.perf_counter()
        with self._lock:
            self.count += 1
            self.first = self.first or now
            self.last = now
            self.last_raw = envelope.original_content or b""
        return "250 Message accepted for delivery"

    def reset(self) -> None:
        with self._lock:
            self.count, self.first, self.last = 0, None, None

    def wait(self, count: int, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.count >= count:
                return
            time.sleep(0.02)
        raise SystemExit(f"Timed out after {timeout:.0f} s: {self.count} of {count} messages arrived.")

    def start(self) -> CountingSink:
        self._controller.start()
        return self

    def stop(self) -> None:
        self._controller.stop()


def _subscribe(count: int) -> None:
    """N confirmed daily travelers following Mali, in bulk (the services would send confirmations)."""
    from django.utils import timezone

    from advisories.models import Country
    from alerts.models import Frequency, Subscription

    mali = Country.objects.get(code="ML")
    confirmed = timezone.now() - dt.timedelta(days=30)
    subscriptions = Subscription.objects.bulk_create(
        Subscription(
            email=f"traveler{number}@bench.example",
            frequency=Frequency.DAILY,
            time_zone="Africa/Bamako",
            language="fr" if number % 10 == 0 else "en",
            confirmed_at=confirmed,
        )
        for number in range(count)
    )
    through = Subscription.countries.through
    through.objects.bulk_create(through(subscription_id=s.pk, country_id=mali.pk) for s in subscriptions)


def _incidents() -> list[int]:
    from django.contrib.auth import get_user_model

    from advisories.models import Country, Region
    from incidents.models import Incident, IncidentType, ReviewStatus, SharingLevel

    mali = Country.objects.get(code="ML")
    regions = list(Region.objects.filter(country=mali).order_by("code"))
    types = list(IncidentType.objects.order_by("slug"))
    reporter = get_user_model().objects.create_user("bench-reporter", "reporter@bench.example")
    made = Incident.objects.bulk_create(
        Incident(
            title=f"Bench incident {number}: armed men stopped vehicles on the road",
            description="A description long enough to be a real one. " * 8,
            incident_type=types[number % len(types)],
            severity=1 + number % 5,
            occurred_on=dt.date(2026, 11, 1),
            country=mali,
            region=regions[number % len(regions)],
            place_name="On the road between two towns",
            killed=number % 4 or None,
            sharing_level=SharingLevel.CLEAR,
            status=ReviewStatus.PUBLISHED,
            reporter=reporter,
        )
        for number in range(INCIDENTS)
    )
    return [incident.pk for incident in made]


def _new_in(day: dt.datetime, incident_ids: list[int]) -> None:
    """Make the incidents (and an advisory) new in the digest period that ends at `day`."""
    from advisories.models import Advisory, Country
    from advisories.services.places import advisory_set
    from incidents.models import Incident

    during = day - dt.timedelta(hours=3)
    Incident.objects.filter(pk__in=incident_ids).update(created_at=during, published_at=during, updated_at=during)
    mali = Country.objects.get(code="ML")
    current = Advisory.objects.filter(country=mali, region__isnull=True, is_current=True).first()
    level = 3 if current is not None and current.level == 4 else 4
    advisory, _outcome = advisory_set(
        country=mali, level=level, indicators="CTK", summary="Bench change.", issued_on=during.date()
    )
    Advisory.objects.filter(pk=advisory.pk).update(created_at=during)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--recipients", type=int, nargs="+", default=[2000, 10000])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--concurrency", type=int, default=2)
    parser.add_argument(
        "--batch", type=int, default=200, help="ALERTS_DIGEST_BATCH_SIZE, as docker-compose.yml sets it"
    )
    args = parser.parse_args()

    database_url = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/vigil_bench_digests")
    redis_url = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/14")
    sink = CountingSink().start()
    env = os.environ | {
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DJANGO_SECRET_KEY": os.environ.get("DJANGO_SECRET_KEY", "bench"),
        "DJANGO_DEBUG": "false",
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "EMAIL_URL": f"smtp://127.0.0.1:{sink.port}",
        "LOG_LEVEL": "WARNING",
        "ALERTS_DIGEST_BATCH_SIZE": str(args.batch),
    }
    os.environ.update(env)

    import django
    import redis

    django.setup()
    from django.utils import timezone

    from alerts.models import Delivery, DeliveryStatus, Subscription

    day = timezone.now().replace(hour=7, minute=0, second=0, microsecond=0) + dt.timedelta(days=1)
    results: list[tuple[int, float, float, float, float, float]] = []
    for recipients in args.recipients:
        redis.Redis.from_url(redis_url).flushdb()
        print(f"{recipients} travelers: preparing {database_url} (dropped, created, migrated) ...", flush=True)
        recreate_database(database_url)
        from django.db import connections

        connections.close_all()
        subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
        _subscribe(recipients)
        incident_ids = _incidents()
        connections.close_all()
        worker = subprocess.Popen(
            [
                *(str(ROOT / ".venv/bin/celery"), "-A", "config", "worker", "-Q", "digests,celery"),
                *("--concurrency", str(args.concurrency), "--without-gossip", "--without-mingle", "-l", "warning"),
                *("-n", f"bench-{os.getpid()}-{recipients}@%h"),
            ],
            cwd=ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            start_new_session=True,
        )
        try:
            time.sleep(4)  # the worker's start-up
            for round_number in range(1, args.rounds + 1):
                day += dt.timedelta(days=1)
                _new_in(day, incident_ids)
                connections.close_all()
                sink.reset()
                started = time.perf_counter()
                subprocess.run(
                    [sys.executable, "manage.py", "send_digests", "--frequency", "daily", "--now", day.isoformat()],
                    cwd=ROOT,
                    env=env,
                    check=True,
                    stdout=subprocess.DEVNULL,
                )
                returned = time.perf_counter() - started
                sink.wait(recipients, timeout=max(600.0, recipients / 5))
                assert sink.first is not None and sink.last is not None
                first, last = sink.first - started, sink.last - started
                size = len(sink.last_raw)
                sent = Delivery.objects.filter(run__window_end=day, status=DeliveryStatus.SENT).count()
                if sent != recipients or sink.count != recipients:
                    raise SystemExit(f"Round {round_number}: {sent} sent, {sink.count} arrived, {recipients} due.")

                # The ceiling: the same message, N times, one connection, no work in between.
                raw = sink.last_raw
                sink.reset()
                ceiling_started = time.perf_counter()
                with smtplib.SMTP("127.0.0.1", sink.port) as smtp:
                    for number in range(recipients):
                        smtp.sendmail("alerts@bench.example", [f"traveler{number}@bench.example"], raw)
                sink.wait(recipients, timeout=600)
                ceiling = time.perf_counter() - ceiling_started
                results.append((recipients, returned, first, last, ceiling, size))
                print(
                    f"  round {round_number}: send_digests returned {returned:.1f} s, first e-mail {first:.2f} s, "
                    f"last {last:.1f} s ({recipients / last:.0f}/s); smtplib {ceiling:.1f} s "
                    f"({recipients / ceiling:.0f}/s); ratio {ceiling / last:.3f}; {size / 1000:.1f} kB",
                    flush=True,
                )
        finally:
            os.killpg(worker.pid, 15)
            worker.wait(timeout=60)
        assert Subscription.objects.count() == recipients
    sink.stop()

    print()
    print("| travelers | send_digests returns | first e-mail | last e-mail | e-mails/s | smtplib/s | ratio |")
    print("|---:|---:|---:|---:|---:|---:|---:|")
    for recipients in args.recipients:
        rows = [row for row in results if row[0] == recipients]
        returned, first, last, ceiling = (statistics.median(row[i] for row in rows) for i in (1, 2, 3, 4))
        print(
            f"| {recipients:,} | {returned:.1f} s | {first:.2f} s | {last:.1f} s | {recipients / last:.0f} "
            f"| {recipients / ceiling:.0f} | {ceiling / last:.3f} |"
        )


if __name__ == "__main__":
    main()
