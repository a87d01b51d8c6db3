"""The incident lists at 10,000 and at 1,000,000 incidents logged as they are in real life, each
against its own query run raw in the same gunicorn, and how much slower each gets from one size to
the other.

    DJANGO_SECRET_KEY=bench REDIS_URL=redis://127.0.0.1:6379/9 .venv/bin/python bench/lists_at_scale.py

For each size (--sizes, default 10000,1000000) it uses its own database, vigil_bench_lists_10k and
vigil_bench_lists_1m on the server of DATABASE_URL (default postgres://postgres@127.0.0.1:5432/),
created, migrated and filled the first time (`--prepare` does that alone, for one size). The
incidents are made inside PostgreSQL by one INSERT ... SELECT over generate_series, sorted so that
ids follow logging as they do in production:

- dates from 2016-01-01 to 2026-12-01, more of them each year (the density grows linearly);
- logged (id and created_at) soon after the date: within 2 days for 80%, 30 days for 15%, 180 days
  for 4%, and up to two years for 1% (late reports, imports of old events);
- 75% placed around one of 25 towns of Mali (a normal spread of 0.15 degrees around it, in the
  town's region), 15% anywhere in Mali's bounding box, 10% without coordinates;
- the sharing levels, statuses and types of bench/risk.py (40% TLP:CLEAR, 80% published).

Then one gunicorn per size, each with one sync worker pinned to the first core (the production
settings as docker-compose.yml sets them, connections to PostgreSQL kept, and bench/api_urls.py),
the requests one after another from the second core, p95 of --requests per address, --rounds
rounds in which the sizes take turns, medians, signed out:

- the API's list with typical filters, `occurred_before=2020-09-01`, a 0.5 x 0.5 degree box around
  Mopti and Sévaré, and a box of the same size in the empty desert north of Tombouctou;
- the public HTML list of Mali, `/countries/ml/incidents/`, and its second page.

The ceiling of each address is its page's query, captured with Django's test client and run with a
raw cursor by a bare view in the same gunicorn, its rows returned with json.dumps (API) or as an
HTML table (pages). It prints each ratio (goal: 2x for the API, 3x for the pages), the queries
the page ran, the growth from the smallest to the largest size (goal: 1.5x), and with --explain
EXPLAIN (ANALYZE, BUFFERS) of each page's queries at each size.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import BENCH_SOURCE, bench_organisations, ensure_database, incidents_to_replace, p95, request_ms  # noqa: E402 - after the path is set

PORT = 8767
GOALS = {"api": 2.0, "html": 3.0}
GROWTH_GOAL = 1.5

ADDRESSES = {
    "api: country=ml": ("api", "/api/v1/incidents/?country=ml"),
    "api: country=ml&severity_min=4": ("api", "/api/v1/incidents/?country=ml&severity_min=4"),
    "api: occurred_before=2020-09-01": ("api", "/api/v1/incidents/?occurred_before=2020-09-01"),
    "api: bbox Mopti/Sévaré 0.5°": ("api", "/api/v1/incidents/?bbox=-4.45,14.25,-3.95,14.75"),
    "api: bbox desert 1°": ("api", "/api/v1/incidents/?bbox=-2.5,18.0,-1.5,19.0"),
    "html: /countries/ml/incidents/": ("html", "/countries/ml/incidents/"),
    "html: page 2": ("html", "/countries/ml/incidents/?page=2"),
}

# Towns of Mali: latitude, longitude, region, weight (their share of the placed incidents).
TOWNS = [
    ("Bamako", 12.64, -8.00, "ML-BKO", 14),
    ("Kati", 12.74, -8.07, "ML-2", 3),
    ("Koulikoro", 12.86, -7.56, "ML-2", 2),
    ("Kayes", 14.45, -11.44, "ML-1", 4),
    ("Kita", 13.03, -9.49, "ML-1", 2),
    ("Nioro du Sahel", 15.23, -9.59, "ML-1", 2),
    ("Sikasso", 11.32, -5.67, "ML-3", 4),
    ("Koutiala", 12.39, -5.46, "ML-3", 3),
    ("Ségou", 13.45, -6.26, "ML-4", 5),
    ("Niono", 14.25, -5.99, "ML-4", 4),
    ("San", 13.30, -4.90, "ML-4", 2),
    ("Mopti", 14.49, -4.19, "ML-5", 7),
    ("Sévaré", 14.53, -4.09, "ML-5", 5),
    ("Bandiagara", 14.35, -3.61, "ML-5", 5),
    ("Djenné", 13.91, -4.55, "ML-5", 3),
    ("Douentza", 15.00, -2.95, "ML-5", 4),
    ("Tombouctou", 16.77, -3.01, "ML-6", 5),
    ("Goundam", 16.41, -3.67, "ML-6", 2),
    ("Gao", 16.27, -0.04, "ML-7", 6),
    ("Ansongo", 15.66, 0.50, "ML-7", 3),
    ("Bourem", 16.95, -0.35, "ML-7", 2),
    ("Kidal", 18.44, 1.41, "ML-8", 3),
    ("Tessalit", 20.20, 1.01, "ML-8", 1),
    ("Ménaka", 15.92, 2.40, "ML-9", 4),
    ("Taoudéni", 22.68, -3.98, "ML-10", 1),
]
# Mali's bounding box: west, south, east, north.
MALI_BOX = (-12.2, 10.2, 4.2, 24.9)

# The town of each incident is picked from an array holding each town's number `weight` times;
# the rows are inserted in the order they were logged, so that ids follow it.
INSERT_INCIDENTS = """
WITH drawn AS (
    SELECT
        n,
        floor(%(days)s * sqrt(random()))::int AS day,
        random() AS r_delay, random() AS r_delay_size,
        (%(town_pick)s::int[])[1 + floor(random() * %(town_pick_count)s)::int] AS town,
        random() AS r_where, random() AS u1, random() AS u2, random() AS u3, random() AS u4,
        floor(random() * %(region_count)s)::int AS region_n,
        1 + floor(random() * 5)::int AS severity,
        random() AS r_level, random() AS r_status, random() AS r_type, random() AS r_org, random() AS r_killed
    FROM generate_series(1, %(total)s) AS n
), placed AS (
    SELECT
        drawn.*,
        day + CASE WHEN r_delay < 0.80 THEN r_delay_size * 2 WHEN r_delay < 0.95 THEN r_delay_size * 30
                   WHEN r_delay < 0.99 THEN r_delay_size * 180 ELSE r_delay_size * 730 END AS logged,
        CASE WHEN r_where < 0.10 THEN NULL
             WHEN r_where < 0.25 THEN %(south)s + u1 * (%(north)s - %(south)s)
             ELSE (%(lats)s::float8[])[town] + 0.15 * sqrt(-2 * ln(1 - u1)) * cos(2 * pi() * u2) END AS lat,
        CASE WHEN r_where < 0.10 THEN NULL
             WHEN r_where < 0.25 THEN %(west)s + u3 * (%(east)s - %(west)s)
             ELSE (%(lons)s::float8[])[town] + 0.15 * sqrt(-2 * ln(1 - u3)) * cos(2 * pi() * u4) END AS lon
    FROM drawn
)
INSERT INTO incidents_incident (
    created_at, updated_at, title, description, severity, occurred_on, date_precision, place_name,
    latitude, longitude, location_precision, killed, injured, abducted, sources, external_source,
    external_id, sharing_level, status, published_at, retracted_at, retraction_reason, country_id,
    region_id, incident_type_id, organisation_id, submission_digest, submission_key, import_repairs,
    source_terms
)
SELECT
    %(start)s::timestamptz + logged * interval '1 day', %(start)s::timestamptz + logged * interval '1 day',
    'Benchmark incident #' || n, 'Generated for the list benchmark. ' || repeat('Lorem ipsum dolor sit amet. ', 20),
    severity, %(start)s::date + day, 'day',
    CASE WHEN r_where >= 0.25 THEN (%(names)s::text[])[town] ELSE '' END,
    -- (greatest and least skip NULL: an incident without coordinates keeps none)
    CASE WHEN lat IS NOT NULL THEN round(least(greatest(lat, %(south)s), %(north)s)::numeric, 5) END,
    CASE WHEN lon IS NOT NULL THEN round(least(greatest(lon, %(west)s), %(east)s)::numeric, 5) END,
    CASE WHEN r_where < 0.10 THEN 'region' ELSE 'near' END,
    CASE WHEN r_killed < 0.1 THEN NULL ELSE (ARRAY[0, 0, 0, 1, 2, 5])[1 + floor(r_killed * 6)::int %% 6] END,
    CASE WHEN r_killed < 0.2 THEN NULL ELSE 0 END, NULL,
    'A witness' || chr(10) || 'A partner organisation', %(source)s, 'bench-' || n,
    CASE WHEN r_level < 0.40 THEN 'clear' WHEN r_level < 0.70 THEN 'green' WHEN r_level < 0.85 THEN 'amber'
         WHEN r_level < 0.95 THEN 'amber_strict' ELSE 'red' END,
    CASE WHEN r_status < 0.80 THEN 'published' WHEN r_status < 0.90 THEN 'verified'
         WHEN r_status < 0.97 THEN 'submitted' ELSE 'retracted' END,
    CASE WHEN r_status < 0.80 OR r_status >= 0.97 THEN %(start)s::timestamptz + logged * interval '1 day' END,
    CASE WHEN r_status >= 0.97 THEN %(start)s::timestamptz + logged * interval '1 day' END,
    '', %(country)s,
    CASE WHEN r_where < 0.25 THEN (%(regions)s::bigint[])[1 + region_n] ELSE (%(town_regions)s::bigint[])[town] END,
    (%(types)s::bigint[])[1 + floor(r_type * %(type_count)s)::int],
    (%(organisations)s::bigint[])[1 + floor(r_org * %(organisation_count)s)::int],
    '', '', '[]'::jsonb, '{}'::jsonb
FROM placed
ORDER BY logged, n
"""


def label(size: int) -> str:
    return f"{size // 1_000_000}m" if size % 1_000_000 == 0 else f"{size // 1000}k"


def database_url(size: int) -> str:
    base = urlsplit(os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres"))
    return urlunsplit(base._replace(path=f"/vigil_bench_lists_{label(size)}"))


def sql_dir(size: int) -> Path:
    return ROOT / "var" / "bench-lists-sql" / label(size)


# Preparing one size: its database, its incidents, the captured SQL ------------------------------


def ensure_data(total: int) -> None:
    import datetime as dt

    from django.db import connection, transaction

    from advisories.models import Country
    from incidents.models import IncidentType

    mali = Country.objects.get(code="ML")
    existing = incidents_to_replace(total)
    if existing is None:
        return
    organisations = bench_organisations()
    region_ids = dict(mali.regions.values_list("code", "pk"))
    start, end = dt.date(2016, 1, 1), dt.date(2026, 12, 1)
    town_pick = [number for number, town in enumerate(TOWNS, start=1) for _ in range(town[4])]
    west, south, east, north = MALI_BOX
    print(f"Creating {total:,} incidents (replacing {existing:,})...", flush=True)
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM incidents_incident WHERE external_source = %s", [BENCH_SOURCE])
        cursor.execute("SET LOCAL work_mem = '256MB'")
        cursor.execute("SELECT setseed(0.1204)")
        cursor.execute(
            INSERT_INCIDENTS,
            {
                "total": total,
                "days": (end - start).days,
                "start": start.isoformat(),
                "town_pick": town_pick,
                "town_pick_count": len(town_pick),
                "lats": [town[1] for town in TOWNS],
                "lons": [town[2] for town in TOWNS],
                "names": [town[0] for town in TOWNS],
                "town_regions": [region_ids[town[3]] for town in TOWNS],
                "regions": list(region_ids.values()),
                "region_count": len(region_ids),
                "west": west,
                "south": south,
                "east": east,
                "north": north,
                "source": BENCH_SOURCE,
                "country": mali.pk,
                "types": list(IncidentType.objects.order_by("pk").values_list("pk", flat=True)),
                "type_count": IncidentType.objects.count(),
                "organisations": [organisation.pk for organisation in organisations],
                "organisation_count": len(organisations),
            },
        )
    print(f"  done in {time.perf_counter() - started:.0f} s", flush=True)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


def capture(kind: str, path: str) -> tuple[str, list[str], int]:
    """The SQL of the page's rows for `path` (of its ids when it has none), every query the
    request ran, and the number of incidents on the page."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        response = Client().get(path, HTTP_HOST="127.0.0.1")
    assert response.status_code == 200, (path, response.status_code, response.content[:300])
    queries = [query["sql"] for query in captured.captured_queries]
    incidents = [sql for sql in queries if 'FROM "incidents_incident"' in sql]
    rows = [sql for sql in incidents if '"incidents_incident"."title"' in sql] or incidents[-1:]
    assert len(rows) == 1, (path, rows)
    # The API's results, or the rows of the page's table (one header cell each).
    page = response.json()["results"] if kind == "api" else response.content.decode().split('<th scope="row">')[1:]
    return rows[0], queries, len(page)


def prepare(total: int, explain: bool) -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    ensure_database()
    call_command("migrate", verbosity=0)
    ensure_data(total)
    call_command("collectstatic", "--noinput", verbosity=0)
    folder = sql_dir(total)
    folder.mkdir(parents=True, exist_ok=True)
    counts = {}
    for number, (name, (kind, path)) in enumerate(ADDRESSES.items()):
        rows_sql, queries, shown = capture(kind, path)
        (folder / f"{number}.sql").write_text(rows_sql)
        counts[name] = [len(queries), shown]
        if explain:
            print(f"\n=== {name} at {total:,}: {len(queries)} queries")
            with connection.cursor() as cursor:
                for sql in queries:
                    if 'FROM "incidents_incident"' not in sql:
                        continue
                    # Django's SQL for this page, as it ran.
                    cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")  # nosec B608
                    print(f"\n{sql[:400]}{'...' if len(sql) > 400 else ''}")
                    print("\n".join(row[0] for row in cursor.fetchall()))
    (folder / "queries.json").write_text(json.dumps(counts))


# Measuring ------------------------------------------------------------------------------------


def start_server(size: int, port: int, core: int) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "DATABASE_URL": database_url(size),
        "BENCH_SQL_DIR": str(sql_dir(size)),
        "DJANGO_SETTINGS_MODULE": "bench.api_settings",
        "DJANGO_DEBUG": "false",
        # As docker-compose.yml runs the web: connections to PostgreSQL kept for a minute.
        "DATABASE_CONN_MAX_AGE": "60",
    }
    gunicorn = [str(ROOT / ".venv/bin/gunicorn"), "config.wsgi", "--workers", "1", "--bind", f"127.0.0.1:{port}"]
    return subprocess.Popen(["taskset", "-c", str(core), *gunicorn, "--log-level", "warning"], cwd=ROOT, env=env)


def measure(sizes: list[int], requests: int, rounds: int) -> dict[int, dict[str, tuple[float, float]]]:
    """p95 of each address and of its ceiling at each size, medians of the rounds. One gunicorn per
    size, all pinned to the first core; the sizes take turns within each round, so that what else
    runs on the machine weighs on all of them alike."""
    cores = sorted(os.sched_getaffinity(0))
    server_core, client_core = cores[0], cores[-1]
    ports = {size: PORT + number for number, size in enumerate(sizes)}
    servers = [start_server(size, port, server_core) for size, port in ports.items()]
    os.sched_setaffinity(0, {client_core})
    times: dict[int, dict[str, tuple[list[float], list[float]]]] = {
        size: {name: ([], []) for name in ADDRESSES} for size in sizes
    }
    try:
        for port in ports.values():
            for _ in range(100):
                try:
                    request_ms(port, "/healthz")
                    break
                except OSError:
                    time.sleep(0.2)
        for _round in range(rounds):
            for number, (name, (kind, path)) in enumerate(ADDRESSES.items()):
                raw_path = f"/bench/raw/{number}/" if kind == "api" else f"/bench/raw-html/{number}/"
                for size, port in ports.items():
                    request_ms(port, path)  # warm
                    request_ms(port, raw_path)
                    times[size][name][0].append(p95(port, path, requests))
                    times[size][name][1].append(p95(port, raw_path, requests))
    finally:
        for server in servers:
            server.terminate()
            server.wait()
        os.sched_setaffinity(0, set(cores))
    return {
        size: {name: (statistics.median(vigil), statistics.median(raw)) for name, (vigil, raw) in by_name.items()}
        for size, by_name in times.items()
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="10000,1000000")
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--explain", action="store_true", help="EXPLAIN ANALYZE each page's queries at each size")
    parser.add_argument("--prepare", type=int, metavar="N", help="only create the database of N incidents")
    options = parser.parse_args()

    if options.prepare:
        # Always the size's own database, on the server DATABASE_URL names: never that database itself.
        os.environ["DATABASE_URL"] = database_url(options.prepare)
        os.environ["DJANGO_SETTINGS_MODULE"] = "bench.api_settings"
        prepare(options.prepare, options.explain)
        return

    sizes = [int(size) for size in options.sizes.split(",")]
    for size in sizes:
        env = {**os.environ, "DATABASE_URL": database_url(size), "DJANGO_DEBUG": "false"}
        command = [sys.executable, __file__, "--prepare", str(size)] + (["--explain"] if options.explain else [])
        subprocess.run(command, check=True, env=env)
    measured = measure(sizes, options.requests, options.rounds)

    for size in sizes:
        queries = json.loads((sql_dir(size) / "queries.json").read_text())
        print(f"\n{size:,} incidents; p95 of {options.requests} requests, median of {options.rounds} rounds")
        print(f"{'address':36} {'Vigil ms':>9} {'raw ms':>8} {'ratio':>6} {'queries':>8} {'rows':>5}")
        for name, (vigil, raw) in measured[size].items():
            goal = GOALS[ADDRESSES[name][0]]
            verdict = "" if vigil / raw <= goal else f"  above {goal:.0f}x"
            count, shown = queries[name]
            print(f"{name:36} {vigil:9.1f} {raw:8.1f} {vigil / raw:6.2f} {count:8} {shown:5}{verdict}")
    if len(sizes) > 1:
        small, large = sizes[0], sizes[-1]
        print(f"\ngrowth from {small:,} to {large:,} incidents (p95, goal {GROWTH_GOAL}x)")
        for name in ADDRESSES:
            growth = measured[large][name][0] / measured[small][name][0]
            raw_growth = measured[large][name][1] / measured[small][name][1]
            verdict = "" if growth <= GROWTH_GOAL else "  above the goal"
            print(f"{name:36} {growth:6.2f}   (raw query: {raw_growth:.2f}){verdict}")


if __name__ == "__main__":
    main()
