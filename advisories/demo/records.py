"""Plain data shapes for the demonstration dataset: no database objects, only values.

The loader turns these into rows through the services. Every record names the slug of the
source document it comes from, so each fact can be traced back.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal


@dataclass(frozen=True)
class SourceRecord:
    slug: str
    title: str
    publisher: str
    kind: str
    published_on: dt.date | None = None
    url: str = ""
    notes: str = ""


@dataclass(frozen=True)
class AdvisoryRecord:
    """A country advisory (region_code empty) or a region's advisory."""

    level: int
    indicators: str
    summary: str
    source: str
    issued_on: dt.date
    region_code: str = ""
    summary_fr: str = ""


@dataclass(frozen=True)
class CityRecord:
    name: str
    region_code: str
    # Coordinates stay empty: no seed document gives them.
    latitude: Decimal | None = None
    longitude: Decimal | None = None


@dataclass(frozen=True)
class ThreatRatingRecord:
    city: str
    category: str
    level: int
    note: str
    source: str
    assessed_on: dt.date
    note_fr: str = ""


@dataclass(frozen=True)
class ContactRecord:
    kind: str
    name: str
    source: str
    last_verified_on: dt.date
    position: int
    region_code: str = ""
    address: str = ""
    phones: tuple[str, ...] = ()
    email: str = ""
    hours: str = ""
    languages: str = ""
    notes: str = ""
    name_fr: str = ""
    hours_fr: str = ""
    notes_fr: str = ""


@dataclass(frozen=True)
class SectionRecord:
    kind: str
    heading: str
    body: str
    heading_fr: str = ""
    body_fr: str = ""


@dataclass(frozen=True)
class ReportRecord:
    title: str
    what_changed: str
    published_at: dt.datetime
    source: str
    sections: tuple[SectionRecord, ...]
    title_fr: str = ""


@dataclass(frozen=True)
class AssessmentRecord:
    indicator: str
    summary: str
    score: Decimal | None = None


@dataclass(frozen=True)
class CrimeProfileRecord:
    edition: int
    source: str
    summary: str
    resilience_score: Decimal | None = None
    assessments: tuple[AssessmentRecord, ...] = field(default_factory=tuple)
