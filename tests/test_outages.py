"""What a request does when a helper service is down: Redis (cache, broker) or the database.

Each against the real thing: a Redis port where nothing listens, a Redis that does not answer
(a socket that accepts and never replies), and the database's own errors raised where a view
meets them. The drills with a whole running stack are in tests/alerts/integration/test_outage_drills.py.
"""

from __future__ import annotations

import logging
import socket
import threading
import time
from collections.abc import Iterator

import pytest
from django.db import OperationalError
from django.test import Client
from django.urls import include, path

from config import urls as config_urls
from config.outage import CircuitBreaker, ResilientRedisCache
from tests.environment import free_port


@pytest.fixture
def silent_redis() -> Iterator[str]:
    """A Redis URL whose server accepts connections and never answers, like a frozen (SIGSTOPped) one."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    accepted: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        listener.settimeout(0.1)
        while not stop.is_set():
            try:
                accepted.append(listener.accept()[0])
            except TimeoutError:
                continue
            except OSError:
                return

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield f"redis://127.0.0.1:{listener.getsockname()[1]}/0"
    finally:
        stop.set()
        thread.join(timeout=2)
        for connection in accepted:
            connection.close()
        listener.close()


def _cache(url: str) -> ResilientRedisCache:
    return ResilientRedisCache(url, {"OPTIONS": {"socket_connect_timeout": 0.3, "socket_timeout": 0.3}})


def test_the_cache_serves_from_this_process_memory_while_redis_refuses_connections(caplog):
    cache = _cache(f"redis://127.0.0.1:{free_port()}/0")

    with caplog.at_level(logging.WARNING, logger="config.outage"):
        cache.set("throttle", [1, 2, 3], 60)
        got = cache.get("throttle")
        missing = cache.get("nothing", "default")

    assert got == [1, 2, 3]
    assert missing == "default"
    assert [r.getMessage() for r in caplog.records].count(caplog.records[0].getMessage()) == 1
    assert "The Redis cache is unreachable" in caplog.records[0].getMessage()


def test_a_frozen_redis_costs_one_call_its_timeout_and_the_next_ones_nothing(silent_redis):
    cache = _cache(silent_redis)

    started = time.monotonic()
    cache.set("a", 1)
    first = time.monotonic() - started
    started = time.monotonic()
    for n in range(50):
        cache.get(f"key-{n}")
    next_fifty = time.monotonic() - started

    assert first < 2.0  # the socket timeout (0.3 s) for connecting or reading, not for ever
    assert next_fifty < first  # the breaker is open: no call waits on Redis again
    assert cache.get("a") == 1


def test_the_cache_goes_back_to_redis_when_it_answers(redis_database):
    cache = _cache(redis_database.url)
    cache.breaker.failed(ConnectionError("down a moment ago"), consequence="")
    cache.breaker._open_until = 0  # the cooldown is over

    cache.set("shared", "in redis", 60)

    other_process_view = _cache(redis_database.url)
    assert other_process_view.get("shared") == "in redis"
    assert cache.breaker.allows()


def test_a_breaker_says_once_that_a_service_is_down_and_once_that_it_is_back(caplog):
    breaker = CircuitBreaker("The thing", cooldown=60)

    with caplog.at_level(logging.WARNING, logger="config.outage"):
        for _ in range(5):
            breaker.failed(ConnectionRefusedError("refused"), consequence="going on without it.")
        assert not breaker.allows()
        breaker.succeeded()
        breaker.succeeded()

    messages = [record.getMessage() for record in caplog.records]
    assert len(messages) == 2
    assert messages[0].startswith("The thing is unreachable (ConnectionRefusedError: refused); going on")
    assert messages[1].startswith("The thing answers again")


def test_the_api_answers_while_the_redis_cache_is_down(db, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "config.outage.ResilientRedisCache",
            "LOCATION": f"redis://127.0.0.1:{free_port()}/0",
            "OPTIONS": {"socket_connect_timeout": 0.3, "socket_timeout": 0.3},
        }
    }
    client = Client()

    answers = [client.get("/api/v1/countries/ml/").status_code for _ in range(5)]

    assert answers == [200] * 5


# Errors no view handled ----------------------------------------------------------------


def _database_gone(request):
    raise OperationalError("server closed the connection unexpectedly")


def _bug(request):
    raise RuntimeError("a bug")


# The project's URLs and its error handler, with three views that fail.
urlpatterns = [
    path("api/v1/database-gone/", _database_gone),
    path("database-gone/", _database_gone),
    path("api/v1/bug/", _bug),
    path("", include("config.urls")),
]
handler500 = config_urls.handler500


@pytest.fixture
def failing_views(settings):
    settings.ROOT_URLCONF = "tests.test_outages"
    settings.DEBUG = False
    client = Client(raise_request_exception=False)
    return client


def test_an_api_error_no_view_handled_is_json(failing_views):
    response = failing_views.get("/api/v1/bug/")

    assert response.status_code == 500
    assert response["Content-Type"] == "application/json"
    assert "logged" in response.json()["detail"]


def test_a_lost_database_is_a_503_to_try_again_in_json_under_the_api(failing_views):
    response = failing_views.get("/api/v1/database-gone/")

    assert response.status_code == 503
    assert response["Retry-After"] == "15"
    assert "cannot reach its database" in response.json()["detail"]


def test_a_lost_database_is_a_503_page_that_reads_nothing_from_it(failing_views):
    # No database for this test: a page that tried to read from it would fail to render.
    response = failing_views.get("/database-gone/")

    assert response.status_code == 503
    assert response["Retry-After"] == "15"
    assert "text/html" in response["Content-Type"]
    assert "send the same form again" in response.content.decode()
