"""The columns of an ACLED export that the importer reads."""

from __future__ import annotations

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
