"""`manage.py recompute_risk [--country ml]`: recompute the risk index now and say what changed.

The nightly task and the recomputations after each published, corrected or retracted incident do
the same; this is for an operator who changed the weights or repaired data by hand.
"""

from __future__ import annotations

import re
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from advisories.models import Country, RiskAssessment
from incidents.risk.services import Recomputation, risk_recompute_all, risk_recompute_report


class Command(BaseCommand):
    help = _(
        "Recompute the risk index of every country and region, or of one country and its regions, and print "
        "the places whose index, suggested level or published level changed."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--country", default="", help=_("The country's two-letter ISO code, e.g. ml; every country if omitted.")
        )

    def handle(self, *args: Any, **options: Any) -> None:
        code = options["country"].strip()
        reports = [risk_recompute_report(country=_country(code))] if code else risk_recompute_all()
        written = 0
        for report in reports:
            for previous, row in report.written:
                self.stdout.write(_describe(report, previous, row))
                written += 1
        places = sum(len(report.current) for report in reports)
        self.stdout.write(
            ngettext(
                "%(written)d of %(places)d place has a new assessment.",
                "%(written)d of %(places)d places have a new assessment.",
                places,
            )
            % {"written": written, "places": places}
        )


def _country(code: str) -> Country:
    if not re.fullmatch(r"[A-Za-z]{2}", code):
        raise CommandError(
            _("“%(code)s” is not a country code: give the two-letter ISO code, e.g. --country ml.") % {"code": code}
        )
    country = Country.objects.filter(code=code.upper()).first()
    if country is None:
        raise CommandError(_("No country has the code %(code)s.") % {"code": code.upper()})
    return country


def _describe(report: Recomputation, previous: RiskAssessment | None, row: RiskAssessment) -> str:
    place = row.region.name if row.region is not None else report.country.name
    published = row.published_level if row.published_level is not None else "-"
    if previous is None:
        return _(
            "%(place)s: index %(index)d, suggested level %(suggested)d, published level %(published)s (first)."
        ) % {
            "place": place,
            "index": row.index,
            "suggested": row.suggested_level,
            "published": published,
        }
    return _(
        "%(place)s: index %(before)d → %(index)d, suggested level %(suggested)d, published level %(published)s."
    ) % {
        "place": place,
        "before": previous.index,
        "index": row.index,
        "suggested": row.suggested_level,
        "published": published,
    }
