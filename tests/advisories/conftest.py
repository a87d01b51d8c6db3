"""Mali as the public pages and the admin tests see it, built with the factories (facts from
the OSAC report of 29 Nov 2024)."""

import datetime as dt

import pytest

from advisories.models import AdvisoryLevel, Country, Region, ThreatLevel
from tests.factories import (
    AdvisoryFactory,
    CityFactory,
    ContactPointFactory,
    SourceFactory,
    ThreatCategoryFactory,
    ThreatRatingFactory,
)


@pytest.fixture
def osac(db):
    return SourceFactory(
        slug="osac-mali-2024",
        title="Mali Country Security Report",
        publisher="OSAC",
        published_on=dt.date(2024, 11, 29),
    )


@pytest.fixture
def mali_advisory(mali, osac):
    return AdvisoryFactory(
        country=mali,
        level=AdvisoryLevel.DO_NOT_TRAVEL,
        indicators="CTK",
        summary="Armed groups attack towns and roads across the country, Bamako included.",
        source=osac,
    )


@pytest.fixture
def categories(db):
    return [
        ThreatCategoryFactory(slug="page-crime", name="Crime (test)", position=1),
        ThreatCategoryFactory(slug="page-terrorism", name="Terrorism (test)", position=2),
        ThreatCategoryFactory(slug="page-political", name="Political violence (test)", position=3),
    ]


@pytest.fixture
def bamako(mali):
    return CityFactory(country=mali, region=Region.objects.get(code="ML-BKO"), name="Bamako")


@pytest.fixture
def bamako_ratings(mali, bamako, categories, osac):
    return [
        ThreatRatingFactory(country=mali, city=bamako, category=category, level=ThreatLevel.CRITICAL, source=osac)
        for category in categories
    ]


def _osac_contact(osac, **fields):
    """A contact point in Mali as OSAC's report gives it, verified on the day it was published."""
    return ContactPointFactory(
        country=Country.objects.get(code="ML"), last_verified_on=osac.published_on, source=osac, **fields
    )


@pytest.fixture
def embassy(mali, osac):
    return _osac_contact(
        osac,
        region=Region.objects.get(code="ML-BKO"),
        kind="embassy",
        name="U.S. Embassy Bamako",
        address="ACI 2000, Rue 243, Porte 297, Bamako",
        phones=["+223 2070 2300"],
        hours="Monday to Thursday 07:30-17:00; Friday 07:30-11:30",
        position=1,
    )


@pytest.fixture
def country_council(mali, osac):
    return _osac_contact(
        osac,
        kind="country_council",
        name="OSAC Mali Country Council",
        phones=[],
        email="OSACBamako@state.gov",
        position=3,
    )


@pytest.fixture
def police(mali, osac):
    return _osac_contact(
        osac, kind="police", name="Police emergency", phones=["8000-1115"], languages="Bambara, French", position=2
    )
