"""Writes about places: the ISO countries and regions, cities, source documents and advisories."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pycountry
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ..models import Advisory, AdvisoryLevel, City, Country, Region, RiskAssessment, RiskIndicator, Source
from ..page_cache import page_changed
from ..signals import advisory_changed
from .common import Outcome, check_region_in_country, upsert


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
        changed = {country.code for country in new_countries}
        for sub in pycountry.subdivisions:
            if sub.parent_code is not None or sub.country_code not in by_code:
                continue
            region = regions.get(sub.code)
            if region is None:
                new_regions.append(
                    region_model(country=by_code[sub.country_code], code=sub.code, name=sub.name, kind=sub.type)
                )
                changed.add(sub.country_code)
            elif (region.name, region.kind) != (sub.name, sub.type):
                region.name, region.kind = sub.name, sub.type
                renamed.append(region)
                changed.add(sub.country_code)
        region_model.objects.bulk_create(new_regions, batch_size=500)
        region_model.objects.bulk_update(renamed, ["name", "kind"], batch_size=500)
        if changed:
            page_changed(*changed)
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
    summary_fr: str | None = None,
    justification: str = "",
    source: Source | None = None,
    issued_on: dt.date,
) -> tuple[Advisory, Outcome]:
    """Make this the current advisory of the country (or of the region, if one is given).

    An identical current advisory is left alone, and so is one issued on a later date: an
    older document never overrides a newer one, whichever order they are loaded in.
    Otherwise the previous one stops being current and a new row is written, so the
    history of levels is kept.

    `indicators`, `summary` or `summary_fr` left as None keep the current advisory's values (a source that
    gives only a level, such as the U.S. summary table, must not wipe the indicators).
    """
    if level not in AdvisoryLevel.values:
        raise ValidationError(_("An advisory level is 1, 2, 3 or 4, not %(level)s.") % {"level": level})
    check_region_in_country(region, country)
    with transaction.atomic():
        current = (
            Advisory.objects.select_for_update()
            .current()
            .of_place(country, region)
            # No default ordering: it joins the nullable region, which FOR UPDATE refuses on PostgreSQL.
            .order_by("pk")
            .first()
        )
        if indicators is None:
            indicators = current.indicators if current else ""
        if summary is None:
            summary = current.summary if current else ""
        if summary_fr is None:
            summary_fr = current.summary_fr if current else ""
        indicators = normalize_indicators(indicators)
        wanted = (level, indicators, summary, source.pk if source else None, issued_on)
        if current is not None:
            if current.issued_on > issued_on:
                return current, Outcome.SUPERSEDED
            if (current.level, current.indicators, current.summary, current.source_id, current.issued_on) == wanted:
                if (current.summary_fr, current.justification) == (summary_fr, justification):
                    return current, Outcome.UNCHANGED
                # A new translation or a better-worded justification says nothing new: it is the same advisory.
                current.summary_fr, current.justification = summary_fr, justification
                current.save(update_fields=["summary_fr", "justification", "updated_at"])
                return current, Outcome.UPDATED
            current.is_current = False
            current.save(update_fields=["is_current", "updated_at"])
        advisory = Advisory.objects.create(
            country=country,
            region=region,
            level=level,
            indicators=indicators,
            summary=summary,
            summary_fr=summary_fr,
            justification=justification,
            source=source,
            issued_on=issued_on,
        )
        if current is None or (current.level, current.indicators) != (advisory.level, advisory.indicators):
            advisory_id, previous_id = advisory.pk, current.pk if current else None
            transaction.on_commit(
                lambda: advisory_changed.send(sender=Advisory, advisory_id=advisory_id, previous_id=previous_id)
            )
    return advisory, Outcome.CREATED if current is None else Outcome.UPDATED


# A published level this many levels away from the one the risk index suggests needs a justification.
JUSTIFIED_GAP = 2


def justification_missing(
    *, country: Country, region: Region | None, level: int, justification: str
) -> ValidationError | None:
    """The refusal to give when `level` is JUSTIFIED_GAP or more away from the level the place's
    current risk index suggests and `justification` is blank; None when it may be published."""
    if justification.strip():
        return None
    assessments = RiskAssessment.objects.current()
    assessment = (assessments.of_region(region) if region is not None else assessments.of_country(country)).first()
    if assessment is None or abs(level - assessment.suggested_level) < JUSTIFIED_GAP:
        return None
    place = region.name if region is not None else country.name
    return ValidationError(
        _(
            "The risk index of %(place)s is %(index)s, which suggests level %(suggested)s; level %(level)s is "
            "%(gap)s levels away from it. Say in the justification why %(place)s should have level %(level)s."
        )
        % {
            "place": place,
            "index": assessment.index,
            "suggested": assessment.suggested_level,
            "level": level,
            "gap": abs(level - assessment.suggested_level),
        },
        code="justification_required",
    )


def advisory_publish(
    *,
    country: Country,
    region: Region | None = None,
    level: int,
    indicators: str | None = None,
    summary: str | None = None,
    summary_fr: str | None = None,
    justification: str = "",
    source: Source | None = None,
    issued_on: dt.date,
) -> tuple[Advisory, Outcome]:
    """An analyst's new level for a place: advisory_set, once the level is justified.

    A level JUSTIFIED_GAP or more away from the level the place's risk index suggests is refused
    without a justification, which is kept with the advisory. (Imported levels, such as the U.S.
    ones, are another source's judgement and go through advisory_set unchecked.)
    """
    justification = justification.strip()
    refusal = justification_missing(country=country, region=region, level=level, justification=justification)
    if refusal is not None:
        raise refusal
    return advisory_set(
        country=country,
        region=region,
        level=level,
        indicators=indicators,
        summary=summary,
        summary_fr=summary_fr,
        justification=justification,
        source=source,
        issued_on=issued_on,
    )


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
    values = {"title": title, "publisher": publisher, "kind": kind, "url": url, "published_on": published_on}
    return upsert(Source, {"slug": slug}, {**values, "notes": notes})


def city_upsert(
    *,
    country: Country,
    name: str,
    region: Region | None = None,
    latitude: Decimal | None = None,
    longitude: Decimal | None = None,
) -> tuple[City, Outcome]:
    """Create or update a city, matched by its name within its country."""
    check_region_in_country(region, country)
    return upsert(
        City, {"country": country, "name": name}, {"region": region, "latitude": latitude, "longitude": longitude}
    )
