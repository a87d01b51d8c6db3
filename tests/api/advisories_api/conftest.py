"""The data the advisories endpoints are tested on: Mali with a country-wide advisory, an older
one and Bamako's own; threat ratings in Mali, Bamako, a city and Niger; a security report with
published, draft and scheduled revisions; contact points."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from advisories.models import (
    AdvisoryLevel,
    ContactPoint,
    Country,
    Region,
    ReportSection,
    ThreatCategory,
    ThreatLevel,
)
from tests.factories import (
    AdvisoryFactory,
    CityFactory,
    ContactPointFactory,
    ReportSectionFactory,
    SecurityReportFactory,
    SecurityReportRevisionFactory,
    SourceFactory,
    ThreatRatingFactory,
)


@pytest.fixture
def osac(db):
    return SourceFactory.create(
        title="Mali Country Security Report",
        publisher="OSAC",
        published_on=dt.date(2024, 11, 29),
        url="https://www.osac.gov/mali",
    )


@pytest.fixture
def mali_advisories(mali, osac):
    AdvisoryFactory.create(
        country=mali, level=AdvisoryLevel.INCREASED_CAUTION, issued_on=dt.date(2019, 1, 1), is_current=False
    )
    country_wide = AdvisoryFactory.create(
        country=mali,
        level=AdvisoryLevel.DO_NOT_TRAVEL,
        indicators="CTK",
        summary="Armed groups attack towns and roads across the country.",
        source=osac,
        issued_on=dt.date(2024, 11, 29),
    )
    bamako = Region.objects.get(code="ML-BKO")
    AdvisoryFactory.create(
        country=mali,
        region=bamako,
        level=AdvisoryLevel.RECONSIDER_TRAVEL,
        issued_on=dt.date(2020, 1, 1),
        is_current=False,
    )
    own = AdvisoryFactory.create(
        country=mali,
        region=bamako,
        level=AdvisoryLevel.RECONSIDER_TRAVEL,
        indicators="C",
        summary="Crime in the capital.",
        issued_on=dt.date(2025, 2, 1),
    )
    return country_wide, own


@pytest.fixture
def ratings(mali):
    crime = ThreatCategory.objects.get(slug="crime")
    terrorism = ThreatCategory.objects.get(slug="terrorism")
    bamako = Region.objects.get(code="ML-BKO")
    city = CityFactory.create(country=mali, region=bamako, name="Kati (test)")
    niger = Country.objects.get(code="NE")
    return {
        "mali_crime": ThreatRatingFactory.create(country=mali, category=crime, level=ThreatLevel.HIGH, note="Roads."),
        "mali_terrorism": ThreatRatingFactory.create(country=mali, category=terrorism, level=ThreatLevel.CRITICAL),
        "bamako_crime": ThreatRatingFactory.create(
            country=mali, region=bamako, category=crime, level=ThreatLevel.MEDIUM
        ),
        "city_crime": ThreatRatingFactory.create(
            country=mali, region=bamako, city=city, category=crime, level=ThreatLevel.LOW
        ),
        "niger_crime": ThreatRatingFactory.create(country=niger, category=crime, level=ThreatLevel.HIGH),
    }


@pytest.fixture
def report(mali):
    report = SecurityReportFactory.create(country=mali, title="Mali Country Security Report")
    first = SecurityReportRevisionFactory.create(
        report=report, number=1, published_at=dt.datetime(2023, 5, 1, tzinfo=dt.UTC), what_changed="First edition."
    )
    ReportSectionFactory.create(revision=first, position=1, heading="Old crime")
    current = SecurityReportRevisionFactory.create(
        report=report, number=2, published_at=dt.datetime(2024, 11, 29, tzinfo=dt.UTC), what_changed="Kidnapping."
    )
    ReportSectionFactory.create(revision=current, position=2, kind=ReportSection.Kind.KIDNAPPING, heading="Kidnapping")
    ReportSectionFactory.create(revision=current, position=1, heading="Crime")
    # A draft, and a revision to be published tomorrow: neither is shown yet.
    SecurityReportRevisionFactory.create(report=report, number=3, published_at=None, what_changed="Draft.")
    SecurityReportRevisionFactory.create(
        report=report, number=4, published_at=timezone.now() + dt.timedelta(days=1), what_changed="Scheduled."
    )
    return report


@pytest.fixture
def contacts(mali):
    bamako = Region.objects.get(code="ML-BKO")
    return {
        "embassy": ContactPointFactory.create(
            country=mali,
            region=bamako,
            kind=ContactPoint.Kind.EMBASSY,
            name="U.S. Embassy Bamako",
            phones=["+223 2070 2300"],
            email="acsbamako@state.gov",
        ),
        "police": ContactPointFactory.create(country=mali, kind=ContactPoint.Kind.POLICE, name="Police"),
        "niger": ContactPointFactory.create(country=Country.objects.get(code="NE"), kind=ContactPoint.Kind.POLICE),
    }
