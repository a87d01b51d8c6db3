"""The periodic task Celery beat runs for incidents: the nightly recomputation of the risk index.

Like the alerts' schedules (alerts/schedules.py), it is a row of django-celery-beat's tables, so
staff can move or disable it in the admin; this function only adds it when it is missing, by
name or by task, and never changes one that exists.

It takes an `apps` registry: the running project's by default, the historical one in the data
migration that creates it.
"""

from __future__ import annotations

from typing import Final

from django.apps import apps as global_apps
from django.apps.registry import Apps
from django.db import transaction
from django.utils import timezone

from .tasks import RECOMPUTE_ALL_TASK

RISK_SCHEDULE_NAME: Final = "Recompute the risk index"
# At night in UTC, before the 07:00 digests of Africa and Europe.
RISK_MINUTE: Final = "30"
RISK_HOUR: Final = "2"
RISK_QUEUE: Final = "celery"


def risk_schedule_ensure(*, apps: Apps = global_apps) -> bool:
    """Create the nightly recomputation of every country's risk index if it is missing; say whether it was."""
    periodic_task = apps.get_model("django_celery_beat", "PeriodicTask")
    crontab_schedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    with transaction.atomic():
        manager = periodic_task._default_manager
        if manager.filter(name=RISK_SCHEDULE_NAME).exists() or manager.filter(task=RECOMPUTE_ALL_TASK).exists():
            return False
        fields = {
            "minute": RISK_MINUTE,
            "hour": RISK_HOUR,
            "day_of_week": "*",
            "day_of_month": "*",
            "month_of_year": "*",
            "timezone": "UTC",
        }
        crontab = crontab_schedule._default_manager.filter(**fields).order_by("pk").first()
        crontab = crontab or crontab_schedule._default_manager.create(**fields)
        manager.create(
            name=RISK_SCHEDULE_NAME,
            task=RECOMPUTE_ALL_TASK,
            crontab=crontab,
            queue=RISK_QUEUE,
            description=(
                "Recomputes the risk index of every country and region from its public incidents, so that "
                "incidents age out and the history gets its daily point. Incidents published, corrected or "
                "retracted during the day recompute their country within a minute without it."
            ),
        )
        # Beat reloads its schedule when this row's time changes (the historical models of a
        # migration do not update it on save).
        periodic_tasks = apps.get_model("django_celery_beat", "PeriodicTasks")
        periodic_tasks._default_manager.update_or_create(ident=1, defaults={"last_update": timezone.now()})
    return True
