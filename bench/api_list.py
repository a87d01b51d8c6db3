"""How fast the API's incident list answers at 1,000,000 incidents, against its own query run raw.

    DJANGO_SECRET_KEY=bench DATABASE_URL=postgres://postgres@127.0.0.1:5432/vigil_bench_risk \\
    .venv/bin/python bench/api_list.py

Uses the incidents of bench/risk.py (generated there if missing: --incidents, default 1,000,000).
For each address below, it captures the SQL of the page the API reads (with Django's test client),
then starts gunicorn with one sync worker pinned to the first core, the production settings and
two more addresses (bench/api_urls.py), and sends --requests requests one after another from the
second core to:

- the API address itself, as a signed-out client;
- the ceiling: a bare view in the same gunicorn that runs the captured SQL with a raw cursor and
  returns its rows with json.dumps.

It prints the p95 of each, three rounds, medians, and their ratio (the goal: at most 2x).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import p95, request_ms  # noqa: E402 - after the path is set

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.api_settings")
os.environ.setdefault("DJANGO_DEBUG", "false")

PORT = 8766
SQL_DIR = ROOT / "var" / "bench-api-sql"
GOAL = 2.0


def addresses() -> dict[str, str]:
    today = dt.datetime.now(dt.UTC).date()
    return {
        "country": "/api/v1/incidents/?country=ml",
        "country, severity 4+": "/api/v1/incidents/?country=ml&severity_min=4",
        "region, last 30 days": f"/api/v1/incidents/?region=ml-5&occurred_after={today - dt.timedelta(days=30)}",
        "occurred_before, oldest tenth": f"/api/v1/incidents/?occurred_before={today - dt.timedelta(days=330)}",
        "kidnappings": "/api/v1/incidents/?category=kidnapping",
    }


def capture_sql(path: str) -> str:
    """The SQL of the incidents page the API reads for `path`."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        response = Client().get(path, HTTP_HOST="127.0.0.1")
    assert response.status_code == 200, (path, response.status_code, response.content[:300])
    pages = [query["sql"] for query in captured.captured_queries if 'FROM "incidents_incident"' in query["sql"]]
    assert len(pages) == 1, pages
    return pages[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--incidents", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=3)
    options = parser.parse_args()

    # The database and its incidents, made by bench/risk.py if they are not there.
    data = [sys.executable, str(ROOT / "bench" / "risk.py"), "--incidents", str(options.incidents), "--only-data"]
    subprocess.run(data, check=True, env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings"})

    import django

    django.setup()
    from django.core.management import call_command

    call_command("collectstatic", "--noinput", verbosity=0)

    SQL_DIR.mkdir(parents=True, exist_ok=True)
    measured = addresses()
    for number, path in enumerate(measured.values()):
        (SQL_DIR / f"{number}.sql").write_text(capture_sql(path))

    cores = sorted(os.sched_getaffinity(0))
    server_core, client_core = cores[0], cores[-1]
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.api_settings", "DJANGO_DEBUG": "false"}
    gunicorn = [str(ROOT / ".venv/bin/gunicorn"), "config.wsgi", "--workers", "1", "--bind", f"127.0.0.1:{PORT}"]
    process = subprocess.Popen(
        ["taskset", "-c", str(server_core), *gunicorn, "--log-level", "warning"], cwd=ROOT, env=env
    )
    os.sched_setaffinity(0, {client_core})
    results: dict[str, tuple[float, float]] = {}
    try:
        for _ in range(100):
            try:
                request_ms(PORT, "/healthz")
                break
            except OSError:
                time.sleep(0.2)
        for number, (name, path) in enumerate(measured.items()):
            api, raw = [], []
            for _round in range(options.rounds):
                request_ms(PORT, path)  # warm
                api.append(p95(PORT, path, options.requests))
                raw.append(p95(PORT, f"/bench/raw/{number}/", options.requests))
            results[name] = (statistics.median(api), statistics.median(raw))
    finally:
        process.terminate()
        process.wait()

    print(f"\n{options.incidents:,} incidents; p95 of {options.requests} requests, median of {options.rounds} rounds")
    print(f"{'filters':34} {'API ms':>8} {'raw ms':>8} {'ratio':>6}")
    for name, (api_ms, raw_ms) in results.items():
        verdict = "" if api_ms / raw_ms <= GOAL else "  above the goal"
        print(f"{name:34} {api_ms:8.1f} {raw_ms:8.1f} {api_ms / raw_ms:6.2f}{verdict}")


if __name__ == "__main__":
    main()
