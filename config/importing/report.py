"""The words every importer speaks in: what to do with bad rows, a refused file, an aborted
import, a problem with one row, and the report of a run."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any, TypeVar

from django.utils.translation import gettext as _

T = TypeVar("T")

# progress(items, total, description) -> the same items, drawing a bar as they are consumed.
Progress = Callable[[Iterable[T], int, str], Iterable[T]]


def no_progress(items: Iterable[T], total: int, description: str) -> Iterable[T]:
    return items


class OnError(StrEnum):
    SKIP = "skip"
    ABORT = "abort"


class FileRefused(Exception):
    """The file cannot be imported at all: unreadable, empty, binary or not the expected shape."""


class ImportAborted(Exception):
    """--on-error=abort and some rows are bad; nothing was written."""

    def __init__(self, report: ImportReport) -> None:
        super().__init__(_("%(count)s rows have problems.") % {"count": len(report.rejected)})
        self.report = report


@dataclass(frozen=True)
class Problem:
    """Why one row is not imported, and where a person finds that row in the file.

    `line` is the physical line the row starts on; `where` replaces "line N" when that is not
    enough to find it (a record of a JSON list). `subject` is what the row names: its id, or
    its destination.
    """

    line: int
    subject: str
    reason: str
    where: str = ""

    def __str__(self) -> str:
        return _("%(where)s (%(subject)s): %(reason)s") % {
            "where": self.where or _("line %(line)s") % {"line": self.line},
            "subject": self.subject or "?",
            "reason": self.reason,
        }


@dataclass(kw_only=True)
class ImportReport:
    """What a run did: the labels of what it created, updated and left unchanged, and the bad rows."""

    path: Path
    dry_run: bool = False
    created: list[str] = field(default_factory=list)
    updated: list[Any] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    rejected: list[Problem] = field(default_factory=list)
    # How many rows each kind of repair touched ("coordinates written with digit-group separators").
    repairs: Counter[str] = field(default_factory=Counter)
    repaired_rows: int = 0
    # The values the importer did not know, by field: (the source's value, what was imported in
    # its place) -> how many rows, for an analyst to map.
    unknown: dict[str, Counter[tuple[str, str]]] = field(default_factory=dict)
    # What the summary says of the file as a whole ("Older column layout, without: actor type").
    notes: list[str] = field(default_factory=list)

    def reject(self, line: int, subject: str, reason: str) -> None:
        self.rejected.append(Problem(line, subject, reason))

    def repaired(self, *kinds: str) -> None:
        """One row needed these kinds of repair to be imported: call it once per row repaired."""
        if kinds:
            self.repaired_rows += 1
            self.repairs.update(set(kinds))

    def met_unknown(self, field_name: str, value: str, imported_as: str) -> None:
        """One row held `value`, which the importer does not know, in `field_name`; it was imported as `imported_as`."""
        self.unknown.setdefault(field_name, Counter())[(value, imported_as)] += 1

    def stop_if_rejected(self, on_error: OnError) -> None:
        """With --on-error=abort, any bad row stops the import before it writes anything."""
        if self.rejected and on_error == OnError.ABORT:
            raise ImportAborted(self)
