"""An NGO security officer signs in and logs an incident, in a real browser with JavaScript off."""

import re
import time

import pytest
from playwright.sync_api import Browser, ViewportSize, expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PHONE: ViewportSize = {"width": 390, "height": 844}
PASSWORD = "correct horse battery staple"


@pytest.fixture
def officer(db):
    """A security officer of an NGO that has logged in Mali before, and the actor they will name."""
    from incidents.models import Role
    from tests.factories import ActorFactory, IncidentFactory, MembershipFactory, OrganisationFactory, UserFactory

    organisation = OrganisationFactory.create(name="Sahel Relief")
    user = UserFactory.create(username="awa", password=PASSWORD)
    MembershipFactory.create(user=user, organisation=organisation, role=Role.OFFICER)
    IncidentFactory.create(organisation=organisation, reporter=user, sharing_level="amber", status="submitted")
    ActorFactory.create(name="Unidentified armed men")
    return user


def test_an_officer_logs_an_incident_without_javascript(officer, live_server, browser: Browser, screenshots):
    context = browser.new_context(java_script_enabled=False, viewport=PHONE, locale="en-GB")
    page = context.new_page()
    started = time.monotonic()

    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Sign in").click()
    page.get_by_label("Username").fill("awa")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("link", name="Log an incident").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Log an incident")
    # The country they used last is already chosen, and its regions offered.
    expect(page.get_by_label("Country")).to_have_value(re.compile(r"\d+"))
    expect(page.get_by_label("Country").locator("option:checked")).to_have_text("Mali")
    page.get_by_label("What happened").select_option(label="Armed robbery")
    page.get_by_label("Title").fill("Staff vehicle robbed at a false checkpoint <script>alert(1)</script>")
    page.get_by_label("Date", exact=True).fill("2025-03-02")
    page.get_by_label("Region").select_option(label="Mopti")
    page.get_by_label("Place", exact=True).fill("Sévaré")
    page.get_by_role("group", name="Who did it").get_by_label("Unidentified armed men").check()
    page.get_by_label("NGO staff").check()
    # Killed and abducted are left empty: not known, which the detail page says.
    expect(page.get_by_label("Killed", exact=True)).to_have_value("")
    page.get_by_label("Injured").fill("2")
    page.get_by_label("3 · Serious").check()
    page.get_by_label("Description").fill("Four armed men stopped the vehicle and took phones and cash.")
    expect(page.get_by_label("TLP:AMBER", exact=False).first).to_be_checked()
    page.screenshot(path=screenshots / "incident-form-phone.png", full_page=True)
    page.get_by_role("button", name="Log the incident").click()

    expect(page).to_have_url(re.compile(live_server.url + r"/incidents/\d+/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Staff vehicle robbed at a false checkpoint <script>alert(1)</script>"
    )
    elapsed = time.monotonic() - started
    expect(page.get_by_role("status")).to_have_text(
        "Incident logged. Your organisation and its partner organisations can read it. "
        "Analysts do not see TLP:AMBER reports, so it will not be reviewed or published."
    )
    expect(page.get_by_text("TLP:AMBER: The reporting organisation and its partner organisations.")).to_be_visible()
    expect(page.get_by_text("Sévaré, Mopti, Mali")).to_be_visible()
    expect(page.get_by_text("2 injured; killed and abducted not known")).to_be_visible()
    assert page.locator("script").count() == 0
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.screenshot(path=screenshots / "incident-detail-phone.png", full_page=True)
    print(f"\nSigned in and logged an incident in {elapsed:.2f} s (headless Chromium, JavaScript off).")
    assert elapsed < 60
    context.close()


def test_bad_input_comes_back_with_its_message_and_what_was_typed(officer, live_server, browser: Browser, screenshots):
    context = browser.new_context(java_script_enabled=False, viewport=PHONE, locale="en-GB")
    page = context.new_page()
    page.goto(live_server.url + "/accounts/login/?next=/incidents/new/")
    page.get_by_label("Username").fill("awa")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    page.get_by_label("What happened").select_option(label="Theft")
    page.get_by_label("Title").fill("Laptop stolen from the guest house")
    page.get_by_label("Date", exact=True).fill("2025-03-02")
    page.get_by_label("Latitude").fill("95")
    page.get_by_label("Longitude").fill("-4.2")
    page.get_by_label("2 · Moderate").check()
    page.get_by_role("button", name="Log the incident").click()

    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("Latitude 95 is out of range: it goes from -90 to 90.")
    expect(page.get_by_label("Title")).to_have_value("Laptop stolen from the guest house")
    expect(page.get_by_label("2 · Moderate")).to_be_checked()
    page.screenshot(path=screenshots / "incident-form-error-phone.png", full_page=True)
    context.close()
