"""Planning what to send: digest runs and immediate alerts become pending deliveries.

Planning writes every delivery of an alert in one transaction, and a digest run's in parts of
ALERTS_PLAN_PART subscriptions, one transaction each; each queues its sending after it
commits. A run is unique per frequency, time zone and period, an alert per incident or
advisory, and a delivery per recipient of each: planning the same thing twice writes and
queues nothing more. Sending is `alerts.sending`.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Callable, Iterable, Sequence
from email.utils import make_msgid
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from advisories.models import Advisory
from incidents.access import alike_viewer, red_incident_reporters
from incidents.models import Incident
from incidents.selectors import incidents_visible_to

from . import schedules, task_queue
from .content import Follows, digest_for, follows_prefetch
from .models import (
    DIGEST_FREQUENCIES,
    Delivery,
    DeliveryStatus,
    DigestRun,
    Frequency,
    ImmediateAlert,
    Subscription,
    time_zone_named,
)
from .recipients import subscriptions_recipients

PERIOD_LENGTH = {Frequency.DAILY: dt.timedelta(days=1), Frequency.WEEKLY: dt.timedelta(days=7)}


def new_message_id() -> str:
    """A Message-ID, chosen when a delivery is planned so that every attempt carries the same one."""
    domain = urlsplit(settings.VIGIL_PUBLIC_URL).hostname or "vigil.localhost"
    return make_msgid(idstring="vigil", domain=domain)


def digest_period(*, frequency: str, time_zone: zoneinfo.ZoneInfo | str, now: dt.datetime) -> str:
    """The period `now` falls in, in the subscriber's time zone: "2026-11-23" or "2026-W48"."""
    local = now.astimezone(_zone(time_zone))
    if frequency == Frequency.DAILY:
        return local.date().isoformat()
    year, week, _weekday = local.isocalendar()
    return f"{year}-W{week:02d}"


def _zone(time_zone: zoneinfo.ZoneInfo | str) -> zoneinfo.ZoneInfo:
    zone = time_zone_named(time_zone)
    if zone is None:
        raise ValidationError(_("%(zone)s is not a time zone name.") % {"zone": time_zone})
    return zone


def digest_time_zones(*, frequency: str) -> list[zoneinfo.ZoneInfo]:
    """The time zones of the active subscriptions of this frequency, by name."""
    zones = Subscription.objects.active().filter(frequency=frequency).values_list("time_zone", flat=True)
    return sorted(set(zones), key=str)


def digest_run_start(
    *, frequency: str, time_zone: zoneinfo.ZoneInfo | str, now: dt.datetime | None = None
) -> DigestRun:
    """Start the digest of `now`'s period for the subscriptions of this frequency and time zone.

    Each recipient gets a digest of what changed since their previous one (or, for a first
    digest, in the period before the run), if anything did. Run again for the same period,
    it finds the run already planned and does nothing.
    """
    return digest_run_plan(frequency=frequency, time_zone=time_zone, now=now)[0]


def digest_run_plan(
    *, frequency: str, time_zone: zoneinfo.ZoneInfo | str, now: dt.datetime | None = None
) -> tuple[DigestRun, bool]:
    """digest_run_start, also telling whether this call planned the run (False: another had).

    Two calls at once for one period plan it once: the second waits for the first's lock,
    then finds the run planned."""
    if frequency not in DIGEST_FREQUENCIES:
        raise ValidationError(_("A digest is daily or weekly, not %(frequency)s.") % {"frequency": frequency})
    zone = _zone(time_zone)
    now = now or timezone.now()
    period = digest_period(frequency=frequency, time_zone=zone, now=now)
    with transaction.atomic():
        run, _created = DigestRun.objects.get_or_create(
            frequency=frequency, time_zone=zone, period=period, defaults={"window_end": now}
        )
    planned_here = False
    while True:
        # One part at a time, each in its own short transaction under the run's lock: the
        # e-mails of a part are queued when it commits, while the next part is planned. A
        # planner that dies leaves the rest to the next (see _sweep_unfinished_digests).
        with transaction.atomic():
            run = DigestRun.objects.select_for_update().get(pk=run.pk)
            if run.planned_at is not None:
                return run, planned_here
            _plan_digest_part(run)
            planned_here = True


def _previous_window_ends(run: DigestRun, subscriptions: Sequence[Subscription]) -> dict[int, dt.datetime]:
    """When each subscription's previous digest of this frequency ended, for those that had one."""
    return dict(
        Delivery.objects.filter(
            subscription__in=[s.pk for s in subscriptions],
            run__frequency=run.frequency,
            run__window_end__lt=run.window_end,
        )
        .values("subscription_id")
        .annotate(latest=Max("run__window_end"))
        .values_list("subscription_id", "latest")
    )


def _plan_digest_part(run: DigestRun) -> None:
    """Write the deliveries of the next ALERTS_PLAN_PART subscriptions of the run (by id), and
    queue their sending on commit; when none is left, mark the run planned.

    Recipients who would read the same digest (the same things followed, since the same moment,
    with the same sharing rights: `alike_viewer`) are asked "is there anything for you?" once.
    Their deliveries are written side by side, so that a sending batch holds few distinct
    digests and computes each once (alerts.emails.DeliveryMessages)."""
    subscriptions = list(
        Subscription.objects.active()
        .filter(frequency=run.frequency, time_zone=run.time_zone, pk__gt=run.planned_through)
        .select_related("organisation", "user")
        .prefetch_related(*follows_prefetch())
        .order_by("pk")[: settings.ALERTS_PLAN_PART]
    )
    if not subscriptions:
        run.planned_at = timezone.now()
        run.save(update_fields=["planned_at"])
        return
    previous = _previous_window_ends(run, subscriptions)
    recipients = subscriptions_recipients(subscriptions)
    red_reporters = red_incident_reporters(r.user_id for rs in recipients.values() for r in rs if r.user_id)
    # Each group's deliveries, None for a group with nothing to read; groups in the order met.
    groups: dict[tuple[object, ...], list[Delivery] | None] = {}
    for subscription in subscriptions:
        follows = Follows.of(subscription)
        since = previous.get(subscription.pk) or run.window_end - PERIOD_LENGTH[Frequency(run.frequency)]
        for recipient in recipients[subscription.pk]:
            key = (follows.key, alike_viewer(recipient.viewer, red_reporter_ids=red_reporters), since)
            if key not in groups:
                digest = digest_for(viewer=recipient.viewer, follows=follows, since=since, until=run.window_end)
                groups[key] = None if digest.is_empty else []
            group = groups[key]
            if group is not None:
                group.append(
                    Delivery(
                        subscription=subscription,
                        email=recipient.email,
                        user_id=recipient.user_id,
                        run=run,
                        window_start=since,
                        message_id=new_message_id(),
                    )
                )
    deliveries = Delivery.objects.bulk_create([delivery for group in groups.values() for delivery in group or ()])
    run.planned_through = subscriptions[-1].pk
    run.planning_progress_at = timezone.now()
    run.save(update_fields=["planned_through", "planning_progress_at"])
    queue_sending([d.pk for d in deliveries if d.pk is not None], immediate=False)


def _immediate_subscriptions(*, country_id: int, region_id: int | None, since: dt.datetime) -> Iterable[Subscription]:
    """The immediate subscriptions of the place that were confirmed when the change happened:
    one made afterwards (the demo loader makes both in one transaction) is not told about it."""
    place = Q(countries=country_id)
    if region_id is not None:
        place |= Q(regions=region_id)
    ids = (
        Subscription.objects.active()
        .filter(place, frequency=Frequency.IMMEDIATE, confirmed_at__lte=since)
        .values_list("pk", flat=True)
    )
    return (
        Subscription.objects.filter(pk__in=set(ids))
        .select_related("organisation", "user")
        .prefetch_related(*follows_prefetch())
        .order_by("pk")
    )


def immediate_alert_plan(*, incident_id: int | None = None, advisory_id: int | None = None) -> ImmediateAlert | None:
    """Write the deliveries of an immediate alert about one incident or one advisory change.

    Only the immediate subscriptions that follow the place (and, for an incident, its category
    and severity) get one, and only recipients who may see the incident. Planned once.
    """
    if incident_id is not None and advisory_id is None:
        incident = Incident.objects.select_related("incident_type").filter(pk=incident_id).first()
        if incident is None:
            return None
        return _plan_once(
            {"incident": incident, "kind": ImmediateAlert.Kind.INCIDENT}, lambda a: _plan_incident(a, incident)
        )
    if advisory_id is not None and incident_id is None:
        advisory = Advisory.objects.filter(pk=advisory_id).first()
        if advisory is None:
            return None
        return _plan_once(
            {"advisory": advisory, "kind": ImmediateAlert.Kind.ADVISORY}, lambda a: _plan_advisory(a, advisory)
        )
    raise ValueError("An immediate alert is about one incident or one advisory.")


def immediate_alert_record(*, incident_id: int | None = None, advisory_id: int | None = None) -> None:
    """Note that an alert is due, before its planning is queued (see deliveries_sweep)."""
    if incident_id is not None:
        ImmediateAlert.objects.get_or_create(incident_id=incident_id, defaults={"kind": ImmediateAlert.Kind.INCIDENT})
    elif advisory_id is not None:
        ImmediateAlert.objects.get_or_create(advisory_id=advisory_id, defaults={"kind": ImmediateAlert.Kind.ADVISORY})


def _plan_once(subject: dict[str, Any], plan: Callable[[ImmediateAlert], list[Delivery]]) -> ImmediateAlert:
    with transaction.atomic():
        kind = subject.pop("kind")
        alert, _created = ImmediateAlert.objects.get_or_create(**subject, defaults={"kind": kind})
        alert = ImmediateAlert.objects.select_for_update().get(pk=alert.pk)
        if alert.planned_at is not None:
            return alert
        deliveries = plan(alert)
        alert.planned_at = timezone.now()
        alert.save(update_fields=["planned_at"])
        queue_sending([d.pk for d in deliveries if d.pk is not None], immediate=True)
    return alert


def _plan_incident(alert: ImmediateAlert, incident: Incident) -> list[Delivery]:
    happened = incident.published_at or incident.created_at
    subscriptions = [
        subscription
        for subscription in _immediate_subscriptions(
            country_id=incident.country_id, region_id=incident.region_id, since=happened
        )
        if Follows.of(subscription).covers_incident(incident)
    ]
    recipients = subscriptions_recipients(subscriptions)
    red_reporters = red_incident_reporters(r.user_id for rs in recipients.values() for r in rs if r.user_id)
    sees: dict[object, bool] = {}  # asked once per set of sharing rights
    planned: list[Delivery] = []
    for subscription in subscriptions:
        for recipient in recipients[subscription.pk]:
            rights = alike_viewer(recipient.viewer, red_reporter_ids=red_reporters)
            if rights not in sees:
                sees[rights] = incidents_visible_to(recipient.viewer).filter(pk=incident.pk).exists()
            if sees[rights]:
                planned.append(_immediate_delivery(alert, subscription, recipient.email, recipient.user_id))
    return Delivery.objects.bulk_create(planned)


def _plan_advisory(alert: ImmediateAlert, advisory: Advisory) -> list[Delivery]:
    subscriptions = [
        subscription
        for subscription in _immediate_subscriptions(
            country_id=advisory.country_id, region_id=advisory.region_id, since=advisory.created_at
        )
        if Follows.of(subscription).covers_advisory(advisory)
    ]
    recipients = subscriptions_recipients(subscriptions)
    return Delivery.objects.bulk_create(
        _immediate_delivery(alert, subscription, recipient.email, recipient.user_id)
        for subscription in subscriptions
        for recipient in recipients[subscription.pk]
    )


def _immediate_delivery(alert: ImmediateAlert, subscription: Subscription, email: str, user_id: int | None) -> Delivery:
    return Delivery(subscription=subscription, email=email, user_id=user_id, alert=alert, message_id=new_message_id())


def batches(ids: Sequence[int], size: int) -> list[list[int]]:
    return [list(ids[start : start + size]) for start in range(0, len(ids), size)]


def queue_sending(delivery_ids: Sequence[int], *, immediate: bool, countdown: int | None = None) -> None:
    """Queue the sending tasks once the current transaction commits (at once outside one)."""
    if not delivery_ids:
        return
    name = task_queue.IMMEDIATE_SEND if immediate else task_queue.DIGEST_SEND

    def send(batch: list[int]) -> Callable[[], None]:
        def publish() -> None:
            if task_queue.queue(name, (batch,), countdown=countdown):
                # Only now is it waiting in a queue: the sweeper leaves it alone (see deliveries_sweep).
                Delivery.objects.filter(pk__in=batch, status=DeliveryStatus.PENDING).update(queued_at=timezone.now())

        return publish

    size = settings.ALERTS_BATCH_SIZE if immediate else settings.ALERTS_DIGEST_BATCH_SIZE
    for batch in batches(delivery_ids, size):
        transaction.on_commit(send(batch))


def deliveries_sweep(*, now: dt.datetime | None = None) -> int:
    """Queue again the pending deliveries that are due and whose task is lost.

    A task is lost when the worker holding a delivery died (its claim ran out), when it could
    not be queued at all (the broker was down: `queued_at` is empty), when its queue is empty
    and no worker holds a message (the broker lost it), or when it was queued so long ago that
    the broker must have lost it: ALERTS_IMMEDIATE_REQUEUE_SECONDS for an immediate alert,
    ALERTS_REQUEUE_AFTER_SECONDS (the broker's visibility timeout) for a digest. A digest
    delivery that is only waiting its turn in a queue, however long the queue, is left alone.
    Sending claims each delivery, so one queued twice is sent once.
    """
    now = now or timezone.now()
    grace = now - dt.timedelta(seconds=settings.ALERTS_QUEUE_GRACE_SECONDS)
    lost = (
        Q(claimed_until__isnull=False)
        | Q(queued_at__isnull=True, updated_at__lte=grace)
        | Q(queued_at__lte=now - dt.timedelta(seconds=settings.ALERTS_REQUEUE_AFTER_SECONDS))
        # The immediate queue has a worker of its own and is never long: an alert untouched
        # this long after it was queued lost its task (cut off by a broker outage, say).
        | Q(alert__isnull=False, queued_at__lte=now - dt.timedelta(seconds=settings.ALERTS_IMMEDIATE_REQUEUE_SECONDS))
    )
    # When nothing waits in a queue and nothing is in a worker's hands, a delivery queued
    # there and never claimed was lost with its message: no need to wait the long timeout.
    if task_queue.messages_waiting(task_queue.IMMEDIATE_QUEUE) == 0:
        lost |= Q(alert__isnull=False, queued_at__lte=grace)
    if task_queue.messages_waiting(task_queue.DIGEST_QUEUE) == 0:
        lost |= Q(run__isnull=False, queued_at__lte=grace)
    due = list(
        Delivery.objects.filter(status=DeliveryStatus.PENDING)
        .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lte=now))
        .filter(lost)
        .order_by("pk")
        .values_list("pk", "alert_id")
    )
    immediate = [pk for pk, alert_id in due if alert_id is not None]
    digest = [pk for pk, alert_id in due if alert_id is None]
    queue_sending(immediate, immediate=True)
    queue_sending(digest, immediate=False)
    return (
        len(immediate)
        + len(digest)
        + _sweep_unplanned_alerts(grace)
        + _sweep_unfinished_digests(grace)
        + _sweep_missed_digests(now)
    )


def _sweep_unfinished_digests(lost_after: dt.datetime) -> int:
    """Digest runs whose planning stopped part-way (its worker died) and has not moved since:
    started again, they go on from the first subscription not yet planned."""
    stalled = list(
        DigestRun.objects.filter(planned_at__isnull=True)
        .filter(
            Q(planning_progress_at__lte=lost_after) | Q(planning_progress_at__isnull=True, created_at__lte=lost_after)
        )
        .values_list("frequency", "time_zone", "window_end")
    )
    queued = 0
    for frequency, time_zone, window_end in stalled:
        if task_queue.queue(task_queue.DIGEST_START, (frequency, str(time_zone), window_end.isoformat())):
            queued += 1
    return queued


def _sweep_missed_digests(now: dt.datetime) -> int:
    """Queue the digests whose time came and went without a run: beat could not queue them
    (the broker was down), or no worker took them. Only the latest of each schedule: it covers
    what changed since each recipient's previous digest, however many were missed."""
    grace = dt.timedelta(seconds=settings.ALERTS_QUEUE_GRACE_SECONDS)
    queued = 0
    for digest in schedules.digests_last_due(now=now - grace):
        period = digest_period(frequency=digest.frequency, time_zone=digest.time_zone, now=digest.due)
        if DigestRun.objects.filter(frequency=digest.frequency, time_zone=digest.time_zone, period=period).exists():
            continue
        # Someone was waiting for it: a subscription of that kind that existed when it was due.
        waiting = (
            Subscription.objects.active()
            .filter(frequency=digest.frequency, time_zone=digest.time_zone, created_at__lte=digest.due)
            .exists()
        )
        if waiting and task_queue.queue(
            task_queue.DIGEST_START, (digest.frequency, digest.time_zone, digest.due.isoformat())
        ):
            queued += 1
    return queued


def _sweep_unplanned_alerts(lost_after: dt.datetime) -> int:
    """Alerts recorded but never planned: their planning task was lost."""
    unplanned = list(
        ImmediateAlert.objects.filter(planned_at__isnull=True, created_at__lte=lost_after).values_list(
            "incident_id", "advisory_id"
        )
    )
    for incident_id, advisory_id in unplanned:
        immediate_alert_queue(incident_id=incident_id, advisory_id=advisory_id)
    return len(unplanned)


def immediate_alert_queue(*, incident_id: int | None = None, advisory_id: int | None = None) -> None:
    """Queue the planning of an immediate alert recorded by immediate_alert_record."""
    if incident_id is not None:
        task_queue.queue(task_queue.IMMEDIATE_INCIDENT, (incident_id,))
    elif advisory_id is not None:
        task_queue.queue(task_queue.IMMEDIATE_ADVISORY, (advisory_id,))
