"""What the suite needs from the machine, and what it does when a part is missing.

Most tests need nothing but Python. Some need a real part: PostgreSQL (the worker tests share
pytest-django's test database with a Celery worker in another process), Redis (the broker),
Debian's Chromium (the page tests) or the reference files in ../shared (data and seeds).

On a developer's machine a test whose part is missing is skipped, saying why. Under `CI=true`
the run is refused at the start instead, with one line per missing part: CI that passes while
running less is worse than CI that fails.

Two checkouts may test on one machine at once: the test database's name is derived from the
checkout's folder (tests/conftest.py), and each run claims a Redis database of its own among
TEST_REDIS_DATABASES (`claim_redis_database`).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import socket
import uuid
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit, urlunsplit

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SHARED_DATA = SHARED / "data"
SEEDS = SHARED / "seeds"
CHROMIUM = os.environ.get("VIGIL_CHROMIUM", "/usr/bin/chromium")
# The Redis server of the tests. With a database in the URL (redis://host:6379/12) the run
# uses that one; without, it claims a free one of TEST_REDIS_DATABASES.
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379")
TEST_REDIS_DATABASES = range(8, 16)
REDIS_CLAIM_KEY = "vigil:test-run"
# Longer than a whole `make test`; a run that was killed frees its database after this.
REDIS_CLAIM_SECONDS = 3 * 3600

IN_CI = os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


def checkout_id() -> str:
    """A short name for this checkout's folder: two clones on one machine get two names."""
    return hashlib.sha256(str(ROOT).encode()).hexdigest()[:10]


def require(reason: str) -> None:
    """Skip the current test for `reason` (a missing part); fail it under CI. No reason, no effect."""
    if not reason:
        return
    if IN_CI:
        pytest.fail(f"CI=true, and {reason}", pytrace=False)
    pytest.skip(reason)


# The parts ------------------------------------------------------------------------------


def postgresql_missing(database: dict[str, Any]) -> str:
    """Why the tests that need PostgreSQL cannot run with these DATABASES settings, or ""."""
    if "postgresql" not in database["ENGINE"]:
        return (
            f"the tests with a Celery worker need PostgreSQL and this run uses {database['ENGINE'].rsplit('.', 1)[-1]} "
            "(a separate process cannot share pytest's SQLite test database); run them with "
            "DATABASE_URL=postgres://postgres@127.0.0.1:5432/vigil."
        )
    import psycopg

    try:
        psycopg.connect(
            host=database["HOST"] or None,
            port=database["PORT"] or None,
            user=database["USER"] or None,
            password=database["PASSWORD"] or None,
            dbname="postgres",
            connect_timeout=3,
        ).close()
    except psycopg.Error as error:
        where = f"{database['HOST'] or 'localhost'}:{database['PORT'] or 5432}"
        first_line = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        return f"PostgreSQL at {where} does not answer ({first_line}); start it or correct DATABASE_URL."
    return ""


def redis_missing(url: str = REDIS_URL) -> str:
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=5).ping()
    except redis.RedisError as error:
        return f"Redis at {_without_password(url)} does not answer ({error}); start it or set TEST_REDIS_URL."
    return ""


def chromium_missing() -> str:
    if shutil.which(CHROMIUM):
        return ""
    return f"there is no Chromium at {CHROMIUM}; `make browser-deps` installs Debian's package."


def shared_missing() -> str:
    missing = [path for path in (SHARED_DATA, SEEDS) if not path.is_dir()]
    if not missing:
        return ""
    return f"the reference files are not beside the checkout (missing: {', '.join(str(path) for path in missing)})."


def parts_missing(database: dict[str, Any]) -> list[str]:
    """Every missing part, one sentence each."""
    return [
        reason
        for reason in (postgresql_missing(database), redis_missing(), chromium_missing(), shared_missing())
        if reason
    ]


# Redis: one database per run -----------------------------------------------------------


def _without_password(url: str) -> str:
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.hostname or ""
    netloc = f"{parts.username or ''}:***@{host}" + (f":{parts.port}" if parts.port else "")
    return urlunsplit(parts._replace(netloc=netloc))


def _with_database(url: str, number: int) -> str:
    return urlunsplit(urlsplit(url)._replace(path=f"/{number}"))


class RedisClaim:
    """A Redis database that this run has to itself: it holds REDIS_CLAIM_KEY with our token."""

    def __init__(self, url: str, token: str) -> None:
        import redis

        self.url = url
        self.token = token
        self.client = redis.Redis.from_url(url)

    def flush(self) -> None:
        """Empty the database, keeping it ours."""
        self.client.flushdb()
        self.client.set(REDIS_CLAIM_KEY, self.token, ex=REDIS_CLAIM_SECONDS)

    def release(self) -> None:
        if self.client.get(REDIS_CLAIM_KEY) == self.token.encode():
            self.client.flushdb()
        self.client.close()


def claim_redis_database(url: str = REDIS_URL) -> RedisClaim:
    """The database named in `url`, or the first of TEST_REDIS_DATABASES that no other run holds."""
    token = f"{checkout_id()}:{os.getpid()}:{uuid.uuid4().hex}"
    if urlsplit(url).path.strip("/"):
        claim = RedisClaim(url, token)
        claim.flush()
        return claim
    import redis

    for number in TEST_REDIS_DATABASES:
        candidate = _with_database(url, number)
        client = redis.Redis.from_url(candidate)
        try:
            if client.set(REDIS_CLAIM_KEY, token, nx=True, ex=REDIS_CLAIM_SECONDS):
                claim = RedisClaim(candidate, token)
                claim.flush()
                return claim
        finally:
            client.close()
    raise RuntimeError(
        f"Every Redis database {TEST_REDIS_DATABASES.start}-{TEST_REDIS_DATABASES.stop - 1} of "
        f"{_without_password(url)} is held by another test run (the key {REDIS_CLAIM_KEY}); wait for one to end, "
        "or set TEST_REDIS_URL."
    )


# Processes of the project's own --------------------------------------------------------


def database_url(settings_dict: dict[str, Any]) -> str:
    """A DATABASE_URL for another process, naming the database these settings connect to."""
    credentials = quote(settings_dict["USER"] or "", safe="")
    if settings_dict["PASSWORD"]:
        credentials += ":" + quote(settings_dict["PASSWORD"], safe="")
    host = settings_dict["HOST"] or "127.0.0.1"
    port = f":{settings_dict['PORT']}" if settings_dict["PORT"] else ""
    return f"postgres://{credentials}@{host}{port}/{quote(settings_dict['NAME'], safe='')}"


def clean_environment(**variables: str) -> dict[str, str]:
    """This process's environment without Vigil's settings (nor what a developer exported), plus `variables`."""
    inherited = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(
            ("CELERY_", "ALERTS_", "EMAIL_", "DATABASE_", "REDIS_", "DJANGO_", "VIGIL_", "API_", "AXES_")
        )
    }
    return {**inherited, "PYTHONUNBUFFERED": "1", **variables}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])
