"""Advisory content written in English and French: each reader gets their language, and a
missing translation shows the other language, marked, with a note, never an empty section.

The French texts below restate facts of the OSAC report of 29 Nov 2024 (../shared/seeds)."""

import re

import pytest
from django.utils import translation

from advisories.demo.loader import load_demo
from advisories.models import (
    Advisory,
    ContactPoint,
    Region,
    ReportSection,
    SecurityReport,
    SecurityReportRevision,
    ThreatCategory,
)
from advisories.services import Outcome
from config.translation import localized
from tests.advisories.helpers import admin_url, text_of
from tests.advisories.test_region_page import COUNTRY_PAGE_QUERIES, build_country
from tests.factories import (
    AdvisoryFactory,
    ReportSectionFactory,
    SecurityReportFactory,
    SecurityReportRevisionFactory,
)

pytestmark = pytest.mark.django_db

SUMMARY_FR = "Des groupes armés attaquent les villes et les routes dans tout le pays, Bamako compris."
MOPTI_EN = "Armed groups hold the roads between Mopti and Sévaré. Convoys are attacked every week."
MOPTI_FR = "Des groupes armés tiennent les routes entre Mopti et Sévaré. Des convois sont attaqués chaque semaine."
# The note names the missing language by its own name; its wording comes from the message
# catalogue, which these tests do not depend on.
NOTE_FR = re.compile(r'<span class="untranslated">\([^<)]*français[^<)]*\)</span>')


@pytest.fixture(autouse=True)
def english_after_each_test():
    """A French request leaves French active in this thread: put English back for the next test."""
    yield
    translation.activate("en")


def french(client, url: str):
    return client.get(url, headers={"accept-language": "fr"})


def english(client, url: str):
    return client.get(url, headers={"accept-language": "en"})


@pytest.fixture
def translated(mali_advisory, osac):
    mali_advisory.summary_fr = SUMMARY_FR
    mali_advisory.save()
    mopti = Region.objects.get(code="ML-5")
    AdvisoryFactory(country=mali_advisory.country, region=mopti, level=4, summary=MOPTI_EN, summary_fr=MOPTI_FR)
    report = SecurityReportFactory(country=mali_advisory.country, title="Mali Country Security Report")
    revision = SecurityReportRevisionFactory(report=report, number=1, source=osac)
    ReportSectionFactory(
        revision=revision,
        kind="terrorism",
        heading="Terrorism",
        heading_fr="Terrorisme",
        position=1,
        body="JNIM attacked Air Base 101 on 17 September 2024.",
        body_fr="Le JNIM a attaqué la base aérienne 101 le 17 septembre 2024.",
    )
    return mali_advisory


def _section_headings(html: str) -> list[str]:
    return re.findall(r'<details class="report-section" id="section-\d+">\s*<summary>(.*?)</summary>', html, re.S)


# --- Pages --------------------------------------------------------------------------------


def test_a_french_reader_sees_the_french_summary_region_reason_and_section(client, translated):
    html = french(client, "/countries/ml/").content.decode()
    text = text_of(french(client, "/countries/ml/"))

    assert SUMMARY_FR in text
    assert translated.summary not in text
    listing = re.search(r'<ul class="region-list">.*?</ul>', html, re.S)
    assert listing and "Des groupes armés tiennent les routes entre Mopti et Sévaré." in listing[0]
    assert "Convoys" not in listing[0] and "Armed groups hold" not in listing[0]
    assert _section_headings(html) == ["Terrorisme"]
    assert "Le JNIM a attaqué la base aérienne 101 le 17 septembre 2024." in text
    assert not NOTE_FR.search(html)


def test_an_english_reader_sees_the_english_texts(client, translated):
    html = english(client, "/countries/ml/").content.decode()
    text = text_of(english(client, "/countries/ml/"))

    assert translated.summary in text and SUMMARY_FR not in text
    assert _section_headings(html) == ["Terrorism"]
    assert "JNIM attacked Air Base 101 on 17 September 2024." in text
    assert "Mopti et Sévaré" not in html
    assert "Not yet translated" not in text


def test_a_french_reader_sees_the_french_region_reason_on_the_region_page(client, translated):
    text = text_of(french(client, "/countries/ml/regions/ml-5/"))

    assert MOPTI_FR in text
    assert MOPTI_EN not in text


def test_a_missing_translation_shows_the_english_marked_as_english_with_a_note(client, mali_advisory, osac):
    report = SecurityReportFactory(country=mali_advisory.country)
    revision = SecurityReportRevisionFactory(report=report, number=1, source=osac)
    ReportSectionFactory(revision=revision, heading="Crime", position=1, body="Robberies at night.\n\nCarjackings.")

    html = french(client, "/countries/ml/").content.decode()
    text = text_of(french(client, "/countries/ml/"))

    summary = re.search(r'<p class="summary">(.*?)</p>', html, re.S)
    assert summary and summary[1].startswith(f'<span lang="en">{mali_advisory.summary}</span> ')
    assert NOTE_FR.search(summary[1])
    [heading] = _section_headings(html)
    assert heading.startswith('<span lang="en">Crime</span> ') and NOTE_FR.search(heading)
    assert '<div lang="en"><p>Robberies at night.</p>\n\n<p>Carjackings.</p></div><p class="untranslated">(' in html
    assert "Robberies at night." in text


def test_french_written_without_english_is_shown_to_an_english_reader_marked_as_french(client, mali):
    AdvisoryFactory(country=mali, level=4, summary="", summary_fr=SUMMARY_FR)

    html = english(client, "/countries/ml/").content.decode()

    assert f'<span lang="fr">{SUMMARY_FR}</span>' in html
    summary = re.search(r'<p class="summary">(.*?)</p>', html, re.S)
    assert summary and '<span class="untranslated">(' in summary[1] and "English" in summary[1]


def test_threat_category_names_and_notes_follow_the_reader(client, mali_advisory, bamako_ratings):
    crime = bamako_ratings[0]
    crime.category.name_fr = "Criminalité (test)"
    crime.category.save()
    crime.note_fr = "La plupart des délits sont opportunistes, mais leurs auteurs sont souvent armés."
    crime.save()

    html = french(client, "/countries/ml/").content.decode()

    assert '<th scope="row">Criminalité (test)</th>' in html
    assert "La plupart des délits sont opportunistes" in html
    # Not translated: the English name, marked, with the note.
    assert '<th scope="row"><span lang="en">Terrorism (test)</span>' in html
    assert '<th scope="row">Crime (test)</th>' in english(client, "/countries/ml/").content.decode()


def test_contacts_show_their_french_name_hours_and_notes(client, mali_advisory, embassy):
    embassy.name_fr = "Ambassade des États-Unis à Bamako"
    embassy.hours_fr = "Du lundi au jeudi, 7 h 30 - 17 h ; vendredi, 7 h 30 - 11 h 30"
    embassy.notes = "Details as printed in the OSAC report."
    embassy.notes_fr = "Coordonnées telles qu'imprimées dans le rapport de l'OSAC."
    embassy.save()

    text = text_of(french(client, "/countries/ml/"))

    assert "Ambassade des États-Unis à Bamako" in text
    assert "Du lundi au jeudi, 7 h 30 - 17 h" in text
    assert "Coordonnées telles qu'imprimées" in text or "Coordonnées telles qu&#x27;imprimées" in text
    assert "Monday to Thursday" not in text


def test_reading_a_field_in_french_falls_back_to_the_english_and_says_so(mali_advisory):
    with translation.override("fr"):
        value = localized(mali_advisory, "summary")
        blank = localized(AdvisoryFactory.build(summary=" ", summary_fr=""), "summary")
    assert (value.text, value.language, value.is_fallback) == (mali_advisory.summary, "en", True)
    with translation.override("fr-ca"):
        assert localized(mali_advisory, "summary", "fr").is_fallback
    with translation.override("en"):
        assert not localized(mali_advisory, "summary").is_fallback
    # Nothing in either language: nothing to show, and the templates show no section for it.
    assert (blank.text, blank.is_fallback) == ("", False)


def test_the_country_page_in_french_runs_no_more_queries_than_in_english(client, django_assert_num_queries):
    country = build_country(5)
    Advisory.objects.filter(country=country).update(summary_fr="Des groupes armés tiennent les routes.")
    ReportSection.objects.filter(revision__report__country=country).update(heading_fr="Criminalité")

    with django_assert_num_queries(COUNTRY_PAGE_QUERIES):
        english(client, country.get_absolute_url())
    with django_assert_num_queries(COUNTRY_PAGE_QUERIES):
        text = text_of(french(client, country.get_absolute_url()))
    assert "Des groupes armés tiennent les routes." in text


# --- Admin ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("model", "fields"),
    [
        (Advisory, ["summary", "summary_fr"]),
        (ThreatCategory, ["name", "name_fr", "description", "description_fr"]),
        (ContactPoint, ["name", "name_fr", "hours", "hours_fr", "notes", "notes_fr"]),
        (SecurityReport, ["title", "title_fr"]),
        (ReportSection, ["heading", "heading_fr", "body", "body_fr"]),
    ],
)
def test_the_admin_form_has_the_english_and_french_fields(admin_client, model, fields):
    html = admin_client.get(admin_url(model, "add")).content.decode()

    for name in fields:
        assert f'name="{name}"' in html, name
    assert "Shown to readers using French; leave blank to show the English with a note." in html


def test_the_report_section_inline_edits_both_languages(admin_client, osac):
    revision = SecurityReportRevisionFactory.create(source=osac)
    html = admin_client.get(admin_url(SecurityReportRevision, "change", revision.pk)).content.decode()

    assert 'name="sections-__prefix__-heading_fr"' in html and 'name="sections-__prefix__-body_fr"' in html


def test_analysts_can_list_the_advisories_still_missing_french(admin_client, translated, mali):
    kidal = Region.objects.get(code="ML-8")
    untranslated = AdvisoryFactory.create(country=mali, region=kidal, level=4, summary="Rebels lost the gold mines.")

    html = admin_client.get(admin_url(Advisory, "changelist"), {"french": "missing"}).content.decode()

    assert admin_url(Advisory, "change", untranslated.pk) in html
    assert admin_url(Advisory, "change", translated.pk) not in html


def test_an_analyst_adding_french_to_a_current_advisory_keeps_it_current(admin_client, mali_advisory):
    url = admin_url(Advisory, "change", mali_advisory.pk)
    data = {
        "country": mali_advisory.country.pk,
        "level": mali_advisory.level,
        "indicators": list(mali_advisory.indicators),
        "summary": mali_advisory.summary,
        "summary_fr": SUMMARY_FR,
        "source": mali_advisory.source.pk,
        "issued_on": mali_advisory.issued_on.isoformat(),
        "is_current": "on",
    }

    assert admin_client.post(url, data).status_code == 302
    mali_advisory.refresh_from_db()
    assert mali_advisory.summary_fr == SUMMARY_FR and mali_advisory.is_current
    assert Advisory.objects.filter(country=mali_advisory.country, region=None).count() == 1


# --- Demo data --------------------------------------------------------------------------------


def test_the_demo_loads_its_french_texts_and_reloading_keeps_them(mali):
    load_demo(with_accounts=False)

    country = Advisory.objects.current().get(country=mali, region=None)
    assert country.summary_fr.startswith("Des groupes extrémistes")
    regions = Advisory.objects.current().filter(country=mali, region__isnull=False)
    assert regions.count() == 11 and not regions.filter(summary_fr="").exists()
    assert ReportSection.objects.get(heading="Terrorism").heading_fr == "Terrorisme"
    assert SecurityReport.objects.get(country=mali).title_fr == "Rapport de sécurité pays sur le Mali"
    assert ContactPoint.objects.get(name="Police emergency").name_fr == "Police secours"
    assert ThreatCategory.objects.get(slug="terrorism").name_fr == "Terrorisme"

    report = load_demo(with_accounts=False)
    assert not report.changed_anything()
    assert Advisory.objects.current().get(country=mali, region=None).summary_fr == country.summary_fr


def test_reloading_the_demo_puts_back_an_edited_translation_without_a_new_advisory(mali):
    load_demo(with_accounts=False)
    Advisory.objects.filter(country=mali, region=None).update(summary_fr="")
    rows = Advisory.objects.count()

    load_demo(with_accounts=False)

    assert Advisory.objects.count() == rows
    assert Advisory.objects.current().get(country=mali, region=None).summary_fr.startswith("Des groupes")


def test_the_demo_country_page_in_french_shows_french_region_reasons(client, mali):
    load_demo(with_accounts=False)

    html = french(client, "/countries/ml/").content.decode()

    listing = re.search(r'<ul class="region-list">.*?</ul>', html, re.S)
    assert listing and "Le sud-ouest n&#x27;est plus épargné." in listing[0]
    assert not NOTE_FR.search(listing[0])
    assert "<summary>Criminalité</summary>" in html


def test_threat_categories_are_named_in_the_reader_language_in_choice_lists():
    crime = ThreatCategory.objects.get(slug="crime")

    with translation.override("fr"):
        assert str(crime) == "Criminalité"
    with translation.override("en"):
        assert str(crime) == "Crime"


def test_reloading_the_demo_puts_back_a_section_translation_without_a_new_revision(mali):
    load_demo(with_accounts=False)
    ReportSection.objects.filter(heading="Crime").update(heading_fr="", body_fr="")

    report = load_demo(with_accounts=False)

    assert report.counts["report_revisions"][Outcome.UPDATED] == 1
    assert SecurityReportRevision.objects.filter(report__country=mali).count() == 1
    crime = ReportSection.objects.get(heading="Crime")
    assert crime.heading_fr == "Criminalité" and crime.body_fr.startswith("Le Département d'État classe Bamako")


# --- Feeds ------------------------------------------------------------------------------------


def test_the_advisory_feed_gives_the_summary_in_the_reader_language(client, translated):
    french_feed = french(client, "/countries/ml/feed.atom")
    english_feed = english(client, "/countries/ml/feed.atom")

    assert SUMMARY_FR in french_feed.content.decode() and translated.summary not in french_feed.content.decode()
    assert translated.summary in english_feed.content.decode() and SUMMARY_FR not in english_feed.content.decode()
    assert "Accept-Language" in french_feed["Vary"]


def test_dates_are_written_the_way_each_language_writes_them(client, mali_advisory):
    """The advisory of 29 Nov 2024: "29 Nov 2024" in English, "29 nov. 2024" in French."""
    assert mali_advisory.issued_on.isoformat() == "2024-11-29"
    assert "29 Nov 2024" in text_of(english(client, "/countries/ml/"))
    french_page = text_of(french(client, "/countries/ml/"))
    assert "29 nov. 2024" in french_page
    assert "29 Nov 2024" not in french_page
