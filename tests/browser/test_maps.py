"""The map of Mali in a real browser: Leaflet's map with JavaScript, the inline SVG without.

On the country page itself, as a traveler opens it.

Places of incidents are ACLED's coordinates of Malian towns (../shared/data/acled).
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, ViewportSize, expect

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PHONE: ViewportSize = {"width": 390, "height": 844}
DESKTOP: ViewportSize = {"width": 1280, "height": 900}
LEVEL_4, GREY = "#a3150f", "#c4c9cf"
# Mopti and Kayes have their own level 4 (OSAC, 29 Nov 2024); the country-wide level is left out,
# so that the other regions are grey and two colours can be told apart.
LEVEL_4_REGIONS = ("ML-5", "ML-1")
# (place, latitude, longitude) from ACLED's Mali export 2017-2018.
PLACES = [
    ("Hombori", "15.27900", "-1.70040"),
    ("Boni", "15.07660", "-2.21980"),
    ("Douentza", "14.99510", "-2.95170"),
    ("Kidal", "18.44000", "1.41000"),
    ("Menaka", "15.91820", "2.40220"),
    ("Kayes", "14.44170", "-11.43410"),
    ("Sikasso", "11.09920", "-5.94540"),
]
PREVIEW_PATH = "/countries/{code}/"


@pytest.fixture
def mali_with_incidents(db):
    from advisories.models import Country, Region, RegionBoundary
    from incidents.models import SharingLevel
    from tests.factories import AdvisoryFactory, IncidentFactory, OrganisationFactory

    mali = Country.objects.get(code="ML")
    for code in LEVEL_4_REGIONS:
        AdvisoryFactory(country=mali, region=Region.objects.get(code=code), level=4, indicators="CTK")
    for place, latitude, longitude in PLACES:
        IncidentFactory(title=f"Attack near {place}", place_name=place, latitude=latitude, longitude=longitude)
    # Shared with the community only: never on a public map.
    IncidentFactory(
        title="Community report near Boni",
        latitude="15.07660",
        longitude="-2.21980",
        sharing_level=SharingLevel.GREEN,
        organisation=OrganisationFactory(),
    )
    return {
        "outlined": sorted(RegionBoundary.objects.filter(region__country=mali).values_list("region__code", flat=True))
    }


def expected_fill(code: str) -> str:
    return LEVEL_4 if code in LEVEL_4_REGIONS else GREY


def open_map(browser: Browser, url: str, *, javascript: bool, viewport: ViewportSize) -> tuple[Page, list[str]]:
    context = browser.new_context(java_script_enabled=javascript, viewport=viewport, locale="en-GB")
    page = context.new_page()
    problems: list[str] = []
    # Errors in the console (a policy's refusal, a failed script), but for the favicon the site lacks.
    page.on(
        "console",
        lambda message: (
            problems.append(message.text)
            if message.type == "error" and not message.location.get("url", "").endswith("/favicon.ico")
            else None
        ),
    )
    page.on("pageerror", lambda error: problems.append(str(error)))
    response = page.goto(url)
    assert response is not None and response.status == 200
    return page, problems


def test_leaflet_draws_each_region_in_its_level_colour_and_every_public_incident(
    mali_with_incidents, live_server, browser: Browser, screenshots
):
    page, problems = open_map(
        browser, live_server.url + PREVIEW_PATH.format(code="ml"), javascript=True, viewport=DESKTOP
    )

    container = page.locator(".place-map")
    expect(container).to_have_class("place-map place-map-ml is-enhanced")
    # Leaflet's map replaced the inline SVG, which stays in the page for those without JavaScript.
    expect(page.locator(".place-map-svg")).to_be_hidden()
    canvas = page.locator(".place-map-canvas")
    expect(canvas).to_be_visible()
    areas = canvas.locator("path.map-area")
    expect(areas).to_have_count(len(mali_with_incidents["outlined"]))
    for code in mali_with_incidents["outlined"]:
        expect(canvas.locator(f"path.map-area-{code}")).to_have_attribute("fill", expected_fill(code))
    # Every published TLP:CLEAR incident is a dot or counted in a cluster; the TLP:GREEN one is not.
    expect(canvas.locator("path.map-point, .marker-cluster").first).to_be_visible()
    dots = canvas.locator("path.map-point").count()
    clustered = sum(int(text) for text in canvas.locator(".marker-cluster span").all_inner_texts())
    assert dots + clustered == len(PLACES)
    assert dots >= 1
    page.screenshot(path=screenshots / "map-ml-desktop.png")

    # A dot's popup names the incident and links to it.
    canvas.locator("path.map-point").first.click(force=True)
    popup_link = canvas.locator(".leaflet-popup-content a")
    expect(popup_link).to_have_text(re.compile(r"^Attack near "))
    title = popup_link.inner_text()
    popup_link.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    assert problems == []
    page.context.close()


def test_without_javascript_the_inline_svg_shows_the_same_regions_and_incidents(
    mali_with_incidents, live_server, browser: Browser, screenshots
):
    page, _problems = open_map(
        browser, live_server.url + PREVIEW_PATH.format(code="ml"), javascript=False, viewport=PHONE
    )

    svg = page.locator("svg.place-map-svg")
    expect(svg).to_be_visible()
    expect(page.locator(".place-map-canvas")).to_have_count(0)
    expect(svg.locator("a.map-area path")).to_have_count(len(mali_with_incidents["outlined"]))
    for code in mali_with_incidents["outlined"]:
        expect(svg.locator(f"a.map-area[data-code='{code}'] path")).to_have_attribute("fill", expected_fill(code))
    expect(svg.locator("a.map-point circle")).to_have_count(len(PLACES))
    expect(page.get_by_text("Community report near Boni")).to_have_count(0)
    # Fits the phone's width: the map scales down rather than scrolling sideways.
    box = svg.bounding_box()
    assert box is not None and box["width"] <= PHONE["width"]
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.screenshot(path=screenshots / "map-ml-phone-no-js.png", full_page=True)

    # A region is a link to its page, which the keyboard reaches too.
    page.locator("a.map-area[data-code='ML-5']").focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(live_server.url + "/countries/ml/regions/ml-5/")
    page.context.close()


@pytest.fixture
def segou_assessed(mali_with_incidents):
    """Ségou: no advisory of its own and no incident drawn (a click lands on the region itself),
    with a risk index."""
    import datetime as dt

    from advisories.models import Region, RiskAssessment

    segou = Region.objects.get(code="ML-4")
    RiskAssessment.objects.create(
        country=segou.country, region=segou, computed_at=dt.datetime.now(dt.UTC), index=47, suggested_level=2
    )


def test_a_regions_popup_gives_its_risk_index_and_its_colour_stays_the_published_level(
    segou_assessed, live_server, browser: Browser
):
    page, problems = open_map(
        browser, live_server.url + PREVIEW_PATH.format(code="ml"), javascript=True, viewport=DESKTOP
    )

    canvas = page.locator(".place-map-canvas")
    region = canvas.locator("path.map-area-ML-4")
    expect(region).to_have_attribute("fill", GREY)
    region.click()
    expect(canvas.locator(".leaflet-popup-content .map-risk")).to_have_text("Risk index 47 of 100, suggesting level 2")
    # Without JavaScript, the legend says what the index is.
    expect(page.locator(".map-risk-note")).to_contain_text("risk index, 0 to 100")
    assert problems == []
    page.context.close()
