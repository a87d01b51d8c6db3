"""Reading an ACLED export: its columns, old or current, and its rows event by event."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import gettext as _

from config.importing.files import CsvRow, CsvStream, open_csv, require_columns
from config.importing.grouping import RowIndex, RowIndexer, grouped
from config.importing.report import FileRefused

from .columns import COLUMN_ALIASES, REQUIRED_COLUMNS
from .matching import Kinds, event_key, note_kinds
from .taxonomy import EVENT_TYPES, LEGACY_EVENT_TYPES


def what() -> str:
    return _("an ACLED export")


@dataclass(frozen=True)
class AcledExport:
    """An export opened to be read as a stream, after a first pass over its rows that learnt
    where each event's last row is and the kind the file suggests for each actor."""

    stream: CsvStream
    index: RowIndex
    kinds: Kinds

    @property
    def encoding(self) -> str:
        return self.stream.encoding

    @property
    def rows(self) -> int:
        return self.index.rows

    @property
    def events(self) -> int:
        return self.index.keys

    def groups(self) -> Iterator[list[CsvRow]]:
        """The rows of each event together, read again from the file; a row rejected on its own is alone."""
        return grouped(self.stream.records(), event_key, self.index)


def open_export(path: Path) -> AcledExport:
    """The export, or FileRefused for a file lacking a needed column.

    An export of before 2019 has no sub_event_type: a file without it is read in the old
    taxonomy (see `.taxonomy`) unless a row uses an event type that only the current one has.
    """
    stream = open_csv(path, what=what(), aliases=COLUMN_ALIASES)
    indexer, kinds = RowIndexer(), Kinds()
    current_only = set(EVENT_TYPES) - set(LEGACY_EVENT_TYPES)
    uses_current = False
    for row in stream.records():
        key = event_key(row)
        indexer.add(key)
        if key:
            note_kinds(kinds, row)
        uses_current = uses_current or row.get("event_type") in current_only
    index = indexer.finish()
    if not index.rows:
        raise FileRefused(_("%(path)s has a header but no rows.") % {"path": path})
    required, hint = REQUIRED_COLUMNS, ""
    if "sub_event_type" not in stream.columns:
        if not uses_current:
            required = tuple(column for column in REQUIRED_COLUMNS if column != "sub_event_type")
        else:
            hint = _(
                "ACLED added sub-event types in 2019; a file without them is read as an export of before "
                "then, but this one uses event types of the current taxonomy; those of that time are %(old)s."
            ) % {"old": ", ".join(sorted(LEGACY_EVENT_TYPES))}
    require_columns(path, stream.columns, required, what=what(), hint=hint)
    return AcledExport(stream=stream, index=index, kinds=kinds)
