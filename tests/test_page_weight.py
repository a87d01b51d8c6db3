"""What a traveler's phone downloads to open Mali's page the first time, in production: gunicorn
with DEBUG off after collectstatic, on a PostgreSQL database of its own set up as `make run`
does (migrate, then the Mali demo data), every request asking for gzip.

The page, each stylesheet and script it links and the map data its map fetches are counted as
the bytes on the wire (compressed where the server compresses). The whole must stay within
PAGE_WEIGHT_LIMIT; the test prints each part.
"""

import gzip
import re
import urllib.request
from collections.abc import Iterator

import psycopg
import pytest
from django.conf import settings

from tests.environment import checkout_id, clean_environment, database_url, free_port, postgresql_missing, require
from tests.processes import run, running, wait_for_log, wait_until_served
from tests.test_entry_points import BIN, PYTHON, _dockerfile_command

pytestmark = pytest.mark.integration

PAGE_WEIGHT_LIMIT = 150 * 1000  # bytes


def fetch(url: str) -> tuple[int, str, bytes]:
    """(bytes on the wire, Content-Encoding, body as sent) of a GET that accepts gzip."""
    request = urllib.request.Request(url, headers={"Accept-Encoding": "gzip"})
    with urllib.request.urlopen(request, timeout=20) as response:  # nosec B310  # loopback, http only
        body = response.read()
        return len(body), response.headers.get("Content-Encoding", ""), body


def text_of(encoding: str, body: bytes) -> str:
    return (gzip.decompress(body) if encoding == "gzip" else body).decode()


@pytest.fixture
def own_database() -> Iterator[str]:
    """A PostgreSQL database of this test's own, dropped afterwards: the suite's test database
    is left alone, whatever the order of the tests."""
    require(postgresql_missing(settings.DATABASES["default"]))
    name = f"vigil_page_weight_{checkout_id()}"
    server = {**settings.DATABASES["default"], "NAME": "postgres"}
    with psycopg.connect(database_url(server), autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield database_url({**server, "NAME": name})
    finally:
        with psycopg.connect(database_url(server), autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_mali_first_load_with_its_map_is_compressed_and_under_150_kb(own_database, tmp_path, capsys):
    env = clean_environment(
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY="page-weight-test",
        DJANGO_STATIC_ROOT=str(tmp_path / "static"),
        DATABASE_URL=own_database,
    )
    run([PYTHON, "manage.py", "migrate", "--no-input", "-v", "0"], env=env, timeout=600)
    # With the demo organisations, so that the map carries the demo's published incidents.
    run([PYTHON, "manage.py", "load_demo", "--with-accounts"], env=env, timeout=600)
    run([PYTHON, "manage.py", "collectstatic", "--no-input", "-v", "0"], env=env)
    port = free_port()
    command = _dockerfile_command()
    command[0] = str(BIN / command[0])
    command[command.index("--bind") + 1] = f"127.0.0.1:{port}"
    log = tmp_path / "gunicorn.log"

    parts: dict[str, tuple[int, str]] = {}
    with running(command, env=env, log=log) as server:
        wait_for_log(server, log, r"Booting worker with pid", what="gunicorn")
        base = f"http://127.0.0.1:{port}"
        wait_until_served(server, log, base + "/healthz", what="gunicorn")
        size, encoding, body = fetch(base + "/countries/ml/")
        parts["/countries/ml/"] = (size, encoding)
        html = text_of(encoding, body)
        linked = re.findall(r'<link rel="(?:stylesheet|icon)" href="([^"]+)"', html)
        linked += re.findall(r'<script src="([^"]+)"', html)
        linked += re.findall(r'data-map-url="([^"]+)"', html)
        for address in linked:
            size, encoding, _ = fetch(base + address)
            parts[address] = (size, encoding)

    total = sum(size for size, _ in parts.values())
    with capsys.disabled():
        print(f"\nMali's page, first load: {total:,} bytes on the wire in {len(parts)} requests")
        for address, (size, encoding) in parts.items():
            print(f"  {size:>8,}  {encoding or 'identity':8}  {address}")

    # The page, Leaflet's script and the map data are among them, each sent compressed.
    assert any("leaflet" in address and address.endswith(".js") for address in parts)
    assert any(address.endswith("map.json") for address in parts)
    assert html.count('class="map-point"') >= 5
    assert all(encoding == "gzip" for address, (_, encoding) in parts.items() if not address.endswith(".svg")), parts
    assert total <= PAGE_WEIGHT_LIMIT, parts
