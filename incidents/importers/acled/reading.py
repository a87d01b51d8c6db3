"""Reading an ACLED export: its columns, old or current, and the taxonomy it is in."""

from __future__ import annotations

from pathlib import Path

from django.utils.translation import gettext as _

from config.importing.files import CsvTable, read_csv, require_columns
from config.importing.report import FileRefused

VAC, BATTLES, EXPLOSIONS = "Violence against civilians", "Battles", "Explosions/Remote violence"
STRATEGIC, PROTESTS, RIOTS = "Strategic developments", "Protests", "Riots"
EVENT_TYPES = (BATTLES, EXPLOSIONS, VAC, PROTESTS, RIOTS, STRATEGIC)
# Event types of the taxonomy ACLED replaced in 2019 ("Violence against civilians" is in both).
OLD_EVENT_TYPES = frozenset(
    {
        "Battle-No change of territory",
        "Battle-Government regains territory",
        "Battle-Non-state actor overtakes territory",
        "Remote violence",
        "Riots/Protests",
        "Strategic development",
        "Headquarters or base established",
        "Non-violent transfer of territory",
    }
)

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
    """The export's rows, or FileRefused for a file lacking a needed column or in the pre-2019 taxonomy."""
    table = read_csv(path, what=what(), aliases=COLUMN_ALIASES)
    old = sorted({row.get("event_type") for row in table.rows} & OLD_EVENT_TYPES)
    hint = ""
    if old or "sub_event_type" not in table.columns:
        hint = _(
            "ACLED changed its event types in 2019 and added sub-event types; %(found)s "
            "Export the data again from ACLED: current exports use the event types %(current)s."
        ) % {
            "found": _("this file uses the old event types %(old)s.") % {"old": ", ".join(old)}
            if old
            else _("this file may be an export from before then."),
            "current": ", ".join(EVENT_TYPES),
        }
    require_columns(path, table.columns, REQUIRED_COLUMNS, what=what(), hint=hint)
    if old:
        raise FileRefused(
            _("%(path)s is an ACLED export in the taxonomy used before 2019.") % {"path": path} + " " + hint
        )
    return table
