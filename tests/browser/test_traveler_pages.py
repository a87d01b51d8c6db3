"""The pages travelers and officers use, in a real Chromium, at a phone's size and a desktop's:
each page is screenshotted under var/screenshots/, fits the screen, passes axe-core with no
serious or critical violation, and works without JavaScript. On the Mali demo data."""

import json
import re
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import Browser, Page, ViewportSize, expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PHONE: ViewportSize = {"width": 390, "height": 844}
DESKTOP: ViewportSize = {"width": 1280, "height": 800}
SIZES = {"phone": PHONE, "desktop": DESKTOP}
AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"

# name, address, signed in as (None: a visitor)
PAGES = [
    ("home", "/", None),
    ("country-ml", "/countries/ml/", None),
    ("region-ml-bamako", "/countries/ml/regions/ml-bko/", None),
    ("region-ml-mopti", "/countries/ml/regions/ml-5/", None),
    ("risk-how", "/risk/how/", None),
    ("incidents-ml", "/countries/ml/incidents/", None),
    ("incident-form", "/incidents/new/", "kora_officer"),
    ("subscribe", "/alerts/subscribe/", None),
]


@pytest.fixture
def demo(db):
    from django.core.management import call_command

    call_command("load_demo", "--with-accounts", stdout=StringIO())


@pytest.fixture
def sessions(demo) -> dict[str, str]:
    """A signed-in session cookie for each account a page needs, made before the browser starts."""
    from django.contrib.auth import get_user_model
    from django.test import Client

    cookies = {}
    for username in {user for _name, _path, user in PAGES if user}:
        client = Client()
        client.force_login(get_user_model().objects.get(username=username))
        cookies[username] = client.cookies[settings.SESSION_COOKIE_NAME].value
    return cookies


def _open(browser: Browser, live_server, size: ViewportSize, user: str | None, sessions, **options):
    context = browser.new_context(viewport=size, locale="en-GB", bypass_csp=True, **options)
    if user:
        context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": sessions[user], "url": live_server.url}])
    return context


def _serious_axe_violations(page: Page) -> list[str]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => JSON.stringify(await axe.run(document))")
    violations = json.loads(result)["violations"]
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[node['target'] for node in v['nodes']][:5]}"
        for v in violations
        if v["impact"] in ("serious", "critical")
    ]


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_every_page_fits_the_screen_and_passes_axe(sessions, live_server, browser: Browser, screenshots, size):
    if not AXE.exists():
        pytest.fail("axe-core is missing: `npm ci` (run by `make test`) installs it in node_modules.")
    problems: dict[str, list[str]] = {}
    for name, path, user in PAGES:
        context = _open(browser, live_server, SIZES[size], user, sessions)
        page = context.new_page()
        response = page.goto(live_server.url + path)
        assert response and response.status == 200, (path, response and response.status)
        page.wait_for_load_state("networkidle")
        page.screenshot(path=screenshots / f"{name}-{size}.png", full_page=True)
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > SIZES[size]["width"]:
            problems.setdefault(name, []).append(f"{width} px wide on a {SIZES[size]['width']} px screen")
        problems.setdefault(name, []).extend(_serious_axe_violations(page))
        context.close()

    assert not {name: found for name, found in problems.items() if found}


def test_the_emergency_numbers_are_on_the_first_screen_of_a_phone(demo, live_server, browser: Browser):
    context = browser.new_context(viewport=PHONE, java_script_enabled=False, locale="en-GB")
    page = context.new_page()
    page.goto(live_server.url + "/countries/ml/")

    police = page.locator(".emergency a.tel", has_text="8000-1115")
    box = police.bounding_box()
    assert box and box["y"] + box["height"] <= PHONE["height"], box
    assert police.get_attribute("href") == "tel:8000-1115"
    level = page.locator(".advisory-level .level").bounding_box()
    assert level and level["y"] < box["y"]
    context.close()


def test_without_javascript_every_page_shows_its_content(sessions, live_server, browser: Browser):
    for name, path, user in PAGES:
        context = _open(browser, live_server, PHONE, user, sessions, java_script_enabled=False)
        page = context.new_page()
        page.goto(live_server.url + path)
        heading = page.get_by_role("heading", level=1)
        expect(heading).to_be_visible()
        assert heading.inner_text().strip(), name
        assert len(page.locator("main").inner_text()) > 200, name
        context.close()


def test_the_country_search_works_without_javascript(demo, live_server, browser: Browser):
    context = browser.new_context(viewport=PHONE, java_script_enabled=False, locale="en-GB")
    page = context.new_page()
    page.goto(live_server.url + "/")

    page.get_by_label("Find a country").fill("cote d'i")
    page.get_by_role("button", name="Search").click()

    expect(page).to_have_url(re.compile(r"\?q=cote"))
    matches = page.locator(".country-matches").first
    expect(matches.get_by_role("link")).to_have_text(["Côte d'Ivoire"])
    context.close()


def test_the_country_search_filters_as_you_type_with_javascript(demo, live_server, browser: Browser):
    context = browser.new_context(viewport=PHONE, locale="en-GB")
    page = context.new_page()
    page.goto(live_server.url + "/")

    page.get_by_label("Find a country").press_sequentially("mal")

    table = page.locator("#all-countries")
    expect(table.get_by_role("link", name="Mali", exact=True)).to_be_visible()
    expect(table.get_by_role("link", name="Malaysia")).to_be_visible()
    expect(table.get_by_role("link", name="France")).to_be_hidden()
    # Nothing was sent: the page did not reload.
    assert "?q=" not in page.url
    context.close()


def test_the_accessibility_check_finds_a_serious_violation_when_there_is_one(browser: Browser):
    context = browser.new_context(bypass_csp=True)
    page = context.new_page()
    page.set_content(
        '<html lang="en"><body><main><h1>Form</h1><input type="text"><img src="x.png"></main></body></html>'
    )

    found = _serious_axe_violations(page)

    assert any(v.startswith("image-alt") for v in found) and any(v.startswith("label") for v in found), found
    context.close()
