"""Writes about threats, security reports and contact points."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models.places import City, Country, Region, Source
from ..models.reports import (
    ContactPoint,
    ReportSection,
    SecurityReport,
    SecurityReportRevision,
    ThreatCategory,
    ThreatLevel,
    ThreatRating,
)
from .common import Outcome, apply, check_region_in_country, create_validated, save_changes, upsert, validated


def threat_rating_set(
    *,
    country: Country,
    region: Region | None = None,
    city: City | None = None,
    category: ThreatCategory,
    level: int,
    assessed_on: dt.date,
    source: Source | None = None,
    note: str = "",
    note_fr: str | None = None,
) -> tuple[ThreatRating, Outcome]:
    """Set the rating of one threat category for a country, a region or a city.

    A rating assessed later than the one offered is left alone, as advisory_set does, so an
    older document never overrides a newer one. `note_fr` left as None keeps the French note.
    """
    if level not in ThreatLevel.values:
        raise ValidationError(_("A threat level is 1, 2, 3 or 4, not %(level)s.") % {"level": level})
    check_region_in_country(region, country)
    if city is not None:
        if city.country_id != country.pk:
            raise ValidationError(_("City %(city)s is not in %(country)s.") % {"city": city, "country": country.name})
        region = city.region
    values: dict[str, Any] = {"level": level, "assessed_on": assessed_on, "source": source, "note": note}
    if note_fr is not None:
        values["note_fr"] = note_fr
    with transaction.atomic():
        place: dict[str, Any] = (
            {"city": city} if city is not None else {"country": country, "region": region, "city": None}
        )
        rating = ThreatRating.objects.select_for_update(of=("self",)).filter(category=category, **place).first()
        if rating is None:
            rating = ThreatRating(country=country, region=region, city=city, category=category, **values)
            return create_validated(rating), Outcome.CREATED
        if rating.assessed_on > assessed_on:
            return rating, Outcome.SUPERSEDED
        return rating, save_changes(rating, apply(rating, {"region": region, **values}))


def contact_point_upsert(
    *,
    country: Country,
    kind: str,
    name: str,
    last_verified_on: dt.date,
    region: Region | None = None,
    address: str = "",
    phones: Sequence[str] = (),
    email: str = "",
    website: str = "",
    hours: str = "",
    languages: str = "",
    notes: str = "",
    source: Source | None = None,
    position: int = 0,
    french: dict[str, str] | None = None,
) -> tuple[ContactPoint, Outcome]:
    """Create or update a contact point, matched by country, kind and name.

    `french` gives the French texts beside the English ones (`name_fr`, `hours_fr`, `notes_fr`);
    those it leaves out are kept as they are."""
    check_region_in_country(region, country)
    phone_list = [phone.strip() for phone in phones]
    if any(not phone for phone in phone_list):
        raise ValidationError(_("A phone number of %(name)s is empty.") % {"name": name})
    values = {
        "region": region,
        "address": address,
        "phones": phone_list,
        "email": email,
        "website": website,
        "hours": hours,
        "languages": languages,
        "notes": notes,
        "last_verified_on": last_verified_on,
        "source": source,
        "position": position,
        **_french_values(french, ("name_fr", "hours_fr", "notes_fr")),
    }
    return upsert(ContactPoint, {"country": country, "kind": kind, "name": name}, values)


@dataclass(frozen=True)
class SectionInput:
    """One section of a security report revision, in the order it is given."""

    kind: str
    heading: str
    body: str
    source: Source | None = None
    heading_fr: str = ""
    body_fr: str = ""


def _french_values(french: dict[str, str] | None, allowed: tuple[str, ...]) -> dict[str, str]:
    unknown = set(french or {}) - set(allowed)
    if unknown:
        raise ValueError(f"Unknown French fields: {sorted(unknown)}")
    return dict(french or {})


def _section_key(kind: str, heading: str, body: str, source_id: int | None) -> tuple[str, str, str, int | None]:
    return (kind, heading, body, source_id)


def security_report_revision_publish(
    *,
    country: Country,
    title: str,
    what_changed: str,
    published_at: dt.datetime,
    sections: Sequence[SectionInput],
    source: Source | None = None,
    title_fr: str | None = None,
) -> tuple[SecurityReportRevision, Outcome]:
    """Publish a revision of the country's report with this title, its sections in order.

    If the latest published revision already says exactly this, nothing is written
    (UNCHANGED). A revision published after the offered date is left alone (SUPERSEDED).
    Otherwise a new revision is added, so earlier revisions stay readable: CREATED for a
    report's first revision, UPDATED for a later one.

    French texts are translations, not news: when only they differ from the latest revision,
    they are set on it (UPDATED) rather than published as a new revision. `title_fr` left as
    None keeps the report's French title.
    """
    if timezone.is_naive(published_at):
        raise ValidationError(_("The publication time of a report revision needs a time zone."))
    if not sections:
        raise ValidationError(_("A report revision needs at least one section."))
    for section in sections:
        if section.kind not in ReportSection.Kind.values:
            raise ValidationError(_("Unknown report section kind %(kind)s.") % {"kind": section.kind})
        if not section.heading.strip() or not section.body.strip():
            raise ValidationError(_("Every report section needs a heading and a body."))
    wanted = [_section_key(s.kind, s.heading, s.body, s.source.pk if s.source else None) for s in sections]
    with transaction.atomic():
        report = SecurityReport.objects.select_for_update(of=("self",)).filter(country=country, title=title).first()
        if report is None:
            report = create_validated(SecurityReport(country=country, title=title, title_fr=title_fr or ""))
            title_changed = False
        else:
            title_changed = title_fr is not None and save_changes(report, apply(report, {"title_fr": title_fr})) == (
                Outcome.UPDATED
            )
        latest = report.revisions.exclude(published_at=None).order_by("-number").first()
        if latest is not None and latest.published_at is not None:
            if latest.published_at > published_at:
                return latest, Outcome.SUPERSEDED
            have = [_section_key(s.kind, s.heading, s.body, s.source_id) for s in latest.sections.order_by("position")]
            same_revision = (latest.what_changed, latest.published_at, latest.source_id) == (
                what_changed,
                published_at,
                source.pk if source else None,
            )
            if same_revision and have == wanted:
                translated = _sections_translate(list(latest.sections.order_by("position")), sections)
                return latest, Outcome.UPDATED if translated or title_changed else Outcome.UNCHANGED
        last_number = report.revisions.aggregate(last=Max("number"))["last"] or 0
        revision = SecurityReportRevision(
            report=report,
            number=last_number + 1,
            published_at=published_at,
            what_changed=what_changed,
            source=source,
        )
        create_validated(revision)
        rows = [
            ReportSection(
                revision=revision,
                kind=s.kind,
                heading=s.heading,
                heading_fr=s.heading_fr,
                position=n,
                body=s.body,
                body_fr=s.body_fr,
                source=s.source,
            )
            for n, s in enumerate(sections, start=1)
        ]
        for row in rows:
            validated(row, exclude=["revision"])
        ReportSection.objects.bulk_create(rows)
    return revision, Outcome.CREATED if latest is None else Outcome.UPDATED


def _sections_translate(rows: list[ReportSection], sections: Sequence[SectionInput]) -> bool:
    """Set the French of the published sections `rows` from `sections` (same order); True if any changed."""
    changed = False
    for row, section in zip(rows, sections, strict=True):
        outcome = save_changes(row, apply(row, {"heading_fr": section.heading_fr, "body_fr": section.body_fr}))
        changed = changed or outcome == Outcome.UPDATED
    return changed
