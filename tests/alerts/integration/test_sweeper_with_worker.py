"""The sweeper beside a real worker: a run longer than the lease is not queued twice, and a
digest whose time came while the broker was down goes out once the broker is back."""

from __future__ import annotations

import datetime as dt
import re
import time
import zoneinfo
from collections import Counter

import pytest
import time_machine

from alerts.models import Delivery, DeliveryStatus, DigestRun
from alerts.schedules import digest_schedules_ensure
from alerts.tasks import deliveries_sweep, digest_start
from tests.alerts.integration.parts import WORKER_SETTINGS, Broker, publishing_to, subscribe_to
from tests.factories import IncidentFactory

pytestmark = pytest.mark.integration

BAMAKO = "Africa/Bamako"
RECIPIENTS = 2000


def test_a_run_sent_slower_than_the_lease_is_not_queued_again_by_the_sweeper(
    celery_workers, smtp_sink, celery_broker, digest_subscribers, incident_during, run_at, wait_for
):
    # A lease of 4 s and batches of 10: the 200 tasks of this run take far longer than a lease,
    # and the sweeper runs every half second meanwhile.
    worker = celery_workers.start()
    expected = digest_subscribers(RECIPIENTS)
    incident_during(title="Roadblock on the Ségou road")
    batches = RECIPIENTS // int(WORKER_SETTINGS["ALERTS_BATCH_SIZE"])

    started = time.monotonic()
    digest_start.delay("daily", BAMAKO, run_at.isoformat())
    sweeps = 0
    while Delivery.objects.filter(status=DeliveryStatus.PENDING).exists() or not Delivery.objects.exists():
        deliveries_sweep.delay()
        sweeps += 1
        time.sleep(0.5)
        assert time.monotonic() - started < 600, "the run did not end in 10 minutes"
    took = time.monotonic() - started
    celery_broker.wait_until_idle(timeout=60)

    log = worker.log()
    sends = re.findall(r"Task alerts\.tasks\.digest_send\[[^\]]+\] succeeded in [\d.]+s: (\{[^}]*\})", log)
    assert took > 3 * int(WORKER_SETTINGS["ALERTS_CLAIM_SECONDS"]), f"the run took only {took:.1f} s"
    assert sweeps > 5
    assert Counter(smtp_sink.recipients()) == Counter(expected)
    assert set(Delivery.objects.values_list("attempts", flat=True)) == {1}
    assert len(sends) == batches, f"{len(sends)} sending tasks for {batches} batches"
    assert all("'skipped': 0" in report for report in sends)
    assert re.findall(r"deliveries_sweep\[[^\]]+\] succeeded in [\d.e-]+s: (\d+)", log).count("0") == sweeps


def test_a_digest_due_while_the_broker_was_down_is_sent_when_it_is_back(
    celery_workers, smtp_sink, redis_server, integration_services
):
    with publishing_to(redis_server.url):
        celery_workers.start(REDIS_URL=redis_server.url, ALERTS_QUEUE_GRACE_SECONDS="2")
        zone = _a_zone_past_seven_today()
        local_seven = dt.datetime.combine(
            dt.datetime.now(tz=zoneinfo.ZoneInfo(zone)).date(), dt.time(7), tzinfo=zoneinfo.ZoneInfo(zone)
        )
        # Subscribed two days ago, with news before 07:00 today; the digest of 07:00 today is due.
        with time_machine.travel(local_seven - dt.timedelta(days=2), tick=False):
            subscribe_to(email="late@example.net", frequency="daily", time_zone=zone)
            digest_schedules_ensure(time_zones=[zone])
        with time_machine.travel(local_seven - dt.timedelta(hours=2), tick=False):
            IncidentFactory.create(title="Bridge closed after an attack")
        # At 07:00 the broker was down: beat moved on without queueing the digest. Nothing
        # else remembers it but the schedule and the missing run.
        redis_server.stop()
        time.sleep(1)
        redis_server.start()

        deliveries_sweep.delay()  # the first sweep after the broker came back, as beat sends it every minute

        smtp_sink.wait_for_messages(1, timeout=60)
        run = DigestRun.objects.get(time_zone=zone)
        deliveries_sweep.delay()  # the next sweep finds the run: nothing more
        Broker(redis_server.url).wait_until_idle(timeout=30)
        assert run.window_end == local_seven
        assert smtp_sink.recipients() == ["late@example.net"]
        assert "Bridge closed after an attack" in smtp_sink.messages[0].message.get_body(("plain",)).get_content()


def _a_zone_past_seven_today() -> str:
    """A time zone where it is now between 07:10 and 23:00, so that today's 07:00 digest is due."""
    now = dt.datetime.now(tz=dt.UTC)
    for zone in (
        "Africa/Bamako",
        "Asia/Tokyo",
        "America/New_York",
        "Pacific/Auckland",
        "Asia/Kolkata",
        "America/Denver",
    ):
        local = now.astimezone(zoneinfo.ZoneInfo(zone)).time()
        if dt.time(7, 10) <= local <= dt.time(23, 0):
            return zone
    raise AssertionError("no time zone of the list is between 07:10 and 23:00 now")
