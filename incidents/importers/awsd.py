"""Import the Aid Worker Security Database (Humanitarian Outcomes, aidworkersecurity.org).

One row per incident in which aid workers were killed, wounded or kidnapped, worldwide.
The file may be UTF-8 or Latin-1/Windows-1252 (older downloads are).

How fields map: Incident ID to the external id; Year/Month/Day to the date, with the first
of the month or year and a month or year precision where Day or Month is missing; Country
Code (ISO alpha-2, else the Country name) to the country; Region by name, else by
coordinates where the country's boundaries are mapped, else none (the coordinates place the
incident); Means of attack to the incident type (MEANS_OF_ATTACK); the totals killed,
wounded and kidnapped to killed, injured and abducted; UN, NGO and Red Cross staff counts
and internationals to the target types; Actor name (unless unknown) to the perpetrator,
its kind from Actor type; Details, with the attack's context, to the description.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from advisories.models import Country
from config.importing.files import CsvRow, CsvTable, read_csv, require_columns
from config.importing.report import Progress

from ..models import DESCRIPTION_MAX_LENGTH, Actor, DatePrecision, IncidentActor, IncidentType, LocationPrecision
from ..services import MAX_UTC_OFFSET
from .base import ImportReport, date_label, fit, parse_coordinates, parse_count, severity_for
from .places import Places
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
    "un",
    "ingo",
    "nngo",
    "total internationals",
    "total killed",
    "total wounded",
    "total kidnapped",
    "means of attack",
    "latitude",
    "longitude",
    "actor type",
    "actor name",
    "details",
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
ACTOR_KINDS = {
    "non-state armed group: global": Actor.Kind.VIOLENT_EXTREMIST,
    "host state": Actor.Kind.STATE_FORCES,
    "police or paramilitary": Actor.Kind.STATE_FORCES,
    "state: unknown": Actor.Kind.STATE_FORCES,
    "foreign or coalition forces": Actor.Kind.FOREIGN_FORCES,
    "criminal": Actor.Kind.CRIMINAL,
    "unknown": Actor.Kind.UNKNOWN,
    "": Actor.Kind.UNKNOWN,
}
NOT_AN_ACTOR = frozenset({"", "unknown", "not applicable", "n/a", "none"})
CONTEXT_COLUMNS = (
    ("means of attack", "Means of attack"),
    ("attack context", "Attack context"),
    ("location", "Location"),
    ("motive", "Motive"),
    ("actor type", "Actor type"),
    ("verified", "Verified"),
)


def what() -> str:
    return _("an Aid Worker Security Database export")


def actor_kind(actor_type: str) -> str:
    key = " ".join(actor_type.lower().split())
    if key in ACTOR_KINDS:
        return ACTOR_KINDS[key]
    if key.startswith("non-state armed group"):
        return Actor.Kind.ARMED_GROUP
    return Actor.Kind.OTHER


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


def title(means: str, place: str, occurred_on: dt.date, precision: str) -> str:
    what_happened = means.lower() if means.lower() not in ("", "unknown") else "attack"
    return f"Aid workers: {what_happened} in {place}, {date_label(occurred_on, precision)}"


# Reading ---------------------------------------------------------------------------------


def read_table(path: Path) -> CsvTable:
    table = read_csv(path, what=what())
    require_columns(path, table.columns, REQUIRED_COLUMNS, what=what())
    return table


# Matching --------------------------------------------------------------------------------


class AwsdImport:
    def __init__(self, report: ImportReport) -> None:
        self.report = report
        self.places = Places()
        self.types = {t.slug: t for t in IncidentType.objects.filter(slug__in=set(MEANS_OF_ATTACK.values()))}
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

    def _country(self, row: CsvRow) -> tuple[Country | None, str]:
        code, name = row.get("country code"), row.get("country")
        if code:
            country = self.places.countries.code(code)
            if country is None:
                return None, _("country code %(code)r is not a country in our table") % {"code": code}
            return country, ""
        country = self.places.countries.name(name)
        if country is None:
            return None, _("no Country Code, and %(name)r is not a country in our table") % {"name": name}
        return country, ""

    def _planned(self, row: CsvRow, external_id: str) -> tuple[Planned | None, list[str]]:
        reasons: list[str] = []
        occurred_on, precision, reason = parse_date(row.get("year"), row.get("month"), row.get("day"))
        reasons.append(reason)
        if occurred_on is not None and occurred_on > self.latest:
            reasons.append(_("the date %(date)s is in the future") % {"date": occurred_on.isoformat()})
        means = row.get("means of attack")
        type_slug = MEANS_OF_ATTACK.get(" ".join(means.lower().split()))
        if type_slug is None:
            reasons.append(
                _("Means of attack %(value)r is not one this importer knows (%(known)s)")
                % {"value": means, "known": ", ".join(sorted(m for m in MEANS_OF_ATTACK if m))}
            )
        counts = {}
        for column in (
            "total killed",
            "total wounded",
            "total kidnapped",
            "total internationals",
            "un",
            "ingo",
            "nngo",
            "icrc",
            "nrcs and ifrc",
        ):
            counts[column], reason = parse_count(row.get(column), column, blank=0)
            reasons.append(reason)
        latitude, longitude, reason = parse_coordinates(row.get("latitude"), row.get("longitude"))
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
        country, reason = self._country(row)
        reasons.append(reason)
        region = None
        if country is not None and not reason:
            region, reason = self.places.place(
                country, region_name=row.get("region"), latitude=latitude, longitude=longitude
            )
            reasons.append(reason)
        reasons = [reason for reason in reasons if reason]
        if reasons:
            return None, reasons
        assert occurred_on is not None and country is not None and type_slug is not None
        incident_type = self.types[type_slug]
        killed, injured, abducted = counts["total killed"], counts["total wounded"], counts["total kidnapped"]
        place = row.get("city") or row.get("district") or row.get("region")
        targets = set()
        if counts["ingo"] + counts["nngo"] + counts["icrc"] + counts["nrcs and ifrc"]:
            targets.add("ngo-staff")
        if counts["un"]:
            targets.add("un-staff")
        if counts["total internationals"]:
            targets.add("foreigners")
        actors = []
        if actor_name.lower() not in NOT_AN_ACTOR:
            actors.append(ActorPart(actor_name, actor_kind(row.get("actor type")), IncidentActor.Role.PERPETRATOR))
        sources = [_("Aid Worker Security Database, incident %(id)s") % {"id": external_id}]
        if row.get("source"):
            sources.append(f"AWSD source: {row.get('source')}")
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
                "region_id": region.pk if region else None,
                "place_name": fit(place, 200),
                "latitude": latitude,
                "longitude": longitude,
                "location_precision": self._precision(row),
                "killed": killed,
                "injured": injured,
                "abducted": abducted,
                "sources": "\n".join(sources),
            },
            actors=actors,
            target_types=targets,
        )
        return planned, []

    @staticmethod
    def _precision(row: CsvRow) -> str:
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
    importer = AwsdImport(report)
    rows = progress(table.rows, len(table.rows), _("Reading incidents"))
    return [plan for row in rows if (plan := importer.plan(row))]


awsd_import = IncidentImporter(source=SOURCE, read=read_table, match=match_incidents)
