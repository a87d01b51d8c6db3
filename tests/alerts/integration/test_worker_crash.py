"""A worker that dies in the middle of a digest loses no e-mail and sends none twice."""

from __future__ import annotations

import time
from collections import Counter

import pytest

from alerts.models import Delivery, DeliveryStatus
from alerts.tasks import deliveries_sweep, digest_start

pytestmark = pytest.mark.integration

# The worker sends in batches of 10 (ALERTS_BATCH_SIZE): it dies in the first batch, at the 5th.
DIES_AT = 5


def test_a_worker_killed_in_the_middle_of_a_digest_and_restarted_loses_and_repeats_nothing(
    celery_workers, smtp_sink, celery_broker, digest_subscribers, incident_during, run_at, wait_for
):
    expected = digest_subscribers(25)
    incident_during(title="Armed robbery at a checkpoint")
    first = celery_workers.start()
    smtp_sink.stall_at_rcpt(DIES_AT)

    digest_start.delay("daily", "Africa/Bamako", run_at.isoformat())
    assert smtp_sink.stalled.wait(timeout=30), f"The worker never reached the recipient of message {DIES_AT}."
    first.kill()
    smtp_sink.release()

    assert not first.alive
    assert len(smtp_sink.messages) == DIES_AT - 1
    (interrupted,) = Delivery.objects.filter(status=DeliveryStatus.PENDING, attempts=1)
    assert Delivery.objects.filter(status=DeliveryStatus.SENT).count() == DIES_AT - 1
    (dead_batch,) = celery_broker.unacknowledged_task_ids()  # the batch the dead worker was sending

    # The broker hands that batch out again (after its visibility timeout, brought forward
    # here): its first deliveries are sent already, and the interrupted one may still be claimed.
    celery_broker.expire_unacknowledged()
    second = celery_workers.start()
    wait_for(lambda: f"[{dead_batch}] received" in second.log(), what="the dead worker's batch to be handed out again")
    # And what beat does every few minutes, every second: the sweeper queues again whatever is
    # pending, due and no longer claimed. Deliveries queued twice are still sent once.
    next_sweep = time.monotonic()

    def all_sent() -> bool:
        nonlocal next_sweep
        if time.monotonic() >= next_sweep:
            deliveries_sweep.delay()
            next_sweep += 1.0
        return Delivery.objects.filter(status=DeliveryStatus.SENT).count() == 25

    wait_for(all_sent, timeout=45, what="all 25 deliveries to be sent")
    celery_broker.wait_until_idle()

    messages = smtp_sink.messages
    assert Counter(smtp_sink.recipients()) == Counter(expected)
    assert len({m.message_id for m in messages}) == 25
    assert {m.message_id for m in messages} == set(Delivery.objects.values_list("message_id", flat=True))
    interrupted.refresh_from_db()
    assert interrupted.status == DeliveryStatus.SENT
    assert interrupted.attempts == 2
    # Every other delivery was claimed once, though several were queued two or three times.
    assert Counter(Delivery.objects.values_list("attempts", flat=True)) == {1: 24, 2: 1}
    assert [m.rcpt_tos for m in messages].count((interrupted.email,)) == 1
