"""Celery tasks of incidents: the risk index's recomputations. Thin, idempotent, given ids.

A published, corrected or retracted incident asks for its country's recomputation with
`schedule_risk_recompute`, after its transaction commits. Requests are coalesced: the first one
queues the recomputation a minute later, and those that come within that minute ride with it, so
a country is recomputed at most once a minute however many incidents an import publishes. Every
night `recompute_all_risk` recomputes every country (schedules.py).
"""

from __future__ import annotations

import logging
from typing import Any, Final

from celery import shared_task
from django.conf import settings
from django.core.cache import cache
from django.db import InterfaceError, OperationalError

from advisories.models import Country

from .risk.services import risk_recompute, risk_recompute_all

logger = logging.getLogger(__name__)

RECOMPUTE_COUNTRY_TASK: Final = "incidents.tasks.recompute_country_risk"
RECOMPUTE_ALL_TASK: Final = "incidents.tasks.recompute_all_risk"
# A country is recomputed at most once in this many seconds after a change.
COALESCE_SECONDS: Final = 60

# A database that is restarting or failing over: try again shortly (the tasks are idempotent).
ON_DATABASE_LOSS: dict[str, Any] = {
    "autoretry_for": (OperationalError, InterfaceError),
    "retry_backoff": 2,
    "retry_backoff_max": 60,
    "max_retries": 6,
}


@shared_task(name=RECOMPUTE_COUNTRY_TASK, **ON_DATABASE_LOSS)
def recompute_country_risk(country_id: int) -> int:
    """Recompute the country's and its regions' risk; return how many places it has (0: no such country)."""
    # Changes from now on are not seen by this run for sure: they queue the next one.
    cache.delete(_pending_key(country_id))
    country = Country.objects.filter(pk=country_id).first()
    if country is None:
        return 0
    return len(risk_recompute(country=country))


@shared_task(name=RECOMPUTE_ALL_TASK, **ON_DATABASE_LOSS)
def recompute_all_risk() -> int:
    """Every night: recompute every country; return how many rows were written."""
    return sum(len(report.written) for report in risk_recompute_all())


def _pending_key(country_id: int) -> str:
    return f"risk:recompute-pending:{country_id}"


def schedule_risk_recompute(country_id: int) -> bool:
    """Ask for the country's recomputation; True if this call queued one, False if one queued
    within the last minute will do (or the broker could not take it: the nightly run will).

    Inline (CELERY_TASK_ALWAYS_EAGER, the embedded default) nothing waits: every request
    recomputes at once, since a coalesced one would have no later run to ride with.
    """
    task = recompute_country_risk
    if settings.CELERY_TASK_ALWAYS_EAGER:
        task.apply_async((country_id,))
        return True
    key = _pending_key(country_id)
    if not cache.add(key, 1, timeout=COALESCE_SECONDS):
        return False
    try:
        task.apply_async((country_id,), countdown=COALESCE_SECONDS, retry=False)
    except Exception:  # kombu's and redis's errors alike: let the next request try again
        cache.delete(key)
        logger.exception(
            "Could not queue the risk recomputation of country %s; the nightly run will do it.", country_id
        )
        return False
    return True
