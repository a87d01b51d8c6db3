"""Container health checks for Vigil's image, using nothing but Python and the image's packages.

    python docker/healthcheck.py web     # gunicorn answers GET /healthz with 200 (the database answers too)
    python docker/healthcheck.py broker  # the Redis broker at REDIS_URL answers PING (used by celery beat)

Exit status 0 means healthy, 1 unhealthy, as Docker's HEALTHCHECK expects.
"""

from __future__ import annotations

import os
import sys
import urllib.error
import urllib.request


def _allowed_host() -> str:
    # Django answers 400 to a Host it does not allow: ask with the first host the operator allowed.
    hosts = [h.strip() for h in os.environ.get("DJANGO_ALLOWED_HOSTS", "").split(",") if h.strip()]
    host = hosts[0].lstrip(".") if hosts else "localhost"
    return "localhost" if host in ("", "*") else host


def check_web() -> str | None:
    port = os.environ.get("HEALTHCHECK_PORT", "8000")
    request = urllib.request.Request(f"http://127.0.0.1:{port}/healthz", headers={"Host": _allowed_host()})
    try:
        # An http:// address built here, never a scheme from elsewhere.
        with urllib.request.urlopen(request, timeout=4) as response:  # nosec B310
            return None if response.status == 200 else f"/healthz answered {response.status}"
    except urllib.error.HTTPError as exc:
        return f"/healthz answered {exc.code}: {exc.read(300).decode(errors='replace')}"
    except OSError as exc:
        return f"/healthz did not answer: {exc}"


def check_broker() -> str | None:
    import redis

    url = os.environ.get("REDIS_URL", "")
    if not url:
        return "REDIS_URL is not set"
    try:
        redis.Redis.from_url(url, socket_timeout=4, socket_connect_timeout=4).ping()
    except redis.RedisError as exc:
        return f"the broker at {url.split('@')[-1]} did not answer: {exc}"
    return None


CHECKS = {"web": check_web, "broker": check_broker}


def main(argv: list[str]) -> int:
    if len(argv) != 2 or argv[1] not in CHECKS:
        print(f"usage: healthcheck.py {{{'|'.join(CHECKS)}}}", file=sys.stderr)
        return 2
    problem = CHECKS[argv[1]]()
    if problem:
        print(problem, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
