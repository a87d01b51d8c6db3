"""The confirmation e-mail of a traveler's request: queued when the request commits, sent by a task.

The request's page never waits on the broker or the SMTP server. Sending locks the request's
row while it sends and records `confirmation_sent_at` in the same transaction: a task run twice
sends one e-mail, a request confirmed or ended meanwhile gets none, and a worker that dies while
sending leaves the request unsent. What could not be queued (the broker was down) or sent (the
SMTP server was, or the worker died) is queued again by the sweeper.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from . import task_queue
from .emails import confirmation_message
from .models import Subscription
from .sending import PermanentFailure, classify

logger = logging.getLogger(__name__)


def _unsent() -> QuerySet[Subscription]:
    return Subscription.objects.filter(
        organisation__isnull=True, confirmation_sent_at__isnull=True, confirmed_at__isnull=True, ended_at__isnull=True
    )


def confirmation_queue(subscription_id: int) -> bool:
    """Queue the sending of this request's confirmation; False if the broker could not take it
    (the sweeper queues it later)."""
    return task_queue.queue(task_queue.CONFIRMATION_SEND, (subscription_id,))


def confirmation_send(*, subscription_id: int) -> bool:
    """Send the confirmation e-mail of this request unless it went already, or the request was
    confirmed or ended; True if this call sent it."""
    with transaction.atomic():
        # Another task sending it holds the row: that one sends it.
        subscription = _unsent().select_for_update(skip_locked=True).filter(pk=subscription_id).first()
        if subscription is None:
            return False
        try:
            confirmation_message(subscription).send()
            sent = True
        except Exception as error:
            failure = classify(error)
            if not isinstance(failure, PermanentFailure):
                logger.warning("The confirmation e-mail of subscription %s waits: %s", subscription_id, failure)
                return False
            # The server refused the address for good: asking again every minute would not help.
            logger.warning("The confirmation e-mail of subscription %s was refused: %s", subscription_id, failure)
            sent = False
        Subscription.objects.filter(pk=subscription_id).update(confirmation_sent_at=timezone.now())
    return sent


def confirmations_sweep(*, now: dt.datetime | None = None) -> int:
    """Queue again the confirmations not sent yet of requests that can still be confirmed, once
    their task has had ALERTS_QUEUE_GRACE_SECONDS to run. Returns how many were queued."""
    now = now or timezone.now()
    waiting = _unsent().filter(
        created_at__lte=now - dt.timedelta(seconds=settings.ALERTS_QUEUE_GRACE_SECONDS),
        created_at__gt=now - dt.timedelta(days=settings.ALERTS_CONFIRMATION_DAYS),
    )
    return sum(confirmation_queue(pk) for pk in waiting.order_by("pk").values_list("pk", flat=True))
