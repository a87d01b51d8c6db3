"""How fast the incident lists and the CSV export are with 100,000 incidents in PostgreSQL.

    DJANGO_SETTINGS_MODULE=config.settings DJANGO_SECRET_KEY=bench \\
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/vigil_bench .venv/bin/python bench/incident_lists.py

Creates the database if it does not exist, migrates it, and adds 100,000 incidents (spread over
Mali's regions, the incident types, the sharing levels and review statuses, five organisations
and five years) unless they are there already. Then it requests each page with Django's test
client several times and prints the median, in milliseconds and as a multiple of the median
time of /healthz measured the same way in the same run (a request that does one trivial query),
so that figures from different machines compare. Last, it prints PostgreSQL's plan of the main
list queries and says whether they use an index.

Options: --runs N (default 7), --incidents N (default 100000), --no-explain.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import re
import resource
import statistics
import sys
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import BENCH_SOURCE, ensure_database

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

END = dt.date(2025, 6, 30)
DAYS = 5 * 365
BATCH = 5000
INCIDENT_INDEX_SCAN = re.compile(r"Index (Only )?Scan (Backward )?(using \S+ )?on (incidents_incident|incident_\w+)\b")


def ensure_data(total: int) -> None:
    from django.contrib.auth.models import User
    from django.db import connection, transaction

    from advisories.models import Country
    from incidents.models import (
        Actor,
        DatePrecision,
        Incident,
        IncidentActor,
        IncidentType,
        Membership,
        Organisation,
        ReviewStatus,
        Role,
        SharingLevel,
        TargetType,
    )

    organisations = [
        Organisation.objects.get_or_create(slug=f"bench-{n}", defaults={"name": f"Bench relief {n}"})[0]
        for n in range(1, 6)
    ]
    organisations[0].partners.add(organisations[1])
    officer, _ = User.objects.get_or_create(username="bench_officer")
    Membership.objects.get_or_create(user=officer, organisation=organisations[0], defaults={"role": Role.OFFICER})

    existing = Incident.objects.filter(external_source=BENCH_SOURCE).count()
    if existing >= total:
        print(f"{existing:,} benchmark incidents already there.")
        return
    print(f"Creating {total - existing:,} incidents...", flush=True)
    rng = random.Random(20250630 + existing)
    mali = Country.objects.get(code="ML")
    regions = list(mali.regions.all())
    types = list(IncidentType.objects.all())
    targets = list(TargetType.objects.all())
    actors = [
        Actor.objects.get_or_create(name=name)[0]
        for name in ["JNIM", "IS Sahel", "FLA", "FAMa", "Wagner Group", "Dan Na Ambassagou", "Unidentified gunmen"]
    ]
    levels = rng.choices
    level_weights = ([s.value for s in SharingLevel], [40, 30, 15, 10, 5])
    status_weights = ([s.value for s in ReviewStatus], [7, 10, 80, 3])
    precisions = ([p.value for p in DatePrecision], [85, 8, 5, 2])
    started = time.perf_counter()
    for start in range(existing, total, BATCH):
        size = min(BATCH, total - start)
        batch = []
        for n in range(start, start + size):
            region = rng.choice(regions)
            kind = rng.choice(types)
            batch.append(
                Incident(
                    title=f"{kind.name} near {region.name} #{n}",
                    incident_type=kind,
                    description="Generated for the incident list benchmark. " * rng.randint(1, 8),
                    severity=rng.randint(1, 5),
                    occurred_on=END - dt.timedelta(days=rng.randrange(DAYS)),
                    date_precision=levels(*precisions)[0],
                    country=mali,
                    region=region,
                    place_name=f"Village {rng.randint(1, 500)}",
                    latitude=Decimal(rng.randint(1100000, 2400000)) / 100000,
                    longitude=Decimal(rng.randint(-1100000, 400000)) / 100000,
                    killed=rng.choice([0, 0, 0, 1, 2, 5]),
                    injured=rng.choice([0, 0, 1, 3]),
                    abducted=rng.choice([0, 0, 0, 0, 1]),
                    organisation=rng.choice(organisations),
                    reporter=officer if rng.random() < 0.1 else None,
                    sharing_level=levels(*level_weights)[0],
                    status=levels(*status_weights)[0],
                    external_source=BENCH_SOURCE,
                    external_id=f"bench-{n}",
                )
            )
        with transaction.atomic():
            created = Incident.objects.bulk_create(batch)
            IncidentActor.objects.bulk_create(
                IncidentActor(incident=incident, actor=actor, role=IncidentActor.Role.PERPETRATOR)
                for incident in created
                for actor in rng.sample(actors, rng.randint(1, 2))
            )
            Through = Incident.target_types.through
            Through.objects.bulk_create(
                Through(incident_id=incident.pk, targettype_id=target.pk)
                for incident in created
                for target in rng.sample(targets, rng.randint(0, 2))
            )
        print(f"  {start + size:,} / {total:,} ({time.perf_counter() - started:.0f} s)", flush=True)
    # As autovacuum would have by now: planner statistics and the visibility map (index-only scans).
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


class QueryCounter:
    """Counts the queries run, without DEBUG (the test client closes the connection after each
    request, which a CaptureQueriesContext would not survive)."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def median_ms(request: Callable[[], int], runs: int) -> tuple[float, int]:
    """Median wall time of `request` in ms (after one warm-up run) and what it returned."""
    result = request()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        result = request()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--incidents", type=int, default=100_000)
    parser.add_argument("--no-explain", action="store_true")
    args = parser.parse_args()

    import django
    from django.conf import settings

    # Serve static URLs without the manifest that `collectstatic` writes (as the tests do).
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    django.setup()
    ensure_database()

    from django.contrib.auth.models import User
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    call_command("migrate", verbosity=0)
    ensure_data(args.incidents)

    from incidents.models import Incident
    from incidents.selectors import incident_list_for
    from incidents.views.lists import COUNT_BOUND

    anonymous = Client(HTTP_HOST="localhost")
    officer = Client(HTTP_HOST="localhost")
    officer.force_login(User.objects.get(username="bench_officer"))
    total = Incident.objects.count()
    print(f"\n{total:,} incidents in the database; median of {args.runs} runs after one warm-up.\n")

    def get(client: Client, url: str) -> Callable[[], int]:
        def run() -> int:
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
            return len(response.getvalue())

        return run

    one = Incident.objects.filter(external_source=BENCH_SOURCE).values_list("pk", flat=True).first() or 0
    filtered = "type=armed-attack&occurred_after=2022-01-01&occurred_before=2024-12-31&severity_min=3"
    cases = [
        ("ceiling: GET /healthz", anonymous, "/healthz"),
        ("public country list /countries/ml/incidents/", anonymous, "/countries/ml/incidents/"),
        ("public country list, filtered", anonymous, f"/countries/ml/incidents/?{filtered}"),
        (
            "public region list /countries/ml/regions/ml-7/incidents/",
            anonymous,
            "/countries/ml/regions/ml-7/incidents/",
        ),
        ("public country advisory page /countries/ml/", anonymous, "/countries/ml/"),
        ("officer: /incidents/", officer, "/incidents/"),
        ("officer: /incidents/mine/", officer, "/incidents/mine/"),
        ("officer: country list, filtered", officer, f"/countries/ml/incidents/?{filtered}"),
        ("officer: deep page /incidents/?page=500", officer, "/incidents/?page=500"),
        ("officer: CSV export, filtered", officer, f"/incidents/export.csv?{filtered}"),
        ("anonymous: CSV export, filtered", anonymous, f"/incidents/export.csv?{filtered}"),
    ]
    pk_lookup_ms, _ = median_ms(lambda: Incident.objects.filter(pk=one).count(), args.runs)
    rows = []
    ceiling = 0.0
    for label, client, url in cases:
        counter = QueryCounter()
        with connection.execute_wrapper(counter):
            get(client, url)()
        ms, size = median_ms(get(client, url), args.runs)
        ceiling = ceiling or ms
        rows.append((label, ms, size, counter.count))
    print(f"{'request':58} {'ms':>8} {'x healthz':>10} {'queries':>8} {'bytes':>10}")
    for label, ms, size, queries in rows:
        print(f"{label:58} {ms:8.1f} {ms / ceiling:10.1f} {queries:8d} {size:10,d}")
    print(f"{'(for scale: one primary-key lookup in the ORM)':58} {pk_lookup_ms:8.1f}")

    # The whole export once: its time per row, and that memory does not grow with the rows.
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    response = officer.get("/incidents/export.csv")
    lines = sum(chunk.count(b"\n") for chunk in response.streaming_content)  # type: ignore[attr-defined]
    seconds = time.perf_counter() - started
    grown = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    print(
        f"\nofficer: whole CSV export, once: about {lines - 1:,} rows in {seconds:.1f} s "
        f"({seconds / max(lines - 1, 1) * 1e6:.0f} us a row); peak memory grew by {grown:.0f} MB"
    )

    if args.no_explain:
        return
    from django.contrib.auth.models import AnonymousUser

    from advisories.models import Country

    mali = Country.objects.get(code="ML")
    bench_officer = User.objects.get(username="bench_officer")
    public = incident_list_for(AnonymousUser(), country=mali)
    mine = incident_list_for(bench_officer)
    # What the list pages run: the page's ids (IncidentPaginator), then the count up to its bound.
    plans = [
        ("public country list, first page ids", public.values_list("pk", flat=True)[:50]),
        ("public country list, count", public),
        ("officer: /incidents/, first page ids", mine.values_list("pk", flat=True)[:50]),
        ("officer: /incidents/, count", mine),
        ("officer: deep page 500 ids", mine.values_list("pk", flat=True)[25_000:25_050]),
    ]
    for label, queryset in plans:
        if label.endswith("count"):
            sql, params = queryset.order_by().values("pk")[: COUNT_BOUND + 1].query.sql_with_params()
            with connection.cursor() as cursor:
                # The SQL is Django's own for a queryset of this script; the values stay parameters.
                cursor.execute(f"EXPLAIN ANALYZE SELECT COUNT(*) FROM ({sql}) AS counted", params)  # nosec B608
                plan = "\n".join(row[0] for row in cursor.fetchall())
        else:
            plan = queryset.explain(analyze=True)
        uses_index = bool(INCIDENT_INDEX_SCAN.search(plan))
        print(f"\nEXPLAIN ANALYZE {label}: {'uses an index' if uses_index else 'NO INDEX USED'} on incidents_incident")
        print(plan)


if __name__ == "__main__":
    main()
