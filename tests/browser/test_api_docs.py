"""The API's interactive documentation in a real browser, with nothing fetched from elsewhere and
nothing the Content-Security-Policy blocks."""

import pytest
from playwright.sync_api import Browser, Page, expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_the_documentation_renders_and_runs_a_request_with_no_internet(live_server, browser: Browser, screenshots):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    page = context.new_page()
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    blocked = policy_violations(page)

    page.goto(live_server.url + "/api/v1/docs/")

    countries = page.locator(".opblock-get", has=page.locator(".opblock-summary-path", has_text="/api/v1/countries/"))
    expect(countries.first).to_be_visible(timeout=15_000)
    expect(page.locator(".opblock-post .opblock-summary-path", has_text="/api/v1/incidents/").first).to_be_visible()
    page.screenshot(path=screenshots / "api-docs.png")

    countries.first.locator(".opblock-summary").click()
    page.get_by_role("button", name="Try it out").click()
    page.get_by_role("button", name="Execute").click()
    response = countries.first.locator(".live-responses-table .response .response-col_status").first
    expect(response).to_have_text("200", timeout=15_000)
    # The first page of countries by ISO code, as the API gave it to the page.
    expect(countries.first.locator(".live-responses-table .microlight").first).to_contain_text('"name": "Andorra"')

    # The scripts, styles and schema all came from this site: the page works offline.
    assert requested and all(url.startswith(live_server.url) for url in requested), [
        url for url in requested if not url.startswith(live_server.url)
    ]
    assert blocked == []
    context.close()


def policy_violations(page: Page) -> list[str]:
    """What the page's Content-Security-Policy refused, as the browser reports it, filled as it goes."""
    found: list[str] = []
    page.on(
        "console", lambda message: found.append(message.text) if "Content Security Policy" in message.text else None
    )
    return found


def test_redoc_renders_under_its_policy_and_asks_nothing_of_other_sites(live_server, browser: Browser, screenshots):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    page = context.new_page()
    blocked = policy_violations(page)
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))

    page.goto(live_server.url + "/api/v1/redoc/")

    expect(page.get_by_role("heading", name="Vigil API", exact=False).first).to_be_visible(timeout=15_000)
    expect(page.get_by_text("API docs by Redocly")).to_be_visible()
    page.wait_for_load_state("networkidle")
    page.screenshot(path=screenshots / "api-redoc.png")
    # Every request the page made, the schema's included, went to this site: no web fonts, no
    # logo from Redoc's makers, and nothing left for the policy to refuse.
    assert any(url.startswith(live_server.url + "/api/v1/schema/") for url in requested), requested
    # (Its search runs in a worker made from a blob: of this page's own, so of this site too.)
    elsewhere = [url for url in requested if not url.removeprefix("blob:").startswith(live_server.url + "/")]
    assert elsewhere == []
    assert blocked == []
    # Redoc draws with the reader's own fonts, not web fonts it would have to fetch.
    family = page.get_by_role("heading", name="Vigil API", exact=False).first.evaluate(
        "heading => getComputedStyle(heading).fontFamily"
    )
    assert family.startswith("system-ui") and "Montserrat" not in family, family
    context.close()
