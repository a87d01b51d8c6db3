import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from tqdm import tqdm

from advisories.us_advisories import (
    FileRefused,
    ImportAborted,
    ImportReport,
    OnError,
    us_advisories_import,
)


class Command(BaseCommand):
    help = _(
        "Set each country's advisory level from the U.S. State Department's summary table (CSV or JSON). "
        "Safe to run again: unchanged levels are left alone and newer advisories are never overridden."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help=_("The summary table, a .csv or .json file."))
        parser.add_argument(
            "--dry-run", action="store_true", help=_("Do the whole import, report it, then write nothing.")
        )
        parser.add_argument(
            "--on-error",
            choices=[choice.value for choice in OnError],
            default=OnError.SKIP.value,
            help=_(
                "skip: import the good rows and report the bad ones (default); abort: write nothing if any row "
                "is bad. Duplicate rows are not errors: the later-dated one is used and the others reported."
            ),
        )
        parser.add_argument("--no-progress", action="store_true", help=_("Do not show a progress bar."))

    def handle(self, *args: Any, **options: Any) -> None:
        # tqdm redraws its line with carriage returns, which OutputWrapper would break up with
        # newlines, so it writes to the stream underneath.
        stream = getattr(self.stderr, "_out", sys.stderr)
        hide_progress = options["no_progress"] or not self.stderr.isatty()

        def progress(items: list[Any]) -> Any:
            return tqdm(items, desc=_("Setting advisories"), unit="country", file=stream, disable=hide_progress)

        try:
            report = us_advisories_import(
                path=options["file"],
                dry_run=options["dry_run"],
                on_error=OnError(options["on_error"]),
                progress=progress,
            )
        except FileRefused as error:
            raise CommandError(str(error)) from None
        except ImportAborted as aborted:
            lines = [
                _("Refused %(path)s: %(count)s rows have problems; with --on-error=abort nothing was written.")
                % {"path": aborted.report.path, "count": len(aborted.report.rejected)},
                *(f"  {problem}" for problem in aborted.report.rejected),
            ]
            raise CommandError("\n".join(lines)) from None
        self.stdout.write("\n".join(summary_lines(report)))


def summary_lines(report: ImportReport) -> list[str]:
    """Counts are of countries (one row can cover several); problems are listed by row."""
    lines = [
        _("Read %(count)s records from %(path)s (%(format)s).")
        % {"count": report.records, "path": report.path, "format": report.file_format},
        _("Created: %(count)s") % {"count": len(report.created)},
        _("Updated: %(count)s") % {"count": len(report.updated)},
        _("Unchanged: %(count)s") % {"count": len(report.unchanged)},
        _("Unchanged because a newer advisory exists: %(count)s") % {"count": len(report.superseded)},
        *(f"  {label}" for label in report.superseded),
        _("Duplicates skipped: %(count)s") % {"count": len(report.duplicates)},
        *(f"  {problem}" for problem in report.duplicates),
        _("Rejected: %(count)s") % {"count": len(report.rejected)},
        *(f"  {problem}" for problem in report.rejected),
    ]
    if report.dry_run:
        lines.append(_("Dry run: nothing was written."))
    return lines
