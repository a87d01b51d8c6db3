"""The management command that every importer is: a file, --dry-run, --on-error, a progress
bar on stderr, and a summary on stdout. A refused file or an aborted import exits with an error."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, TypeVar

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from tqdm import tqdm

from .report import FileRefused, ImportAborted, ImportReport, OnError

T = TypeVar("T")


class ImportCommand(BaseCommand):
    file_help = ""
    on_error_help = _(
        "skip: import the good rows and report the bad ones (default); "
        "abort: write nothing if any row is bad, and exit with an error."
    )
    # What the progress bar counts.
    unit = "row"
    # The import: importer(path=, dry_run=, on_error=, progress=) -> its report. It raises
    # FileRefused for a file it cannot import, ImportAborted for an import --on-error=abort stops.
    importer: Callable[..., ImportReport]

    def heading(self, report: Any) -> str:  # pragma: no cover - each command defines it
        """The summary's first line: what was read."""
        raise NotImplementedError

    def updated_lines(self, report: Any) -> list[str]:
        """Lines under "Updated", naming what changed."""
        return []

    def other_lines(self, report: Any) -> list[str]:
        """Lines after "Unchanged", for the outcomes only this importer has."""
        return []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help=self.file_help)
        parser.add_argument(
            "--dry-run", action="store_true", help=_("Do the whole import, report it, then write nothing.")
        )
        parser.add_argument(
            "--on-error",
            choices=[choice.value for choice in OnError],
            default=OnError.SKIP.value,
            help=self.on_error_help,
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
            report = self.importer(
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
        self.stdout.write("\n".join(self.summary_lines(report)))

    def repair_lines(self, report: ImportReport) -> list[str]:
        """How many rows were repaired, by kind of repair, and the values the importer did not know."""
        lines = [_("Repaired: %(count)s") % {"count": report.repaired_rows}]
        lines += [f"  {_(kind)}: {count}" for kind, count in sorted(report.repairs.items())]
        for field_name, values in sorted(report.unknown.items()):
            lines.append(_("Unknown %(field)s (kept on the incident as the source wrote it):") % {"field": field_name})
            lines += [
                "  "
                + _("%(value)s, imported as %(known)s: %(count)s") % {"value": value, "known": known, "count": count}
                for (value, known), count in sorted(values.items())
            ]
        return lines

    def summary_lines(self, report: ImportReport) -> list[str]:
        lines = [
            self.heading(report),
            *report.notes,
            _("Created: %(count)s") % {"count": len(report.created)},
            _("Updated: %(count)s") % {"count": len(report.updated)},
            *self.updated_lines(report),
            _("Unchanged: %(count)s") % {"count": len(report.unchanged)},
            *self.other_lines(report),
            *self.repair_lines(report),
            _("Rejected: %(count)s") % {"count": len(report.rejected)},
            *(f"  {problem}" for problem in report.rejected),
        ]
        if report.dry_run:
            lines.append(_("Dry run: nothing was written."))
        return lines
