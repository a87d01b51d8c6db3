"""Running an incident import.

`IncidentImporter` reads the whole file, matches every row, then writes, in that order: nothing
is written before every row has been matched, so that --on-error=abort can refuse the whole file
with the list of its bad rows. For files of a few thousand rows (AWSD's).

`StreamingImporter` reads, matches and writes a chunk of events at a time, holding one chunk and
the rows of events not yet complete (see `config.importing.grouping`): memory does not grow with
the file. All chunks are written in one transaction; with --on-error=abort, the first bad row
stops the writing, the remaining chunks are still matched to report every bad row, and the
transaction is rolled back, so nothing is written.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from django.utils.translation import gettext as _

from config.importing.files import CsvRow, CsvTable
from config.importing.grouping import chunked
from config.importing.report import OnError, Progress, no_progress

from .base import ImportReport
from .sync import Planned, incidents_sync, incidents_writing

# How many rows of a file a streaming import matches and writes at a time.
CHUNK_ROWS = 2000


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


class EventFile(Protocol):
    """A file opened for a streaming import, after a first pass over it."""

    @property
    def encoding(self) -> str: ...

    @property
    def rows(self) -> int: ...

    @property
    def events(self) -> int: ...

    def groups(self) -> Iterator[list[CsvRow]]:
        """The rows of each event together (a row that belongs to no event alone)."""
        ...


class ChunkMatcher(Protocol):
    def plan_chunk(self, groups: Iterable[list[CsvRow]]) -> list[Planned]:
        """The incidents of the chunk's good events; bad rows are rejected in the report."""
        ...


@dataclass(frozen=True)
class StreamingImporter:
    """One data set's importer that reads its file as a stream, a chunk of events at a time."""

    source: str
    # open(path) -> the file, having read it once, or FileRefused.
    open: Callable[[Path], EventFile]
    # matcher(file, report) -> what plans each chunk.
    matcher: Callable[[Any, ImportReport], ChunkMatcher]

    def __call__(
        self,
        *,
        path: Path,
        dry_run: bool = False,
        on_error: OnError = OnError.SKIP,
        progress: Progress[Any] = no_progress,
        chunk_rows: int = CHUNK_ROWS,
    ) -> ImportReport:
        """Import the file, as `IncidentImporter` does, `chunk_rows` rows at a time (a chunk holds
        whole events, so it may hold a few more)."""
        events = self.open(path)
        report = ImportReport(path=path, encoding=events.encoding, rows=events.rows, dry_run=dry_run)
        matcher = self.matcher(events, report)
        with incidents_writing(source=self.source, dry_run=dry_run) as writer:
            groups = progress(events.groups(), events.events, _("Reading events"))
            for chunk in chunked(groups, chunk_rows):
                planned = matcher.plan_chunk(chunk)
                if not (report.rejected and on_error == OnError.ABORT):
                    writer.write(planned, report)
            report.rejected.sort(key=lambda problem: problem.line)
            # Raised inside the transaction, which it rolls back.
            report.stop_if_rejected(on_error)
        return report
