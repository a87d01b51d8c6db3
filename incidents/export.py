"""Incidents as CSV, written row by row so that a large export is streamed, not built in memory.

Spreadsheets run a cell that starts with = + - @ (or a tab or carriage return before one) as a
formula, so an incident titled "=HYPERLINK(...)" could act on the machine of whoever opens the
export. Following OWASP's advice on CSV injection, every text cell that starts with one of those
characters gets a leading single quote. Numbers (coordinates, casualties, severity) are written
as numbers: a latitude of -5.2 stays -5.2.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import Any

from django.urls import reverse

from .models import IncidentActor, SharingLevel

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")

# Excel reads a UTF-8 file as such only when it starts with a byte order mark; other readers skip it.
BYTE_ORDER_MARK = "\ufeff"

COLUMNS = [
    "id",
    "date",
    "date_precision",
    "time",
    "country_code",
    "region_code",
    "region",
    "place",
    "latitude",
    "longitude",
    "location_precision",
    "title",
    "type",
    "acled_event_type",
    "acled_sub_event_type",
    "category",
    "actors",
    "target_types",
    "killed",
    "injured",
    "abducted",
    "severity",
    "sharing_level",
    "status",
    "organisation",
    "description",
    "sources",
    "external_source",
    "external_id",
    "url",
]


def safe_text(value: str) -> str:
    """A text cell that no spreadsheet will run as a formula."""
    if value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def _cell(value: Any) -> str | int | Decimal:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | Decimal):
        return value
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return safe_text(str(value))


class RowWriter:
    """Turns an export row (see incidents.selectors.incident_export_rows) into CSV cells.
    Labels are translated once per export, not once per row."""

    def __init__(self, *, base_url: str) -> None:
        self.base_url = base_url
        self.roles = {value: str(label) for value, label in IncidentActor.Role.choices}
        self.levels = {value: str(label) for value, label in SharingLevel.choices}
        # Every detail address differs only by its id.
        self.url = base_url + reverse("incidents:detail", kwargs={"pk": 1}).replace("/1/", "/{}/")

    def cells(self, row: dict[str, Any]) -> list[Any]:
        actors = "; ".join(f"{name} ({self.roles.get(role, role)})" for name, role in row["actors"])
        values = [
            row["id"],
            row["occurred_on"],
            row["date_precision"],
            row["occurred_at_time"],
            row["country__code"],
            row["region__code"],
            row["region__name"],
            row["place_name"],
            row["latitude"],
            row["longitude"],
            row["location_precision"],
            row["title"],
            row["incident_type__name"],
            row["incident_type__acled_event_type"],
            row["incident_type__acled_sub_event_type"],
            row["incident_type__category__name"],
            actors,
            "; ".join(row["target_types"]),
            row["killed"],
            row["injured"],
            row["abducted"],
            row["severity"],
            self.levels.get(row["sharing_level"], row["sharing_level"]),
            row["status"],
            row["organisation__name"],
            row["description"],
            row["sources"],
            row["external_source"],
            row["external_id"],
            self.url.format(row["id"]),
        ]
        return [_cell(value) for value in values]


class _Echo:
    """A file-like object whose write() hands the line back, for csv.writer in a generator."""

    def write(self, value: str) -> str:
        return value


def csv_lines(rows: Iterable[dict[str, Any]], *, base_url: str) -> Iterator[str]:
    """The header line, then one line per incident, each as soon as it is written."""
    writer = csv.writer(_Echo())
    cells = RowWriter(base_url=base_url).cells
    yield BYTE_ORDER_MARK + writer.writerow(COLUMNS)
    for row in rows:
        yield writer.writerow(cells(row))
