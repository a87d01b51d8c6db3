"""What the benchmarks share: their PostgreSQL database, and timing requests to a served Vigil.

Each script puts the project's folder on `sys.path` first, then imports from here.
"""

from __future__ import annotations

import http.client
import sys
import time
from typing import Any


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
