"""Reading the State Department's summary table: a CSV file or a JSON list, one record per destination."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from config.importing.files import csv_rows, decode_utf8, read_bytes, refuse_empty, require_columns
from config.importing.report import FileRefused

DESTINATION, LEVEL, DATE = "destination", "risk_level_number", "last_updated_advisory"
LEVEL_TEXT = "risk_level"
REQUIRED_FIELDS = (DESTINATION, LEVEL, DATE)


@dataclass(frozen=True)
class Record:
    """One row of the CSV or one object of the JSON list, with where it is in the file."""

    where: str
    position: int
    fields: dict[str, Any]
    problem: str = ""


def what() -> str:
    return _("the State Department summary")


def read_records(path: Path) -> tuple[str, list[Record]]:
    """Return the file's format ("CSV" or "JSON") and its records, or raise FileRefused."""
    text = decode_utf8(read_bytes(path), path)
    refuse_empty(text, path, what=what())
    suffix = path.suffix.lower()
    is_json = suffix == ".json" or (suffix != ".csv" and text.lstrip()[:1] in "[{")
    records = _json_records(path, text) if is_json else _csv_records(path, text)
    if not records:
        raise FileRefused(_("%(path)s has no destination rows.") % {"path": path})
    return ("JSON" if is_json else "CSV"), records


def _csv_records(path: Path, text: str) -> list[Record]:
    def check_header(columns: list[str]) -> None:
        found = _("Its columns are %(found)s.") % {"found": ", ".join(columns)}
        require_columns(path, columns, REQUIRED_FIELDS, what=what(), hint=found)

    _columns, rows = csv_rows(path, text, what=what(), check_header=check_header)
    return [Record(_("line %(line)s") % {"line": row.line}, row.line, row.values, row.problem) for row in rows]


def _json_records(path: Path, text: str) -> list[Record]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise FileRefused(
            _("%(path)s is not valid JSON: %(reason)s at line %(line)s, column %(column)s.")
            % {"path": path, "reason": error.msg, "line": error.lineno, "column": error.colno}
        ) from None
    if not isinstance(data, list):
        raise FileRefused(
            _("%(path)s is not %(what)s: expected a JSON list of records, found %(type)s.")
            % {"path": path, "what": what(), "type": type(data).__name__}
        )
    objects = [item for item in data if isinstance(item, dict)]
    missing = [name for name in REQUIRED_FIELDS if objects and not any(name in item for item in objects)]
    if missing or (data and not objects):
        raise FileRefused(
            _("%(path)s is not %(what)s: its records lack the field(s) %(missing)s.")
            % {"path": path, "what": what(), "missing": ", ".join(missing or REQUIRED_FIELDS)}
        )
    records = []
    for index, (item, line) in enumerate(zip(data, _json_element_lines(text), strict=True), start=1):
        where = _("record %(index)s at line %(line)s") % {"index": index, "line": line}
        if not isinstance(item, dict):
            records.append(Record(where, index, {}, _("not a JSON object")))
            continue
        absent = [name for name in REQUIRED_FIELDS if name not in item]
        problem = _("missing field(s) %(missing)s") % {"missing": ", ".join(absent)} if absent else ""
        records.append(Record(where, index, {str(k).lower(): v for k, v in item.items()}, problem))
    return records


def _json_element_lines(text: str) -> list[int]:
    """The line on which each element of a top-level JSON list starts (the text is valid JSON)."""
    decoder, separators = json.JSONDecoder(), " \t\r\n,"
    position, line, counted_to = text.index("[") + 1, 1, 0
    lines: list[int] = []
    while True:
        while text[position] in separators:
            position += 1
        if text[position] == "]":
            return lines
        line += text.count("\n", counted_to, position)
        counted_to = position
        lines.append(line)
        _value, position = decoder.raw_decode(text, position)
