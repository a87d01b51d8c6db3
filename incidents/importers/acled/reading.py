"""Reading an ACLED export: its columns, old or current."""

from __future__ import annotations

from pathlib import Path

from django.utils.translation import gettext as _

from config.importing.files import CsvTable, read_csv, require_columns

from .taxonomy import EVENT_TYPES, LEGACY_EVENT_TYPES

_WHEN_AND_WHAT = ("event_date", "time_precision", "event_type", "sub_event_type")
_WHERE_AND_HOW_BAD = (
    "admin1",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "notes",
    "fatalities",
)
REQUIRED_COLUMNS: tuple[str | tuple[str, ...], ...] = (
    "event_id_cnty",
    *_WHEN_AND_WHAT,
    "actor1",
    "inter1",
    ("iso", "iso3", "country"),
    *_WHERE_AND_HOW_BAD,
)
# What describes the event itself: the rows of one event must agree on these.
EVENT_COLUMNS = (*_WHEN_AND_WHAT, "iso", "iso3", "country", *_WHERE_AND_HOW_BAD, "civilian_targeting")
# Older exports' names for the same columns.
COLUMN_ALIASES = {"ally_actor_1": "assoc_actor_1", "ally_actor_2": "assoc_actor_2"}


def what() -> str:
    return _("an ACLED export")


def read_table(path: Path) -> CsvTable:
    """The export's rows, or FileRefused for a file lacking a needed column.

    An export of before 2019 has no sub_event_type: a file without it is read in the old
    taxonomy (see `.taxonomy`) unless a row uses an event type that only the current one has.
    """
    table = read_csv(path, what=what(), aliases=COLUMN_ALIASES)
    required, hint = REQUIRED_COLUMNS, ""
    if "sub_event_type" not in table.columns:
        current_only = set(EVENT_TYPES) - set(LEGACY_EVENT_TYPES)
        if not any(row.get("event_type") in current_only for row in table.rows):
            required = tuple(column for column in REQUIRED_COLUMNS if column != "sub_event_type")
        else:
            hint = _(
                "ACLED added sub-event types in 2019; a file without them is read as an export of before "
                "then, but this one uses event types of the current taxonomy; those of that time are %(old)s."
            ) % {"old": ", ".join(sorted(LEGACY_EVENT_TYPES))}
    require_columns(path, table.columns, required, what=what(), hint=hint)
    return table
