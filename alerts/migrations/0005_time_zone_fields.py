# The time zones become django-timezone-field's TimeZoneFields: ZoneInfo objects in Python, the same
# IANA names in the same varchar(64) columns, so the rows keep their values.

import timezone_field.fields
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("alerts", "0004_subscription_confirmation_sent_at"),
    ]

    operations = [
        migrations.AlterField(
            model_name="digestrun",
            name="time_zone",
            field=timezone_field.fields.TimeZoneField(max_length=64, verbose_name="time zone"),
        ),
        migrations.AlterField(
            model_name="subscription",
            name="time_zone",
            field=timezone_field.fields.TimeZoneField(
                default="UTC",
                help_text="Digests are sent at 07:00 in this time zone (weekly ones on Mondays).",
                max_length=64,
                verbose_name="time zone",
            ),
        ),
    ]
