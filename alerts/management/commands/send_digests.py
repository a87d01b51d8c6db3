"""Run a daily or weekly digest by hand, for every time zone that has subscribers."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Count, Q
from django.utils.translation import gettext as _

from alerts import dispatch
from alerts.models import DIGEST_FREQUENCIES, DeliveryStatus, DigestRun, time_zone_named


def parse_moment(value: str) -> dt.datetime:
    """An ISO date or date-time; one without an offset is read in each subscriber's time zone."""
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        raise CommandError(
            _("--now %(value)s is not an ISO date or date-time, e.g. 2026-11-23 or 2026-11-23T07:00+00:00.")
            % {"value": value}
        ) from None
    return moment


class Command(BaseCommand):
    help = _(
        "Send the daily or weekly digest of the current period (or of --now's) to every subscriber who has "
        "something to read. Run again for the same period, it sends nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--frequency", required=True, choices=[f.value for f in DIGEST_FREQUENCIES])
        parser.add_argument(
            "--now",
            help=_(
                "The moment the digest is for, as an ISO date or date-time (default: now). Without an offset "
                "it is read in each subscriber's time zone: --now 2026-11-23T07:00 is 07:00 wherever they are."
            ),
        )
        parser.add_argument("--time-zone", help=_("Only the subscribers of this time zone, e.g. Africa/Bamako."))

    def handle(self, *args: Any, **options: Any) -> None:
        frequency = options["frequency"]
        moment = parse_moment(options["now"]) if options["now"] else None
        zones = dispatch.digest_time_zones(frequency=frequency)
        if options["time_zone"]:
            only = time_zone_named(options["time_zone"])
            if only is None:
                raise CommandError(_("%(zone)s is not a time zone name.") % {"zone": options["time_zone"]})
            zones = [zone for zone in zones if zone == only]
        if not zones:
            self.stdout.write(_("No active %(frequency)s subscriptions: nothing to send.") % {"frequency": frequency})
            return
        for zone in zones:
            now = None
            if moment is not None:
                now = moment if moment.tzinfo else moment.replace(tzinfo=zone)
            try:
                run, planned_here = dispatch.digest_run_plan(frequency=frequency, time_zone=zone, now=now)
            except ValidationError as error:
                raise CommandError(" ".join(error.messages)) from None
            self.stdout.write(self._summary(run, already=not planned_here))

    def _summary(self, run: DigestRun, *, already: bool) -> str:
        counts = run.deliveries.aggregate(
            total=Count("pk"),
            sent=Count("pk", filter=Q(status=DeliveryStatus.SENT)),
            pending=Count("pk", filter=Q(status=DeliveryStatus.PENDING)),
            failed=Count("pk", filter=Q(status=DeliveryStatus.FAILED)),
            cancelled=Count("pk", filter=Q(status=DeliveryStatus.CANCELLED)),
        )
        head = f"{run}: "
        if already:
            return head + _("already run for this period (%(sent)s sent); nothing more to send.") % counts
        if not counts["total"]:
            return head + _("nothing changed for any subscriber: no digest sent.")
        line = (
            head
            + _(
                "%(total)s digests planned: %(sent)s sent, %(pending)s pending, %(failed)s failed, "
                "%(cancelled)s cancelled."
            )
            % counts
        )
        if counts["pending"] and not settings.CELERY_TASK_ALWAYS_EAGER:
            line += " " + _("The workers send the pending ones.")
        return line
