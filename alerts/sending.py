"""Sending pending deliveries: each claimed, sent over one SMTP connection per batch, recorded.

A delivery is claimed by a conditional UPDATE that only one worker can win: it must be
pending, due, and not held by a live claim (a lease of ALERTS_CLAIM_SECONDS). If the worker
dies while holding it, the lease runs out and the sweeper queues it again. Each attempt
counts. After the SMTP server accepts the message the delivery is marked sent at once. If the
database is lost at that very moment, the mark is written to the cache (Redis in production) instead,
and whoever claims the delivery next finds it there and records it as sent without sending it again.

SMTP answers decide what happens next:
- 2xx: sent.
- 4xx, a lost or refused connection, a timeout: still pending, tried again after a backoff
  (ALERTS_RETRY_BASE_SECONDS doubled at each attempt, at most an hour), and failed after
  ALERTS_MAX_ATTEMPTS attempts.
- 5xx: failed at once, with the server's answer; a permanent refusal is not retried.

When the server cannot be reached at all (refused or lost connection, timeout, refused login),
the batch stops there: the delivery being sent counts an attempt, the rest of the batch is put
back untried, without one, to be tried after the same wait. An outage of the SMTP server then
costs one attempt per batch and per wait, not one per queued e-mail.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
import smtplib
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache
from django.core.mail import get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.db import connection as database
from django.db.models import F, Q
from django.utils import timezone

from .emails import DeliveryMessages, NothingToSend
from .models import Delivery, DeliveryStatus

logger = logging.getLogger(__name__)

MAX_BACKOFF = dt.timedelta(hours=1)
# How long the note "this delivery was sent" outlives a database that could not record it.
SENT_NOTE_SECONDS = 7 * 24 * 3600
ERROR_MAX = 1000


@dataclass
class SendReport:
    sent: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)
    cancelled: list[int] = field(default_factory=list)
    retry: list[int] = field(default_factory=list)
    skipped: list[int] = field(default_factory=list)
    retry_in: int | None = None  # seconds until the earliest retry


class PermanentFailure(Exception):
    pass


class TransientFailure(Exception):
    pass


def classify(error: Exception) -> Exception:
    """Permanent (5xx) or transient (4xx, connection trouble, anything unexpected)."""
    code: int | None = None
    if isinstance(error, smtplib.SMTPRecipientsRefused) and error.recipients:
        code = next(iter(error.recipients.values()))[0]
    elif isinstance(error, smtplib.SMTPResponseException):
        code = error.smtp_code
    text = f"{type(error).__name__}: {error}"[:ERROR_MAX]
    # A refused login is the operator's to fix; the mail should wait for it, not be lost.
    if code is not None and 500 <= code < 600 and not isinstance(error, smtplib.SMTPAuthenticationError):
        return PermanentFailure(text)
    return TransientFailure(text)


@functools.cache
def _claim_sql(vendor: str) -> str:
    """The claim as one UPDATE that says what it did (RETURNING: PostgreSQL, SQLite 3.35 and later).

    On PostgreSQL the claim need not wait for the disk: a claim lost in a crash only lets another
    worker claim the delivery sooner, and the mark "sent" that may follow it commits
    synchronously, which writes this claim to disk first (the log is written in order). The
    statement says so itself, for its own transaction (set_config(..., true) is SET LOCAL), so
    that the claim is one statement and one round trip to the database."""
    name = {field.name: database.ops.quote_name(field.column) for field in Delivery._meta.concrete_fields}
    table = database.ops.quote_name(Delivery._meta.db_table)
    asynchronous = "FROM (SELECT set_config('synchronous_commit', 'off', true)) AS asynchronous "
    return (
        f"UPDATE {table} SET {name['claimed_until']} = %s, "  # nosec B608  # names from the model
        f"{name['attempts']} = {name['attempts']} + 1, {name['updated_at']} = %s "
        f"{asynchronous if vendor == 'postgresql' else ''}"
        f"WHERE {name['id']} = %s AND {name['status']} = %s "
        f"AND ({name['claimed_until']} IS NULL OR {name['claimed_until']} <= %s) "
        f"AND ({name['next_attempt_at']} IS NULL OR {name['next_attempt_at']} <= %s) "
        f"RETURNING {name['attempts']}"
    )


def _claim(pk: int, now: dt.datetime) -> int | None:
    """Claim the delivery if it is pending, due and held by no live claim: its attempts, counting
    this one, or None if another worker holds it or it is not due. One statement, so only one
    worker can win it."""
    moment = database.ops.adapt_datetimefield_value(now)
    lease = database.ops.adapt_datetimefield_value(now + dt.timedelta(seconds=settings.ALERTS_CLAIM_SECONDS))
    with database.cursor() as cursor:
        cursor.execute(_claim_sql(database.vendor), [lease, moment, pk, DeliveryStatus.PENDING.value, moment, moment])
        row = cursor.fetchone()
    return int(row[0]) if row else None


def _finish(pk: int, **changes: object) -> None:
    Delivery.objects.filter(pk=pk, status=DeliveryStatus.PENDING).update(
        claimed_until=None, updated_at=timezone.now(), **changes
    )


def _sent_note_key(pk: int) -> str:
    return f"alerts:delivery-sent:{pk}"


def _record_sent(pk: int, *, sent_at: dt.datetime, subject: str) -> None:
    """Mark the delivery sent; if the database cannot take it now, leave a note in the cache first, so
    that the next claim of the delivery records it rather than sending the e-mail a second time."""
    try:
        _finish(pk, status=DeliveryStatus.SENT, sent_at=sent_at, subject=subject, last_error="")
    except Exception:
        cache.set(_sent_note_key(pk), {"sent_at": sent_at.isoformat(), "subject": subject}, SENT_NOTE_SECONDS)
        raise


def _sent_before(pk: int) -> bool:
    """Whether an earlier attempt sent this (just claimed) delivery but could not record it: if so,
    record it now, as of when it was sent."""
    note = cache.get(_sent_note_key(pk))
    if not note:
        return False
    _finish(
        pk,
        status=DeliveryStatus.SENT,
        sent_at=dt.datetime.fromisoformat(note["sent_at"]),
        subject=note["subject"],
        last_error="",
        attempts=F("attempts") - 1,  # the claim that only recorded it sent nothing
    )
    cache.delete(_sent_note_key(pk))
    return True


def backoff(attempts: int) -> dt.timedelta:
    seconds = settings.ALERTS_RETRY_BASE_SECONDS * 2 ** max(attempts - 1, 0)
    return min(dt.timedelta(seconds=seconds), MAX_BACKOFF)


def server_unavailable(error: Exception) -> bool:
    """Whether the error is about the SMTP server as a whole, rather than about one message."""
    whole = (
        smtplib.SMTPServerDisconnected,
        smtplib.SMTPConnectError,
        smtplib.SMTPHeloError,
        smtplib.SMTPAuthenticationError,
        smtplib.SMTPNotSupportedError,
    )
    if isinstance(error, whole):
        return True
    # Socket errors (refused, reset, timed out, no route) are OSErrors; SMTP answers are too.
    return isinstance(error, OSError) and not isinstance(error, smtplib.SMTPException)


def deliveries_send(delivery_ids: Sequence[int]) -> SendReport:
    """Send each of these deliveries that is still pending and due, once.

    The batch's deliveries are read in one query and their messages built together
    (`DeliveryMessages`: each distinct content once); each is still claimed, sent and recorded
    on its own, so a worker that dies mid-batch leaves the rest to be sent by another."""
    report = SendReport()
    connection: BaseEmailBackend | None = None
    deliveries = Delivery.objects.select_related(
        "subscription__organisation", "user", "run", "alert__advisory__country", "alert__advisory__region"
    ).in_bulk(delivery_ids)
    messages = DeliveryMessages(list(deliveries.values()))
    try:
        for position, pk in enumerate(delivery_ids):
            attempts = _claim(pk, timezone.now())
            if attempts is None or pk not in deliveries:
                report.skipped.append(pk)
                continue
            # Only an attempt that claimed the delivery leaves a note: a first claim has none to read.
            if attempts > 1 and _sent_before(pk):
                report.sent.append(pk)
                continue
            delivery = deliveries[pk]
            delivery.attempts = attempts
            try:
                message = messages.message(delivery)
            except NothingToSend as reason:
                _finish(pk, status=DeliveryStatus.CANCELLED, last_error=str(reason))
                report.cancelled.append(pk)
                continue
            except Exception as error:  # a bug in a template must not hold the batch
                logger.exception("Could not build delivery %s", pk)
                _retry_or_fail(delivery, TransientFailure(f"{type(error).__name__}: {error}"[:ERROR_MAX]), report)
                continue
            try:
                if connection is None:
                    connection = get_connection(fail_silently=False)
                    connection.open()
                message.connection = connection
                connection.send_messages([message])
            except Exception as error:
                failure = classify(error)
                logger.warning("Delivery %s to %s: %s", pk, delivery.email, failure)
                # The connection may be in any state after an error: start a new one.
                _close(connection)
                connection = None
                if isinstance(failure, PermanentFailure):
                    _finish(pk, status=DeliveryStatus.FAILED, last_error=str(failure))
                    report.failed.append(pk)
                else:
                    _retry_or_fail(delivery, failure, report)
                if server_unavailable(error):
                    _put_back_untried(delivery_ids[position + 1 :], report, wait=backoff(delivery.attempts))
                    break
                continue
            _record_sent(pk, sent_at=timezone.now(), subject=message.subject[:255])
            report.sent.append(pk)
    finally:
        _close(connection)
    return report


def _put_back_untried(delivery_ids: Sequence[int], report: SendReport, *, wait: dt.timedelta) -> None:
    """The rest of a batch the server could not take: due again after `wait` (the failed
    delivery's backoff), attempts unchanged, and no longer queued (the caller queues them again)."""
    if not delivery_ids:
        return
    untried = list(
        Delivery.objects.filter(pk__in=delivery_ids, status=DeliveryStatus.PENDING)
        .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lte=timezone.now()))
        .values_list("pk", flat=True)
    )
    Delivery.objects.filter(pk__in=untried).update(
        next_attempt_at=timezone.now() + wait, queued_at=None, updated_at=timezone.now()
    )
    report.retry.extend(untried)
    seconds = int(wait.total_seconds()) + 1
    report.retry_in = seconds if report.retry_in is None else min(report.retry_in, seconds)


def _retry_or_fail(delivery: Delivery, failure: Exception, report: SendReport) -> None:
    attempts = delivery.attempts
    if attempts >= settings.ALERTS_MAX_ATTEMPTS:
        _finish(
            delivery.pk,
            status=DeliveryStatus.FAILED,
            last_error=f"Gave up after {attempts} attempts. Last error: {failure}"[:ERROR_MAX],
        )
        report.failed.append(delivery.pk)
        return
    wait = backoff(attempts)
    _finish(delivery.pk, next_attempt_at=timezone.now() + wait, last_error=str(failure), queued_at=None)
    report.retry.append(delivery.pk)
    seconds = int(wait.total_seconds()) + 1
    report.retry_in = seconds if report.retry_in is None else min(report.retry_in, seconds)


def _close(connection: BaseEmailBackend | None) -> None:
    if connection is None:
        return
    try:
        connection.close()
    except Exception:  # closing a broken connection may fail again; it is gone either way
        logger.debug("Closing the SMTP connection failed", exc_info=True)
