"""What an alert or a digest tells one recipient: only what that recipient may see.

Every incident goes through `incidents_visible_to(viewer)`, the one place that applies the
sharing rules; advisories and report revisions are public.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch, Q, QuerySet

from advisories.maps import level_colour
from advisories.models import Advisory, AdvisoryLevel, Country, Region, SecurityReportRevision, ThreatCategory
from advisories.selectors import IndicatorExplained, indicators_explained
from incidents.access import Viewer
from incidents.models import Incident
from incidents.selectors import incidents_visible_to

from .models import Subscription

# A digest lists at most this many incidents per place and says how many more there are.
INCIDENTS_PER_PLACE = 30

# The order of a digest's sections: countries, then regions, by name.
COUNTRY_ORDER = ("name",)
REGION_ORDER = ("country__name", "name")


def follows_prefetch() -> tuple[Prefetch[Any], ...]:
    """What `Follows.of` reads, for `prefetch_related` on many subscriptions at once."""
    return (
        Prefetch("countries", queryset=Country.objects.order_by(*COUNTRY_ORDER)),
        Prefetch("regions", queryset=Region.objects.select_related("country").order_by(*REGION_ORDER)),
        Prefetch("categories", queryset=ThreatCategory.objects.only("pk")),
    )


@dataclass(frozen=True)
class Follows:
    """What a subscription follows, loaded once for all its recipients."""

    countries: tuple[Country, ...]
    regions: tuple[Region, ...]
    category_ids: frozenset[int]
    min_severity: int
    include_advisories: bool

    @classmethod
    def of(cls, subscription: Subscription) -> Follows:
        """Read from the subscription's prefetched places and categories (FOLLOWS_PREFETCH) when
        they were loaded with it, else in three queries."""
        loaded = getattr(subscription, "_prefetched_objects_cache", {})
        if all(name in loaded for name in ("countries", "regions", "categories")):
            countries = tuple(subscription.countries.all())
            all_regions: Iterable[Region] = subscription.regions.all()
            category_ids = frozenset(category.pk for category in subscription.categories.all())
        else:
            countries = tuple(subscription.countries.order_by(*COUNTRY_ORDER))
            all_regions = subscription.regions.select_related("country").order_by(*REGION_ORDER)
            category_ids = frozenset(subscription.categories.values_list("pk", flat=True))
        followed_country_ids = {country.pk for country in countries}
        regions = tuple(
            region
            for region in all_regions
            # A region of a followed country is covered by the country's section.
            if region.country_id not in followed_country_ids
        )
        return cls(
            countries=countries,
            regions=regions,
            category_ids=category_ids,
            min_severity=subscription.min_severity,
            include_advisories=subscription.include_advisories,
        )

    @property
    def key(self) -> tuple[object, ...]:
        """Equal for two subscriptions that follow the same things: they get the same digest."""
        return (
            tuple(country.pk for country in self.countries),
            tuple(region.pk for region in self.regions),
            tuple(sorted(self.category_ids)),
            self.min_severity,
            self.include_advisories,
        )

    def incident_filter(self) -> Q:
        places = Q(country__in=[c.pk for c in self.countries]) | Q(region__in=[r.pk for r in self.regions])
        wanted = places & Q(severity__gte=self.min_severity)
        if self.category_ids:
            wanted &= Q(incident_type__category__in=self.category_ids)
        return wanted

    def covers_incident(self, incident: Incident) -> bool:
        in_place = incident.country_id in {c.pk for c in self.countries} or (
            incident.region_id is not None and incident.region_id in {r.pk for r in self.regions}
        )
        in_category = not self.category_ids or incident.incident_type.category_id in self.category_ids
        return in_place and in_category and incident.severity >= self.min_severity

    def covers_advisory(self, advisory: Advisory) -> bool:
        if not self.include_advisories:
            return False
        if advisory.country_id in {c.pk for c in self.countries}:
            return True
        return advisory.region_id is not None and advisory.region_id in {r.pk for r in self.regions}


# The text on each level's colour, as on the pages (static/css/vigil.css, .level-1 .. .level-4).
LEVEL_TEXT_COLOURS = {1: "#ffffff", 2: "#000000", 3: "#000000", 4: "#ffffff"}


@dataclass(frozen=True)
class LevelShown:
    """An advisory level as e-mails show it: its number and name, and in HTML on its map colour
    (inline, as mail clients ignore style sheets)."""

    number: int

    @property
    def label(self) -> str:
        return str(AdvisoryLevel(self.number).label)

    @property
    def colour(self) -> str:
        return level_colour(self.number)

    @property
    def text_colour(self) -> str:
        return LEVEL_TEXT_COLOURS.get(self.number, "#000000")


@dataclass(frozen=True)
class AdvisoryChange:
    advisory: Advisory
    previous: Advisory | None

    @property
    def level(self) -> LevelShown:
        return LevelShown(self.advisory.level)

    @property
    def previous_level(self) -> LevelShown | None:
        return LevelShown(self.previous.level) if self.previous is not None else None

    @property
    def indicators(self) -> list[IndicatorExplained]:
        """The risk indicators spelled out ("C", "Crime"), as the country pages explain them."""
        return indicators_explained(self.advisory)

    @property
    def previous_indicators(self) -> list[IndicatorExplained]:
        return indicators_explained(self.previous)

    @property
    def indicators_changed(self) -> bool:
        return self.previous is not None and self.previous.indicators != self.advisory.indicators

    @property
    def place_name(self) -> str:
        return self.advisory.region.name if self.advisory.region else self.advisory.country.name

    @property
    def level_changed(self) -> bool:
        return self.previous is None or self.previous.level != self.advisory.level


def advisory_change(advisory: Advisory) -> AdvisoryChange:
    """The advisory and the one it replaced: the place's previous own advisory or, for a region's
    first own level, the country's advisory that applied to the region until then."""
    earlier = (
        Advisory.objects.filter(country_id=advisory.country_id, created_at__lte=advisory.created_at)
        .exclude(pk=advisory.pk)
        .order_by("-created_at", "-pk")
    )
    previous = earlier.filter(region=advisory.region).first()
    if previous is None and advisory.region_id is not None:
        previous = earlier.filter(region__isnull=True).first()
    return AdvisoryChange(advisory=advisory, previous=previous)


@dataclass
class PlaceSection:
    name: str
    path: str
    advisory_changes: list[AdvisoryChange] = field(default_factory=list)
    new_incidents: list[Incident] = field(default_factory=list)
    updated_incidents: list[Incident] = field(default_factory=list)
    more_incidents: int = 0
    report_revisions: list[SecurityReportRevision] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not (self.advisory_changes or self.new_incidents or self.updated_incidents or self.report_revisions)


@dataclass
class Digest:
    since: dt.datetime
    until: dt.datetime
    sections: list[PlaceSection]

    @property
    def is_empty(self) -> bool:
        return all(section.is_empty for section in self.sections)

    @property
    def incident_count(self) -> int:
        return sum(len(s.new_incidents) + len(s.updated_incidents) + s.more_incidents for s in self.sections)


def _changed_incidents(
    viewer: Viewer, follows: Follows, place: Q, since: dt.datetime, until: dt.datetime
) -> QuerySet[Incident]:
    recent = Q(created_at__gte=since, created_at__lt=until) | Q(updated_at__gte=since, updated_at__lt=until)
    return (
        incidents_visible_to(viewer)
        .filter(follows.incident_filter() & place & recent)
        # An e-mail names no actors and no target types (templates/alerts/email/_incident.*).
        .prefetch_related(None)
        .order_by("-occurred_on", "-pk")
    )


def digest_for(*, viewer: Viewer, follows: Follows, since: dt.datetime, until: dt.datetime) -> Digest:
    """Per followed place: what changed in [since, until) that this viewer may see."""
    places: list[tuple[PlaceSection, Q, Country | None]] = []
    for followed in follows.countries:
        places.append(
            (PlaceSection(name=followed.name, path=followed.get_absolute_url()), Q(country=followed), followed)
        )
    for region in follows.regions:
        section = PlaceSection(name=f"{region.name} ({region.country.name})", path=region.get_absolute_url())
        places.append((section, Q(region=region), None))

    sections: list[PlaceSection] = []
    for section, place, country in places:
        changed = _changed_incidents(viewer, follows, place, since, until)
        incidents = list(changed[: INCIDENTS_PER_PLACE + 1])
        if len(incidents) > INCIDENTS_PER_PLACE:
            incidents = incidents[:INCIDENTS_PER_PLACE]
            section.more_incidents = changed.count() - INCIDENTS_PER_PLACE
        for incident in incidents:
            first_seen = incident.created_at >= since or (
                incident.published_at is not None and incident.published_at >= since
            )
            (section.new_incidents if first_seen else section.updated_incidents).append(incident)
        if follows.include_advisories:
            advisories = (
                Advisory.objects.filter(place, created_at__gte=since, created_at__lt=until)
                .select_related("country", "region")
                .order_by("region__name", "-created_at")
            )
            section.advisory_changes = [advisory_change(advisory) for advisory in advisories]
            if country is not None:
                section.report_revisions = list(
                    SecurityReportRevision.objects.filter(
                        report__country=country, created_at__gte=since, created_at__lt=until
                    ).select_related("report")
                )
        sections.append(section)
    return Digest(since=since, until=until, sections=[s for s in sections if not s.is_empty])
