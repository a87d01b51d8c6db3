"""Reads for the public advisory pages.

Every function here runs a fixed number of queries, whatever the number of regions, ratings,
contacts, report sections or crime indicators a country has: related rows are fetched with
select_related / prefetch_related or in one query per kind, and grouped in Python.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass, field
from itertools import chain
from typing import TYPE_CHECKING, Any

from django.db.models import OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from config.translation import Localized, content_language, localized

from .models import (
    RISK_INDICATOR_EXPLANATIONS,
    Advisory,
    AdvisoryLevel,
    ContactPoint,
    Country,
    CrimeIndicator,
    CrimeIndicatorAssessment,
    CrimePillar,
    CrimeProfile,
    Region,
    ReportSection,
    RiskAssessment,
    RiskIndicator,
    SecurityReport,
    SecurityReportRevision,
    Source,
    ThreatCategory,
    ThreatRating,
)
from .risk_explained import RiskChart, RiskExplanation, chart, explain

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


@dataclass(frozen=True)
class CountryLevel:
    """A country with the level of its current advisory, if one is published."""

    country: Country
    level: AdvisoryLevel | None
    issued_on: dt.date | None

    @property
    def search_key(self) -> str:
        """What the as-you-type search matches: the name without accents, and the codes."""
        return f"{folded(self.country.name)} {self.country.code.casefold()} {self.country.alpha3.casefold()}"


def _country_level(country: Any) -> CountryLevel:
    """A row from a country annotated by Country.objects.with_current_level()."""
    level = AdvisoryLevel(country.current_level) if country.current_level else None
    return CountryLevel(country=country, level=level, issued_on=country.current_issued_on)


def folded(text: str) -> str:
    """The text without accents and case: what a search or a sort by name compares."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char)).casefold()


def name_sort_key(name: str) -> tuple[str, str]:
    """How people look a place name up in a list: accents and case ignored, so "Åland Islands"
    comes first under A and "Côte d'Ivoire" between Costa Rica and Croatia. The name itself breaks ties."""
    return folded(name), name


def country_list_with_levels() -> list[CountryLevel]:
    """Every country, by name as people look it up (`name_sort_key`), with its current
    country-wide advisory level. One query."""
    countries = sorted(Country.objects.with_current_level(), key=lambda country: name_sort_key(country.name))
    return [_country_level(country) for country in countries]


def highest_levels_first(rows: list[CountryLevel]) -> list[CountryLevel]:
    """The countries that have a published advisory, the most dangerous first."""
    published = [row for row in rows if row.level is not None]
    return sorted(published, key=lambda row: (-(row.level or 0), row.country.name))


@dataclass(frozen=True)
class InitialGroup:
    letter: str
    rows: list[CountryLevel]


def group_by_initial(rows: list[CountryLevel]) -> list[InitialGroup]:
    """Countries under the first letter of their name, accents ignored (Åland Islands under A)."""
    groups: dict[str, list[CountryLevel]] = {}
    for row in rows:
        letter = name_sort_key(row.country.name)[0][:1].upper()
        groups.setdefault(letter, []).append(row)
    return [
        InitialGroup(letter=letter, rows=sorted(groups[letter], key=lambda row: name_sort_key(row.country.name)))
        for letter in sorted(groups)
    ]


# What each level asks of a traveler, in plain words (the State Department's scale).
LEVEL_MEANINGS: dict[int, StrOrPromise] = {
    AdvisoryLevel.NORMAL_PRECAUTIONS: _("The usual care for travel anywhere: some risks exist, as in every country."),
    AdvisoryLevel.INCREASED_CAUTION: _("Risks are higher than usual: plan for them and stay alert."),
    AdvisoryLevel.RECONSIDER_TRAVEL: _("Serious risks: think again about going, and go only for a strong reason."),
    AdvisoryLevel.DO_NOT_TRAVEL: _(
        "Life-threatening risks and little or no help available: do not go; if you are there, leave if you can."
    ),
}


@dataclass(frozen=True)
class LevelMeaning:
    number: int
    label: StrOrPromise
    meaning: StrOrPromise


def level_meanings() -> list[LevelMeaning]:
    return [
        LevelMeaning(number=level.value, label=level.label, meaning=LEVEL_MEANINGS[level]) for level in AdvisoryLevel
    ]


def first_sentence(text: str) -> str:
    """The opening sentence of a summary, for the first screen of a page: up to the first full stop
    followed by a space (or the whole text). "St. Louis" style abbreviations are rare in summaries."""
    text = " ".join(text.split())
    for end, char in enumerate(text):
        if char in ".!?" and (end + 1 == len(text) or text[end + 1] == " ") and end > 20:
            return text[: end + 1]
    return text


def matching_countries(rows: list[CountryLevel], query: str) -> list[CountryLevel]:
    """Countries whose name (accents and case ignored) contains the query, or whose code is it."""
    wanted = folded(query.strip())
    if not wanted:
        return []
    return [
        row
        for row in rows
        if wanted in folded(row.country.name) or wanted in (row.country.code.casefold(), row.country.alpha3.casefold())
    ]


@dataclass(frozen=True)
class IndicatorExplained:
    letter: str
    name: StrOrPromise
    explanation: StrOrPromise


def indicators_explained(advisory: Advisory | None) -> list[IndicatorExplained]:
    if advisory is None:
        return []
    return [
        IndicatorExplained(
            letter=indicator.value, name=indicator.label, explanation=RISK_INDICATOR_EXPLANATIONS[indicator]
        )
        for indicator in (RiskIndicator(letter) for letter in advisory.indicators)
    ]


def _first_sentence_of(value: Localized) -> Localized:
    return Localized(first_sentence(value.text), value.language, value.is_fallback) if value.text else value


def _lead_of(advisory: Advisory | None) -> Localized:
    """The first sentence of an advisory's summary, in the reader's language where written."""
    if advisory is None:
        return Localized("", content_language(), is_fallback=False)
    return _first_sentence_of(localized(advisory, "summary"))


@dataclass(frozen=True)
class RegionRow:
    """A region and its own current advisory; None means the country's level applies."""

    region: Region
    advisory: Advisory | None
    country_advisory: Advisory | None = None
    risk: RiskAssessment | None = None  # the region's current risk index, None until computed

    @property
    def own_reason(self) -> str:
        """The region's own reason, shown only where it says something the country's does not."""
        if self.advisory is None or not self.advisory.summary:
            return ""
        if self.country_advisory is not None and self.advisory.summary.strip() == self.country_advisory.summary.strip():
            return ""
        return self.advisory.summary

    @property
    def own_reason_localized(self) -> Localized:
        """The region's own reason in the reader's language (English decides whether there is one)."""
        if not self.own_reason or self.advisory is None:
            return Localized("", content_language(), is_fallback=False)
        return localized(self.advisory, "summary")

    @property
    def own_reason_lead(self) -> Localized:
        """The first sentence of the region's own reason: the country page lists all regions, and
        each region's page gives the rest."""
        return _first_sentence_of(self.own_reason_localized)

    @property
    def level(self) -> int | None:
        advisory = self.advisory or self.country_advisory
        return advisory.level if advisory else None

    @property
    def level_label(self) -> str:
        advisory = self.advisory or self.country_advisory
        return advisory.get_level_display() if advisory else ""


# How far back the risk history on the pages reaches.
RISK_HISTORY_DAYS = 365


@dataclass(frozen=True)
class PlaceRisk:
    """A place's current risk index explained, and its history over the last RISK_HISTORY_DAYS."""

    explanation: RiskExplanation | None  # None: not computed yet
    history: list[RiskAssessment]  # oldest first
    chart: RiskChart | None

    @property
    def history_newest_first(self) -> list[RiskAssessment]:
        return self.history[::-1]


def _place_risk(rows: list[RiskAssessment], category_names: dict[str, str]) -> PlaceRisk:
    """From one place's assessments (oldest first, its current one among them)."""
    current = next((row for row in reversed(rows) if row.is_current), None)
    return PlaceRisk(
        explanation=explain(current, category_names) if current else None,
        history=rows,
        chart=chart(rows, now=timezone.now()),
    )


def _risk_rows(places: Q) -> list[RiskAssessment]:
    """The current assessments of `places`, and their history over the last RISK_HISTORY_DAYS, oldest first."""
    since = timezone.now() - dt.timedelta(days=RISK_HISTORY_DAYS)
    return list(
        RiskAssessment.objects.filter(places & (Q(is_current=True) | Q(computed_at__gte=since))).order_by(
            "computed_at", "id"
        )
    )


def public_risk_incidents(country: Country, region: Region | None = None) -> int | None:
    """How many incidents the current public risk index of the country (or of one of its regions)
    counts; None before it is first computed. One query."""
    current = RiskAssessment.objects.current()
    place = current.of_region(region) if region is not None else current.of_country(country)
    breakdown = place.values_list("breakdown", flat=True).first()
    return None if breakdown is None else int(breakdown.get("incidents") or 0)


def _category_names(*assessments: RiskAssessment | None) -> dict[str, str]:
    """The names, in the reader's language, of the threat categories the assessments count:
    one query, none when they count no incident."""
    slugs = {slug for row in assessments if row for slug in (row.breakdown or {}).get("by_category") or {}}
    if not slugs:
        return {}
    return {category.slug: str(category) for category in ThreatCategory.objects.filter(slug__in=slugs)}


@dataclass(frozen=True)
class PlaceRatings:
    """The threat ratings of one place (the whole country, a region or a city)."""

    place: str
    kind: str
    ratings: list[ThreatRating]


@dataclass(frozen=True)
class AssessmentGroup:
    pillar: CrimePillar
    assessments: list[CrimeIndicatorAssessment]


@dataclass(frozen=True)
class CrimeProfileView:
    profile: CrimeProfile
    groups: list[AssessmentGroup]


@dataclass(frozen=True)
class ScoredIndicator:
    """One indicator's score in each edition that gives one, newest first, and the change
    between the two newest scored editions."""

    label: StrOrPromise
    pillar: CrimePillar
    scores: list[tuple[int, Any]]

    @property
    def latest(self) -> Any:
        return self.scores[0][1]

    @property
    def change(self) -> Any:
        return self.scores[0][1] - self.scores[1][1] if len(self.scores) > 1 else None


@dataclass(frozen=True)
class CrimeContext:
    """The organized-crime context: the editions, only the scores the sources give, and the
    written assessments, which the page folds away."""

    profiles: list[CrimeProfileView]
    scored: list[ScoredIndicator]

    @property
    def scored_editions(self) -> list[int]:
        return sorted({edition for row in self.scored for edition, _score in row.scores}, reverse=True)

    @property
    def has_headline_scores(self) -> bool:
        return any(view.profile.criminality_score or view.profile.resilience_score for view in self.profiles)


def crime_context(profiles: list[CrimeProfileView]) -> CrimeContext:
    by_indicator: dict[str, list[tuple[int, Any]]] = {}
    labels: dict[str, tuple[StrOrPromise, CrimePillar]] = {}
    for view in profiles:  # newest edition first
        for group in view.groups:
            for assessment in group.assessments:
                if assessment.score is not None:
                    by_indicator.setdefault(assessment.indicator, []).append((view.profile.edition, assessment.score))
                    labels[assessment.indicator] = (assessment.get_indicator_display(), assessment.pillar)
    scored = [
        ScoredIndicator(label=labels[indicator][0], pillar=labels[indicator][1], scores=scores)
        for indicator, scores in sorted(by_indicator.items(), key=lambda item: _INDICATOR_ORDER.get(item[0], 999))
    ]
    return CrimeContext(profiles=profiles, scored=scored)


@dataclass
class CountryPage:
    country: Country
    advisory: Advisory | None
    indicators: list[IndicatorExplained]
    regions: list[RegionRow]
    rating_groups: list[PlaceRatings]
    revisions: list[SecurityReportRevision]
    contacts: list[ContactPoint]
    crime_profiles: list[CrimeProfileView]
    sources: list[Source] = field(default_factory=list)
    risk: PlaceRisk | None = None

    @property
    def lead(self) -> Localized:
        return _lead_of(self.advisory)

    @property
    def regions_with_risk(self) -> bool:
        return any(row.risk for row in self.regions)

    @property
    def emergency_contacts(self) -> list[ContactPoint]:
        """Whom to call first: the emergency services, then embassies and consulates; those with a phone."""
        return emergency_contacts(self.contacts)

    @property
    def crime(self) -> CrimeContext:
        return crime_context(self.crime_profiles)

    @property
    def regions_with_own_levels(self) -> int:
        return sum(1 for row in self.regions if row.advisory is not None)

    @property
    def has_data(self) -> bool:
        return bool(
            self.advisory
            or any(row.advisory for row in self.regions)
            or self.rating_groups
            or self.revisions
            or self.contacts
            or self.crime_profiles
        )


@dataclass
class RegionPage:
    region: Region
    advisory: Advisory | None
    country_advisory: Advisory | None
    indicators: list[IndicatorExplained]
    rating_groups: list[PlaceRatings]
    contacts: list[ContactPoint]
    sources: list[Source] = field(default_factory=list)
    # The country's own contacts (region left empty) as well as the region's: whom to call from here.
    reachable_contacts: list[ContactPoint] = field(default_factory=list)
    risk: PlaceRisk | None = None

    @property
    def lead(self) -> Localized:
        return _lead_of(self.advisory or self.country_advisory)

    @property
    def emergency_contacts(self) -> list[ContactPoint]:
        return emergency_contacts(self.reachable_contacts)


_EMERGENCY_ORDER: dict[str, int] = {
    ContactPoint.Kind.POLICE: 0,
    ContactPoint.Kind.AMBULANCE: 1,
    ContactPoint.Kind.FIRE: 2,
    ContactPoint.Kind.EMBASSY: 3,
    ContactPoint.Kind.CONSULATE: 4,
}


def emergency_contacts(contacts: list[ContactPoint]) -> list[ContactPoint]:
    """Whom to call first, from contacts already loaded: emergency services, then embassies and
    consulates, each with at least one phone number."""
    callable_ = [c for c in contacts if c.phones and c.kind in _EMERGENCY_ORDER]
    return sorted(callable_, key=lambda c: (_EMERGENCY_ORDER[c.kind], c.position, c.name))


def _current_advisories(country: Country, region: Region | None = None) -> dict[int | None, Advisory]:
    """The current advisories of a country, keyed by region id (None for the country itself)."""
    if region is None:
        advisories = Advisory.objects.current().filter(country=country)
    else:
        advisories = Advisory.objects.applying_to(region, country)
    return {advisory.region_id: advisory for advisory in advisories.select_related("source")}


def _ratings() -> QuerySet[ThreatRating]:
    return ThreatRating.objects.select_related("category", "region", "city", "source").order_by(
        "category__position", "category__name"
    )


def _group_ratings(ratings: list[ThreatRating]) -> list[PlaceRatings]:
    """Country-wide ratings first, then regions, then cities, each by name."""
    groups: dict[tuple[int, str, int], PlaceRatings] = {}
    for rating in ratings:
        if rating.city_id and rating.city:
            key, kind = (2, rating.city.name, rating.city_id), _("City")
        elif rating.region_id and rating.region:
            key, kind = (1, rating.region.name, rating.region_id), _("Region")
        else:
            key, kind = (0, "", 0), _("Whole country")
        if key not in groups:
            groups[key] = PlaceRatings(place=rating.place_name, kind=str(kind), ratings=[])
        groups[key].ratings.append(rating)
    return [groups[key] for key in sorted(groups)]


def _published_revisions(country: Country) -> list[SecurityReportRevision]:
    """The current revision of each of the country's reports: the latest one already published."""
    latest = published_revisions().filter(report=OuterRef("report")).order_by("-number").values("number")[:1]
    sections = ReportSection.objects.select_related("source").order_by("position")
    return list(
        published_revisions()
        .filter(report__country=country, number=Subquery(latest))
        .select_related("report", "source")
        .prefetch_related(Prefetch("sections", queryset=sections))
        .order_by("report__title")
    )


_PILLAR_ORDER = list(CrimePillar)
_INDICATOR_ORDER = {value: position for position, value in enumerate(CrimeIndicator.values)}


def _crime_profiles(country: Country) -> list[CrimeProfileView]:
    profiles = (
        CrimeProfile.objects.filter(country=country)
        .select_related("source")
        .prefetch_related("assessments")
        .order_by("-edition")
    )
    views = []
    for profile in profiles:
        assessments = sorted(profile.assessments.all(), key=lambda a: _INDICATOR_ORDER.get(a.indicator, 999))
        groups = [
            AssessmentGroup(pillar=pillar, assessments=[a for a in assessments if a.pillar == pillar])
            for pillar in _PILLAR_ORDER
        ]
        views.append(CrimeProfileView(profile=profile, groups=[g for g in groups if g.assessments]))
    return views


def _distinct_sources(*sources: Source | None) -> list[Source]:
    """Each source once, newest first (undated ones last), from objects already loaded."""
    unique = {source.pk: source for source in sources if source is not None}
    return sorted(unique.values(), key=lambda s: (s.published_on is None, -(s.published_on or dt.date.min).toordinal()))


def country_by_code(code: str) -> Country | None:
    """The country of an address's code, whatever its case; None for a code no country has."""
    # ASCII only: "ß".upper() is "SS", which would otherwise open South Sudan's page.
    if not code.isascii():
        return None
    return Country.objects.filter(code=code.upper()).first()


def country_page_of(country: Country) -> CountryPage:
    """Everything the public page of `country` shows."""
    advisories = _current_advisories(country)
    risk_rows = _risk_rows(Q(country=country))
    region_risks = {row.region_id: row for row in risk_rows if row.region_id is not None and row.is_current}
    regions = [
        RegionRow(
            region=region,
            advisory=advisories.get(region.pk),
            country_advisory=advisories.get(None),
            risk=region_risks.get(region.pk),
        )
        for region in Region.objects.filter(country=country).order_by("name")
    ]
    country_rows = [row for row in risk_rows if row.region_id is None]
    ratings = list(_ratings().filter(country=country))
    revisions = _published_revisions(country)
    contacts = list(
        ContactPoint.objects.filter(country=country).select_related("region", "source").order_by("position", "name")
    )
    crime_profiles = _crime_profiles(country)
    page = CountryPage(
        country=country,
        advisory=advisories.get(None),
        indicators=indicators_explained(advisories.get(None)),
        regions=regions,
        rating_groups=_group_ratings(ratings),
        revisions=revisions,
        contacts=contacts,
        crime_profiles=crime_profiles,
    )
    current = next((row for row in country_rows if row.is_current), None)
    page.risk = _place_risk(country_rows, _category_names(current))
    page.sources = _distinct_sources(
        *(advisory.source for advisory in advisories.values()),
        *(rating.source for rating in ratings),
        *chain.from_iterable(
            [revision.source, *(section.source for section in revision.sections.all())] for revision in revisions
        ),
        *(contact.source for contact in contacts),
        *(view.profile.source for view in crime_profiles),
    )
    return page


def region_by_codes(country_code: str, region_code: str) -> Region | None:
    """The region of an address's codes, with its country; None when no region has the code or
    it belongs to another country than the one in the address."""
    if not (country_code.isascii() and region_code.isascii()):
        return None
    return (
        Region.objects.filter(code=region_code.upper(), country__code=country_code.upper())
        .select_related("country")
        .first()
    )


def region_page_of(region: Region) -> RegionPage:
    """Everything the public page of `region` shows (`region.country` loaded with it)."""
    advisories = _current_advisories(region.country, region)
    advisory = advisories.get(region.pk)
    ratings = list(_ratings().filter(Q(region=region) | Q(city__region=region)))
    reachable = list(
        ContactPoint.objects.filter(Q(region=region) | Q(country=region.country, region__isnull=True))
        .select_related("source")
        .order_by("position", "name")
    )
    contacts = [contact for contact in reachable if contact.region_id == region.pk]
    page = RegionPage(
        reachable_contacts=reachable,
        region=region,
        advisory=advisory,
        country_advisory=advisories.get(None),
        indicators=indicators_explained(advisory or advisories.get(None)),
        rating_groups=_group_ratings(ratings),
        contacts=contacts,
    )
    risk_rows = _risk_rows(Q(region=region))
    page.risk = _place_risk(risk_rows, _category_names(*(row for row in risk_rows if row.is_current)))
    page.sources = _distinct_sources(
        *(a.source for a in advisories.values()),
        *(rating.source for rating in ratings),
        *(contact.source for contact in contacts),
    )
    return page


@dataclass(frozen=True)
class AdvisoryChange:
    """A published advisory and the level it replaced in the same place, if any."""

    advisory: Advisory
    previous_level: int | None

    @property
    def direction(self) -> str:
        if self.previous_level is None:
            return "new"
        if self.advisory.level > self.previous_level:
            return "raised"
        if self.advisory.level < self.previous_level:
            return "lowered"
        return "same"


def latest_changes(limit: int = 6) -> list[AdvisoryChange]:
    """The most recently issued advisories, countries' and regions', newest first, each with the
    level it replaced in the same place. Two queries."""
    latest = list(Advisory.objects.select_related("country", "region").order_by("-issued_on", "-pk")[:limit])
    history: dict[tuple[int, int | None], list[tuple[dt.date, int, int]]] = {}
    earlier = Advisory.objects.filter(country__in={a.country_id for a in latest}).values_list(
        "country_id", "region_id", "issued_on", "pk", "level"
    )
    for country_id, region_id, issued_on, pk, level in earlier:
        history.setdefault((country_id, region_id), []).append((issued_on, pk, level))

    def previous_level(advisory: Advisory) -> int | None:
        before = [
            row
            for row in history.get((advisory.country_id, advisory.region_id), [])
            if row[:2] < (advisory.issued_on, advisory.pk)
        ]
        return max(before)[2] if before else None

    return [AdvisoryChange(advisory=a, previous_level=previous_level(a)) for a in latest]


# For the API: querysets annotated in SQL, one query per page of a list ---------------------------


def countries_with_levels() -> QuerySet[Country]:
    """Countries with their current country-wide advisory annotated (nulls when none), and their
    current risk assessment as `current_risks` (a list of at most one row): one query more per list."""
    return Country.objects.with_current_level().prefetch_related(current_risk_prefetch(regions=False))


def regions_with_levels() -> QuerySet[Region]:
    """Regions with the advisory that applies to each annotated, `level_from` saying whose it is,
    and their current risk assessment as `current_risks` (a list of at most one row)."""
    return (
        Region.objects.with_current_level()
        .select_related("country")
        .prefetch_related(current_risk_prefetch(regions=True))
    )


def current_risk_prefetch(*, regions: bool) -> Prefetch:
    """The current risk assessment of each place, as `current_risks`: a region's own, or a
    country's country-wide one (not its regions'). The index is computed from public incidents
    only, so it may be shown to anyone."""
    rows = RiskAssessment.objects.current()
    if not regions:
        rows = rows.filter(region__isnull=True)
    return Prefetch("risk_assessments", queryset=rows, to_attr="current_risks")


def current_risk_of(place: Country | Region) -> RiskAssessment | None:
    """The place's current risk assessment: from `current_risks` when it was prefetched."""
    prefetched = getattr(place, "current_risks", None)
    if prefetched is not None:
        return prefetched[0] if prefetched else None
    if isinstance(place, Region):
        return RiskAssessment.objects.current().of_region(place).first()
    return RiskAssessment.objects.current().of_country(place).first()


def risk_history(place: Country | Region) -> QuerySet[RiskAssessment]:
    """Every assessment of the place, newest first: a region's, or a country's country-wide ones."""
    rows = RiskAssessment.objects.all()
    rows = rows.of_region(place) if isinstance(place, Region) else rows.of_country(place)
    return rows.order_by("-computed_at", "-id")


def published_revisions() -> QuerySet[SecurityReportRevision]:
    """Revisions already published: drafts have no date, and a future date is not yet."""
    return SecurityReportRevision.objects.filter(published_at__isnull=False, published_at__lte=timezone.now())


def reports_with_current_revision() -> QuerySet[SecurityReport]:
    """Reports that have a published revision, with the latest one's number, date and summary."""
    latest = published_revisions().filter(report=OuterRef("pk")).order_by("-number")
    return (
        SecurityReport.objects.annotate(
            current_number=Subquery(latest.values("number")[:1]),
            current_published_at=Subquery(latest.values("published_at")[:1]),
            current_what_changed=Subquery(latest.values("what_changed")[:1]),
        )
        .filter(current_number__isnull=False)
        .select_related("country")
    )
