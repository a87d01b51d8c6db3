"""Matching an ACLED export's rows to incidents: an event's rows become one incident, with
its type, date, place, actors and their roles, or the reasons the event is rejected."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

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


# A file of a million rows spans a few thousand days, each read twice per event (checked, then imported).
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


def split_actors(raw: str) -> list[str]:
    return [name.strip() for name in raw.split(";") if name.strip()]


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


def note_kinds(kinds: Kinds, row: CsvRow) -> None:
    """Learn the kind of each actor the row names from its inter code: the first row naming an
    actor as actor1/actor2 decides, else the first naming it as an associate."""
    for _own, actor_column, assoc_column, inter_column in _SIDE_COLUMNS:
        kind = ACTOR_KINDS.get(inter_code(row.get(inter_column)))
        if not kind:
            continue
        names = [(name, True) for name in split_actors(row.get(actor_column))]
        names += [(name, False) for name in split_actors(row.get(assoc_column))]
        for name, main in names:
            if name not in kinds or (main and not kinds[name][0]):
                kinds[name] = (main, kind)


class AcledImport:
    """Matches an export's events to incidents, a chunk of events at a time; `kinds` are the
    actor kinds the whole file suggests (a first pass over it learns them, see `note_kinds`)."""

    def __init__(self, report: ImportReport, kinds: Kinds) -> None:
        self.report = report
        self.places = Places()
        self.types = TypeFinder()
        self.latest = (timezone.now() + MAX_UTC_OFFSET).date()
        self.kinds = kinds

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
        return self.with_kinds(planned)

    def plan(self, rows: list[CsvRow]) -> Planned | None:
        event_id, first = rows[0].get("event_id_cnty"), rows[0]
        problems = self._disagreements(rows) or self._event_problems(first)
        row_problems = {row.line: reason for row in rows if (reason := self._row_problem(row))}
        if problems or row_problems:
            for row in rows:
                reason = (
                    problems
                    or row_problems.get(row.line)
                    or _("another row of this event (line %(line)s) is rejected") % {"line": min(row_problems)}
                )
                self.report.reject(row.line, event_id, reason)
            return None
        return self._planned(rows)

    def _disagreements(self, rows: list[CsvRow]) -> str:
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
        if not row.get("actor1"):
            return _("actor1 is empty")
        for column in ("actor1", "actor2", "assoc_actor_1", "assoc_actor_2"):
            for name in split_actors(row.get(column)):
                if len(name) > ACTOR_NAME_MAX_LENGTH:
                    return _("an actor name in %(column)s is longer than %(max)s characters") % {
                        "column": column,
                        "max": ACTOR_NAME_MAX_LENGTH,
                    }
        return ""

    def _event_problems(self, row: CsvRow) -> str:
        """Everything wrong with the event's fields, in one reason."""
        reasons = []
        occurred_on = parse_date(row.get("event_date"))
        if occurred_on is None:
            reasons.append(
                _("event_date %(value)r is not a date (expected %(formats)s)")
                % {"value": row.get("event_date"), "formats": DATE_FORMATS}
            )
        elif occurred_on > self.latest:
            reasons.append(_("event_date %(date)s is in the future") % {"date": occurred_on.isoformat()})
        for column, allowed in (("time_precision", TIME_PRECISION), ("geo_precision", GEO_PRECISION)):
            if row.get(column) not in allowed:
                reasons.append(
                    _("%(column)s %(value)r is not 1, 2 or 3") % {"column": column, "value": row.get(column)}
                )
        _killed, reason = parse_killed(row.get("fatalities"))
        reasons.append(reason)
        latitude, longitude, reason = parse_coordinates(row.get("latitude"), row.get("longitude"))
        reasons.append(reason)
        if not reason and latitude is None:
            reasons.append(_("latitude and longitude are empty"))
        if len(row.get("notes")) > DESCRIPTION_MAX_LENGTH:
            reasons.append(
                _("notes are %(length)s characters long; the most a description holds is %(max)s")
                % {"length": f"{len(row.get('notes')):,}", "max": f"{DESCRIPTION_MAX_LENGTH:,}"}
            )
        country = self._country(row)
        if country is None:
            reasons.append(
                _("the country (iso %(iso)r, %(name)r) is not in our country table")
                % {"iso": row.get("iso") or row.get("iso3"), "name": row.get("country")}
            )
        elif latitude is not None and longitude is not None:
            _region, reason = self.places.place(
                country, region_name=row.get("admin1"), latitude=latitude, longitude=longitude
            )
            reasons.append(reason)
        return "; ".join(reason for reason in reasons if reason)

    def _country(self, row: CsvRow) -> Country | None:
        countries = self.places.countries
        return (
            countries.numeric(row.get("iso")) or countries.alpha3(row.get("iso3")) or countries.name(row.get("country"))
        )

    def _sides(self, rows: list[CsvRow]) -> list[_Side]:
        placed: dict[str, _Side] = {}
        for index, row in enumerate(rows):
            for own, actor_column, assoc_column, inter_column in _SIDE_COLUMNS:
                # On a later row of a dyadic export, the row's own actor is the other side.
                side = own if index == 0 else 3 - own
                inter = inter_code(row.get(inter_column))
                names = [(name, True) for name in split_actors(row.get(actor_column))]
                names += [(name, False) for name in split_actors(row.get(assoc_column))]
                for name, main in names:
                    if name not in placed:
                        placed[name] = _Side(name, inter, side, main)
        return list(placed.values())

    def _planned(self, rows: list[CsvRow]) -> Planned:
        row = rows[0]
        event_id = row.get("event_id_cnty")
        inters = tuple(inter_code(each.get(column)) for each in rows for column in ("inter1", "inter2"))
        choice = self.types.choose(row.get("event_type"), row.get("sub_event_type"), inters)
        occurred_on = parse_date(row.get("event_date"))
        assert occurred_on is not None
        latitude, longitude, _reason = parse_coordinates(row.get("latitude"), row.get("longitude"))
        assert latitude is not None and longitude is not None
        country = self._country(row)
        assert country is not None
        region, unknown_region = self._region(row, country, latitude, longitude)
        killed, _reason = parse_killed(row.get("fatalities"))
        date_precision = TIME_PRECISION[row.get("time_precision")]
        sides = self._sides(rows)
        actors = [
            ActorPart(
                side.name, Actor.Kind.UNKNOWN, role_for(choice.event_type, choice.sub_event_type, side.side, side.inter)
            )
            for side in sides
        ]
        unknown = [*choice.unknown, *unknown_region, *unknown_inters(rows)]
        self._report(choice, unknown)
        sources = [*split_actors(row.get("source")), f"ACLED {event_id}"]
        return Planned(
            external_id=event_id,
            line=row.line,
            values={
                "title": fit(title(choice.label, row.get("location"), occurred_on, date_precision), 200),
                "incident_type_id": choice.incident_type.pk,
                "description": row.get("notes"),
                "severity": severity_for(
                    default=choice.incident_type.default_severity, killed=killed or 0, injured=0, abducted=0
                ),
                "occurred_on": occurred_on,
                "date_precision": date_precision,
                "country_id": country.pk,
                "region_id": region.pk if region else None,
                "place_name": fit(row.get("location"), 200),
                "latitude": latitude,
                "longitude": longitude,
                "location_precision": GEO_PRECISION[row.get("geo_precision")],
                # ACLED counts the dead only: how many were injured or abducted is not known.
                "killed": killed,
                "injured": None,
                "abducted": None,
                "sources": "\n".join(sources),
                "import_repairs": choice.repairs,
                "source_terms": {value.column: value.value for value in unknown},
            },
            actors=actors,
            target_types=target_types_for(choice.event_type, row.get("civilian_targeting"), sides, actors),
        )

    def _region(
        self, row: CsvRow, country: Country, latitude: Decimal, longitude: Decimal
    ) -> tuple[Region | None, list[Unknown]]:
        """The event's region, and admin1 as an unknown value when it names none (the coordinates place the event)."""
        admin1 = row.get("admin1")
        region, _reason = self.places.place(country, region_name=admin1, latitude=latitude, longitude=longitude)
        if not admin1 or self.places.finder(country).by_name(admin1) is not None:
            return region, []
        placed = region.name if region else _("%(country)s, no region") % {"country": country.name}
        return region, [Unknown("admin1", admin1, placed)]

    def _report(self, choice: TypeChoice, unknown: list[Unknown]) -> None:
        if choice.repairs:
            self.report.repaired(LEGACY_MAPPED)
        for value in unknown:
            self.report.met_unknown(value.column, value.value or _("(blank)"), value.imported_as)

    def with_kinds(self, planned: Iterable[Planned]) -> list[Planned]:
        """Give each actor the kind the whole file suggests (used only when it is created)."""
        result = []
        for plan in planned:
            plan.actors = [
                ActorPart(part.name, self.kinds.get(part.name, (False, Actor.Kind.UNKNOWN))[1], part.role)
                for part in plan.actors
            ]
            result.append(plan)
        return result


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
