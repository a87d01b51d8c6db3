"""A traveler subscribes to Mali's alerts, confirms by the e-mailed link, gets a digest and
unsubscribes from it, in a real browser with JavaScript off."""

import datetime as dt
import re
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.core import mail
from playwright.sync_api import Browser, expect

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
    page.get_by_label("Countries").select_option(label="Mali")
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
