"""Celery tasks: thin, idempotent, given ids. The work is in dispatch.py and sending.py.

Routing (config/settings.py): immediate_* on the "immediate" queue, digest_* on "digests",
the sweeper on the default queue. Tasks are acknowledged late, so a task whose worker dies
is handed to another; claiming makes that safe.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from celery import shared_task
from django.conf import settings
from django.db import InterfaceError, OperationalError

from . import confirmations, dispatch, sending, services
from .task_queue import (
    CONFIRMATION_SEND,
    DELIVERIES_SWEEP,
    DIGEST_SEND,
    DIGEST_START,
    IMMEDIATE_ADVISORY,
    IMMEDIATE_INCIDENT,
    IMMEDIATE_SEND,
)

# A database that is restarting or failing over: try again shortly, then the sweeper takes over.
# (Every task is idempotent, so running one again is safe.)
ON_DATABASE_LOSS: dict[str, Any] = {
    "autoretry_for": (OperationalError, InterfaceError),
    "retry_backoff": 2,
    "retry_backoff_max": 60,
    "max_retries": 6,
}


def _send(delivery_ids: Sequence[int], *, immediate: bool) -> dict[str, int]:
    report = sending.deliveries_send(delivery_ids)
    if report.retry and not settings.CELERY_TASK_ALWAYS_EAGER:
        # Inline (the embedded default) there is no waiting: the sweeper or the next run retries.
        dispatch.queue_sending(report.retry, immediate=immediate, countdown=report.retry_in)
    return {
        "sent": len(report.sent),
        "failed": len(report.failed),
        "cancelled": len(report.cancelled),
        "retry": len(report.retry),
        "skipped": len(report.skipped),
    }


@shared_task(name=IMMEDIATE_INCIDENT, **ON_DATABASE_LOSS)
def immediate_incident(incident_id: int) -> int:
    alert = dispatch.immediate_alert_plan(incident_id=incident_id)
    return alert.pk if alert else 0


@shared_task(name=IMMEDIATE_ADVISORY, **ON_DATABASE_LOSS)
def immediate_advisory(advisory_id: int) -> int:
    alert = dispatch.immediate_alert_plan(advisory_id=advisory_id)
    return alert.pk if alert else 0


@shared_task(name=IMMEDIATE_SEND, **ON_DATABASE_LOSS)
def immediate_send(delivery_ids: list[int]) -> dict[str, int]:
    return _send(delivery_ids, immediate=True)


@shared_task(name=DIGEST_START, **ON_DATABASE_LOSS)
def digest_start(frequency: str, time_zone: str, now: str | None = None) -> int:
    moment = dt.datetime.fromisoformat(now) if now else None
    return dispatch.digest_run_start(frequency=frequency, time_zone=time_zone, now=moment).pk


@shared_task(name=DIGEST_SEND, **ON_DATABASE_LOSS)
def digest_send(delivery_ids: list[int]) -> dict[str, int]:
    return _send(delivery_ids, immediate=False)


@shared_task(name=CONFIRMATION_SEND, **ON_DATABASE_LOSS)
def immediate_confirmation(subscription_id: int) -> bool:
    return confirmations.confirmation_send(subscription_id=subscription_id)


@shared_task(name=DELIVERIES_SWEEP, **ON_DATABASE_LOSS)
def deliveries_sweep() -> int:
    """Every minute: queue again what lost tasks left pending (confirmations included), and end
    the travelers' requests whose confirmation link expired unused."""
    services.subscriptions_end_unconfirmed()
    return dispatch.deliveries_sweep() + confirmations.confirmations_sweep()
