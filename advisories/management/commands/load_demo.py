"""Load the Mali demonstration dataset. Safe to run again: a second run changes nothing."""

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.urls import reverse
from django.utils.translation import gettext as _

from advisories.demo import loader
from advisories.services import Outcome


class Command(BaseCommand):
    help = _(
        "Load the Mali demonstration data (sources, advisories, Bamako's threat ratings, contacts, the OSAC "
        "report, the organized-crime profiles), the demo data of the other installed apps (e.g. the incidents "
        "of the seed documents) and, with DEBUG on or --with-accounts, the demo organisations and accounts."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--with-accounts",
            action="store_true",
            help=_("Create the demo accounts (known, published passwords) even when DEBUG is off."),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        with_accounts = bool(options["with_accounts"] or settings.DEBUG)
        try:
            report = loader.load_demo(with_accounts=with_accounts)
        except (ValidationError, loader.DemoDataError) as error:
            messages = error.messages if isinstance(error, ValidationError) else [str(error)]
            raise CommandError(
                _("The demo data was not loaded (nothing was written): %(reason)s") % {"reason": " ".join(messages)}
            ) from error

        for kind, label in report.kinds():
            self.stdout.write(self._summary_line(str(label), report.counts[kind]))

        admin_url = settings.VIGIL_PUBLIC_URL.rstrip("/") + reverse("admin:index")
        if with_accounts:
            self.stdout.write("")
            self.stdout.write(_("Demo accounts:"))
            for result in report.accounts:
                account = result.account
                password = account.password if result.password_works else _("(changed since; not reset)")
                self.stdout.write(f"  {account.username} / {password}: {account.can}")
        else:
            self.stderr.write(
                self.style.WARNING(
                    _(
                        "Demo accounts skipped: they have published passwords (%(names)s), so they, and the demo "
                        "data that belongs to them, are only created with DEBUG on or with --with-accounts."
                    )
                    % {"names": ", ".join(report.skipped_accounts)}
                )
            )
        self.stdout.write(_("Admin: %(url)s") % {"url": admin_url})

    @staticmethod
    def _summary_line(label: str, counts: dict[Outcome, int]) -> str:
        line = _("%(label)s: %(created)d created, %(updated)d updated, %(unchanged)d unchanged") % {
            "label": label,
            "created": counts.get(Outcome.CREATED, 0),
            "updated": counts.get(Outcome.UPDATED, 0),
            "unchanged": counts.get(Outcome.UNCHANGED, 0),
        }
        superseded = counts.get(Outcome.SUPERSEDED, 0)
        if superseded:
            line += _(", %(count)d kept (a newer one exists)") % {"count": superseded}
        return line
