"""How fast Mali's advisory page is served in production settings, against a bare view.

    DJANGO_SECRET_KEY=bench DATABASE_URL=postgres://postgres@127.0.0.1:5432/vigil_bench_pages \\
    REDIS_URL=redis://127.0.0.1:6379/9 .venv/bin/python bench/pages.py

Creates the database if it does not exist, migrates it and loads the Mali demo data. Then it
starts gunicorn with one sync worker pinned to the first core (`DJANGO_DEBUG=false`, the cache in
Redis, connections to PostgreSQL kept for a minute, as docker-compose.yml runs it) and sends
requests one after another from the second core for --seconds each, three
rounds, and prints the median requests per second of:

- the ceiling: a bare Django view in the same gunicorn returning the same bytes as Mali's page
  (bench/pages_urls.py, through the same middleware);
- Mali's page to a signed-out visitor, kept in the cache (after a first request);
- the same asked again with If-None-Match (answered 304);
- the same rendered each time (the visitor has a message waiting, which bypasses the cache of
  whole pages; the parts that are the same for everyone are read from the cache);
- the same rendered for a signed-in member of an organisation (the demo's kora_officer): their
  header, and the risk index counting what is shared with them;
- the same rendered from nothing: the cache emptied before each request (what the first visitor
  after a change waits for);

each as a ratio to the ceiling. The goals: cached >= 0.8, 304 >= 0.9, rendered >= 0.3.
"""

from __future__ import annotations

import argparse
import http.client
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import ensure_database  # noqa: E402 - after the path is set

if TYPE_CHECKING:
    from django.core.cache.backends.base import BaseCache

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.pages_settings")
os.environ.setdefault("DJANGO_DEBUG", "false")

PORT = 8765
PAGE = "/countries/ml/"
GOALS = {"cached": 0.8, "304": 0.9, "rendered": 0.3}


def request(path: str, headers: dict[str, str] | None = None) -> tuple[int, bytes, dict[str, str]]:
    connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
    try:
        connection.request("GET", path, headers={"Host": "127.0.0.1", **(headers or {})})
        response = connection.getresponse()
        return response.status, response.read(), dict(response.getheaders())
    finally:
        connection.close()


def rate(send: Callable[[], int], seconds: float, expected: int) -> float:
    """Requests per second of `send`, one after another, for `seconds`."""
    done, started = 0, time.perf_counter()
    while (elapsed := time.perf_counter() - started) < seconds:
        status = send()
        if status != expected:
            sys.exit(f"Expected {expected}, got {status}.")
        done += 1
    return done / elapsed


def from_nothing(cache: BaseCache) -> int:
    """Mali's page with the cache emptied first: nothing kept, not even its parts."""
    cache.clear()
    return request(PAGE, {"Cookie": "messages=bench"})[0]


def signed_in(username: str) -> str:
    """A Cookie header that signs `username` in (a session made as the sign-in page would)."""
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.test import Client

    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


def wait_for_server(process: subprocess.Popen[bytes]) -> None:
    for _ in range(100):
        if process.poll() is not None:
            sys.exit("gunicorn stopped; see its output above.")
        try:
            request("/healthz")
            return
        except OSError:
            time.sleep(0.2)
    sys.exit("gunicorn did not answer.")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--rounds", type=int, default=3)
    options = parser.parse_args()
    if not os.environ.get("REDIS_URL"):
        sys.exit("Set REDIS_URL: production keeps pages in Redis.")

    import django

    ensure_database()
    django.setup()
    from django.core.cache import cache
    from django.core.management import call_command

    from advisories.page_cache import VERSION_MEMO_SECONDS

    call_command("migrate", verbosity=0)
    call_command("load_demo", "--with-accounts", verbosity=0)
    call_command("collectstatic", "--noinput", verbosity=0)  # production serves the hashed names
    cache.clear()
    member_cookie = signed_in("kora_officer")

    cores = sorted(os.sched_getaffinity(0))
    server_core, client_core = cores[0], cores[-1]
    # As docker-compose.yml runs the web: connections to PostgreSQL kept for a minute.
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.pages_settings",
        "DJANGO_DEBUG": "false",
        "DATABASE_CONN_MAX_AGE": "60",
    }
    gunicorn = [str(ROOT / ".venv/bin/gunicorn"), "config.wsgi", "--workers", "1", "--bind", f"127.0.0.1:{PORT}"]
    process = subprocess.Popen(
        ["taskset", "-c", str(server_core), *gunicorn, "--log-level", "warning"],
        cwd=ROOT,
        env=env,
    )
    os.sched_setaffinity(0, {client_core})
    try:
        wait_for_server(process)
        status, page, headers = request(PAGE)
        assert status == 200, status
        (ROOT / "var").mkdir(exist_ok=True)
        (ROOT / "var" / "bench-page.html").write_bytes(page)
        etag = headers["ETag"]
        print(f"Mali's page: {len(page):,} bytes, ETag {etag}.")
        print(f"gunicorn (one sync worker) on core {server_core}; requests sent one at a time from core {client_core}.")

        current = {"etag": etag}
        measures: dict[str, Callable[[], int]] = {
            "ceiling": lambda: request("/bench/bare/")[0],
            "cached": lambda: request(PAGE)[0],
            "304": lambda: request(PAGE, {"If-None-Match": current["etag"]})[0],
            "rendered": lambda: request(PAGE, {"Cookie": "messages=bench"})[0],
            "rendered for a member": lambda: request(PAGE, {"Cookie": member_cookie})[0],
            "rendered from nothing": lambda: from_nothing(cache),
        }
        expected = dict.fromkeys(measures, 200) | {"304": 304}
        results: dict[str, list[float]] = {name: [] for name in measures}
        for _round in range(options.rounds):
            # The last measure of a round empties the cache: the page gets a new version and ETag
            # once the server's process stops trusting the version it read last.
            time.sleep(VERSION_MEMO_SECONDS + 0.5)
            current["etag"] = request(PAGE)[2]["ETag"]
            for name, send in measures.items():
                results[name].append(rate(send, options.seconds, expected[name]))
        medians = {name: statistics.median(values) for name, values in results.items()}
    finally:
        process.terminate()
        process.wait()

    ceiling = medians["ceiling"]
    print(f"\n{'measure':40} {'requests/s':>11} {'ratio':>7} {'goal':>6}")
    for name, value in medians.items():
        goal = f"{GOALS[name]:.1f}" if name in GOALS else ""
        print(f"{name:40} {value:11.1f} {value / ceiling:7.2f} {goal:>6}")


if __name__ == "__main__":
    main()
