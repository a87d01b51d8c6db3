"""The periodic tasks Celery beat runs: digests at 07:00 in each subscriber's time zone, and the sweeper.

They are rows of django-celery-beat's tables (beat runs with its DatabaseScheduler), so staff
can change a digest's time, or disable it, in the admin. The functions here only ever add the
rows that are missing: a schedule that exists, however someone edited it, is left as it is.
An existing schedule is recognised by its name ("Daily digest (Africa/Bamako)") or, if it was
renamed, by the task and keyword arguments it runs. To stop a schedule, disable it: one that
was deleted comes back the next time its time zone is ensured.

Each function takes an `apps` registry: the running project's by default, the historical one
in the data migration 0002_schedules, which creates the sweeper and the UTC digests.
"""

from __future__ import annotations

import datetime as dt
import json
import zoneinfo
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any, Final

from django.apps import apps as global_apps
from django.apps.registry import Apps
from django.db import transaction
from django.utils import timezone

from . import task_queue
from .models import time_zone_named

DIGEST_TASK: Final = task_queue.DIGEST_START
SWEEP_TASK: Final = task_queue.DELIVERIES_SWEEP
DIGEST_QUEUE: Final = task_queue.DIGEST_QUEUE
SWEEP_QUEUE: Final = task_queue.SWEEP_QUEUE
SWEEPER_NAME: Final = "Sweep pending deliveries"
# A sweep that waited this long in the queue is dropped: the next one, a minute later, does its work.
SWEEP_EXPIRES_SECONDS: Final = 60


@dataclass(frozen=True)
class DigestSchedule:
    frequency: str
    label: str
    day_of_week: str  # cron's: "*" every day, "1" Monday


DIGEST_SCHEDULES: Final = (
    DigestSchedule(frequency="daily", label="Daily digest", day_of_week="*"),
    DigestSchedule(frequency="weekly", label="Weekly digest", day_of_week="1"),
)
DIGEST_MINUTE: Final = "0"
DIGEST_HOUR: Final = "7"


def digest_schedule_name(*, frequency: str, time_zone: str) -> str:
    label = next(s.label for s in DIGEST_SCHEDULES if s.frequency == frequency)
    return f"{label} ({time_zone})"


def digest_schedules_ensure(*, time_zones: Iterable[zoneinfo.ZoneInfo | str], apps: Apps = global_apps) -> int:
    """Create the daily and weekly digest schedules missing for these time zones; return how many.

    Raises ValueError, naming it, for a time zone that is not an IANA name.
    """
    zones = sorted({str(zone).strip() for zone in time_zones})
    unknown = [zone for zone in zones if time_zone_named(zone) is None]
    if unknown:
        raise ValueError(f"{', '.join(unknown)} is not a time zone name; use IANA names such as Africa/Bamako or UTC.")
    periodic_task = apps.get_model("django_celery_beat", "PeriodicTask")
    crontab_schedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    created = 0
    with transaction.atomic():
        existing = _existing_digest_schedules(periodic_task)
        for zone in zones:
            for schedule in DIGEST_SCHEDULES:
                name = digest_schedule_name(frequency=schedule.frequency, time_zone=zone)
                if name in existing.names or (schedule.frequency, zone) in existing.runs:
                    continue
                crontab = _crontab(crontab_schedule, day_of_week=schedule.day_of_week, time_zone=zone)
                periodic_task._default_manager.create(
                    name=name,
                    task=DIGEST_TASK,
                    crontab=crontab,
                    kwargs=json.dumps({"frequency": schedule.frequency, "time_zone": zone}),
                    queue=DIGEST_QUEUE,
                    description=(
                        f"Sends the {schedule.frequency} digest to the subscribers in {zone}. Change the crontab "
                        "to send it at another time, or disable this task to stop it; Vigil never overwrites it."
                    ),
                )
                created += 1
        if created:
            _tell_beat(apps)
    return created


def sweeper_schedule_ensure(*, apps: Apps = global_apps) -> bool:
    """Create the every-minute sweeper of pending deliveries if it is missing; say whether it was."""
    periodic_task = apps.get_model("django_celery_beat", "PeriodicTask")
    interval_schedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    with transaction.atomic():
        manager = periodic_task._default_manager
        if manager.filter(name=SWEEPER_NAME).exists() or manager.filter(task=SWEEP_TASK).exists():
            return False
        every_minute = interval_schedule._default_manager.filter(every=1, period="minutes").first()
        if every_minute is None:
            every_minute = interval_schedule._default_manager.create(every=1, period="minutes")
        manager.create(
            name=SWEEPER_NAME,
            task=SWEEP_TASK,
            interval=every_minute,
            queue=SWEEP_QUEUE,
            expire_seconds=SWEEP_EXPIRES_SECONDS,
            description=(
                "Queues again the e-mails that a lost or interrupted task left pending. Keep it enabled: "
                "without it, such e-mails wait until someone runs the sweep by hand."
            ),
        )
        _tell_beat(apps)
    return True


@dataclass(frozen=True)
class DueDigest:
    frequency: str
    time_zone: str
    due: dt.datetime  # the latest moment its schedule fired, or should have


def digests_last_due(*, now: dt.datetime) -> Iterator[DueDigest]:
    """For each enabled digest schedule, the latest moment at or before `now` its crontab names.

    What the sweeper compares with the digest runs that exist: a digest whose time came while
    the broker was down (beat moved on without queueing it) has no run for that moment.
    """
    from django_celery_beat.models import PeriodicTask

    for task in PeriodicTask.objects.filter(task=DIGEST_TASK, enabled=True, crontab__isnull=False).select_related(
        "crontab"
    ):
        try:
            arguments = json.loads(task.kwargs or "{}")
            frequency, time_zone = str(arguments["frequency"]), str(arguments["time_zone"])
        except (json.JSONDecodeError, KeyError, TypeError):
            continue  # an edit beat cannot run either; the admin shows it
        assert task.crontab is not None
        due = _crontab_last_due(task.crontab.schedule, zoneinfo.ZoneInfo(str(task.crontab.timezone)), now)
        if due is not None:
            yield DueDigest(frequency=frequency, time_zone=time_zone, due=due)


def _crontab_last_due(schedule: Any, zone: zoneinfo.ZoneInfo, now: dt.datetime) -> dt.datetime | None:
    """The latest minute at or before `now` that a Celery crontab (its expanded sets) names, within 5 weeks."""
    local = now.astimezone(zone)
    for days_back in range(36):
        day = local.date() - dt.timedelta(days=days_back)
        if (
            day.month not in schedule.month_of_year
            or day.day not in schedule.day_of_month
            or day.isoweekday() % 7 not in schedule.day_of_week  # cron counts from Sunday, 0
        ):
            continue
        for hour in sorted(schedule.hour, reverse=True):
            for minute in sorted(schedule.minute, reverse=True):
                moment = dt.datetime.combine(day, dt.time(hour, minute), tzinfo=zone)
                if moment <= local:
                    return moment.astimezone(dt.UTC)
    return None


@dataclass(frozen=True)
class _Existing:
    names: frozenset[str]
    runs: frozenset[tuple[str, str]]  # (frequency, time zone) of the digests already scheduled


def _existing_digest_schedules(periodic_task: Any) -> _Existing:
    names = set(periodic_task._default_manager.values_list("name", flat=True))
    runs = set()
    for kwargs in periodic_task._default_manager.filter(task=DIGEST_TASK).values_list("kwargs", flat=True):
        try:
            arguments = json.loads(kwargs or "{}")
        except json.JSONDecodeError:
            continue  # an edit beat cannot run either; the admin shows it
        if isinstance(arguments, dict):
            runs.add((str(arguments.get("frequency")), str(arguments.get("time_zone"))))
    return _Existing(names=frozenset(names), runs=frozenset(runs))


def _crontab(crontab_schedule: Any, *, day_of_week: str, time_zone: str) -> Any:
    fields = {
        "minute": DIGEST_MINUTE,
        "hour": DIGEST_HOUR,
        "day_of_week": day_of_week,
        "day_of_month": "*",
        "month_of_year": "*",
        "timezone": time_zone,
    }
    crontab = crontab_schedule._default_manager.filter(**fields).order_by("pk").first()
    return crontab or crontab_schedule._default_manager.create(**fields)


def _tell_beat(apps: Apps) -> None:
    # Beat reloads its schedule when this row's time changes. The running project's models
    # update it on save; the historical ones of a migration do not, hence this.
    periodic_tasks = apps.get_model("django_celery_beat", "PeriodicTasks")
    periodic_tasks._default_manager.update_or_create(ident=1, defaults={"last_update": timezone.now()})
