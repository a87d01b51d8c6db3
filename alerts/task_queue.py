"""The alerts' Celery tasks by name, and how the other layers queue them.

The planning layer (dispatch.py) and the signal receivers queue tasks without importing
tasks.py, whose functions call them: the import graph has no cycle. The names are those the
tasks are registered under (tasks.py) and that Celery beat's schedules run (schedules.py).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any, Final

from config.outage import CircuitBreaker

logger = logging.getLogger(__name__)

IMMEDIATE_INCIDENT: Final = "alerts.tasks.immediate_incident"
IMMEDIATE_ADVISORY: Final = "alerts.tasks.immediate_advisory"
IMMEDIATE_SEND: Final = "alerts.tasks.immediate_send"
DIGEST_START: Final = "alerts.tasks.digest_start"
DIGEST_SEND: Final = "alerts.tasks.digest_send"
DELIVERIES_SWEEP: Final = "alerts.tasks.deliveries_sweep"
# On the immediate queue (its name says so to CELERY_TASK_ROUTES): someone is waiting for it.
CONFIRMATION_SEND: Final = "alerts.tasks.immediate_confirmation"

# The queues (CELERY_TASK_ROUTES sends immediate_* and digest_* tasks there).
IMMEDIATE_QUEUE: Final = "immediate"
DIGEST_QUEUE: Final = "digests"
SWEEP_QUEUE: Final = "celery"


# Shared by the threads of a process: after one failed publish the others do not wait on the broker.
broker = CircuitBreaker("The Celery broker", cooldown=5.0)


def queue(name: str, args: Sequence[Any], *, countdown: int | None = None) -> bool:
    """Queue the task registered as `name` (run it at once when tasks run inline); False if the
    broker could not take it.

    Nothing waits on a broker that is down: one try, with the short socket timeouts of the
    settings, and none at all for a few seconds after a failure. What was not queued is in the
    database (an unplanned alert, a delivery never queued), and the sweeper queues it later.

    Through the registered task rather than `send_task`, so that the embedded default's inline
    mode (CELERY_TASK_ALWAYS_EAGER) applies. AlertsConfig.ready() imports tasks.py, so the
    registry knows the tasks in every process, the web's included.
    """
    from celery import current_app

    task = current_app.tasks[name]
    options: dict[str, Any] = {} if countdown is None else {"countdown": countdown}
    if task.app.conf.task_always_eager:
        task.apply_async(tuple(args), **options)
        return True
    if not broker.allows():
        return False
    try:
        task.apply_async(tuple(args), retry=False, **options)
    except Exception as error:  # kombu's and redis's errors alike: the sweeper will queue it
        broker.failed(error, consequence="tasks are left to the sweeper until it answers.")
        return False
    broker.succeeded()
    return True


def messages_waiting(queue_name: str) -> int | None:
    """How many task messages wait in this queue or are held by workers without being
    acknowledged yet (all queues'; Redis keeps those apart). None if the broker cannot say.

    0 means that nothing is on its way: a delivery queued earlier and still untouched was lost
    with its message (a broker restarted without its data, a worker cut off mid-batch).
    """
    from celery import current_app

    if current_app.conf.task_always_eager:
        return None  # no broker: tasks run as they are queued
    from kombu.exceptions import ChannelError

    try:
        with current_app.connection_for_read() as connection:
            channel: Any = connection.default_channel
            try:
                _name, count, _consumers = channel.queue_declare(queue=queue_name, passive=True)
            except ChannelError:  # no such queue: Redis drops an empty one
                count = 0
            unacked_key = getattr(channel, "unacked_key", None)
            in_flight = int(channel.client.hlen(unacked_key)) if unacked_key else 0
    except Exception as error:  # the broker cannot say now; the next sweep asks again
        logger.info("Could not count the messages of queue %s: %s", queue_name, error)
        return None
    return int(count) + in_flight
