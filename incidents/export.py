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

from .access import Viewer, reporter_shown
from .models import IncidentActor, SharingLevel

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")

# Excel reads a UTF-8 file as such only when it starts with a byte order mark; other readers skip it.
BYTE_ORDER_MARK = "\ufeff"

# Each column of the CSV, and the value of incident_export_rows it is written from (None: made
# from several, in RowWriter.cells). EXPORT_FIELDS, what the export reads, follows from it.
COLUMN_SOURCES: tuple[tuple[str, str | None], ...] = (
    ("id", "id"),
    ("date", "occurred_on"),
    ("date_precision", "date_precision"),
    ("time", "occurred_at_time"),
    ("country_code", "country__code"),
    ("region_code", "region__code"),
    ("region", "region__name"),
    ("place", "place_name"),
    ("latitude", "latitude"),
    ("longitude", "longitude"),
    ("location_precision", "location_precision"),
    ("title", "title"),
    ("type", "incident_type__name"),
    ("acled_event_type", "incident_type__acled_event_type"),
    ("acled_sub_event_type", "incident_type__acled_sub_event_type"),
    ("category", "incident_type__category__name"),
    ("actors", None),
    ("target_types", None),
    ("killed", "killed"),
    ("injured", "injured"),
    ("abducted", "abducted"),
    ("severity", "severity"),
    ("sharing_level", "sharing_level"),
    ("status", "status"),
    ("organisation", None),
    ("description", "description"),
    ("sources", "sources"),
    ("external_source", "external_source"),
    ("external_id", "external_id"),
    ("url", None),
)
COLUMNS = [column for column, _field in COLUMN_SOURCES]
# The reporting organisation is named only to those who may learn it (incidents.access).
REPORTER_FIELDS = ("organisation_id", "organisation__name", "organisation__named_publicly")
EXPORT_FIELDS = tuple(field for _column, field in COLUMN_SOURCES if field is not None) + REPORTER_FIELDS


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

    def __init__(self, *, base_url: str, viewer: Viewer) -> None:
        self.base_url = base_url
        self.viewer = viewer
        self.roles = {value: str(label) for value, label in IncidentActor.Role.choices}
        self.levels = {value: str(label) for value, label in SharingLevel.choices}
        # Every detail address differs only by its id.
        self.url = base_url + reverse("incidents:detail", kwargs={"pk": 1}).replace("/1/", "/{}/")

    def cells(self, row: dict[str, Any]) -> list[Any]:
        made = {
            "actors": "; ".join(f"{name} ({self.roles.get(role, role)})" for name, role in row["actors"]),
            "target_types": "; ".join(row["target_types"]),
            "sharing_level": self.levels.get(row["sharing_level"], row["sharing_level"]),
            "url": self.url.format(row["id"]),
            "organisation": row["organisation__name"] if self._reporter_shown(row) else None,
        }
        return [
            _cell(made[column] if field is None or column in made else row[field]) for column, field in COLUMN_SOURCES
        ]

    def _reporter_shown(self, row: dict[str, Any]) -> bool:
        return reporter_shown(
            self.viewer,
            organisation_id=row["organisation_id"],
            sharing_level=row["sharing_level"],
            named_publicly=bool(row["organisation__named_publicly"]),
        )


class _Echo:
    """A file-like object whose write() hands the line back, for csv.writer in a generator."""

    def write(self, value: str) -> str:
        return value


def csv_lines(rows: Iterable[dict[str, Any]], *, base_url: str, viewer: Viewer) -> Iterator[str]:
    """The header line, then one line per incident, each as soon as it is written."""
    writer = csv.writer(_Echo())
    cells = RowWriter(base_url=base_url, viewer=viewer).cells
    yield BYTE_ORDER_MARK + writer.writerow(COLUMNS)
    for row in rows:
        yield writer.writerow(cells(row))
