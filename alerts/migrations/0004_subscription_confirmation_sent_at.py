from django.db import migrations, models
from django.db.models import F


def mark_earlier_requests_sent(apps, schema_editor):
    # Until now the confirmation went out while the request was saved: every earlier request
    # had its e-mail (or its one try), and the sweeper must not send it again.
    subscription = apps.get_model("alerts", "Subscription")
    subscription.objects.filter(organisation__isnull=True).update(confirmation_sent_at=F("created_at"))


class Migration(migrations.Migration):
    dependencies = [
        ("alerts", "0003_delivery_queued_at"),
    ]

    operations = [
        migrations.AddField(
            model_name="subscription",
            name="confirmation_sent_at",
            field=models.DateTimeField(
                blank=True,
                help_text="When the e-mail with the confirmation link went to a person's address.",
                null=True,
                verbose_name="confirmation sent at",
            ),
        ),
        migrations.RunPython(mark_earlier_requests_sent, migrations.RunPython.noop),
    ]
