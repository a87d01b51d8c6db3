"""Create the Celery beat schedules alerts need and that are missing; leave the others alone."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from alerts.models import DIGEST_FREQUENCIES, Subscription
from alerts.schedules import SWEEPER_NAME, digest_schedules_ensure, sweeper_schedule_ensure


class Command(BaseCommand):
    help = _(
        "Create the schedules of the delivery sweeper and of the daily and weekly digests for every time zone "
        "of an active digest subscription, where they are missing. Schedules that exist are left as they are, "
        "even if edited in the admin."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        if sweeper_schedule_ensure():
            self.stdout.write(_("Created: %(name)s (every minute).") % {"name": SWEEPER_NAME})
        else:
            self.stdout.write(_("Already scheduled: %(name)s.") % {"name": SWEEPER_NAME})
        zones = sorted(
            set(
                Subscription.objects.active()
                .filter(frequency__in=DIGEST_FREQUENCIES)
                .values_list("time_zone", flat=True)
            ),
            key=str,
        )
        if not zones:
            self.stdout.write(_("No active daily or weekly subscriptions: no digest schedule needed."))
            return
        for zone in zones:
            created = digest_schedules_ensure(time_zones=[zone])
            if created:
                self.stdout.write(
                    _("Created: %(count)d digest schedule(s) for %(zone)s, at 07:00 there.")
                    % {"count": created, "zone": zone}
                )
            else:
                self.stdout.write(_("Already scheduled: the digests for %(zone)s.") % {"zone": zone})
