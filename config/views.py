"""Views of the whole site: health, and the answers to errors no view handled."""

from __future__ import annotations

import logging
import sys

from django.db import InterfaceError, OperationalError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import requires_csrf_token

logger = logging.getLogger(__name__)

# How long a client is told to wait when the database is unreachable (a restart, a failover).
RETRY_AFTER_SECONDS = 15


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness and readiness for load balancers and compose health checks: the database answers."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception as exc:  # any database failure means "not ready"
        return JsonResponse({"status": "error", "database": str(exc)}, status=503)
    return JsonResponse({"status": "ok"})


def _database_unavailable(error: BaseException | None) -> bool:
    """A lost or refused database connection (Django's wrapping of the driver's), not a wrong query."""
    return isinstance(error, (OperationalError, InterfaceError))


@requires_csrf_token
def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: JSON under /api/ like every other API error; 503 with Retry-After while the
    database is unreachable, so that clients and proxies try again instead of giving up.

    Renders nothing that needs the database: the page of an outage must not fail in its turn.
    """
    error = sys.exc_info()[1]
    unavailable = _database_unavailable(error)
    status = 503 if unavailable else 500
    if unavailable:
        logger.warning("The database is unreachable: answered %s %s with 503 (%s)", request.method, request.path, error)
        message = _("Vigil cannot reach its database for a moment; try again shortly.")
    else:
        message = _("Something went wrong on our side. The error has been logged; please try again in a few minutes.")
    if request.path.startswith("/api/"):
        response: HttpResponse = JsonResponse({"detail": message}, status=status)
    else:
        page = loader.get_template("503.html" if unavailable else "500.html")
        response = HttpResponse(page.render({"message": message}, request), status=status)
    if unavailable:
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response
