"""The language switch in a real Chromium with JavaScript off: a traveler reading Mali's page in
English follows the "Français" link in the header and reads the same page in French."""

import re

import pytest
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import Browser, ViewportSize, expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PHONE: ViewportSize = {"width": 390, "height": 844}
SUMMARY_FR = "Des groupes terroristes et armés attaquent dans tout le pays, y compris la capitale."
CRIME_FR = "Criminalité"


@pytest.fixture
def mali_in_french(mali_published):
    """The analysts' French beside the English of Mali's advisory and report."""
    from advisories.models import Advisory, ReportSection

    Advisory.objects.filter(country=mali_published, region=None).update(summary_fr=SUMMARY_FR)
    ReportSection.objects.filter(revision__report__country=mali_published, heading="Crime").update(heading_fr=CRIME_FR)
    return mali_published


def test_a_reader_without_javascript_switches_a_country_page_to_french(mali_in_french, live_server, browser: Browser):
    context = browser.new_context(viewport=PHONE, java_script_enabled=False, locale="en-GB")
    page = context.new_page()
    response = page.goto(live_server.url + "/countries/ml/")
    assert response and response.status == 200
    expect(page.locator("html")).to_have_attribute("lang", "en")
    english_headings = page.locator("main h2").all_inner_texts()
    expect(page.locator("#why .summary")).to_contain_text("Terrorist and armed groups")

    switch = page.locator("header").get_by_role("link", name="Français")
    expect(switch).to_be_visible()  # at a phone's width, too
    expect(switch).to_have_attribute("lang", "fr")
    expect(switch).to_have_attribute("hreflang", "fr")
    switch.click()

    expect(page).to_have_url(re.compile(r"/countries/ml/$"))
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    # Content the analysts wrote in French.
    expect(page.locator("#why .summary")).to_have_text(SUMMARY_FR)
    expect(page.locator("#report summary", has_text=CRIME_FR)).to_have_count(1)
    # The page's own headings, as the French catalogue has them.
    english = [" ".join(text.split()) for text in english_headings]
    with translation.override("fr"):
        expected = [" ".join(gettext(text).split()) for text in english]
    french = [" ".join(text.split()) for text in page.locator("main h2").all_inner_texts()]
    assert french == expected
    with translation.override("fr"):
        emergency = gettext("Emergency numbers")
    assert "Emergency numbers" in english and emergency in french and emergency != "Emergency numbers"
    back = page.locator("header").get_by_role("link", name="English")
    expect(back).to_have_attribute("lang", "en")
    assert {c["name"]: c["value"] for c in context.cookies()}[settings.LANGUAGE_COOKIE_NAME] == "fr"

    back.click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("#why .summary")).to_contain_text("Terrorist and armed groups")
    context.close()
