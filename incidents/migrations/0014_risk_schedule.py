"""Celery beat's nightly recomputation of the risk index (incidents/schedules.py).

Nothing is changed if the schedule exists already, however staff edited it in the admin.
"""

from django.db import migrations


def ensure_schedule(apps, schema_editor):
    from incidents.schedules import risk_schedule_ensure

    risk_schedule_ensure(apps=apps)


class Migration(migrations.Migration):
    dependencies = [
        ("incidents", "0013_account_settings"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    # Going back leaves the schedule: staff may have edited it, and the tables are django-celery-beat's.
    operations = [migrations.RunPython(ensure_schedule, migrations.RunPython.noop)]
