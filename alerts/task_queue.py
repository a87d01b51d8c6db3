"""The alerts' Celery tasks by name, and how the other layers queue them.

The planning layer (dispatch.py) and the signal receivers queue tasks without importing
tasks.py, whose functions call them: the import graph has no cycle. The names are those the
tasks are registered under (tasks.py) and that Celery beat's schedules run (schedules.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Final

IMMEDIATE_INCIDENT: Final = "alerts.tasks.immediate_incident"
IMMEDIATE_ADVISORY: Final = "alerts.tasks.immediate_advisory"
IMMEDIATE_SEND: Final = "alerts.tasks.immediate_send"
DIGEST_START: Final = "alerts.tasks.digest_start"
DIGEST_SEND: Final = "alerts.tasks.digest_send"
DELIVERIES_SWEEP: Final = "alerts.tasks.deliveries_sweep"


def queue(name: str, args: Sequence[Any], *, countdown: int | None = None) -> None:
    """Queue the task registered as `name` (run it at once when tasks run inline).

    Through the registered task rather than `send_task`, so that the embedded default's inline
    mode (CELERY_TASK_ALWAYS_EAGER) applies. AlertsConfig.ready() imports tasks.py, so the
    registry knows the tasks in every process, the web's included.
    """
    from celery import current_app

    options: dict[str, Any] = {} if countdown is None else {"countdown": countdown}
    current_app.tasks[name].apply_async(tuple(args), **options)
