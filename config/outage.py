"""Going on while a helper service is down: a circuit breaker, and a cache that survives Redis.

Redis holds two things for Vigil, and neither may stop a request: the cache (an optimisation)
and the Celery broker (the database is the outbox; the sweeper queues what could not be).
A call to a service that is down fails after a short socket timeout; the breaker then lets no
call through for a few seconds, so that an outage costs one request a timeout, not every one,
and the log says once that the service is down and once that it is back.
"""

from __future__ import annotations

import functools
import logging
import threading
import time
from collections.abc import Callable
from typing import Any, TypeVar

from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache, RedisCacheClient

logger = logging.getLogger(__name__)

T = TypeVar("T")


class CircuitBreaker:
    """Open for `cooldown` seconds after a failure: callers skip the service meanwhile."""

    def __init__(self, name: str, *, cooldown: float = 5.0) -> None:
        self.name = name
        self.cooldown = cooldown
        self._open_until = 0.0
        self._down_since: float | None = None
        self._lock = threading.Lock()

    def allows(self) -> bool:
        return time.monotonic() >= self._open_until

    def failed(self, error: BaseException, *, consequence: str) -> None:
        with self._lock:
            first = self._down_since is None
            now = time.monotonic()
            self._open_until = now + self.cooldown
            if first:
                self._down_since = now
        if first:
            logger.warning("%s is unreachable (%s: %s); %s", self.name, type(error).__name__, error, consequence)

    def succeeded(self) -> None:
        if self._down_since is None:
            return
        with self._lock:
            since, self._down_since = self._down_since, None
        if since is not None:
            logger.warning("%s answers again, after %.0f s.", self.name, time.monotonic() - since)


def _redis_errors() -> tuple[type[BaseException], ...]:
    import redis

    return (redis.RedisError, OSError)


# The cache methods that reach Redis; each falls back to the local cache when Redis fails.
_CACHE_METHODS = (
    "add",
    "get",
    "set",
    "touch",
    "delete",
    "get_many",
    "has_key",
    "incr",
    "set_many",
    "delete_many",
    "clear",
)


class ReusingRedisCacheClient(RedisCacheClient):
    """Django's Redis cache client, keeping one redis.Redis per connection pool.

    Django builds a new redis.Redis for every cache operation, and building one (its table of
    response callbacks) costs about 0.3 ms: more than the round trip to Redis on this host, and
    most of a cached page's time. redis.Redis is safe to share between threads.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, Any] = {}

    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        # The pool chosen once (a read may go to any replica), its client by the pool itself.
        pool = self._get_connection_pool(write)  # type: ignore[attr-defined]
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)  # type: ignore[attr-defined]
        return client


class ResilientRedisCache(RedisCache):
    """Django's Redis cache, with this process's memory standing in while Redis is unreachable.

    DRF's throttling keeps counting (per process) and pages keep their cached parts instead of
    answering 500. Set short socket timeouts in OPTIONS: a frozen Redis then costs one request
    that long, and the breaker spares the others.
    """

    def __init__(self, server: str, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = ReusingRedisCacheClient
        self.breaker = CircuitBreaker("The Redis cache", cooldown=float(params.get("BREAKER_SECONDS", 5.0)))
        self.fallback = LocMemCache(f"vigil-cache-fallback-{id(self)}", {"TIMEOUT": params.get("TIMEOUT", 300)})
        for name in _CACHE_METHODS:
            setattr(self, name, self._resilient(name))

    def _resilient(self, name: str) -> Callable[..., Any]:
        through_redis = getattr(super(), name)
        locally = getattr(self.fallback, name)

        @functools.wraps(through_redis)
        def call(*args: Any, **kwargs: Any) -> Any:
            if self.breaker.allows():
                try:
                    result = through_redis(*args, **kwargs)
                except _redis_errors() as error:
                    self.breaker.failed(error, consequence="this process caches in its own memory meanwhile.")
                else:
                    self.breaker.succeeded()
                    return result
            return locally(*args, **kwargs)

        return call
