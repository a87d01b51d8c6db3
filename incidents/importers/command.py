"""The management command that every incident importer is: a file, --dry-run, --on-error,
a progress bar on stderr, and a summary on stdout."""

from __future__ import annotations

import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any, TypeVar

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from tqdm import tqdm

from .base import FileRefused, ImportAborted, ImportReport, OnError, Progress

T = TypeVar("T")
# How many updated incidents the summary names one by one.
LISTED_UPDATES = 50


class ImportCommand(BaseCommand):
    file_help = ""
    unit = "row"

    def run_import(
        self, *, path: Path, dry_run: bool, on_error: OnError, progress: Progress[Any]
    ) -> ImportReport:  # pragma: no cover - each command defines it
        raise NotImplementedError

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help=self.file_help)
        parser.add_argument(
            "--dry-run", action="store_true", help=_("Do the whole import, report it, then write nothing.")
        )
        parser.add_argument(
            "--on-error",
            choices=[choice.value for choice in OnError],
            default=OnError.SKIP.value,
            help=_(
                "skip: import the good rows and report the bad ones (default); "
                "abort: write nothing if any row is bad, and exit with an error."
            ),
        )
        parser.add_argument("--no-progress", action="store_true", help=_("Do not show a progress bar."))

    def handle(self, *args: Any, **options: Any) -> None:
        # tqdm redraws its line with carriage returns, which OutputWrapper would break up with
        # newlines, so it writes to the stream underneath.
        stream = getattr(self.stderr, "_out", sys.stderr)
        hide = options["no_progress"] or not stream.isatty()

        def progress(items: Iterable[T], total: int, description: str) -> Iterable[T]:
            return tqdm(items, total=total, desc=description, unit=self.unit, file=stream, disable=hide)

        try:
            report = self.run_import(
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
    """Counts are of incidents; rejections are of rows, each with its line in the file."""
    lines = [
        _("Read %(rows)s rows from %(path)s (%(encoding)s): %(incidents)s incidents.")
        % {"rows": report.rows, "path": report.path, "encoding": report.encoding, "incidents": report.incidents},
        _("Created: %(count)s") % {"count": len(report.created)},
        _("Updated: %(count)s") % {"count": len(report.updated)},
        *(
            "  " + _("%(id)s: %(fields)s") % {"id": external_id, "fields": ", ".join(fields)}
            for external_id, fields in report.updated[:LISTED_UPDATES]
        ),
    ]
    if len(report.updated) > LISTED_UPDATES:
        lines.append("  " + _("... and %(count)s more") % {"count": len(report.updated) - LISTED_UPDATES})
    lines += [
        _("Unchanged: %(count)s") % {"count": len(report.unchanged)},
        _("Rejected: %(count)s") % {"count": len(report.rejected)},
        *(f"  {problem}" for problem in report.rejected),
    ]
    if report.dry_run:
        lines.append(_("Dry run: nothing was written."))
    return lines
