"""How fast the risk index of a country is recomputed over 1,000,000 incidents in PostgreSQL.

    DJANGO_SETTINGS_MODULE=config.settings DJANGO_SECRET_KEY=bench \\
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/vigil_bench_risk .venv/bin/python bench/risk.py

Creates the database if it does not exist, migrates it, and fills it with exactly --incidents
incidents (`external_source="bench"`) in Mali, unless that many are there already: generated
inside PostgreSQL by one INSERT ... SELECT over generate_series, so a million take about a minute.
They are spread over Mali's regions and the last 365 days, every incident type, severities 1-5,
sharing levels CLEAR 40% / GREEN 30% / AMBER 15% / AMBER+STRICT 10% / RED 5%, statuses published
80% / verified 10% / submitted 7% / retracted 3%, killed, injured and abducted unknown (NULL) in
about one incident of ten each, a place name out of 200 per region, and none to two target types
(a third of them with one at least).

Then, median of --rounds rounds each (default 3), after one warm-up:

- the ceiling: `SELECT region_id, count(*), sum(severity) FROM incidents_incident GROUP BY
  region_id`, the bare aggregate over the same table, run through the same connection;
- `incidents.risk.compute.country_risk(mali)`: the computation alone (its aggregate queries and
  the arithmetic in Python);
- `incidents.risk.services.risk_recompute(country=mali)`: the whole recomputation, writes included.

and prints each as a ratio to the ceiling (the goal: at most 2x for the recomputation), the number
of queries the computation ran, and, unless --no-explain, EXPLAIN ANALYZE of its aggregate queries.

Options: --incidents N (default 1000000), --rounds N (default 3), --no-explain, --only-data (create
the database and the incidents, for bench/api_list.py), --no-jit (the
session without PostgreSQL's JIT compilation, which the planner's high estimate of the grouped
query switches on).
"""

from __future__ import annotations

import argparse
import functools
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import BENCH_SOURCE, bench_organisations, ensure_database, incidents_to_replace

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

BARE_AGGREGATE = "SELECT region_id, count(*), sum(severity) FROM incidents_incident GROUP BY region_id"
GOAL = 2.0


# One row per number of generate_series; random() is seeded first, so every run makes the same data.
INSERT_INCIDENTS = """
INSERT INTO incidents_incident (
    created_at, updated_at, title, description, severity, occurred_on, date_precision, place_name,
    location_precision, killed, injured, abducted, sources, external_source, external_id,
    sharing_level, status, published_at, retracted_at, retraction_reason, country_id, region_id,
    incident_type_id, organisation_id, submission_digest, submission_key, import_repairs, source_terms
)
SELECT
    now(), now(), 'Benchmark incident #' || n, 'Generated for the risk index benchmark.',
    severity, current_date - day, 'day', 'Village ' || region_n || '-' || place_n,
    'near',
    CASE WHEN r_killed < 0.1 THEN NULL ELSE (ARRAY[0, 0, 0, 1, 2, 5])[1 + floor(r_killed * 6)::int %% 6] END,
    CASE WHEN r_injured < 0.1 THEN NULL ELSE (ARRAY[0, 0, 1, 3])[1 + floor(r_injured * 4)::int %% 4] END,
    CASE WHEN r_abducted < 0.1 THEN NULL ELSE (ARRAY[0, 0, 0, 0, 1])[1 + floor(r_abducted * 5)::int %% 5] END,
    '', %(source)s, 'bench-' || n,
    CASE WHEN r_level < 0.40 THEN 'clear' WHEN r_level < 0.70 THEN 'green' WHEN r_level < 0.85 THEN 'amber'
         WHEN r_level < 0.95 THEN 'amber_strict' ELSE 'red' END,
    CASE WHEN r_status < 0.80 THEN 'published' WHEN r_status < 0.90 THEN 'verified'
         WHEN r_status < 0.97 THEN 'submitted' ELSE 'retracted' END,
    CASE WHEN r_status < 0.80 OR r_status >= 0.97 THEN now() END,
    CASE WHEN r_status >= 0.97 THEN now() END,
    '', %(country)s, (%(regions)s::bigint[])[1 + region_n],
    (%(types)s::bigint[])[1 + floor(r_type * %(type_count)s)::int],
    (%(organisations)s::bigint[])[1 + floor(r_org * %(organisation_count)s)::int],
    '', '', '[]'::jsonb, '{}'::jsonb
FROM (
    SELECT
        n,
        1 + floor(random() * 5)::int AS severity,
        floor(random() * 365)::int AS day,
        floor(random() * %(region_count)s)::int AS region_n,
        floor(random() * 200)::int AS place_n,
        random() AS r_killed, random() AS r_injured, random() AS r_abducted, random() AS r_level,
        random() AS r_type, random() AS r_org, random() AS r_status
    FROM generate_series(%(first)s, %(last)s) AS n
) AS drawn
"""

# A third of the incidents get one target type, a tenth of those a second one.
INSERT_TARGETS = """
WITH drawn AS MATERIALIZED (
    SELECT id, random() AS r, random() AS first, random() AS second
    FROM incidents_incident WHERE external_source = %(source)s
)
INSERT INTO incidents_incident_target_types (incident_id, targettype_id)
SELECT id, (%(targets)s::bigint[])[1 + floor(first * %(target_count)s)::int] FROM drawn WHERE r < 0.33
UNION ALL
SELECT id, (%(targets)s::bigint[])[1 + floor(second * %(target_count)s)::int] FROM drawn WHERE r < 0.033
ON CONFLICT DO NOTHING
"""


def ensure_data(total: int) -> None:
    from django.db import connection, transaction

    from advisories.models import Country
    from incidents.models import IncidentType, TargetType

    mali = Country.objects.get(code="ML")
    existing = incidents_to_replace(total)
    if existing is None:
        return
    organisations = bench_organisations()
    regions = list(mali.regions.order_by("pk").values_list("pk", flat=True))
    types = list(IncidentType.objects.order_by("pk").values_list("pk", flat=True))
    targets = list(TargetType.objects.order_by("pk").values_list("pk", flat=True))
    print(f"Creating {total:,} incidents (replacing {existing:,})...", flush=True)
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM incidents_incident_target_types WHERE incident_id IN "
            "(SELECT id FROM incidents_incident WHERE external_source = %s)",
            [BENCH_SOURCE],
        )
        cursor.execute("DELETE FROM incidents_incident WHERE external_source = %s", [BENCH_SOURCE])
        cursor.execute("SELECT setseed(0.2026)")
        batch = 250_000
        for first in range(1, total + 1, batch):
            last = min(first + batch - 1, total)
            cursor.execute(
                INSERT_INCIDENTS,
                {
                    "source": BENCH_SOURCE,
                    "country": mali.pk,
                    "regions": regions,
                    "region_count": len(regions),
                    "types": types,
                    "type_count": len(types),
                    "organisations": [organisation.pk for organisation in organisations],
                    "organisation_count": len(organisations),
                    "first": first,
                    "last": last,
                },
            )
            print(f"  {last:,} / {total:,} ({time.perf_counter() - started:.0f} s)", flush=True)
        cursor.execute(INSERT_TARGETS, {"targets": targets, "target_count": len(targets), "source": BENCH_SOURCE})
    print(f"  target types added ({time.perf_counter() - started:.0f} s)", flush=True)
    # As autovacuum would have by now: planner statistics and the visibility map (index-only scans).
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


def _run(connection: Any, sql: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return len(cursor.fetchall())


def _what(sql: str) -> str:
    """A few words on what a query of the computation reads."""
    if "GROUP BY" not in sql:
        return "a small lookup"
    if "place_name" in sql:
        return "place names of the window"
    if "threatcategory" in sql:
        return "the window's incidents by threat category"
    if sql.startswith('SELECT "incidents_incident"."region_id" AS "region_id", COUNT(DISTINCT'):
        return "the window's incidents by kind of target"
    if "incidents_incident_target_types" in sql:
        return "by region and day, of those naming targets weighing more"
    return "incidents by region and day"


def median_ms(run: Callable[[], Any], rounds: int) -> float:
    """Median wall time of `run` in ms, after one warm-up run."""
    run()
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        run()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--incidents", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--no-explain", action="store_true")
    parser.add_argument("--only-data", action="store_true", help="create the database and incidents, measure nothing")
    parser.add_argument(
        "--no-jit", action="store_true", help="SET jit = off for the session: what the compiling of plans costs"
    )
    args = parser.parse_args()

    import django

    django.setup()
    ensure_database()

    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    call_command("migrate", verbosity=0)
    ensure_data(args.incidents)
    if args.only_data:
        return

    from advisories.models import Country
    from incidents.models import Incident
    from incidents.risk.compute import country_risk
    from incidents.risk.services import risk_recompute

    if args.no_jit:
        with connection.cursor() as cursor:
            cursor.execute("SET jit = off")
    mali = Country.objects.get(code="ML")
    now = timezone.now()
    total = Incident.objects.count()
    public = Incident.objects.filter(country=mali, sharing_level="clear", status="published").count()

    def bare() -> None:
        with connection.cursor() as cursor:
            cursor.execute(BARE_AGGREGATE)
            cursor.fetchall()

    with CaptureQueriesContext(connection) as captured:
        places = country_risk(mali, now=now)
    queries = [query["sql"] for query in captured.captured_queries]

    ceiling = median_ms(bare, args.rounds)
    compute = median_ms(lambda: country_risk(mali, now=now), args.rounds)
    recompute = median_ms(lambda: risk_recompute(country=mali), args.rounds)

    print(
        f"\n{total:,} incidents in the database, {public:,} of them published TLP:CLEAR in Mali; "
        f"median of {args.rounds} rounds after one warm-up.\n"
    )
    print(f"{'measure':66} {'ms':>9} {'x ceiling':>10}")
    rows = [
        ("ceiling: bare GROUP BY region_id over incidents_incident", ceiling),
        (f"compute: country_risk(mali), {len(queries)} queries, {len(places)} places", compute),
        ("recompute: risk_recompute(country=mali), writes included", recompute),
    ]
    for label, ms in rows:
        print(f"{label:66} {ms:9.1f} {ms / ceiling:10.2f}")
    # Where the computation's time goes: its queries alone (run and fetched), the rest is Python.
    in_sql = 0.0
    for number, sql in enumerate(queries, start=1):
        ms = median_ms(functools.partial(_run, connection, sql), args.rounds)
        in_sql += ms
        print(f"{'  compute query ' + str(number) + ': ' + _what(sql):66} {ms:9.1f} {ms / ceiling:10.2f}")
    print(
        f"{'  compute, outside its queries (Python)':66} {compute - in_sql:9.1f} {(compute - in_sql) / ceiling:10.2f}"
    )
    ratio = recompute / ceiling
    verdict = "within" if ratio <= GOAL else "ABOVE"
    print(f"\nrecompute / ceiling = {ratio:.2f} ({verdict} the goal of {GOAL:.0f}x)")
    country = places[0]
    print(
        f"Mali: index {country.index}, suggested level {country.suggested_level}; "
        f"{country.breakdown.get('incidents')} incidents in the last {country.breakdown.get('window_days')} days"
    )

    if args.no_explain:
        return
    with connection.cursor() as cursor:
        for label, sql in [("ceiling", BARE_AGGREGATE)] + [
            (f"compute query {n}", sql) for n, sql in enumerate(queries, start=1) if "GROUP BY" in sql
        ]:
            # The SQL is this script's own or Django's for the computation's querysets, as run.
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")  # nosec B608
            print(f"\nEXPLAIN ANALYZE {label}:\n{sql[:600]}{'...' if len(sql) > 600 else ''}\n")
            print("\n".join(row[0] for row in cursor.fetchall()))


if __name__ == "__main__":
    main()
