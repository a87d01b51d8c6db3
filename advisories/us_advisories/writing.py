"""Writing the summary table's levels: each country's advisory through `advisory_set`, all in one
transaction, and the report of what that did."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from config.importing.report import ImportReport as BaseReport
from config.importing.report import Problem, Progress
from config.importing.writing import import_transaction

from ..models import Advisory, Country, Source
from ..services import Outcome, advisory_set
from .matching import Row

SOURCE_SLUG = "us-state-dept-travel-advisories"
SOURCE_DEFAULTS = {
    "title": "Travel Advisories",
    "publisher": "U.S. Department of State",
    "kind": Source.Kind.DATASET,
    "url": "https://travel.state.gov/content/travel/en/traveladvisories/traveladvisories.html",
    "notes": "Advisory levels by destination, from the Department's summary table. Each destination's "
    "own advisory page is linked from that table.",
}


@dataclass(kw_only=True)
class ImportReport(BaseReport):
    """Counts are of countries (one row can cover several); problems are listed by row."""

    file_format: str
    records: int = 0
    updated: list[str] = field(default_factory=list)
    superseded: list[str] = field(default_factory=list)
    duplicates: list[Problem] = field(default_factory=list)


def advisories_write(
    plan: list[tuple[Row, Country]], *, report: ImportReport, dry_run: bool, progress: Progress[Any]
) -> None:
    """Set each planned country's level; a dry run rolls it all back."""
    outcomes = {
        Outcome.CREATED: report.created,
        Outcome.UPDATED: report.updated,
        Outcome.UNCHANGED: report.unchanged,
        Outcome.SUPERSEDED: report.superseded,
    }
    with import_transaction(dry_run=dry_run):
        source, _created = Source.objects.get_or_create(slug=SOURCE_SLUG, defaults=SOURCE_DEFAULTS)
        current = {
            advisory.country_id: (advisory.level, advisory.issued_on)
            for advisory in Advisory.objects.current().filter(region=None)
        }
        for row, country in progress(plan, len(plan), _("Setting advisories")):
            # The same level on the same date, from another source (such as the country's full
            # advisory, loaded with its indicators): this table only repeats it, so the richer
            # source stays named, and loading both in turn does not add a row each time.
            if current.get(country.pk) == (row.level, row.issued_on):
                report.unchanged.append(country.name)
                continue
            advisory, outcome = advisory_set(country=country, level=row.level, source=source, issued_on=row.issued_on)
            label = country.name
            if outcome == Outcome.SUPERSEDED:
                label = _("%(country)s (current advisory issued %(date)s)") % {
                    "country": country.name,
                    "date": advisory.issued_on,
                }
            outcomes[outcome].append(label)
