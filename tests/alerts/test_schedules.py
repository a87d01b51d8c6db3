"""Celery beat's schedules for alerts: created where missing, never overwritten, read by beat."""

import datetime as dt
import inspect
import json
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django_celery_beat import schedulers
from django_celery_beat.models import CrontabSchedule, PeriodicTask, PeriodicTasks

from advisories.models import Country
from alerts import tasks
from alerts.models import EndReason, Frequency, Subscription
from alerts.schedules import SWEEPER_NAME, digest_schedules_ensure, sweeper_schedule_ensure
from config.celery import app as celery_app

pytestmark = pytest.mark.django_db


def digest_tasks() -> dict[str, PeriodicTask]:
    return {t.name: t for t in PeriodicTask.objects.filter(task="alerts.tasks.digest_start").select_related("crontab")}


def _crontab_fields(task: PeriodicTask) -> tuple[str, str, str, str, str, str]:
    crontab = task.crontab
    assert crontab is not None
    return (
        crontab.minute,
        crontab.hour,
        crontab.day_of_week,
        crontab.day_of_month,
        crontab.month_of_year,
        str(crontab.timezone),
    )


def test_the_migration_scheduled_the_sweeper_every_minute_and_the_utc_digests():
    sweeper = PeriodicTask.objects.select_related("interval").get(name=SWEEPER_NAME)
    assert sweeper.task == "alerts.tasks.deliveries_sweep"
    assert sweeper.interval is not None
    assert (sweeper.interval.every, sweeper.interval.period) == (1, "minutes")
    assert sweeper.queue == "celery" and sweeper.enabled
    scheduled = digest_tasks()
    assert set(scheduled) == {"Daily digest (UTC)", "Weekly digest (UTC)"}
    assert _crontab_fields(scheduled["Daily digest (UTC)"]) == ("0", "7", "*", "*", "*", "UTC")
    assert _crontab_fields(scheduled["Weekly digest (UTC)"]) == ("0", "7", "1", "*", "*", "UTC")


def test_it_schedules_a_daily_and_a_weekly_digest_at_seven_in_the_time_zone():
    assert digest_schedules_ensure(time_zones=["Africa/Bamako", "Asia/Kathmandu", "Africa/Bamako"]) == 4
    scheduled = digest_tasks()
    for zone in ("Africa/Bamako", "Asia/Kathmandu"):
        daily, weekly = scheduled[f"Daily digest ({zone})"], scheduled[f"Weekly digest ({zone})"]
        assert _crontab_fields(daily) == ("0", "7", "*", "*", "*", zone)
        assert _crontab_fields(weekly) == ("0", "7", "1", "*", "*", zone)  # Mondays
        assert json.loads(daily.kwargs) == {"frequency": "daily", "time_zone": zone}
        assert json.loads(weekly.kwargs) == {"frequency": "weekly", "time_zone": zone}
        assert daily.queue == weekly.queue == "digests"
        assert daily.enabled and weekly.enabled


def test_the_scheduled_arguments_fit_the_digest_task():
    digest_schedules_ensure(time_zones=["Africa/Bamako"])
    for task in digest_tasks().values():
        assert task.task == tasks.digest_start.name
        inspect.signature(tasks.digest_start.run).bind(*json.loads(task.args), **json.loads(task.kwargs))
    sweeper = PeriodicTask.objects.get(name=SWEEPER_NAME)
    assert sweeper.task == tasks.deliveries_sweep.name
    inspect.signature(tasks.deliveries_sweep.run).bind(*json.loads(sweeper.args), **json.loads(sweeper.kwargs))


def test_a_second_call_creates_nothing():
    assert digest_schedules_ensure(time_zones=["Africa/Bamako"]) == 2
    before = list(PeriodicTask.objects.order_by("pk").values())
    crontabs = CrontabSchedule.objects.count()
    assert digest_schedules_ensure(time_zones=["Africa/Bamako", "UTC"]) == 0
    assert sweeper_schedule_ensure() is False
    assert list(PeriodicTask.objects.order_by("pk").values()) == before
    assert CrontabSchedule.objects.count() == crontabs


def test_an_hour_edited_in_the_admin_is_not_overwritten():
    digest_schedules_ensure(time_zones=["Africa/Bamako"])
    daily = PeriodicTask.objects.get(name="Daily digest (Africa/Bamako)")
    assert daily.crontab is not None
    # What saving the crontab's change form in the admin does.
    daily.crontab.minute, daily.crontab.hour = "30", "6"
    daily.crontab.full_clean()
    daily.crontab.save()

    assert digest_schedules_ensure(time_zones=["Africa/Bamako"]) == 0
    daily.refresh_from_db()
    assert daily.crontab is not None
    assert (daily.crontab.minute, daily.crontab.hour) == ("30", "6")
    assert PeriodicTask.objects.filter(task="alerts.tasks.digest_start", kwargs__contains="Africa/Bamako").count() == 2


def test_a_renamed_or_disabled_digest_schedule_is_left_as_it_is():
    digest_schedules_ensure(time_zones=["Africa/Bamako"])
    PeriodicTask.objects.filter(name="Daily digest (Africa/Bamako)").update(name="Bamako morning digest")
    PeriodicTask.objects.filter(name="Weekly digest (Africa/Bamako)").update(enabled=False)
    assert digest_schedules_ensure(time_zones=["Africa/Bamako"]) == 0
    assert set(digest_tasks()) == {
        "Daily digest (UTC)",
        "Weekly digest (UTC)",
        "Bamako morning digest",
        "Weekly digest (Africa/Bamako)",
    }
    assert not PeriodicTask.objects.get(name="Weekly digest (Africa/Bamako)").enabled


def test_a_deleted_digest_schedule_comes_back():
    digest_schedules_ensure(time_zones=["Africa/Bamako"])
    PeriodicTask.objects.get(name="Weekly digest (Africa/Bamako)").delete()
    assert digest_schedules_ensure(time_zones=["Africa/Bamako"]) == 1
    assert "Weekly digest (Africa/Bamako)" in digest_tasks()


def test_an_unknown_time_zone_is_refused_by_name_and_nothing_is_created():
    before = PeriodicTask.objects.count()
    with pytest.raises(ValueError, match=r"Mars/Olympus_Mons is not a time zone name"):
        digest_schedules_ensure(time_zones=["Africa/Bamako", "Mars/Olympus_Mons"])
    assert PeriodicTask.objects.count() == before


def test_with_the_migrations_models_it_also_tells_beat_to_reload():
    # The historical models of a migration do not update beat's change marker on save.
    historical = MigrationExecutor(connection).loader.project_state(("alerts", "0002_schedules")).apps
    PeriodicTask.objects.filter(name=SWEEPER_NAME).delete()
    PeriodicTasks.objects.update(last_update=dt.datetime(2000, 1, 1, tzinfo=dt.UTC))
    assert sweeper_schedule_ensure(apps=historical) is True
    assert digest_schedules_ensure(time_zones=["Pacific/Auckland"], apps=historical) == 2
    assert PeriodicTask.objects.filter(name=SWEEPER_NAME).exists()
    last_change = PeriodicTasks.last_change()
    assert last_change is not None and last_change.year > 2000


def test_beat_reads_the_digests_in_their_own_time_zones(monkeypatch):
    # Beat closes "old" connections between reads; inside the test's transaction that would
    # close the transaction itself.
    monkeypatch.setattr(schedulers, "close_old_connections", lambda: None)
    digest_schedules_ensure(time_zones=["Africa/Bamako", "Europe/Paris"])
    yesterday = dt.datetime(2026, 11, 22, 7, 5, tzinfo=dt.UTC)
    # Monday 23 November, 06:30 UTC: 06:30 in Bamako, 07:30 in Paris.
    with time_machine.travel(dt.datetime(2026, 11, 23, 6, 30, tzinfo=dt.UTC), tick=False):
        scheduler = schedulers.DatabaseScheduler(app=celery_app)
        # Otherwise it writes its entries back when garbage-collected, during some later test.
        scheduler._finalize.cancel()
        schedule = scheduler.schedule
        bamako, paris = schedule["Daily digest (Africa/Bamako)"], schedule["Daily digest (Europe/Paris)"]
        assert bamako.kwargs == {"frequency": "daily", "time_zone": "Africa/Bamako"}
        assert bamako.options["queue"] == "digests"
        bamako_due, bamako_next = bamako.schedule.is_due(yesterday)
        paris_due, _paris_next = paris.schedule.is_due(yesterday)
    assert not bamako_due and bamako_next == pytest.approx(30 * 60, abs=1)
    assert paris_due


def test_the_command_schedules_the_time_zones_of_active_digest_subscriptions():
    mali = Country.objects.get(code="ML")
    now = dt.datetime(2026, 11, 22, tzinfo=dt.UTC)
    for email, zone, frequency, ended in [
        ("a@example.net", "Asia/Kathmandu", Frequency.DAILY, False),
        ("b@example.net", "America/La_Paz", Frequency.WEEKLY, True),
        ("c@example.net", "Asia/Tokyo", Frequency.IMMEDIATE, False),
    ]:
        subscription = Subscription.objects.create(
            email=email,
            frequency=frequency,
            time_zone=zone,
            confirmed_at=now,
            ended_at=now if ended else None,
            end_reason=EndReason.UNSUBSCRIBED if ended else "",
        )
        subscription.countries.set([mali])
    out = StringIO()
    call_command("ensure_schedules", stdout=out)
    assert "Created: 2 digest schedule(s) for Asia/Kathmandu, at 07:00 there." in out.getvalue()
    assert f"Already scheduled: {SWEEPER_NAME}." in out.getvalue()
    assert {"Daily digest (Asia/Kathmandu)", "Weekly digest (Asia/Kathmandu)"} <= set(digest_tasks())
    assert not any("La_Paz" in name or "Tokyo" in name for name in digest_tasks())

    out = StringIO()
    call_command("ensure_schedules", stdout=out)
    assert out.getvalue().splitlines() == [
        f"Already scheduled: {SWEEPER_NAME}.",
        "Already scheduled: the digests for Asia/Kathmandu.",
    ]


def test_the_command_brings_back_a_deleted_sweeper():
    PeriodicTask.objects.filter(name=SWEEPER_NAME).delete()
    out = StringIO()
    call_command("ensure_schedules", stdout=out)
    assert f"Created: {SWEEPER_NAME} (every minute)." in out.getvalue()
    assert "No active daily or weekly subscriptions" in out.getvalue()
    assert PeriodicTask.objects.filter(name=SWEEPER_NAME, task="alerts.tasks.deliveries_sweep").exists()
