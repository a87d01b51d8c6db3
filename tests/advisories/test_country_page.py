"""The public country page, as a traveler reads it."""

import datetime as dt
import re
from decimal import Decimal

import pytest

from advisories.models import (
    RISK_INDICATOR_EXPLANATIONS,
    Advisory,
    CrimeIndicatorAssessment,
    CrimeProfile,
    Region,
    ReportSection,
    RiskIndicator,
)
from tests.advisories.helpers import text_of
from tests.factories import (
    AdvisoryFactory,
    ContactPointFactory,
    ReportSectionFactory,
    SecurityReportFactory,
    SecurityReportRevisionFactory,
    SourceFactory,
)

pytestmark = pytest.mark.django_db


# --- Country page --------------------------------------------------------------------------


def test_country_page_shows_level_four_do_not_travel_with_source_and_date(client, mali_advisory):
    response = client.get("/countries/ml/")

    assert response.status_code == 200
    text = text_of(response)
    assert "Level 4: Do Not Travel" in text
    assert "Issued 29 Nov 2024" in text
    assert "Armed groups attack towns and roads across the country, Bamako included." in text
    assert "Source: Mali Country Security Report, OSAC, published 29 Nov 2024" in text


def test_country_page_explains_each_indicator_in_words(client, mali_advisory):
    text = text_of(client.get("/countries/ml/"))

    for letter in "CTK":
        indicator = RiskIndicator(letter)
        assert f"{letter} {indicator.label}" in text
        assert str(RISK_INDICATOR_EXPLANATIONS[indicator]) in text
    assert str(RISK_INDICATOR_EXPLANATIONS[RiskIndicator.HEALTH]) not in text


def test_country_page_shows_bamako_critical_threat_ratings(client, mali_advisory, bamako_ratings):
    html = client.get("/countries/ml/").content.decode()

    table = re.search(r'<table class="ratings">.*?</table>', html, re.S)
    assert table
    assert "Bamako" in table[0]
    for category in ["Crime (test)", "Terrorism (test)", "Political violence (test)"]:
        row = re.search(rf'<th scope="row">{re.escape(category)}</th>(.*?)</tr>', table[0], re.S)
        assert row and "CRITICAL" in row[1] and "29 Nov 2024" in row[1]


def test_country_page_lists_every_region_with_its_level_and_reason(client, mali_advisory):
    mopti = Region.objects.get(code="ML-5")
    AdvisoryFactory(country=mopti.country, region=mopti, level=4, summary="Armed groups control roads between towns.")
    kayes = Region.objects.get(code="ML-1")
    AdvisoryFactory(country=kayes.country, region=kayes, level=3, summary="Robberies near gold-mining sites.")

    html = client.get("/countries/ml/").content.decode()

    listing = re.search(r'<ul class="region-list">.*?</ul>', html, re.S)
    assert listing
    rows = re.findall(r'<li class="region-item">.*?href="([^"]+)">([^<]+)</a>(.*?)</li>', listing[0], re.S)
    assert len(rows) == 11
    assert {url for url, _, _ in rows} == {r.get_absolute_url() for r in Region.objects.filter(country__code="ML")}
    by_name = {name: cell for _, name, cell in rows}
    assert "Level 4" in by_name["Mopti"] and "Armed groups control roads between towns." in by_name["Mopti"]
    assert "Level 3" in by_name["Kayes"] and "Reconsider Travel" in by_name["Kayes"]
    assert "Robberies near gold-mining sites." in by_name["Kayes"]
    # A region without its own advisory shows the country's level and no reason of its own.
    assert "Level 4" in by_name["Kidal"] and 'class="note"' not in by_name["Kidal"]
    assert all("Level " in cell for cell in by_name.values())


def test_a_region_reason_that_repeats_the_country_one_is_not_shown_again(client, mali_advisory):
    mopti = Region.objects.get(code="ML-5")
    AdvisoryFactory(country=mopti.country, region=mopti, level=4, summary=mali_advisory.summary)

    html = client.get("/countries/ml/").content.decode()

    listing = re.search(r'<ul class="region-list">.*?</ul>', html, re.S)
    assert listing and mali_advisory.summary not in listing[0]


def test_a_long_region_reason_shows_its_first_sentence_and_links_to_the_region(client, mali_advisory):
    mopti = Region.objects.get(code="ML-5")
    AdvisoryFactory(
        country=mopti.country,
        region=mopti,
        level=4,
        summary="Armed groups hold the roads between Mopti and Sévaré. Convoys are attacked every week.",
    )

    html = client.get("/countries/ml/").content.decode()

    listing = re.search(r'<ul class="region-list">.*?</ul>', html, re.S)
    assert listing
    assert "Armed groups hold the roads between Mopti and Sévaré." in listing[0]
    assert "Convoys are attacked every week." not in listing[0]
    assert f'href="{mopti.get_absolute_url()}">More' in listing[0]


def test_country_page_shows_sections_of_the_latest_published_revision_in_order(client, mali_advisory, osac):
    report = SecurityReportFactory(country=mali_advisory.country, title="Mali Country Security Report")
    old = SecurityReportRevisionFactory(report=report, number=1, what_changed="First edition.")
    ReportSectionFactory(revision=old, heading="Crime", position=1, body="Outdated crime text.")
    current = SecurityReportRevisionFactory(
        report=report, number=2, what_changed="Added the September 2024 Bamako attack.", source=osac
    )
    ReportSectionFactory(revision=current, kind="terrorism", heading="Terrorism", position=2, body="Terror text.")
    ReportSectionFactory(revision=current, kind="crime", heading="Crime", position=1, body="Current crime text.")
    ReportSectionFactory(revision=current, kind="kidnapping", heading="Kidnapping Threat", position=3, body="Kid.")
    draft = SecurityReportRevisionFactory(report=report, number=3, published_at=None, what_changed="Draft.")
    ReportSectionFactory(revision=draft, heading="Crime", position=1, body="Draft crime text.")
    scheduled = SecurityReportRevisionFactory(
        report=report, number=4, published_at=dt.datetime(2999, 1, 1, tzinfo=dt.UTC), what_changed="Later."
    )
    ReportSectionFactory(revision=scheduled, heading="Crime", position=1, body="Not yet published text.")

    html = client.get("/countries/ml/").content.decode()
    text = text_of(client.get("/countries/ml/"))

    headings = re.findall(r'<details class="report-section" id="section-\d+">\s*<summary>([^<]+)</summary>', html)
    assert headings == ["Crime", "Terrorism", "Kidnapping Threat"]
    assert "Current crime text." in text
    assert "revision 2, published 29 Nov 2024" in text
    assert "What changed: Added the September 2024 Bamako attack." in text
    for hidden in ["Outdated crime text.", "Draft crime text.", "Not yet published text.", "Draft."]:
        assert hidden not in text


def test_country_page_does_not_show_a_report_that_only_has_drafts(client, mali_advisory):
    draft = SecurityReportRevisionFactory(report__country=mali_advisory.country, number=1, published_at=None)
    ReportSectionFactory(revision=draft, body="Unpublished words.")

    text = text_of(client.get("/countries/ml/"))

    assert "Unpublished words." not in text
    assert "Security report" not in text


def test_country_page_does_not_show_a_superseded_advisory(client, mali):
    AdvisoryFactory(
        country=mali,
        level=2,
        summary="Old text from an earlier advisory.",
        issued_on=dt.date(2020, 1, 1),
        is_current=False,
    )
    AdvisoryFactory(country=mali, level=4, summary="The current reason.")

    text = text_of(client.get("/countries/ml/"))

    assert "Level 4: Do Not Travel" in text
    assert "The current reason." in text
    assert "Old text from an earlier advisory." not in text
    assert "Exercise Increased Caution" not in text


def test_country_page_shows_contacts_with_phones_hours_and_last_verified_date(
    client, mali_advisory, embassy, police, country_council
):
    html = client.get("/countries/ml/").content.decode()
    text = text_of(client.get("/countries/ml/"))

    assert re.findall(r"<h3>([^<]+)</h3>", html.split('id="contacts"')[1]) == [
        "U.S. Embassy Bamako",
        "Police emergency",
        "OSAC Mali Country Council",
    ]
    assert "ACI 2000, Rue 243, Porte 297, Bamako" in text
    assert '<a href="tel:+22320702300">+223 2070 2300</a>' in html
    assert "Monday to Thursday 07:30-17:00; Friday 07:30-11:30" in text
    assert '<a href="tel:8000-1115">8000-1115</a>' in html
    assert "Bambara, French" in text
    assert '<a href="mailto:OSACBamako@state.gov">' in html
    assert text.count("Checked on 29 Nov 2024") == 3


def test_country_page_lists_where_each_fact_comes_from(client, mali_advisory, bamako_ratings, embassy):
    unesco = SourceFactory(title="Sahel programme page", publisher="UNODC", published_on=None, url="https://x.test/")
    ContactPointFactory(country=mali_advisory.country, name="Hospital", source=unesco)

    html = client.get("/countries/ml/").content.decode()
    sources = html.split('id="sources"')[1]

    items = re.findall(r"<li>(.*?)</li>", sources, re.S)
    assert len(items) == 2
    assert "<cite>Mali Country Security Report</cite>, OSAC, published 29 Nov 2024" in items[0]
    assert '<a href="https://x.test/" rel="noopener">Sahel programme page</a>' in items[1]
    assert "UNODC" in items[1]


def test_country_page_shows_organized_crime_profiles_by_edition(client, mali_advisory):
    mali = mali_advisory.country
    gitoc_2025 = SourceFactory.create(title="Mali profile 2025", publisher="GI-TOC", published_on=dt.date(2025, 1, 1))
    gitoc_2021 = SourceFactory.create(title="Mali profile 2021", publisher="GI-TOC", published_on=dt.date(2021, 1, 1))
    profile_2025 = CrimeProfile.objects.create(
        country=mali, edition=2025, source=gitoc_2025, resilience_score=Decimal("2.08"), summary="Markets grew."
    )
    CrimeIndicatorAssessment.objects.create(
        profile=profile_2025, indicator="law_enforcement", score=Decimal("2.50"), summary="Police stretched thin."
    )
    CrimeIndicatorAssessment.objects.create(
        profile=profile_2025, indicator="human_smuggling", summary="Routes north through Gao."
    )
    CrimeProfile.objects.create(country=mali, edition=2021, source=gitoc_2021, summary="The earlier picture.")

    html = client.get("/countries/ml/").content.decode()
    text = text_of(client.get("/countries/ml/"))

    assert re.findall(r"What the (\d{4}) edition says", html) == ["2025", "2021"]
    assert "Resilience (2025) 2.08" in text
    # Only scores the source gives are tabled; an indicator without one keeps its words, folded away.
    scores = re.search(r'<table class="assessments">.*?</table>', html, re.S)
    assert scores and "Law enforcement" in scores[0] and "2.50" in scores[0]
    assert "Human smuggling" not in scores[0] and "not given" not in html
    assert "Human smuggling Routes north through Gao." in text
    assert "Police stretched thin." in text
    assert "Markets grew." in text and "The earlier picture." in text
    assert "Mali profile 2021, GI-TOC, published 1 Jan 2021" in text


def test_organized_crime_scores_of_two_editions_show_their_change(client, mali_advisory):
    mali = mali_advisory.country
    old = CrimeProfile.objects.create(country=mali, edition=2023, source=SourceFactory.create())
    new = CrimeProfile.objects.create(country=mali, edition=2025, source=SourceFactory.create())
    CrimeIndicatorAssessment.objects.create(profile=old, indicator="law_enforcement", score=Decimal("3.00"))
    CrimeIndicatorAssessment.objects.create(profile=new, indicator="law_enforcement", score=Decimal("2.50"))
    CrimeIndicatorAssessment.objects.create(profile=new, indicator="prevention", score=Decimal("2.00"))

    html = client.get("/countries/ml/").content.decode()

    table = re.search(r'<table class="assessments">.*?</table>', html, re.S)
    assert table
    headers = re.findall(r'<th scope="col" class="num">([^<]+)</th>', table[0])
    assert headers == ["2025", "2023", "Change"]
    law = re.search(r"Law enforcement.*?</tr>", table[0], re.S)
    assert law and re.findall(r'<td class="num">([^<]*)</td>', law[0]) == ["2.50", "3.00", "-0.50"]
    prevention = re.search(r"Prevention.*?</tr>", table[0], re.S)
    assert prevention and re.findall(r'<td class="num">([^<]*)</td>', prevention[0]) == ["2.00", "", ""]


def test_a_profile_without_any_score_shows_no_score_table(client, mali_advisory):
    profile = CrimeProfile.objects.create(
        country=mali_advisory.country, edition=2021, source=SourceFactory.create(), summary="No scores here."
    )
    CrimeIndicatorAssessment.objects.create(profile=profile, indicator="human_smuggling", summary="Old routes.")

    html = client.get("/countries/ml/").content.decode()

    assert "No scores here." in html and "Old routes." in html
    assert '<table class="assessments">' not in html


def test_country_without_any_data_says_no_advisory_is_published_yet(client):
    response = client.get("/countries/fr/")

    assert response.status_code == 200
    text = text_of(response)
    assert "No advisory published yet" in text
    assert "Île-de-France" in text
    assert "Threat ratings" not in text
    assert not re.search(r"Level \d", text)


def test_country_page_escapes_text_fields(client, mali):
    AdvisoryFactory(country=mali, level=4, summary="<script>alert('x')</script> & more")
    ContactPointFactory(country=mali, name="<b>Bold</b> post", address="<img src=x onerror=alert(1)>")

    html = client.get("/countries/ml/").content.decode()

    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; more" in html
    assert "<b>Bold</b>" not in html and "&lt;b&gt;Bold&lt;/b&gt; post" in html
    assert "<img src=x" not in html


def test_country_page_is_marked_with_the_language_it_is_written_in(client, mali_advisory):
    english = client.get("/countries/ml/").content.decode()
    french = client.get("/countries/ml/", headers={"accept-language": "fr"}).content.decode()

    assert '<html lang="en"' in english
    assert '<html lang="fr"' in french


def test_sections_are_not_reordered_by_creation(client, mali_advisory):
    revision = SecurityReportRevisionFactory.create(report__country=mali_advisory.country)
    for position, heading in [(3, "Third"), (1, "First"), (2, "Second")]:
        ReportSection.objects.create(revision=revision, kind="other", heading=heading, position=position, body="x")

    html = client.get("/countries/ml/").content.decode()

    headings = re.findall(r'<details class="report-section" id="section-\d+">\s*<summary>([^<]+)</summary>', html)
    assert headings == ["First", "Second", "Third"]


def test_a_current_advisory_is_the_one_the_page_shows_among_several_rows(client, mali):
    for year, level in [(2019, 1), (2021, 2), (2022, 3)]:
        Advisory.objects.create(country=mali, level=level, issued_on=dt.date(year, 1, 1), is_current=False)
    Advisory.objects.create(country=mali, level=4, issued_on=dt.date(2024, 11, 29))

    text = text_of(client.get("/countries/ml/"))

    assert "Level 4: Do Not Travel" in text
    assert "Level 3" not in text and "Level 2" not in text and "Level 1" not in text


def test_regions_with_their_own_levels_in_a_country_without_one_are_listed(client, mali):
    mopti = Region.objects.get(code="ML-5")
    AdvisoryFactory(country=mali, region=mopti, level=4, summary="Armed groups hold the roads.")

    html = client.get("/countries/ml/").content.decode()

    listing = re.search(r'<ul class="region-list">.*?</ul>', html, re.S)
    assert listing and "Level 4: Do Not Travel" in listing[0]
    assert listing[0].count("No advisory yet") == Region.objects.filter(country=mali).count() - 1
