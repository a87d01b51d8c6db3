"""Reading an import file: its bytes, its text and encoding, and its CSV rows with the line
each row starts on.

A file is read whole before anything is written. A file that cannot be read at all (missing,
empty, binary, not comma-separated, lacking a column the importer needs) raises FileRefused;
a bad row is kept with its problem, so that the importer reports it by its physical line and
a person can open the file at that line and see what is wrong.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from .report import FileRefused

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


# Bytes and text ------------------------------------------------------------------------


def read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as error:
        raise _cannot_read(path, error) from None


def _cannot_read(path: Path, error: OSError) -> FileRefused:
    return FileRefused(_("Cannot read %(path)s: %(reason)s.") % {"path": path, "reason": error.strerror})


def _refuse_archive(raw: bytes, path: Path) -> None:
    for magic, kind in _MAGIC.items():
        if raw.startswith(magic):
            raise FileRefused(
                _("%(path)s is not a CSV file: it is %(kind)s. Save or extract it as CSV and try again.")
                % {"path": path, "kind": kind}
            )


def _refuse_binary(raw: bytes, path: Path) -> None:
    head = raw[:65536]
    # A stray NUL inside a field is one bad row; NULs in the header or throughout are a binary file.
    if b"\x00" in head.split(b"\n", 1)[0] or head.count(b"\x00") > len(head) // 100:
        raise FileRefused(
            _("%(path)s is not a text file (it contains NUL bytes); it may be a spreadsheet or other binary file.")
            % {"path": path}
        )


# What a file that is not UTF-16 may be, tried in this order (codec, name in messages): UTF-8 if it
# strictly is, else Windows-1252, else ISO 8859-1, which maps every byte (even those Windows-1252
# leaves undefined).
_ENCODINGS = (("utf-8", "UTF-8"), ("cp1252", "Latin-1 (Windows-1252)"), ("latin-1", "Latin-1"))
_BOM = b"\xef\xbb\xbf"


def decode(raw: bytes, path: Path) -> tuple[str, str]:
    """The text of the file and the name of its encoding: UTF-8 if it strictly is, else Windows-1252/Latin-1."""
    _refuse_archive(raw, path)
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16"), "UTF-16"
    _refuse_binary(raw, path)
    raw = raw.removeprefix(_BOM)
    *strict, (last_codec, last_encoding) = _ENCODINGS
    for codec, encoding in strict:
        try:
            return raw.decode(codec), encoding
        except UnicodeDecodeError:
            continue
    return raw.decode(last_codec), last_encoding


def decode_utf8(raw: bytes, path: Path) -> str:
    """The text of a file that must be UTF-8 (with or without a byte-order mark), or FileRefused."""
    _refuse_archive(raw, path)
    _refuse_binary(raw, path)
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise FileRefused(
            _("%(path)s is not UTF-8 text (byte %(byte)s at position %(pos)s); save it as UTF-8 and try again.")
            % {"path": path, "byte": f"0x{raw[error.start]:02x}", "pos": error.start}
        ) from None


def refuse_empty(text: str, path: Path, *, what: str) -> None:
    if not text.strip():
        raise FileRefused(_("%(path)s is empty: expected %(what)s.") % {"path": path, "what": what})


# CSV -------------------------------------------------------------------------------------


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


def normalize_column(name: str) -> str:
    return " ".join(name.strip().lower().split())


@contextmanager
def _large_fields() -> Iterator[None]:
    previous = csv.field_size_limit()
    csv.field_size_limit(max(previous, _FIELD_SIZE_LIMIT))
    try:
        yield
    finally:
        csv.field_size_limit(previous)


def csv_rows(
    path: Path,
    text: str,
    *,
    what: str,
    check_header: Callable[[list[str]], None] | None = None,
    aliases: Mapping[str, str] | None = None,
) -> tuple[list[str], list[CsvRow]]:
    """The columns and the non-blank rows of comma-separated text with a header row.

    A header separated by another delimiter is refused (`what` names the expected file). Column
    names are normalized (case and spacing do not matter), then renamed by `aliases`;
    `check_header` sees them before any row is read and raises FileRefused if they will not do.
    Values are stripped. Each row records the physical line it starts on (a quoted field may
    span lines), and its problem: a field count unlike the header's, or a NUL character, which
    no text column can hold.
    """
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        with _large_fields():
            header = next(reader)
            _check_delimiter(path, header, what)
            columns = _column_names(header, aliases)
            if check_header:
                check_header(columns)
            rows = list(_records(reader, columns))
    except csv.Error as error:
        raise FileRefused(
            _("%(path)s is not valid CSV at line %(line)s: %(reason)s.")
            % {"path": path, "line": reader.line_num, "reason": error}
        ) from None
    return columns, rows


def _column_names(header: list[str], aliases: Mapping[str, str] | None) -> list[str]:
    """The header's names normalized (case and spacing do not matter), then renamed by `aliases`."""
    names = [normalize_column(name) for name in header]
    return [(aliases or {}).get(name, name) for name in names]


def _records(reader: Any, columns: list[str]) -> Iterator[CsvRow]:
    """The non-blank rows after the header: stripped values, the line each starts on, its problem."""
    last_line = reader.line_num
    expected, strip = len(columns), str.strip
    for values in reader:
        first_line, last_line = last_line + 1, reader.line_num
        stripped = list(map(strip, values))
        if any(stripped):
            yield CsvRow(first_line, dict(zip(columns, stripped, strict=False)), _row_problem(values, expected))


def _row_problem(values: list[str], expected: int) -> str:
    if len(values) != expected:
        return _("%(found)s fields where the header has %(expected)s") % {"found": len(values), "expected": expected}
    if "\x00" in "".join(values):
        return _("contains a NUL character")
    return ""


def read_csv(path: Path, *, what: str, aliases: Mapping[str, str] | None = None) -> CsvTable:
    """Read a comma-separated file in any common encoding; `what` names the expected file in messages."""
    text, encoding = decode(read_bytes(path), path)
    refuse_empty(text, path, what=what)
    columns, rows = csv_rows(path, text, what=what, aliases=aliases)
    if not rows:
        raise FileRefused(_("%(path)s has a header but no rows.") % {"path": path})
    return CsvTable(path=path, encoding=encoding, columns=columns, rows=rows)


def _check_delimiter(path: Path, header: list[str], what: str) -> None:
    if len(header) > 1:
        return
    for delimiter, label in _OTHER_DELIMITERS.items():
        if delimiter in header[0]:
            raise FileRefused(
                _(
                    "%(path)s separates its fields with %(label)s, not commas. Save it as comma-separated CSV "
                    "(%(what)s) and try again."
                )
                % {"path": path, "label": label, "what": what}
            )


def require_columns(
    path: Path, columns: Iterable[str], required: Iterable[str | tuple[str, ...]], *, what: str, hint: str = ""
) -> None:
    """Refuse the file if a required column is absent. A tuple means "one of these"."""
    present = set(columns)
    missing = []
    for column in required:
        options = (column,) if isinstance(column, str) else column
        if not present.intersection(options):
            missing.append(_(" or ").join(options))
    if missing:
        message = _("%(path)s is not %(what)s: missing column(s) %(missing)s.") % {
            "path": path,
            "what": what,
            "missing": ", ".join(missing),
        }
        raise FileRefused(" ".join(part for part in (message, hint) if part))


# Streaming -------------------------------------------------------------------------------

# How much of a file is read at a time when it is read as a stream.
_BLOCK = 1024 * 1024


@dataclass(frozen=True)
class CsvStream:
    """A CSV file read row by row, as many times as an importer needs, without holding it whole.

    The same file as `read_csv` gives, checked the same way when opened (`open_csv`): its
    encoding, its columns; `records()` reads its rows from the disk again on each call.
    """

    path: Path
    encoding: str
    columns: list[str]
    # How Python decodes it, and how many bytes of byte-order mark to skip.
    codec: str
    skip: int = 0

    def records(self) -> Iterator[CsvRow]:
        """The non-blank rows, as `csv_rows` reads them: stripped values, the line each starts on, its problem."""
        with self._reader() as reader:
            next(reader)
            yield from _records(reader, self.columns)

    @contextmanager
    def _reader(self) -> Iterator[Any]:
        try:
            raw = self.path.open("rb")
        except OSError as error:
            raise _cannot_read(self.path, error) from None
        with raw, _large_fields():
            raw.seek(self.skip)
            text = io.TextIOWrapper(raw, encoding=self.codec, newline="")
            reader = csv.reader(text)
            try:
                yield reader
            except csv.Error as error:
                raise FileRefused(
                    _("%(path)s is not valid CSV at line %(line)s: %(reason)s.")
                    % {"path": self.path, "line": reader.line_num, "reason": error}
                ) from None


def open_csv(path: Path, *, what: str, aliases: Mapping[str, str] | None = None) -> CsvStream:
    """Open a comma-separated file to read as a stream: the same checks and encodings as `read_csv`
    (except "no rows", which only reading the rows can tell), reading the bytes once to find the
    encoding and holding none of them."""
    try:
        with path.open("rb") as raw:
            head = raw.read(65536)
    except OSError as error:
        raise _cannot_read(path, error) from None
    _refuse_archive(head, path)
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        codec, encoding, skip = "utf-16", "UTF-16", 0
    else:
        _refuse_binary(head, path)
        skip = len(_BOM) if head.startswith(_BOM) else 0
        codec, encoding = _stream_encoding(path, skip)
    stream = CsvStream(path=path, encoding=encoding, columns=[], codec=codec, skip=skip)
    with stream._reader() as reader:
        header = next(reader, None)
    if header is None or not any(name.strip() for name in header):
        refuse_empty("" if header is None else ",".join(header), path, what=what)
    assert header is not None
    _check_delimiter(path, header, what)
    return replace(stream, columns=_column_names(header, aliases))


def _stream_encoding(path: Path, skip: int) -> tuple[str, str]:
    """The first of _ENCODINGS that decodes every byte after the mark, read block by block."""
    *strict, (last_codec, last_encoding) = _ENCODINGS
    for codec, encoding in strict:
        decoder = codecs.getincrementaldecoder(codec)()
        try:
            with path.open("rb") as raw:
                raw.seek(skip)
                while block := raw.read(_BLOCK):
                    decoder.decode(block)
                decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            continue
        return codec, encoding
    return last_codec, last_encoding
