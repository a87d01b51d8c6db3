"""Running an incident import: read the file, match every row, then write, in that order.

Nothing is written before every row has been matched, so that --on-error=abort can refuse the
whole file with the list of its bad rows.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from config.importing.files import CsvTable
from config.importing.report import OnError, Progress, no_progress

from .base import ImportReport
from .sync import Planned, incidents_sync


@dataclass(frozen=True)
class IncidentImporter:
    """One data set's importer: its source name, how to read its file, and how to match its rows."""

    source: str
    # read(path) -> the file's rows, or FileRefused.
    read: Callable[[Path], CsvTable]
    # match(table, report, progress) -> the incidents the good rows describe; bad rows go in the report.
    match: Callable[[CsvTable, ImportReport, Progress[Any]], list[Planned]]

    def __call__(
        self,
        *,
        path: Path,
        dry_run: bool = False,
        on_error: OnError = OnError.SKIP,
        progress: Progress[Any] = no_progress,
    ) -> ImportReport:
        """Import the file. Raises FileRefused for a file that cannot be imported at all (or whose
        writes the database refuses), and ImportAborted (having written nothing) when `on_error`
        is abort and a row is bad."""
        table = self.read(path)
        report = ImportReport(path=path, encoding=table.encoding, rows=len(table.rows), dry_run=dry_run)
        planned = self.match(table, report, progress)
        report.rejected.sort(key=lambda problem: problem.line)
        report.stop_if_rejected(on_error)
        incidents_sync(source=self.source, planned=planned, report=report, dry_run=dry_run, progress=progress)
        return report
