"""The API's interactive documentation in a real browser, with nothing fetched from elsewhere."""

import pytest
from playwright.sync_api import Browser, expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_the_documentation_renders_and_runs_a_request_with_no_internet(live_server, browser: Browser, screenshots):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    page = context.new_page()
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))

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
    context.close()
