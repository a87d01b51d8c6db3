"""The pages under their Content-Security-Policy in a real browser: the stylesheet applies and the
browser reports nothing blocked, on a country page and on the sign-in page."""

import pytest
from playwright.sync_api import Browser, expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.mark.parametrize(("path", "heading"), [("/countries/ml/", "Mali"), ("/accounts/login/", "Sign in")])
def test_a_page_renders_styled_with_nothing_blocked_by_its_policy(
    mali_published, live_server, browser: Browser, path, heading
):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    page = context.new_page()
    blocked: list[str] = []
    page.on(
        "console", lambda message: blocked.append(message.text) if "Content Security Policy" in message.text else None
    )

    response = page.goto(live_server.url + path)

    assert response is not None
    assert "default-src 'self'" in response.headers["content-security-policy"]
    assert "camera=()" in response.headers["permissions-policy"]
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    # The site's stylesheet applied: the body has its fonts, not the browser's default.
    assert page.locator("body").evaluate("el => getComputedStyle(el).fontFamily").startswith("system-ui")
    assert blocked == []
    context.close()
