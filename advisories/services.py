"""Writes to the advisories app. Every function runs in one transaction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Any

import pycountry
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import (
    Advisory,
    AdvisoryLevel,
    City,
    ContactPoint,
    Country,
    CrimeIndicator,
    CrimeIndicatorAssessment,
    CrimeProfile,
    Region,
    ReportSection,
    RiskIndicator,
    SecurityReport,
    SecurityReportRevision,
    Source,
    ThreatCategory,
    ThreatLevel,
    ThreatRating,
)
from .signals import advisory_changed


class Outcome(StrEnum):
    """What a write did, so commands can report created / updated / unchanged counts."""

    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    # The place already has a current advisory issued later than the one offered.
    SUPERSEDED = "superseded"


@dataclass(frozen=True)
class SyncResult:
    countries_created: int
    regions_created: int
    regions_renamed: int


def countries_sync(*, country_model: Any = Country, region_model: Any = Region) -> SyncResult:
    """Create every ISO 3166-1 country and its first-level ISO 3166-2 subdivisions.

    Safe to run again: existing rows are matched by code, only missing rows are created and
    only changed names are updated. The model arguments let a data migration pass its
    historical models.
    """
    with transaction.atomic():
        existing = {c.code: c for c in country_model.objects.all()}
        new_countries = [
            country_model(
                code=c.alpha_2,
                alpha3=c.alpha_3,
                numeric=getattr(c, "numeric", ""),
                name=getattr(c, "common_name", c.name),
                official_name=getattr(c, "official_name", ""),
            )
            for c in pycountry.countries
            if c.alpha_2 not in existing
        ]
        country_model.objects.bulk_create(new_countries)
        by_code = {c.code: c for c in country_model.objects.all()}

        regions = {r.code: r for r in region_model.objects.all()}
        new_regions, renamed = [], []
        for sub in pycountry.subdivisions:
            if sub.parent_code is not None or sub.country_code not in by_code:
                continue
            region = regions.get(sub.code)
            if region is None:
                new_regions.append(
                    region_model(country=by_code[sub.country_code], code=sub.code, name=sub.name, kind=sub.type)
                )
            elif (region.name, region.kind) != (sub.name, sub.type):
                region.name, region.kind = sub.name, sub.type
                renamed.append(region)
        region_model.objects.bulk_create(new_regions, batch_size=500)
        region_model.objects.bulk_update(renamed, ["name", "kind"], batch_size=500)
    return SyncResult(len(new_countries), len(new_regions), len(renamed))


def normalize_indicators(value: str) -> str:
    """Upper-case, de-duplicate and order indicator letters as the RiskIndicator enum does."""
    letters = {letter for letter in value.upper() if not letter.isspace() and letter != ","}
    unknown = letters - set(RiskIndicator.values)
    if unknown:
        raise ValidationError(
            _("Unknown risk indicator %(letters)s; use %(allowed)s.")
            % {"letters": ", ".join(sorted(unknown)), "allowed": ", ".join(RiskIndicator.values)}
        )
    return "".join(letter for letter in RiskIndicator.values if letter in letters)


def advisory_set(
    *,
    country: Country,
    region: Region | None = None,
    level: int,
    indicators: str | None = None,
    summary: str | None = None,
    source: Source | None = None,
    issued_on: dt.date,
) -> tuple[Advisory, Outcome]:
    """Make this the current advisory of the country (or of the region, if one is given).

    An identical current advisory is left alone, and so is one issued on a later date: an
    older document never overrides a newer one, whichever order they are loaded in.
    Otherwise the previous one stops being current and a new row is written, so the
    history of levels is kept.

    `indicators` or `summary` left as None keep the current advisory's values (a source that
    gives only a level, such as the U.S. summary table, must not wipe the indicators).
    """
    if level not in AdvisoryLevel.values:
        raise ValidationError(_("An advisory level is 1, 2, 3 or 4, not %(level)s.") % {"level": level})
    if region is not None and region.country_id != country.pk:
        raise ValidationError(
            _("Region %(region)s is not in %(country)s.") % {"region": region.code, "country": country.name}
        )
    with transaction.atomic():
        current = (
            Advisory.objects.select_for_update()
            .filter(country=country, region=region, is_current=True)
            # No default ordering: it joins the nullable region, which FOR UPDATE refuses on PostgreSQL.
            .order_by("pk")
            .first()
        )
        if indicators is None:
            indicators = current.indicators if current else ""
        if summary is None:
            summary = current.summary if current else ""
        indicators = normalize_indicators(indicators)
        wanted = (level, indicators, summary, source.pk if source else None, issued_on)
        if current is not None:
            if current.issued_on > issued_on:
                return current, Outcome.SUPERSEDED
            if (current.level, current.indicators, current.summary, current.source_id, current.issued_on) == wanted:
                return current, Outcome.UNCHANGED
            current.is_current = False
            current.save(update_fields=["is_current", "updated_at"])
        advisory = Advisory.objects.create(
            country=country,
            region=region,
            level=level,
            indicators=indicators,
            summary=summary,
            source=source,
            issued_on=issued_on,
        )
        if current is None or (current.level, current.indicators) != (advisory.level, advisory.indicators):
            advisory_id, previous_id = advisory.pk, current.pk if current else None
            transaction.on_commit(
                lambda: advisory_changed.send(sender=Advisory, advisory_id=advisory_id, previous_id=previous_id)
            )
    return advisory, Outcome.CREATED if current is None else Outcome.UPDATED


# --- Upserts used by the demo loader and by importers ------------------------------------
# Each writes only when something differs, so loading the same data twice changes no row
# (and no updated_at), and says what it did.


def _validated(obj: Any, *, exclude: list[str] | None = None) -> None:
    """Run the model's own validation so bad input fails with a message, not a database error."""
    obj.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)


def _apply(obj: Any, values: dict[str, Any]) -> list[str]:
    """Set the values that differ on obj and return the names of the fields that changed."""
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    for name in changed:
        setattr(obj, name, values[name])
    return changed


def _save_changes(obj: Any, changed: list[str]) -> Outcome:
    if not changed:
        return Outcome.UNCHANGED
    _validated(obj)
    update_fields = [*changed, "updated_at"] if hasattr(obj, "updated_at") else changed
    obj.save(update_fields=update_fields)
    return Outcome.UPDATED


def source_upsert(
    *,
    slug: str,
    title: str,
    publisher: str,
    kind: str,
    url: str = "",
    published_on: dt.date | None = None,
    notes: str = "",
) -> tuple[Source, Outcome]:
    """Create or update the source document known by this slug."""
    values = {
        "title": title,
        "publisher": publisher,
        "kind": kind,
        "url": url,
        "published_on": published_on,
        "notes": notes,
    }
    with transaction.atomic():
        source = Source.objects.select_for_update(of=("self",)).filter(slug=slug).first()
        if source is None:
            source = Source(slug=slug, **values)
            _validated(source)
            source.save()
            return source, Outcome.CREATED
        return source, _save_changes(source, _apply(source, values))


def city_upsert(
    *,
    country: Country,
    name: str,
    region: Region | None = None,
    latitude: Decimal | None = None,
    longitude: Decimal | None = None,
) -> tuple[City, Outcome]:
    """Create or update a city, matched by its name within its country."""
    if region is not None and region.country_id != country.pk:
        raise ValidationError(
            _("Region %(region)s is not in %(country)s.") % {"region": region.code, "country": country.name}
        )
    values = {"region": region, "latitude": latitude, "longitude": longitude}
    with transaction.atomic():
        city = City.objects.select_for_update(of=("self",)).filter(country=country, name=name).first()
        if city is None:
            city = City(country=country, name=name, **values)
            _validated(city)
            city.save()
            return city, Outcome.CREATED
        return city, _save_changes(city, _apply(city, values))


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
) -> tuple[ThreatRating, Outcome]:
    """Set the rating of one threat category for a country, a region or a city.

    A rating assessed later than the one offered is left alone, as advisory_set does, so an
    older document never overrides a newer one.
    """
    if level not in ThreatLevel.values:
        raise ValidationError(_("A threat level is 1, 2, 3 or 4, not %(level)s.") % {"level": level})
    if region is not None and region.country_id != country.pk:
        raise ValidationError(
            _("Region %(region)s is not in %(country)s.") % {"region": region.code, "country": country.name}
        )
    if city is not None:
        if city.country_id != country.pk:
            raise ValidationError(_("City %(city)s is not in %(country)s.") % {"city": city, "country": country.name})
        region = city.region
    values = {"level": level, "assessed_on": assessed_on, "source": source, "note": note}
    with transaction.atomic():
        place: dict[str, Any] = (
            {"city": city} if city is not None else {"country": country, "region": region, "city": None}
        )
        rating = ThreatRating.objects.select_for_update(of=("self",)).filter(category=category, **place).first()
        if rating is None:
            rating = ThreatRating(country=country, region=region, city=city, category=category, **values)
            _validated(rating)
            rating.save()
            return rating, Outcome.CREATED
        if rating.assessed_on > assessed_on:
            return rating, Outcome.SUPERSEDED
        return rating, _save_changes(rating, _apply(rating, {"region": region, **values}))


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
) -> tuple[ContactPoint, Outcome]:
    """Create or update a contact point, matched by country, kind and name."""
    if region is not None and region.country_id != country.pk:
        raise ValidationError(
            _("Region %(region)s is not in %(country)s.") % {"region": region.code, "country": country.name}
        )
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
    }
    with transaction.atomic():
        contact = (
            ContactPoint.objects.select_for_update(of=("self",)).filter(country=country, kind=kind, name=name).first()
        )
        if contact is None:
            contact = ContactPoint(country=country, kind=kind, name=name, **values)
            _validated(contact)
            contact.save()
            return contact, Outcome.CREATED
        return contact, _save_changes(contact, _apply(contact, values))


@dataclass(frozen=True)
class SectionInput:
    """One section of a security report revision, in the order it is given."""

    kind: str
    heading: str
    body: str
    source: Source | None = None


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
) -> tuple[SecurityReportRevision, Outcome]:
    """Publish a revision of the country's report with this title, its sections in order.

    If the latest published revision already says exactly this, nothing is written
    (UNCHANGED). A revision published after the offered date is left alone (SUPERSEDED).
    Otherwise a new revision is added, so earlier revisions stay readable: CREATED for a
    report's first revision, UPDATED for a later one.
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
            report = SecurityReport(country=country, title=title)
            _validated(report)
            report.save()
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
                return latest, Outcome.UNCHANGED
        last_number = report.revisions.aggregate(last=Max("number"))["last"] or 0
        revision = SecurityReportRevision(
            report=report,
            number=last_number + 1,
            published_at=published_at,
            what_changed=what_changed,
            source=source,
        )
        _validated(revision)
        revision.save()
        rows = [
            ReportSection(revision=revision, kind=s.kind, heading=s.heading, position=n, body=s.body, source=s.source)
            for n, s in enumerate(sections, start=1)
        ]
        for row in rows:
            _validated(row, exclude=["revision"])
        ReportSection.objects.bulk_create(rows)
    return revision, Outcome.CREATED if latest is None else Outcome.UPDATED


@dataclass(frozen=True)
class AssessmentInput:
    """One market, actor type or resilience indicator of a crime profile."""

    indicator: str
    summary: str
    score: Decimal | None = None


def crime_profile_upsert(
    *,
    country: Country,
    edition: int,
    source: Source,
    summary: str = "",
    criminality_score: Decimal | None = None,
    criminal_markets_score: Decimal | None = None,
    criminal_actors_score: Decimal | None = None,
    resilience_score: Decimal | None = None,
    assessments: Sequence[AssessmentInput] = (),
) -> tuple[CrimeProfile, Outcome]:
    """Create or update a country's organized-crime profile for one edition.

    The profile ends up with exactly the assessments given: missing ones are added, changed
    ones updated, and ones no longer given removed.
    """
    indicators = [a.indicator for a in assessments]
    unknown = sorted(set(indicators) - set(CrimeIndicator.values))
    if unknown:
        raise ValidationError(_("Unknown crime indicator %(names)s.") % {"names": ", ".join(unknown)})
    repeated = sorted({i for i in indicators if indicators.count(i) > 1})
    if repeated:
        raise ValidationError(_("Crime indicator %(names)s is given twice.") % {"names": ", ".join(repeated)})
    values = {
        "source": source,
        "summary": summary,
        "criminality_score": criminality_score,
        "criminal_markets_score": criminal_markets_score,
        "criminal_actors_score": criminal_actors_score,
        "resilience_score": resilience_score,
    }
    with transaction.atomic():
        profile = CrimeProfile.objects.select_for_update(of=("self",)).filter(country=country, edition=edition).first()
        created = profile is None
        if profile is None:
            profile = CrimeProfile(country=country, edition=edition, **values)
            _validated(profile)
            profile.save()
            outcome = Outcome.CREATED
        else:
            outcome = _save_changes(profile, _apply(profile, values))
        if _assessments_sync(profile, assessments) and not created:
            # The assessments are part of the profile; a change to them is a change to it.
            if outcome is Outcome.UNCHANGED:
                profile.save(update_fields=["updated_at"])
            outcome = Outcome.UPDATED
    return profile, outcome


def _assessments_sync(profile: CrimeProfile, assessments: Sequence[AssessmentInput]) -> bool:
    """Make the profile's assessments exactly these; return whether anything was written."""
    existing = {a.indicator: a for a in profile.assessments.all()}
    wanted = {a.indicator for a in assessments}
    stale = [a.pk for indicator, a in existing.items() if indicator not in wanted]
    if stale:
        CrimeIndicatorAssessment.objects.filter(pk__in=stale).delete()
    wrote = bool(stale)
    for given in assessments:
        row = existing.get(given.indicator)
        if row is None:
            row = CrimeIndicatorAssessment(profile=profile, indicator=given.indicator)
        changed = _apply(row, {"summary": given.summary, "score": given.score})
        if row.pk is None or changed:
            _validated(row, exclude=["profile"])
            row.save()
            wrote = True
    return wrote
