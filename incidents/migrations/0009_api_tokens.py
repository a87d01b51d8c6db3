"""API tokens stored as SHA-256 digests, several per user, with an expiry and a last use.

The clear keys of DRF's authtoken table (one per user) are moved here hashed, so that programs
using them keep working, named "API token" and valid for 90 days from now; then that table is
dropped: no clear key stays in the database.
"""

import datetime as dt
import hashlib

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models
from django.utils.dateparse import parse_datetime


OLD_TABLE = "authtoken_token"
MOVED_TOKEN_DAYS = 90


def _aware(value):
    """A datetime read with a bare cursor: SQLite gives it naive (in UTC) or as text."""
    if isinstance(value, str):
        value = parse_datetime(value)
    if value is not None and django.utils.timezone.is_naive(value):
        value = value.replace(tzinfo=dt.UTC)
    return value


def move_clear_keys(apps, schema_editor):
    connection = schema_editor.connection
    if OLD_TABLE not in connection.introspection.table_names():
        return
    ApiToken = apps.get_model("incidents", "ApiToken")
    now = django.utils.timezone.now()
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT key, user_id, created FROM {OLD_TABLE}")  # nosec B608  # a constant table name
        rows = cursor.fetchall()
    ApiToken.objects.bulk_create(
        ApiToken(
            user_id=user_id,
            name="API token",
            digest=hashlib.sha256(key.encode()).hexdigest(),
            hint=f"{key[:4]}…{key[-4:]}",
            created=_aware(created) or now,
            expires_at=now + dt.timedelta(days=MOVED_TOKEN_DAYS),
        )
        for key, user_id, created in rows
    )
    schema_editor.execute(f"DROP TABLE {schema_editor.quote_name(OLD_TABLE)}")


class Migration(migrations.Migration):
    dependencies = [
        ("incidents", "0008_membership_audit"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="ApiToken",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("name", models.CharField(max_length=100, verbose_name="name")),
                (
                    "digest",
                    models.CharField(editable=False, max_length=64, unique=True, verbose_name="SHA-256 of the key"),
                ),
                ("hint", models.CharField(editable=False, max_length=9, verbose_name="key")),
                ("created", models.DateTimeField(default=django.utils.timezone.now, verbose_name="created")),
                ("expires_at", models.DateTimeField(verbose_name="expires")),
                ("last_used_at", models.DateTimeField(blank=True, null=True, verbose_name="last used")),
                (
                    "user",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="api_tokens",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="user",
                    ),
                ),
            ],
            options={
                "verbose_name": "API token",
                "verbose_name_plural": "API tokens",
                "ordering": ["-created", "-id"],
            },
        ),
        migrations.RunPython(move_clear_keys, migrations.RunPython.noop),
    ]
