"""Plain data shapes for the incidents demo data: values only, no database objects.

The loader turns them into rows. Every incident names the slug of its source document
(`advisories.demo.sources`), so each fact can be traced back to the document it comes from.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from incidents.models import Role, SharingLevel


@dataclass(frozen=True)
class ActorRecord:
    name: str
    kind: str
    description: str
    source: str
    # Other spellings: the documents' own, and ACLED's where the reference export uses one,
    # so that imported ACLED events find the same actor.
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class IncidentRecord:
    # The stable external id (external_source "demo"): a second run finds the row by it.
    key: str
    title: str
    incident_type: str  # an IncidentType slug
    occurred_on: dt.date  # the first day of the period when only the month or year is known
    date_precision: str
    # "" when the document names no region; the place is then only known to be in the country.
    region_code: str
    place_name: str
    location_precision: str
    severity: int
    description: str
    source: str  # the slug of the source document
    sources: str  # the line readers see: which document, which part of it
    occurred_at_time: dt.time | None = None
    # Only the figures the document gives; None (not known) otherwise, and the description says
    # "not stated".
    killed: int | None = None
    injured: int | None = None
    abducted: int | None = None
    perpetrators: tuple[str, ...] = ()  # actor names
    targets: tuple[str, ...] = ()  # actor names hit by it
    involved: tuple[str, ...] = ()  # actor names otherwise part of it
    target_types: tuple[str, ...] = ()  # TargetType slugs
    # Organisation-logged demo incidents only: who logged it and who may see it.
    organisation: str = ""  # an organisation slug
    reporter: str = ""  # a username
    sharing_level: str = SharingLevel.CLEAR


@dataclass(frozen=True)
class OrganisationRecord:
    slug: str
    name: str
    kind: str
    time_zone: str = "Africa/Bamako"


@dataclass(frozen=True)
class MemberRecord:
    username: str
    organisation: str  # an organisation slug
    role: Role
