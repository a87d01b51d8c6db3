"""Matching an ACLED export's rows to incidents: an event's rows become one incident, with
its type, date, place, actors and their roles, or the reasons the event is rejected."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from advisories.models import Country, Region
from config.importing.files import CsvRow

from ...models import DESCRIPTION_MAX_LENGTH, Actor, DatePrecision, IncidentActor, LocationPrecision
from ...services import MAX_UTC_OFFSET
from ..base import ImportReport, date_label, fit, parse_coordinates, parse_count, severity_for
from ..places import Places
from ..sync import ACTOR_NAME_MAX_LENGTH, ActorPart, Planned
from .columns import EVENT_COLUMNS
from .taxonomy import EXPLOSIONS, LEGACY_MAPPED, PROTESTS, RIOTS, STRATEGIC, VAC, TypeChoice, TypeFinder, Unknown

STATE, REBELS, POLITICAL_MILITIA, IDENTITY_MILITIA, RIOTERS, PROTESTERS_, CIVILIANS, EXTERNAL = range(1, 9)
INTER_NAMES = {
    "state forces": STATE,
    "rebel group": REBELS,
    "rebel groups": REBELS,
    "political militia": POLITICAL_MILITIA,
    "political militias": POLITICAL_MILITIA,
    "identity militia": IDENTITY_MILITIA,
    "identity militias": IDENTITY_MILITIA,
    "rioters": RIOTERS,
    "protesters": PROTESTERS_,
    "civilians": CIVILIANS,
    "external/other forces": EXTERNAL,
    "other forces": EXTERNAL,
}
ACTOR_KINDS = {
    STATE: Actor.Kind.STATE_FORCES,
    REBELS: Actor.Kind.ARMED_GROUP,
    POLITICAL_MILITIA: Actor.Kind.ARMED_GROUP,
    IDENTITY_MILITIA: Actor.Kind.MILITIA,
    RIOTERS: Actor.Kind.PROTESTERS,
    PROTESTERS_: Actor.Kind.PROTESTERS,
    CIVILIANS: Actor.Kind.CIVILIANS,
    EXTERNAL: Actor.Kind.FOREIGN_FORCES,
}
GEO_PRECISION = {"1": LocationPrecision.EXACT, "2": LocationPrecision.NEAR, "3": LocationPrecision.REGION}
TIME_PRECISION = {"1": DatePrecision.DAY, "2": DatePrecision.WEEK, "3": DatePrecision.MONTH}

# ACLED writes "31 December 2018"; exports have also had "31-Dec-2018" and "31 Sept. 2018".
# strptime reads English month names: Python keeps the C locale for dates unless a program sets another.
_DAY_MONTH_YEAR = ("%d %B %Y", "%d %b %Y")
DATE_FORMATS = '"31 December 2018" or 2018-12-31'


# A file of a million rows spans a few thousand days.
@functools.lru_cache(maxsize=8192)
def parse_date(raw: str) -> dt.date | None:
    """ACLED's date, or ISO 2018-12-31 with any time after it ignored; None if it is not a date."""
    if raw[:4].isdigit():
        return _iso_date(raw)
    parts = raw.replace("-", " ").split(" ")
    if len(parts) != 3:
        return None
    day, month, year = parts
    month = month.removesuffix(".")
    if month.lower() == "sept":  # strptime knows only "Sep" and "September"
        month = "Sep"
    for date_format in _DAY_MONTH_YEAR:
        try:
            return dt.datetime.strptime(f"{day} {month} {year}", date_format).date()  # noqa: DTZ007 - a date, no time
        except ValueError:
            continue
    return None


def _iso_date(raw: str) -> dt.date | None:
    """2018-12-31, perhaps followed by "T" or a space and a time, as a spreadsheet may save it."""
    date, separator, time = raw[:10], raw[10:11], raw[11:]
    if separator and (separator not in "T " or not time or time.strip("0123456789:.")):
        return None
    if date[4::3] != "--" or not date.replace("-", "").isdigit():
        return None
    try:
        return dt.date.fromisoformat(date)
    except ValueError:
        return None


# A file names a few dozen categories and actors, each on thousands of rows.
@functools.lru_cache(maxsize=1024)
def inter_code(raw: str) -> int:
    """ACLED's actor category, 1-8, from its number or name; 0 when unknown."""
    raw = raw.strip()
    if raw.isdigit():
        return int(raw) if 1 <= int(raw) <= 8 else 0
    return INTER_NAMES.get(raw.lower(), 0)


def parse_killed(raw: str) -> tuple[int | None, str]:
    """ACLED's fatalities: a number (0 is a real zero there), or None, not known, when the cell is blank."""
    return (None, "") if not raw.strip() else parse_count(raw, "fatalities")


def unknown_inters(rows: list[CsvRow]) -> list[Unknown]:
    """The actor categories of an event that are neither a known number nor a known name."""
    found: dict[str, str] = {}
    for row in rows:
        for column in ("inter1", "inter2"):
            raw = row.get(column)
            if raw and not inter_code(raw):
                found.setdefault(column, raw)
    return [Unknown(column, raw, str(Actor.Kind.UNKNOWN.label)) for column, raw in found.items()]


@functools.lru_cache(maxsize=4096)
def actor_names(raw: str) -> tuple[str, ...]:
    """The names of a cell of actors, once per distinct cell."""
    return tuple(name.strip() for name in raw.split(";") if name.strip())


def role_for(event_type: str, sub_event_type: str, side: int, inter: int) -> str:
    """An actor's part in an event, from the event type and the actor's side (1 or 2).

    Civilians are always the target. In battles both sides are involved. In violence
    against civilians, explosions/remote violence, riots, looting and arrests, side 1
    acts on side 2. Protesters facing excessive force are its target; other protests and
    strategic developments involve both sides.
    """
    if inter == CIVILIANS:
        return IncidentActor.Role.TARGET
    if event_type == PROTESTS and sub_event_type == "Excessive force against protesters":
        return IncidentActor.Role.TARGET if inter == PROTESTERS_ else IncidentActor.Role.PERPETRATOR
    one_sided = event_type in (VAC, EXPLOSIONS, RIOTS) or (
        event_type == STRATEGIC and sub_event_type in ("Looting/property destruction", "Arrests")
    )
    if one_sided:
        return IncidentActor.Role.PERPETRATOR if side == 1 else IncidentActor.Role.TARGET
    return IncidentActor.Role.INVOLVED


# Checking ------------------------------------------------------------------------------


@dataclass
class _Side:
    name: str
    inter: int
    side: int
    main: bool  # actor1/actor2, not an associated actor


# An actor's kind as the file suggests it: (named as actor1/actor2 rather than as an associate, kind).
Kinds = dict[str, tuple[bool, str]]
_SIDE_COLUMNS = ((1, "actor1", "assoc_actor_1", "inter1"), (2, "actor2", "assoc_actor_2", "inter2"))
_ACTOR_COLUMNS = ("actor1", "actor2", "assoc_actor_1", "assoc_actor_2")


def event_key(row: CsvRow) -> str:
    """The event a row belongs to; "" for a row rejected on its own (`row_rejection`)."""
    return "" if row_rejection(row) else row.get("event_id_cnty")


def row_rejection(row: CsvRow) -> str:
    """Why a row cannot be matched to an event at all, or ""."""
    event_id = row.get("event_id_cnty")
    if row.problem:
        return row.problem
    if not event_id:
        return _("event_id_cnty is empty")
    if len(event_id) > 64:
        return _("event_id_cnty is longer than 64 characters")
    return ""


def _named(values: dict[str, str], actor_column: str, assoc_column: str) -> tuple[tuple[str, bool], ...]:
    """The actors a row names on one side: (name, named as actor1/actor2 rather than as an associate)."""
    return _side_names(values.get(actor_column, ""), values.get(assoc_column, ""))


@functools.lru_cache(maxsize=4096)
def _side_names(actors: str, associates: str) -> tuple[tuple[str, bool], ...]:
    return (*((name, True) for name in actor_names(actors)), *((name, False) for name in actor_names(associates)))


def note_kinds(kinds: Kinds, row: CsvRow) -> None:
    """Learn the kind of each actor the row names from its inter code: the first row naming an
    actor as actor1/actor2 decides, else the first naming it as an associate."""
    values = row.values
    for _own, actor_column, assoc_column, inter_column in _SIDE_COLUMNS:
        kind = ACTOR_KINDS.get(inter_code(values.get(inter_column, "")))
        if not kind:
            continue
        for name, main in _named(values, actor_column, assoc_column):
            if name not in kinds or (main and not kinds[name][0]):
                kinds[name] = (main, kind)


@dataclass(frozen=True)
class _Fields:
    """An event's own values, parsed once: what checking it finds wrong, and what its incident is made of."""

    problems: str
    occurred_on: dt.date | None = None
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    country: Country | None = None
    killed: int | None = None


# How many distinct values (coordinates, placings) an import keeps worked out: a file with more
# starts again, so that memory stays flat however many places a file names.
DISTINCT_KEPT = 100_000


def _make_room(worked_out: dict[Any, Any]) -> None:
    if len(worked_out) >= DISTINCT_KEPT:
        worked_out.clear()


class AcledImport:
    """Matches an export's events to incidents, a chunk of events at a time; `kinds` are the
    actor kinds the whole file suggests (a first pass over it learns them, see `note_kinds`).

    A file names a few hundred places, countries and coordinates, each on many rows: each
    distinct value is parsed and placed once per run (the reasons are in the run's language).
    """

    def __init__(self, report: ImportReport, kinds: Kinds) -> None:
        self.report = report
        self.places = Places()
        self.types = TypeFinder()
        self.latest = (timezone.now() + MAX_UTC_OFFSET).date()
        self.kinds = kinds
        self._coordinates: dict[tuple[str, str], tuple[Decimal | None, Decimal | None, str]] = {}
        self._countries: dict[tuple[str, str, str], Country | None] = {}
        self._placed: dict[tuple[int, str, Decimal, Decimal], tuple[Region | None, str, list[Unknown]]] = {}

    def plan_chunk(self, groups: Iterable[list[CsvRow]]) -> list[Planned]:
        """The incidents of the chunk's good events; bad rows are rejected in the report."""
        planned = []
        for rows in groups:
            reason = row_rejection(rows[0]) if len(rows) == 1 else ""
            if reason:
                event_id = rows[0].get("event_id_cnty")
                long_id = len(event_id) > 64 and not rows[0].problem
                self.report.reject(rows[0].line, event_id[:20] if long_id else event_id, reason)
            elif plan := self.plan(rows):
                planned.append(plan)
        return planned

    def plan(self, rows: list[CsvRow]) -> Planned | None:
        event_id, first = rows[0].get("event_id_cnty"), rows[0]
        problems = self._disagreements(rows)
        fields = _Fields(problems) if problems else self._fields(first)
        row_problems = {row.line: reason for row in rows if (reason := self._row_problem(row))}
        if fields.problems or row_problems:
            for row in rows:
                reason = (
                    fields.problems
                    or row_problems.get(row.line)
                    or _("another row of this event (line %(line)s) is rejected") % {"line": min(row_problems)}
                )
                self.report.reject(row.line, event_id, reason)
            return None
        return self._planned(rows, fields)

    def _disagreements(self, rows: list[CsvRow]) -> str:
        if len(rows) == 1:
            return ""
        first = rows[0].values
        if all(_agree(first, row.values) for row in rows[1:]):
            return ""
        for column in EVENT_COLUMNS:
            values = {row.get(column) for row in rows}
            if len(values) > 1:
                shown = "; ".join(f"line {row.line}: {row.get(column)[:60]!r}" for row in rows)
                return _("the rows of this event disagree on %(column)s (%(values)s)") % {
                    "column": column,
                    "values": shown,
                }
        return ""

    def _row_problem(self, row: CsvRow) -> str:
        values = row.values
        if not values.get("actor1"):
            return _("actor1 is empty")
        for column in _ACTOR_COLUMNS:
            for name in actor_names(values.get(column, "")):
                if len(name) > ACTOR_NAME_MAX_LENGTH:
                    return _("an actor name in %(column)s is longer than %(max)s characters") % {
                        "column": column,
                        "max": ACTOR_NAME_MAX_LENGTH,
                    }
        return ""

    def _fields(self, row: CsvRow) -> _Fields:
        """The event's values, and everything wrong with them in one reason."""
        values = row.values
        reasons = []
        occurred_on = parse_date(values.get("event_date", ""))
        if occurred_on is None:
            reasons.append(
                _("event_date %(value)r is not a date (expected %(formats)s)")
                % {"value": row.get("event_date"), "formats": DATE_FORMATS}
            )
        elif occurred_on > self.latest:
            reasons.append(_("event_date %(date)s is in the future") % {"date": occurred_on.isoformat()})
        for column, allowed in (("time_precision", TIME_PRECISION), ("geo_precision", GEO_PRECISION)):
            if values.get(column, "") not in allowed:
                reasons.append(
                    _("%(column)s %(value)r is not 1, 2 or 3") % {"column": column, "value": row.get(column)}
                )
        killed, reason = parse_killed(values.get("fatalities", ""))
        reasons.append(reason)
        latitude, longitude, reason = self._parsed_coordinates(values.get("latitude", ""), values.get("longitude", ""))
        reasons.append(reason)
        if not reason and latitude is None:
            reasons.append(_("latitude and longitude are empty"))
        notes = values.get("notes", "")
        if len(notes) > DESCRIPTION_MAX_LENGTH:
            reasons.append(
                _("notes are %(length)s characters long; the most a description holds is %(max)s")
                % {"length": f"{len(notes):,}", "max": f"{DESCRIPTION_MAX_LENGTH:,}"}
            )
        country = self._country(row)
        if country is None:
            reasons.append(
                _("the country (iso %(iso)r, %(name)r) is not in our country table")
                % {"iso": row.get("iso") or row.get("iso3"), "name": row.get("country")}
            )
        elif latitude is not None and longitude is not None:
            _region, reason, _unknown = self._place(country, values.get("admin1", ""), latitude, longitude)
            reasons.append(reason)
        problems = "; ".join(reason for reason in reasons if reason)
        return _Fields(problems, occurred_on, latitude, longitude, country, killed)

    def _parsed_coordinates(self, latitude: str, longitude: str) -> tuple[Decimal | None, Decimal | None, str]:
        key = (latitude, longitude)
        if key not in self._coordinates:
            _make_room(self._coordinates)
            self._coordinates[key] = parse_coordinates(latitude, longitude)
        return self._coordinates[key]

    def _country(self, row: CsvRow) -> Country | None:
        key = (row.get("iso"), row.get("iso3"), row.get("country"))
        if key not in self._countries:
            countries = self.places.countries
            iso, iso3, name = key
            self._countries[key] = countries.numeric(iso) or countries.alpha3(iso3) or countries.name(name)
        return self._countries[key]

    def _place(
        self, country: Country, admin1: str, latitude: Decimal, longitude: Decimal
    ) -> tuple[Region | None, str, list[Unknown]]:
        """The event's region or the reason it cannot be placed, and admin1 as an unknown value when it
        names none of the country's regions (the coordinates place the event)."""
        key = (country.pk, admin1, latitude, longitude)
        if key not in self._placed:
            _make_room(self._placed)
            region, reason = self.places.place(country, region_name=admin1, latitude=latitude, longitude=longitude)
            unknown = []
            if admin1 and self.places.finder(country).by_name(admin1) is None:
                placed = region.name if region else _("%(country)s, no region") % {"country": country.name}
                unknown.append(Unknown("admin1", admin1, placed))
            self._placed[key] = (region, reason, unknown)
        return self._placed[key]

    def _sides(self, rows: list[CsvRow]) -> list[_Side]:
        placed: dict[str, _Side] = {}
        for index, row in enumerate(rows):
            values = row.values
            for own, actor_column, assoc_column, inter_column in _SIDE_COLUMNS:
                # On a later row of a dyadic export, the row's own actor is the other side.
                side = own if index == 0 else 3 - own
                inter = inter_code(values.get(inter_column, ""))
                for name, main in _named(values, actor_column, assoc_column):
                    if name not in placed:
                        placed[name] = _Side(name, inter, side, main)
        return list(placed.values())

    def _planned(self, rows: list[CsvRow], fields: _Fields) -> Planned:
        row = rows[0]
        values = row.values
        event_id = values["event_id_cnty"]
        inters = tuple(inter_code(each.get(column)) for each in rows for column in ("inter1", "inter2"))
        choice = self.types.choose(values.get("event_type", ""), values.get("sub_event_type", ""), inters)
        occurred_on, latitude, longitude, country = (
            fields.occurred_on,
            fields.latitude,
            fields.longitude,
            fields.country,
        )
        assert occurred_on is not None and latitude is not None and longitude is not None and country is not None
        region, _reason, unknown_region = self._place(country, values.get("admin1", ""), latitude, longitude)
        date_precision = TIME_PRECISION[values["time_precision"]]
        location = values.get("location", "")
        sides = self._sides(rows)
        actors = [
            ActorPart(
                side.name,
                self.kinds.get(side.name, (False, Actor.Kind.UNKNOWN))[1],
                role_for(choice.event_type, choice.sub_event_type, side.side, side.inter),
            )
            for side in sides
        ]
        unknown = [*choice.unknown, *unknown_region, *unknown_inters(rows)]
        self._report(choice, unknown)
        sources = [*actor_names(values.get("source", "")), f"ACLED {event_id}"]
        return Planned(
            external_id=event_id,
            line=row.line,
            values={
                "title": fit(title(choice.label, location, occurred_on, date_precision), 200),
                "incident_type_id": choice.incident_type.pk,
                "description": values.get("notes", ""),
                "severity": severity_for(
                    default=choice.incident_type.default_severity, killed=fields.killed or 0, injured=0, abducted=0
                ),
                "occurred_on": occurred_on,
                "date_precision": date_precision,
                "country_id": country.pk,
                "region_id": region.pk if region else None,
                "place_name": fit(location, 200),
                "latitude": latitude,
                "longitude": longitude,
                "location_precision": GEO_PRECISION[values["geo_precision"]],
                # ACLED counts the dead only: how many were injured or abducted is not known.
                "killed": fields.killed,
                "injured": None,
                "abducted": None,
                "sources": "\n".join(sources),
                "import_repairs": choice.repairs,
                "source_terms": {value.column: value.value for value in unknown},
            },
            actors=actors,
            target_types=target_types_for(choice.event_type, values.get("civilian_targeting", ""), sides, actors),
        )

    def _report(self, choice: TypeChoice, unknown: list[Unknown]) -> None:
        if choice.repairs:
            self.report.repaired(LEGACY_MAPPED)
        for value in unknown:
            self.report.met_unknown(value.column, value.value or _("(blank)"), value.imported_as)


def _agree(first: dict[str, str], other: dict[str, str]) -> bool:
    """Whether two rows of an event give the same values to the columns that describe the event
    (rows of one event have every column: a row with too few fields is rejected alone)."""
    return list(map(first.get, EVENT_COLUMNS)) == list(map(other.get, EVENT_COLUMNS))


def title(sub_event_type: str, location: str, occurred_on: dt.date, precision: str) -> str:
    return f"{sub_event_type} in {location or '?'}, {date_label(occurred_on, precision)}"


def target_types_for(event_type: str, civilian_targeting: str, sides: list[_Side], actors: list[ActorPart]) -> set[str]:
    """Who was hit, kept modest: civilians, security forces and UN peacekeepers."""
    targets = set()
    if event_type == VAC or civilian_targeting or any(side.inter == CIVILIANS for side in sides):
        targets.add("civilians")
    for side, part in zip(sides, actors, strict=True):
        if part.role == IncidentActor.Role.PERPETRATOR:
            continue
        if side.inter in (STATE, EXTERNAL):
            targets.add("security-forces")
        if "MINUSMA" in side.name or "United Nations" in side.name:
            targets.add("un-staff")
    return targets
