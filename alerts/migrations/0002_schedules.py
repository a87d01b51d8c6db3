"""Celery beat's schedules for alerts: the every-minute sweeper and the UTC digests.

Digests for other time zones are added when a subscription in that time zone is created (and
by `manage.py ensure_schedules`). Nothing is changed if the schedules exist already, however
staff edited them in the admin; see alerts/schedules.py.
"""

from django.db import migrations


def ensure_schedules(apps, schema_editor):
    from alerts.schedules import digest_schedules_ensure, sweeper_schedule_ensure

    sweeper_schedule_ensure(apps=apps)
    digest_schedules_ensure(time_zones=["UTC"], apps=apps)


class Migration(migrations.Migration):
    dependencies = [
        ("alerts", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    # Going back leaves the schedules: staff may have edited them, and the tables are
    # django-celery-beat's.
    operations = [migrations.RunPython(ensure_schedules, migrations.RunPython.noop)]
