"""A real headless Chromium (Debian's, at /usr/bin/chromium) driven by Playwright.

Playwright never downloads a browser here: it launches the system one. The browser is started
after the test's data is written, because Playwright's synchronous API keeps an event loop
running in this thread and Django refuses database calls from there.
"""

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import Browser, sync_playwright

from tests.environment import CHROMIUM, chromium_missing, require

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = Path(settings.BASE_DIR) / "var" / "screenshots"


@pytest.fixture
def browser() -> Iterator[Browser]:
    require(chromium_missing())
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def screenshots() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS


@pytest.fixture
def mali_published(db):
    """Mali as a traveler finds it: level 4, some regions with their own level, Bamako's ratings,
    contacts and a published report. Facts from the OSAC report of 29 Nov 2024, our own words."""
    from advisories.models import City, Country, Region, ThreatLevel
    from tests.factories import (
        AdvisoryFactory,
        ContactPointFactory,
        ReportSectionFactory,
        SecurityReportRevisionFactory,
        SourceFactory,
        ThreatCategoryFactory,
        ThreatRatingFactory,
    )

    mali = Country.objects.get(code="ML")
    osac = SourceFactory(
        slug="browser-osac", title="Mali Country Security Report", publisher="OSAC", published_on=dt.date(2024, 11, 29)
    )
    issued = dt.date(2024, 11, 29)
    AdvisoryFactory(
        country=mali,
        level=4,
        indicators="CTK",
        summary="Terrorist and armed groups attack across the country, including the capital.",
        source=osac,
        issued_on=issued,
    )
    for code, level, summary in [
        ("ML-5", 4, "Armed groups are active on most roads between towns."),
        ("ML-1", 4, "Robberies of people carrying gold or cash near artisanal mines."),
    ]:
        AdvisoryFactory(
            country=mali,
            region=Region.objects.get(code=code),
            level=level,
            indicators="CTK",
            summary=summary,
            source=osac,
            issued_on=issued,
        )
    bamako = City.objects.create(country=mali, region=Region.objects.get(code="ML-BKO"), name="Bamako")
    for n, name in enumerate(["Crime", "Terrorism", "Political violence"]):
        category = ThreatCategoryFactory(slug=f"browser-{n}", name=f"{name} (browser)", position=100 + n)
        ThreatRatingFactory(country=mali, city=bamako, category=category, level=ThreatLevel.CRITICAL, source=osac)
    ContactPointFactory(
        country=mali,
        kind="embassy",
        name="U.S. Embassy Bamako",
        address="ACI 2000, Rue 243, Porte 297, Bamako",
        phones=["+223 2070 2300"],
        hours="Mon-Thu 07:30-17:00; Fri 07:30-11:30",
        source=osac,
    )
    ContactPointFactory(country=mali, kind="police", name="Police emergency", phones=["8000-1115"], source=osac)
    revision = SecurityReportRevisionFactory(
        report__country=mali, report__title="Mali Country Security Report", source=osac
    )
    ReportSectionFactory(revision=revision, heading="Crime", position=1)
    ReportSectionFactory(
        revision=revision, kind="terrorism", heading="Terrorism", position=2, body="Attacks reached Bamako in 2024."
    )
    return mali
