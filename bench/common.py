"""What the benchmarks share: their PostgreSQL database, and timing requests to a served Vigil.

Each script puts the project's folder on `sys.path` first, then imports from here.
"""

from __future__ import annotations

import http.client
import sys
import time
from typing import Any

# The external_source of the incidents a benchmark creates.
BENCH_SOURCE = "bench"
# One organisation of each kind whose staff weigh more when targeted (risk weights.members_kind_targets).
ORGANISATION_KINDS = ("ingo", "un", "nngo", "red_cross", "company")


def ensure_database() -> dict[str, Any]:
    """CREATE DATABASE when DATABASE_URL names one that does not exist yet; the psycopg
    connection parameters of that database. Refuses any other database than PostgreSQL."""
    import psycopg
    from django.conf import settings

    db = settings.DATABASES["default"]
    if "postgresql" not in db["ENGINE"]:
        sys.exit("This benchmark measures PostgreSQL: set DATABASE_URL=postgres://...")
    params = {"host": db["HOST"] or None, "port": db["PORT"] or None, "user": db["USER"], "password": db["PASSWORD"]}
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [db["NAME"]]).fetchone():
            conn.execute(f'CREATE DATABASE "{db["NAME"]}"')
            print(f"Created database {db['NAME']}.")
    return params | {"dbname": db["NAME"]}


def recreate_database(url: str) -> None:
    """Drop the database a postgres:// URL names (its connections too) and create it empty."""
    import psycopg

    name = url.rsplit("/", 1)[1]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def request_ms(port: int, path: str) -> float:
    """Milliseconds of one GET to 127.0.0.1:port over a new connection; exits unless it answers 200."""
    started = time.perf_counter()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        connection.request("GET", path, headers={"Host": "127.0.0.1"})
        response = connection.getresponse()
        response.read()
        if response.status != 200:
            sys.exit(f"{path}: {response.status}")
    finally:
        connection.close()
    return (time.perf_counter() - started) * 1000


def p95(port: int, path: str, count: int) -> float:
    """The 95th percentile of `count` requests, in milliseconds."""
    times = sorted(request_ms(port, path) for _ in range(count))
    return times[min(len(times) - 1, int(len(times) * 0.95))]


def incidents_to_replace(total: int) -> int | None:
    """How many benchmark incidents an earlier run left, to be replaced by `total` new ones; None
    (and it says so) when they are the `total` already."""
    from incidents.models import Incident

    existing = Incident.objects.filter(external_source=BENCH_SOURCE).count()
    if existing == total:
        print(f"{existing:,} benchmark incidents already there.")
        return None
    return existing


def bench_organisations() -> list[Any]:
    """The benchmark's organisations, one of each kind, made the first time."""
    from incidents.models import Organisation

    return [
        Organisation.objects.get_or_create(slug=f"bench-{kind}", defaults={"name": f"Bench {kind}", "kind": kind})[0]
        for kind in ORGANISATION_KINDS
    ]
