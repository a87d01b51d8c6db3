"""`manage.py api_token_create <username>`: a new API token for a user, its key printed once.

For scripts and operators: the key alone goes to standard output, what it is to standard error.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from incidents.services import api_token_create


class Command(BaseCommand):
    help = _("Create an API token for a user and print its key (the only time it is shown).")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--name", default="", help=_("What the token is for."))
        parser.add_argument("--days", type=int, default=None, help=_("How long it works (default: 90 days)."))

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(_("No user is called %(name)s.") % {"name": options["username"]})
        try:
            token, key = api_token_create(user=user, name=options["name"], days=options["days"])
        except (PermissionDenied, ValidationError) as error:
            raise CommandError(" ".join(getattr(error, "messages", [str(error)]))) from error
        self.stderr.write(
            _("Created the API token “%(name)s” of %(user)s, valid until %(date)s UTC.")
            % {"name": token.name, "user": user.username, "date": token.expires_at.strftime("%Y-%m-%d %H:%M")}
        )
        self.stdout.write(key)
