"""A traveler's path through the public pages in a real browser with JavaScript switched off."""

import re

import pytest
from playwright.sync_api import Browser, ViewportSize, expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PHONE: ViewportSize = {"width": 390, "height": 844}
DESKTOP: ViewportSize = {"width": 1280, "height": 900}


def test_a_traveler_finds_mali_from_the_home_page_without_javascript(
    mali_published, live_server, browser: Browser, screenshots
):
    context = browser.new_context(java_script_enabled=False, viewport=PHONE, locale="en-GB")
    page = context.new_page()
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))

    page.goto(live_server.url + "/")
    # Mali is linked three times: among the published advisories, the latest changes and the A to Z list.
    expect(page.get_by_role("link", name="Mali", exact=True)).to_have_count(3)
    page.get_by_role("link", name="Mali", exact=True).first.click()

    expect(page).to_have_url(live_server.url + "/countries/ml/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mali")
    level = page.locator(".advisory-level .level")
    expect(level).to_have_text("Level 4: Do Not Travel")
    # The stylesheet loaded: the level badge has its red as well as its words.
    assert level.evaluate("el => getComputedStyle(el).backgroundColor") == "rgb(163, 21, 15)"
    regions = page.locator("#regions .region-item")
    expect(regions).to_have_count(11)
    expect(regions.filter(has_text="Mopti")).to_contain_text("Level 4: Do Not Travel")
    expect(regions.filter(has_text="Kidal")).to_contain_text("Level 4: Do Not Travel")
    expect(page.get_by_role("table", name="Threat ratings by place")).to_contain_text("CRITICAL")
    # Nothing is fetched from anywhere else: no CDN, no web font, no script.
    assert requested and all(url.startswith(live_server.url) for url in requested)
    sources = page.locator("script").evaluate_all("scripts => scripts.map(s => s.src)")
    assert all(src.startswith(live_server.url + "/static/") for src in sources), sources
    # The page fits a phone: nothing wider than the screen forces sideways scrolling.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    page.screenshot(path=screenshots / "country-ml-phone.png", full_page=True)
    page.goto(live_server.url + "/")
    page.screenshot(path=screenshots / "home-phone.png")
    context.close()

    desktop = browser.new_context(java_script_enabled=False, viewport=DESKTOP, locale="en-GB")
    page = desktop.new_page()
    page.goto(live_server.url + "/countries/ml/")
    page.screenshot(path=screenshots / "country-ml-desktop.png", full_page=True)
    page.get_by_role("link", name="Bamako", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Bamako")
    expect(page.get_by_text(re.compile("No separate advisory: the level of Mali applies"))).to_be_visible()
    page.screenshot(path=screenshots / "region-ml-bko-desktop.png", full_page=True)
    desktop.close()


def test_an_unknown_country_shows_the_not_found_page(live_server, browser: Browser):
    context = browser.new_context(java_script_enabled=False, viewport=PHONE)
    page = context.new_page()

    response = page.goto(live_server.url + "/countries/zz/")

    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
    page.get_by_role("link", name="See all countries").click()
    expect(page).to_have_url(live_server.url + "/")
    context.close()
