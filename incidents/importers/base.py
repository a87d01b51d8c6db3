"""What every incident importer shares: reading a CSV file with the line each row starts on,
the problems found in it, and the report of a run.

A file is read whole before anything is written. A file that cannot be read at all (missing,
empty, binary, not comma-separated, lacking a column the importer needs) raises FileRefused;
a bad row becomes a Problem that names its physical line in the file, so a person can open
the file at that line and see what is wrong.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation
from enum import StrEnum
from pathlib import Path
from typing import TypeVar

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
    line: int
    external_id: str
    reason: str

    def __str__(self) -> str:
        return _("line %(line)s (%(id)s): %(reason)s") % {
            "line": self.line,
            "id": self.external_id or "?",
            "reason": self.reason,
        }


@dataclass
class ImportReport:
    path: Path
    encoding: str = ""
    rows: int = 0
    dry_run: bool = False
    created: list[str] = field(default_factory=list)
    # Each updated incident's external id and the fields that changed.
    updated: list[tuple[str, list[str]]] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    rejected: list[Problem] = field(default_factory=list)

    def reject(self, line: int, external_id: str, reason: str) -> None:
        self.rejected.append(Problem(line, external_id, reason))

    @property
    def incidents(self) -> int:
        return len(self.created) + len(self.updated) + len(self.unchanged)


# Reading -------------------------------------------------------------------------------


@dataclass(frozen=True)
class CsvRow:
    """One record of the file: its fields by (normalized) column name and the line it starts on."""

    line: int
    values: dict[str, str]
    problem: str = ""

    def get(self, column: str) -> str:
        return self.values.get(column, "")


@dataclass(frozen=True)
class CsvTable:
    path: Path
    encoding: str
    columns: list[str]
    rows: list[CsvRow]


_MAGIC = {
    b"PK\x03\x04": "a ZIP archive (an Excel .xlsx workbook or a zipped export)",
    b"\x1f\x8b": "a gzip archive",
    b"%PDF": "a PDF document",
    b"\xd0\xcf\x11\xe0": "an old Excel .xls workbook",
}
_OTHER_DELIMITERS = {";": _("semicolons"), "\t": _("tabs"), "|": _("vertical bars")}
# Large enough for a pasted document, so that a huge field is one rejected row with its
# length, rather than the csv module refusing the whole file.
_FIELD_SIZE_LIMIT = 64 * 1024 * 1024


def normalize_column(name: str) -> str:
    return " ".join(name.strip().lower().split())


def decode(raw: bytes, path: Path) -> tuple[str, str]:
    """The text of the file and the name of its encoding: UTF-8 if it strictly is, else Windows-1252/Latin-1."""
    for magic, kind in _MAGIC.items():
        if raw.startswith(magic):
            raise FileRefused(
                _("%(path)s is not a CSV file: it is %(kind)s. Save or extract it as CSV and try again.")
                % {"path": path, "kind": kind}
            )
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16"), "UTF-16"
    head = raw[:65536]
    # A stray NUL inside a field is one bad row; NULs in the header or throughout are a binary file.
    if b"\x00" in head.split(b"\n", 1)[0] or head.count(b"\x00") > len(head) // 100:
        raise FileRefused(
            _("%(path)s is not a text file (it contains NUL bytes); it may be a spreadsheet or other binary file.")
            % {"path": path}
        )
    raw = raw.removeprefix(b"\xef\xbb\xbf")
    if _is_utf8(raw):
        return raw.decode("utf-8"), "UTF-8"
    try:
        return raw.decode("cp1252"), "Latin-1 (Windows-1252)"
    except UnicodeDecodeError:
        # Bytes that Windows-1252 leaves undefined: ISO 8859-1 maps every byte.
        return raw.decode("latin-1"), "Latin-1"


def _is_utf8(raw: bytes) -> bool:
    try:
        raw.decode("utf-8", errors="strict")
    except UnicodeDecodeError:
        return False
    return True


@contextmanager
def _large_fields() -> Iterator[None]:
    previous = csv.field_size_limit()
    csv.field_size_limit(max(previous, _FIELD_SIZE_LIMIT))
    try:
        yield
    finally:
        csv.field_size_limit(previous)


def read_csv(path: Path, *, what: str) -> CsvTable:
    """Read a comma-separated file with a header row; `what` names the expected file in messages.

    Column names are normalized (case and spacing do not matter). Values are stripped.
    Each row records the physical line it starts on (a quoted field may span lines).
    """
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise FileRefused(_("Cannot read %(path)s: %(reason)s.") % {"path": path, "reason": error.strerror}) from None
    text, encoding = decode(raw, path)
    if not text.strip():
        raise FileRefused(_("%(path)s is empty: expected %(what)s.") % {"path": path, "what": what})
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        with _large_fields():
            header = next(reader)
            columns = [normalize_column(name) for name in header]
            _check_delimiter(path, columns, what)
            rows, last_line = [], reader.line_num
            for values in reader:
                first_line, last_line = last_line + 1, reader.line_num
                if not any(value.strip() for value in values):
                    continue
                problem = ""
                if len(values) != len(columns):
                    problem = _("%(found)s fields where the header has %(expected)s") % {
                        "found": len(values),
                        "expected": len(columns),
                    }
                cells = {name: value.strip() for name, value in zip(columns, values, strict=False)}
                rows.append(CsvRow(first_line, cells, problem))
    except csv.Error as error:
        raise FileRefused(
            _("%(path)s is not valid CSV at line %(line)s: %(reason)s.")
            % {"path": path, "line": reader.line_num, "reason": error}
        ) from None
    if not rows:
        raise FileRefused(_("%(path)s has a header but no rows.") % {"path": path})
    return CsvTable(path=path, encoding=encoding, columns=columns, rows=rows)


def _check_delimiter(path: Path, columns: list[str], what: str) -> None:
    if len(columns) > 1:
        return
    for delimiter, label in _OTHER_DELIMITERS.items():
        if delimiter in columns[0]:
            raise FileRefused(
                _(
                    "%(path)s separates its fields with %(label)s, not commas. Save it as comma-separated CSV "
                    "(%(what)s) and try again."
                )
                % {"path": path, "label": label, "what": what}
            )


def require_columns(table: CsvTable, required: Iterable[str | tuple[str, ...]], *, what: str, hint: str = "") -> None:
    """Refuse the file if a required column is absent. A tuple means "one of these"."""
    present = set(table.columns)
    missing = []
    for column in required:
        options = (column,) if isinstance(column, str) else column
        if not present.intersection(options):
            missing.append(_(" or ").join(options))
    if missing:
        message = _("%(path)s is not %(what)s: missing column(s) %(missing)s.") % {
            "path": table.path,
            "what": what,
            "missing": ", ".join(missing),
        }
        raise FileRefused(" ".join(part for part in (message, hint) if part))


# Values ----------------------------------------------------------------------------------

# The model stores 5 decimal places (about a metre); finer input is rounded the same way the
# database would, so that a second import compares equal.
COORDINATE_PLACES = Decimal("0.00001")
_NUMBER = re.compile(r"-?\d+(\.\d+)?")


def parse_coordinates(latitude: str, longitude: str) -> tuple[Decimal | None, Decimal | None, str]:
    """Both coordinates, or neither, or the reason they are unusable."""
    if not latitude and not longitude:
        return None, None, ""
    if not latitude or not longitude:
        return None, None, _("give both latitude and longitude, or neither")
    values = []
    for name, raw, limit in (("latitude", latitude, 90), ("longitude", longitude, 180)):
        if not _NUMBER.fullmatch(raw):
            return None, None, _("%(name)s %(value)r is not a number") % {"name": name, "value": raw}
        try:
            value = Decimal(raw).quantize(COORDINATE_PLACES, rounding=ROUND_HALF_EVEN)
        except InvalidOperation:
            return None, None, _("%(name)s %(value)r is not a number") % {"name": name, "value": raw}
        if not -limit <= value <= limit:
            return (
                None,
                None,
                _("%(name)s %(value)s is out of range: it goes from -%(limit)s to %(limit)s")
                % {
                    "name": name,
                    "value": raw,
                    "limit": limit,
                },
            )
        values.append(value)
    return values[0], values[1], ""


def parse_count(raw: str, column: str, *, blank: int | None = None) -> tuple[int, str]:
    """A whole number of people, zero or more. `blank` is the value of an empty cell, if one is allowed."""
    if not raw and blank is not None:
        return blank, ""
    text = raw.removesuffix(".0")
    if not text.isdigit():
        return 0, _("%(column)s %(value)r is not a whole number of zero or more") % {"column": column, "value": raw}
    return int(text), ""


def fit(text: str, length: int) -> str:
    """Shorten a generated label to a column's length, marking the cut."""
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


def severity_for(*, default: int, killed: int, injured: int, abducted: int) -> int:
    """An imported incident's severity, 1-5, from its type and what it did to people.

    The rule: start from the incident type's default severity; anyone injured, killed or
    abducted makes it at least 3 (serious); anyone killed or abducted at least 4 (severe);
    10 or more killed or abducted makes it 5 (critical: mass casualties or hostages).
    """
    severity = default
    if killed or injured or abducted:
        severity = max(severity, 3)
    if killed or abducted:
        severity = max(severity, 4)
    if killed + abducted >= 10:
        severity = 5
    return min(max(severity, 1), 5)
