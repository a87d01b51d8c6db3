"""A traveler subscribes to Mali's alerts, confirms by the e-mailed link, gets a digest and
unsubscribes from it, in a real browser with JavaScript off."""

import datetime as dt
import re
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.core import mail
from playwright.sync_api import Browser, ViewportSize, expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def off_the_loop(function, *args, **kwargs):
    """Run database work in another thread: Playwright's event loop runs in this one, and
    Django refuses database calls from a thread with a running loop."""
    from django.db import connection

    def run():
        try:
            return function(*args, **kwargs)
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=1) as executor:
        return executor.submit(run).result()


def _link(message, path: str) -> str:
    found = re.search(rf"https?://\S+{path}\S+/", message.body)
    assert found, message.body
    return found.group(0)


def test_a_traveler_subscribes_confirms_and_unsubscribes_without_javascript(live_server, browser: Browser, settings):
    from alerts.dispatch import digest_run_start
    from alerts.models import Subscription
    from tests.factories import IncidentFactory

    settings.VIGIL_PUBLIC_URL = live_server.url
    page = browser.new_context(java_script_enabled=False, locale="en-GB").new_page()

    page.goto(live_server.url + "/alerts/subscribe/")
    page.get_by_label("Your e-mail address").fill("amina@example.net")
    # No advisory is published here, so Mali is among the other countries, folded until opened.
    page.locator("summary", has_text="Other countries").click()
    page.get_by_label("Mali", exact=True).check()
    page.get_by_role("button", name="Subscribe").last.click()
    expect(page.get_by_role("heading", name="Check your inbox")).to_be_visible()

    (confirmation,) = mail.outbox
    assert confirmation.to == ["amina@example.net"]
    page.goto(_link(confirmation, "/alerts/confirm/"))
    subscription = off_the_loop(Subscription.objects.get, email="amina@example.net")
    assert subscription.confirmed_at is None, "Opening the link must not confirm by itself."
    page.get_by_role("button", name="Yes, send me these alerts").click()
    expect(page.get_by_role("heading", name="Your alerts are confirmed")).to_be_visible()
    off_the_loop(subscription.refresh_from_db)
    assert subscription.confirmed_at is not None

    off_the_loop(IncidentFactory.create, title="Kidnapping on the Mopti road")
    off_the_loop(
        digest_run_start,
        frequency="daily",
        time_zone=subscription.time_zone,
        now=dt.datetime.now(tz=dt.UTC) + dt.timedelta(hours=1),
    )
    digest = mail.outbox[-1]
    assert "Kidnapping on the Mopti road" in digest.body

    page.goto(_link(digest, "/alerts/unsubscribe/"))
    page.get_by_role("button", name="Unsubscribe").last.click()
    expect(page.get_by_role("heading", name="You are unsubscribed")).to_be_visible()
    off_the_loop(subscription.refresh_from_db)
    assert subscription.ended_at is not None
    assert subscription.end_reason == "unsubscribed"


PHONE: ViewportSize = {"width": 390, "height": 844}


def test_on_a_phone_the_country_page_link_arrives_with_mali_ticked_and_bamako_time(
    mali_published, live_server, browser: Browser, screenshots
):
    page = browser.new_context(java_script_enabled=False, viewport=PHONE, locale="en-GB").new_page()

    page.goto(live_server.url + "/alerts/subscribe/?country=ml")

    countries = page.get_by_role("group", name="Countries")
    expect(countries.get_by_label("Mali", exact=True)).to_be_checked()
    expect(page.get_by_label("Time zone", exact=True)).to_have_value("Africa/Bamako")
    # Tick boxes a thumb can hit, the list within the screen's width.
    box = countries.get_by_label("Mali", exact=True).bounding_box()
    assert box is not None and box["height"] >= 18
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.screenshot(path=screenshots / "subscribe-phone.png", full_page=True)


def test_with_javascript_the_other_countries_filter_and_the_browsers_zone_is_offered(
    mali_published, live_server, browser: Browser
):
    context = browser.new_context(viewport=PHONE, locale="en-GB", timezone_id="Asia/Kathmandu")
    page = context.new_page()

    page.goto(live_server.url + "/alerts/subscribe/")

    expect(page.get_by_label("Time zone", exact=True)).to_have_value("Asia/Kathmandu")
    page.locator("summary", has_text="Other countries").click()
    page.get_by_label("Find in Other countries").fill("cote")
    others = page.locator("details.choice-group .choice-box")
    expect(others.filter(visible=True)).to_have_count(1)
    expect(others.filter(visible=True)).to_contain_text("Côte d")
    page.get_by_label("Find in Other countries").press("Enter")  # filters, does not send the form
    expect(page).to_have_url(live_server.url + "/alerts/subscribe/")
    page.get_by_label("Find in Other countries").fill("")
    assert others.filter(visible=True).count() > 200
    context.close()


def test_with_javascript_a_zone_outside_the_list_is_written_in_other(live_server, browser: Browser):
    context = browser.new_context(viewport=PHONE, locale="en-GB", timezone_id="Pacific/Chatham")
    page = context.new_page()

    page.goto(live_server.url + "/alerts/subscribe/")

    expect(page.get_by_label("Other time zone")).to_have_value("Pacific/Chatham")
    expect(page.get_by_label("Time zone", exact=True)).to_have_value("UTC")
    context.close()
