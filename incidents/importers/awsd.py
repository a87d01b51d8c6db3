"""Import the Aid Worker Security Database (Humanitarian Outcomes, aidworkersecurity.org).

One row per incident in which aid workers were killed, wounded or kidnapped, worldwide.
The file may be UTF-8 or Latin-1/Windows-1252 (older downloads are); older exports lack some
of today's columns (the 2016 one has no Actor type or Actor name): they read as blank, and the
summary names them.

How fields map: Incident ID to the external id; Year/Month/Day to the date, with the first
of the month or year and a month or year precision where Day or Month is missing; Country
Code (ISO alpha-2, else the Country name) to the country; Region by name (with the AWSD's own
spellings, advisories/regions/aliases.csv), else by coordinates where the country's boundaries
are mapped, else none (the coordinates place the incident, or it stays at country level);
Latitude/Longitude, repaired where a spreadsheet wrote them with digit-group separators
("15.343.726") and exactly one placement of the decimal point falls in the country; Means of
attack to the incident type (MEANS_OF_ATTACK, else `closest_type`); the totals killed,
wounded and kidnapped to killed, injured and abducted (blank: not known); UN, NGO and Red
Cross staff counts and internationals to the target types; Actor name (unless unknown) to the
perpetrator, its kind from Actor type; Details, with the attack's context, to the description.

A value the importer does not know (a means of attack, an actor type, a region name) does not
lose the row: it is imported as the closest known value, kept on the incident in the source's
words (`source_terms`) and listed in the report.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any, NamedTuple

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from advisories.geo import countries_at
from advisories.models import Country
from advisories.regions import normalize_name
from config.importing.files import CsvRow, CsvTable, read_csv, require_columns
from config.importing.report import Progress

from ..models import DESCRIPTION_MAX_LENGTH, Actor, DatePrecision, IncidentActor, IncidentType, LocationPrecision
from ..services import MAX_UTC_OFFSET
from .base import ImportReport, date_label, fit, parse_coordinates, parse_count, parse_known_count, severity_for
from .places import Coordinates, Location, Places
from .running import IncidentImporter
from .sync import ACTOR_NAME_MAX_LENGTH, ActorPart, Planned

SOURCE = "awsd"

REQUIRED_COLUMNS: tuple[str | tuple[str, ...], ...] = (
    "incident id",
    "year",
    "month",
    "day",
    ("country code", "country"),
    "region",
    "total killed",
    "total wounded",
    "total kidnapped",
    "means of attack",
    "latitude",
    "longitude",
)
# Columns of the current layout that older exports lack (the 2016 one has no Actor type or Actor
# name): a missing one reads as blank, and the summary says which were missing.
OPTIONAL_COLUMNS = (
    "country code",
    "un",
    "ingo",
    "icrc",
    "nrcs and ifrc",
    "nngo",
    "total internationals",
    "attack context",
    "motive",
    "actor type",
    "actor name",
    "details",
    "source",
)

# Means of attack (compared without case or surrounding spaces: the file has "Landmine ")
# to our incident type slugs.
MEANS_OF_ATTACK = {
    "kidnapping": "kidnapping",
    "kidnap-killing": "kidnapping",
    "shooting": "armed-attack",
    "bodily assault": "armed-attack",
    "complex attack": "armed-attack",
    "vehicle-born ied": "vbied",
    "vehicle-borne ied": "vbied",
    "roadside ied": "explosive-ied",
    "landmine": "explosive-ied",
    "other explosives": "explosive-ied",
    "body-borne ied": "suicide-bombing",
    "shelling": "shelling",
    "aerial bombardment": "air-strike",
    "rape/sexual assault": "sexual-violence",
    "unknown": "other",
    "": "other",
}
OTHER_TYPE = "other"
ACTOR_KINDS = {
    "non-state armed group: global": Actor.Kind.VIOLENT_EXTREMIST,
    "host state": Actor.Kind.STATE_FORCES,
    "police or paramilitary": Actor.Kind.STATE_FORCES,
    "state: unknown": Actor.Kind.STATE_FORCES,
    "foreign or coalition forces": Actor.Kind.FOREIGN_FORCES,
    "criminal": Actor.Kind.CRIMINAL,
    "unaffiliated": Actor.Kind.OTHER,
    "aid recipient": Actor.Kind.OTHER,
    "staff member": Actor.Kind.OTHER,
    "unknown": Actor.Kind.UNKNOWN,
    "": Actor.Kind.UNKNOWN,
}
# What the AWSD's Country column names that is a territory of a country: the country's code and
# the region it designates, used when the Region column is empty. The rows coded "Chechnya" are
# the conflict in Russia's North Caucasus, their Region column naming Ingushetia, Dagestan...
TERRITORIES = {"chechnya": ("RU", "Chechnya")}
TERRITORY_AS_COUNTRY = gettext_noop("a territory named as the country")
COUNTRY_FROM_COORDINATES = gettext_noop("no country: the one country whose outline holds the coordinates")
PERPETRATOR = IncidentActor.Role.PERPETRATOR
CASUALTY_COLUMNS = ("total killed", "total wounded", "total kidnapped")
STAFF_COLUMNS = ("total internationals", "un", "ingo", "nngo", "icrc", "nrcs and ifrc")
NOT_AN_ACTOR = frozenset({"", "unknown", "not applicable", "n/a", "none"})
CONTEXT_COLUMNS = (
    ("means of attack", "Means of attack"),
    ("attack context", "Attack context"),
    ("location", "Location"),
    ("motive", "Motive"),
    ("actor type", "Actor type"),
    ("verified", "Verified"),
)


class Unknown(NamedTuple):
    """A value the importer does not know: kept on the incident in the source's words, and reported."""

    field_name: str
    value: str
    imported_as: str


def territory_region(country_name: str) -> str:
    """The region a territory named as the country designates ("" for a country's own name)."""
    return TERRITORIES.get(normalize_name(country_name), ("", ""))[1]


def what() -> str:
    return _("an Aid Worker Security Database export")


def actor_kind(actor_type: str) -> str | None:
    """The kind of actor an Actor type gives; None for a type this importer does not know."""
    key = " ".join(actor_type.lower().split())
    if key in ACTOR_KINDS:
        return ACTOR_KINDS[key]
    if key.startswith("non-state armed group"):
        return Actor.Kind.ARMED_GROUP
    return None


def _words(text: str) -> set[str]:
    return set("".join(char if char.isalnum() else " " for char in text.lower()).split())


def closest_type(means: str, types: dict[str, IncidentType]) -> IncidentType:
    """The type for a means of attack this importer does not know: the one type whose name holds
    every word of it ("Detention/arrest" is "Arrest / detention"), else "other"."""
    words = _words(means)
    fits = [kind for kind in types.values() if words and words <= _words(kind.name) | _words(kind.slug)]
    return fits[0] if len(fits) == 1 else types[OTHER_TYPE]


def parse_date(year: str, month: str, day: str) -> tuple[dt.date | None, str, str]:
    """The date, its precision, or the reason it is not a date."""
    if not year.isdigit() or not 1900 <= int(year) <= 2100:
        return None, "", _("Year %(value)r is not a year") % {"value": year}
    if not month:
        return dt.date(int(year), 1, 1), DatePrecision.YEAR, ""
    if not month.isdigit() or not 1 <= int(month) <= 12:
        return None, "", _("Month %(value)r is not a month (1-12)") % {"value": month}
    if not day:
        return dt.date(int(year), int(month), 1), DatePrecision.MONTH, ""
    try:
        return dt.date(int(year), int(month), int(day)), DatePrecision.DAY, ""
    except ValueError:
        return None, "", _("%(year)s-%(month)s-%(day)s is not a date") % {"year": year, "month": month, "day": day}


def targets(staff: dict[str, int]) -> set[str]:
    """The target types the counts of staff give."""
    found = set()
    if staff["ingo"] + staff["nngo"] + staff["icrc"] + staff["nrcs and ifrc"]:
        found.add("ngo-staff")
    if staff["un"]:
        found.add("un-staff")
    if staff["total internationals"]:
        found.add("foreigners")
    return found


def title(means: str, place: str, occurred_on: dt.date, precision: str) -> str:
    what_happened = means.lower() if means.lower() not in ("", "unknown") else "attack"
    return f"Aid workers: {what_happened} in {place}, {date_label(occurred_on, precision)}"


# Reading ---------------------------------------------------------------------------------


def read_table(path: Path) -> CsvTable:
    table = read_csv(path, what=what())
    require_columns(path, table.columns, REQUIRED_COLUMNS, what=what())
    return table


def layout_note(table: CsvTable) -> str:
    """What the summary says of an older layout: the columns of today's export that the file lacks."""
    missing = [column for column in OPTIONAL_COLUMNS if column not in table.columns]
    if not missing:
        return ""
    return _("Older column layout, without: %(columns)s; read as blank.") % {"columns": ", ".join(missing)}


# Matching --------------------------------------------------------------------------------


class CountryRepair(NamedTuple):
    """A row whose Country column names no country of ours, read as one: the repair and its kind."""

    country: Country
    sentence: str
    kind: str


class AwsdImport:
    def __init__(self, report: ImportReport) -> None:
        self.report = report
        self.places = Places(source=SOURCE)
        self.types = {t.slug: t for t in IncidentType.objects.all()}
        self.latest = (timezone.now() + MAX_UTC_OFFSET).date()
        self.seen: dict[str, int] = {}

    def plan(self, row: CsvRow) -> Planned | None:
        external_id = row.get("incident id")
        reasons = self._problems(row, external_id)
        if not reasons:
            planned, reasons = self._planned(row, external_id)
            if planned is not None:
                return planned
        self.report.reject(row.line, external_id, "; ".join(reasons))
        return None

    def _problems(self, row: CsvRow, external_id: str) -> list[str]:
        if row.problem:
            return [row.problem]
        if not external_id:
            return [_("Incident ID is empty")]
        if len(external_id) > 64:
            return [_("Incident ID is longer than 64 characters")]
        if external_id in self.seen:
            return [
                _("Incident ID %(id)s is also on line %(line)s") % {"id": external_id, "line": self.seen[external_id]}
            ]
        self.seen[external_id] = row.line
        return []

    def _country(self, row: CsvRow) -> tuple[Country | None, str, CountryRepair | None]:
        """The row's country, or the reason it has none, and how it was repaired if it was."""
        code, name = row.get("country code"), row.get("country")
        if code:
            country = self.places.countries.code(code)
            if country is None:
                return None, _("country code %(code)r is not a country in our table") % {"code": code}, None
            return country, "", None
        country = self.places.countries.name(name)
        if country is not None:
            return country, "", None
        repair = self._country_repair(name, row.get("latitude"), row.get("longitude"))
        if repair is None:
            return None, _("no Country Code, and %(name)r is not a country in our table") % {"name": name}, None
        return repair.country, "", repair

    def _country_repair(self, name: str, latitude: str, longitude: str) -> CountryRepair | None:
        """A territory the AWSD names as a country, else the one country the coordinates are in."""
        territory = TERRITORIES.get(normalize_name(name))
        if territory is not None and (country := self.places.countries.code(territory[0])):
            sentence = f"country {name} read as {country.name}"
            return CountryRepair(country, sentence, TERRITORY_AS_COUNTRY)
        lat, lon, reason = parse_coordinates(latitude, longitude)
        if lat is None or lon is None or reason:
            return None
        codes = countries_at(latitude=lat, longitude=lon)
        if len(codes) != 1 or (country := self.places.countries.code(codes[0])) is None:
            return None
        sentence = f"country {name or '(blank)'} read as {country.name}, where its coordinates are"
        return CountryRepair(country, sentence, COUNTRY_FROM_COORDINATES)

    def _planned(self, row: CsvRow, external_id: str) -> tuple[Planned | None, list[str]]:
        unknown: list[Unknown] = []
        occurred_on, precision, reason = parse_date(row.get("year"), row.get("month"), row.get("day"))
        reasons = [reason]
        if occurred_on is not None and occurred_on > self.latest:
            reasons.append(_("the date %(date)s is in the future") % {"date": occurred_on.isoformat()})
        means = row.get("means of attack")
        incident_type = self._type(means, unknown)
        casualties: dict[str, int | None] = {}
        for column in CASUALTY_COLUMNS:
            casualties[column], reason = parse_known_count(row.get(column), column)
            reasons.append(reason)
        staff: dict[str, int] = {}
        for column in STAFF_COLUMNS:
            staff[column], reason = parse_count(row.get(column), column, blank=0)
            reasons.append(reason)
        description = self._description(row)
        if len(description) > DESCRIPTION_MAX_LENGTH:
            reasons.append(
                _("Details are %(length)s characters long; the most a description holds is %(max)s")
                % {"length": f"{len(description):,}", "max": f"{DESCRIPTION_MAX_LENGTH:,}"}
            )
        actor_name = row.get("actor name")
        if len(actor_name) > ACTOR_NAME_MAX_LENGTH:
            reasons.append(_("Actor name is longer than %(max)s characters") % {"max": ACTOR_NAME_MAX_LENGTH})
        country, reason, country_repair = self._country(row)
        reasons.append(reason)
        coordinates = self.places.coordinates(country, row.get("latitude"), row.get("longitude"))
        reasons.append(coordinates.reason)
        location = Location()
        if country is not None and not reason and not coordinates.reason:
            location = self.places.locate(
                country,
                region_name=row.get("region") or territory_region(row.get("country")),
                latitude=coordinates.latitude,
                longitude=coordinates.longitude,
            )
            reasons.append(location.reason)
        reasons = [reason for reason in reasons if reason]
        if reasons:
            return None, reasons
        assert occurred_on is not None and country is not None
        if location.unknown_region:
            where = location.region.name if location.region else _("placed by its coordinates")
            if location.region is None and coordinates.latitude is None:
                where = _("country level")
            unknown.append(Unknown(_("Region"), location.unknown_region, f"{country.name}, {where}"))
        killed, injured, abducted = (casualties[column] for column in CASUALTY_COLUMNS)
        place = row.get("city") or row.get("district") or row.get("region")
        actors = []
        if actor_name.lower() not in NOT_AN_ACTOR:
            actors.append(ActorPart(actor_name, self._actor_kind(row.get("actor type"), unknown), PERPETRATOR))
        sources = [_("Aid Worker Security Database, incident %(id)s") % {"id": external_id}]
        if row.get("source"):
            sources.append(f"AWSD source: {row.get('source')}")
        for item in unknown:
            self.report.met_unknown(item.field_name, item.value, item.imported_as)
        repairs, kinds = list(coordinates.repairs), list(coordinates.kinds)
        if country_repair is not None:
            repairs.insert(0, country_repair.sentence)
            kinds.append(country_repair.kind)
        self.report.repaired(*kinds)
        planned = Planned(
            external_id=external_id,
            line=row.line,
            values={
                "title": fit(title(means, ", ".join(filter(None, [place, country.name])), occurred_on, precision), 200),
                "incident_type_id": incident_type.pk,
                "description": description,
                "severity": severity_for(
                    default=incident_type.default_severity, killed=killed, injured=injured, abducted=abducted
                ),
                "occurred_on": occurred_on,
                "date_precision": precision,
                "country_id": country.pk,
                "region_id": location.region.pk if location.region else None,
                "place_name": fit(place, 200),
                "latitude": coordinates.latitude,
                "longitude": coordinates.longitude,
                "location_precision": self._precision(row, location, coordinates),
                "killed": killed,
                "injured": injured,
                "abducted": abducted,
                "sources": "\n".join(sources),
                "import_repairs": repairs,
                "source_terms": {item.field_name: item.value for item in unknown},
            },
            actors=actors,
            target_types=targets(staff),
        )
        return planned, []

    def _type(self, means: str, unknown: list[Unknown]) -> IncidentType:
        slug = MEANS_OF_ATTACK.get(" ".join(means.lower().split()))
        if slug is not None:
            return self.types[slug]
        closest = closest_type(means, self.types)
        unknown.append(Unknown(_("Means of attack"), means, closest.name))
        return closest

    @staticmethod
    def _actor_kind(actor_type: str, unknown: list[Unknown]) -> str:
        kind = actor_kind(actor_type)
        if kind is None:
            unknown.append(Unknown(_("Actor type"), actor_type, str(Actor.Kind.OTHER.label)))
            return Actor.Kind.OTHER
        return kind

    @staticmethod
    def _precision(row: CsvRow, location: Location, coordinates: Coordinates) -> str:
        if location.region is None and coordinates.latitude is None:
            return LocationPrecision.COUNTRY
        if row.get("city"):
            return LocationPrecision.NEAR
        if row.get("district") or row.get("region"):
            return LocationPrecision.REGION
        return LocationPrecision.COUNTRY

    @staticmethod
    def _description(row: CsvRow) -> str:
        context = ". ".join(f"{label}: {row.get(column)}" for column, label in CONTEXT_COLUMNS if row.get(column))
        return "\n\n".join(part for part in (row.get("details"), f"{context}." if context else "") if part)


def match_incidents(table: CsvTable, report: ImportReport, progress: Progress[Any]) -> list[Planned]:
    """The incidents the file's good rows describe; bad rows are rejected in the report."""
    if note := layout_note(table):
        report.notes.append(note)
    importer = AwsdImport(report)
    rows = progress(table.rows, len(table.rows), _("Reading incidents"))
    return [plan for row in rows if (plan := importer.plan(row))]


awsd_import = IncidentImporter(source=SOURCE, read=read_table, match=match_incidents)
