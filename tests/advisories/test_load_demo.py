"""`manage.py load_demo`: the Mali demonstration dataset, loaded once, loaded again, or not at all."""

import datetime as dt
from decimal import Decimal
from io import StringIO
from typing import Any

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from advisories import services
from advisories.demo import crime_profiles, mali, osac_report, sources
from advisories.demo.accounts import ANALYST
from advisories.models import (
    Advisory,
    City,
    ContactPoint,
    CrimeIndicator,
    CrimeIndicatorAssessment,
    CrimeProfile,
    Region,
    ReportSection,
    SecurityReport,
    SecurityReportRevision,
    Source,
    ThreatLevel,
    ThreatRating,
)
from tests.demo_text import copied_seed_runs, text_fields_left_out

pytestmark = pytest.mark.django_db

DEMO_MODELS: list[Any] = [
    Source,
    Advisory,
    City,
    ThreatRating,
    ContactPoint,
    SecurityReport,
    SecurityReportRevision,
    ReportSection,
    CrimeProfile,
    CrimeIndicatorAssessment,
]


def load(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("load_demo", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def dump() -> dict[str, list[dict]]:
    """Every value of every row the loader may touch, updated_at included."""
    rows = {model.__name__: list(model.objects.order_by("pk").values()) for model in DEMO_MODELS}
    rows["User"] = list(get_user_model().objects.order_by("pk").values())
    return rows


def test_it_gives_mali_level_4_for_crime_terrorism_and_kidnapping(mali):
    load()
    advisory = Advisory.objects.get(country=mali, region=None, is_current=True)
    assert (advisory.level, advisory.indicators) == (4, "CTK")
    assert advisory.source is not None and advisory.source.slug == sources.OSAC_2024
    assert advisory.issued_on == dt.date(2024, 11, 29)
    assert "OSAC" in advisory.summary


def test_it_rates_bamako_critical_for_crime_terrorism_and_political_violence_and_nothing_else(mali):
    load()
    bamako = City.objects.get(country=mali, name="Bamako")
    assert bamako.region is not None and bamako.region.code == "ML-BKO"
    ratings = {r.category.slug: r for r in ThreatRating.objects.filter(country=mali)}
    assert set(ratings) == {"crime", "terrorism", "political-violence"}
    for rating in ratings.values():
        assert rating.city == bamako
        assert rating.level == ThreatLevel.CRITICAL
        assert rating.source is not None and rating.source.published_on == dt.date(2024, 11, 29)


def test_every_region_of_mali_has_a_current_advisory_that_explains_itself(mali):
    load()
    codes = set(Region.objects.filter(country=mali).values_list("code", flat=True))
    current = Advisory.objects.filter(country=mali, is_current=True, region__isnull=False).select_related("region")
    advisories = {a.region.code: a for a in current if a.region is not None}
    assert set(advisories) == codes
    assert len(codes) == 11
    for code, advisory in advisories.items():
        assert advisory.level == 4, code
        assert advisory.source is not None, code
        # Each summary names the document behind its reasoning.
        assert "OSAC" in advisory.summary or "GI-TOC" in advisory.summary, code
    assert "GI-TOC" in advisories["ML-1"].summary and "UNU-CPR" in advisories["ML-1"].summary
    assert "17 September 2024" in advisories["ML-BKO"].summary


def test_it_lists_the_embassy_the_police_emergency_number_and_the_country_council(mali):
    load()
    contacts = {c.kind: c for c in ContactPoint.objects.filter(country=mali)}
    embassy = contacts[ContactPoint.Kind.EMBASSY]
    assert embassy.name == "U.S. Embassy Bamako"
    assert embassy.address == "ACI 2000, Rue 243, Porte 297, Bamako"
    assert embassy.phones == ["+223-2070-2300"]
    assert embassy.hours == "Monday-Thursday 0730 - 1700; Friday 0730 \u2013 1130"
    assert contacts[ContactPoint.Kind.POLICE].phones == ["8000-1115"]
    assert contacts[ContactPoint.Kind.COUNTRY_COUNCIL].email == "OSACBamako@state.gov"
    for contact in contacts.values():
        assert contact.last_verified_on == dt.date(2024, 11, 29)
        assert contact.source is not None and contact.source.slug == sources.OSAC_2024


def test_the_report_has_one_published_revision_with_its_sections_in_order(mali):
    load()
    report = SecurityReport.objects.get(country=mali)
    revision = report.revisions.get()
    assert revision.published_at == dt.datetime(2024, 11, 29, tzinfo=dt.UTC)
    assert revision.what_changed
    kinds = list(revision.sections.order_by("position").values_list("kind", flat=True))
    assert kinds[:9] == [
        ReportSection.Kind.CRIME,
        ReportSection.Kind.KIDNAPPING,
        ReportSection.Kind.TERRORISM,
        ReportSection.Kind.POLITICAL_VIOLENCE,
        ReportSection.Kind.LAW_ENFORCEMENT,
        ReportSection.Kind.POLICE_RESPONSE,
        ReportSection.Kind.RULE_OF_LAW,
        ReportSection.Kind.CYBERSECURITY,
        ReportSection.Kind.IMPORT_EXPORT,
    ]
    assert all(s.source_id == revision.source_id for s in revision.sections.all())
    assert "8000-1115" in revision.sections.get(kind=ReportSection.Kind.LAW_ENFORCEMENT).body


def test_the_2025_profile_carries_the_scores_its_file_gives_and_the_2021_profile_none(mali):
    load()
    edition_2025 = CrimeProfile.objects.get(country=mali, edition=2025)
    assert edition_2025.resilience_score == Decimal("2.08")
    assert (edition_2025.criminality_score, edition_2025.criminal_markets_score) == (None, None)
    scores = dict(edition_2025.assessments.exclude(score=None).values_list("indicator", "score"))
    assert len(scores) == 11
    assert scores[CrimeIndicator.INTERNATIONAL_COOPERATION] == Decimal("3.0")
    assert scores[CrimeIndicator.TERRITORIAL_INTEGRITY] == Decimal("1.5")
    assert CrimeIndicator.NON_STATE_ACTORS not in scores
    # Every market the 2025 file discusses has an own-words summary.
    assert edition_2025.assessments.filter(indicator=CrimeIndicator.CYBER_DEPENDENT_CRIMES).exclude(summary="").exists()

    edition_2021 = CrimeProfile.objects.get(country=mali, edition=2021)
    assert edition_2021.resilience_score is None and edition_2021.criminality_score is None
    assert edition_2021.assessments.count() > 10
    assert not edition_2021.assessments.exclude(score=None).exists()


def test_every_seed_document_becomes_a_source_with_the_date_it_gives():
    load()
    by_slug = {s.slug: s for s in Source.objects.all()}
    assert by_slug[sources.OSAC_2024].published_on == dt.date(2024, 11, 29)
    assert by_slug[sources.UNU_CPR_2024].published_on == dt.date(2024, 11, 16)
    assert by_slug[sources.UNU_CPR_2024].url.startswith("https://unu.edu/")
    # The GI-TOC and UNODC files state no date, so none is invented.
    assert by_slug[sources.GITOC_2025].published_on is None
    assert by_slug[sources.UNODC_SAHEL].published_on is None
    assert by_slug[sources.OSAC_2024].url == ""


def test_it_reports_what_it_created():
    out, _err = load()
    assert "Sources: 6 created, 0 updated, 0 unchanged" in out
    assert "Advisories: 12 created, 0 updated, 0 unchanged" in out
    assert "Threat ratings: 3 created" in out
    assert "Organized-crime profiles: 2 created" in out


def test_running_it_twice_changes_nothing(settings):
    settings.DEBUG = True
    with time_machine.travel(dt.datetime(2025, 1, 1, tzinfo=dt.UTC), tick=False):
        load()
    before = dump()
    # A later clock: any row saved again would get a new updated_at.
    with time_machine.travel(dt.datetime(2025, 6, 1, tzinfo=dt.UTC), tick=False):
        out, _err = load()
    assert dump() == before
    assert " 0 created, 0 updated," in out
    for line in out.splitlines():
        if " created, " in line:
            assert " 0 created, 0 updated, " in line, line


def test_an_edited_record_is_put_back_and_counted_as_updated(mali):
    load()
    ContactPoint.objects.filter(kind=ContactPoint.Kind.POLICE).update(phones=["112"])
    out, _err = load()
    assert "Contact points: 0 created, 1 updated, 2 unchanged" in out
    assert ContactPoint.objects.get(kind=ContactPoint.Kind.POLICE).phones == ["8000-1115"]


def test_it_skips_the_demo_accounts_without_debug_or_the_flag(settings):
    settings.DEBUG = False
    out, err = load()
    assert not get_user_model().objects.filter(username=ANALYST.username).exists()
    assert "Demo accounts skipped" in err
    assert ANALYST.password not in out + err
    assert "Admin: http://" in out


@pytest.mark.parametrize(("debug", "args"), [(True, ()), (False, ("--with-accounts",))])
def test_it_creates_the_analyst_with_debug_or_the_flag(settings, debug, args):
    settings.DEBUG = debug
    settings.VIGIL_PUBLIC_URL = "https://vigil.example/"
    out, _err = load(*args)
    analyst = get_user_model().objects.get(username=ANALYST.username)
    assert analyst.is_staff and analyst.is_superuser and analyst.is_active
    assert analyst.check_password(ANALYST.password)
    assert f"{ANALYST.username} / {ANALYST.password}" in out
    assert "Admin: https://vigil.example/admin/" in out


def test_it_does_not_reset_a_password_someone_changed(settings):
    settings.DEBUG = True
    load()
    analyst = get_user_model().objects.get(username=ANALYST.username)
    analyst.set_password("a-private-password")
    analyst.save()
    out, _err = load()
    analyst.refresh_from_db()
    assert analyst.check_password("a-private-password")
    assert f"{ANALYST.username} / {ANALYST.password}" not in out


@pytest.mark.parametrize("error", [ValidationError("bad profile"), RuntimeError("bug")])
def test_a_failure_midway_leaves_nothing_written(monkeypatch, settings, error):
    settings.DEBUG = True
    counts_before = {model.__name__: model.objects.count() for model in DEMO_MODELS}
    assert all(count == 0 for count in counts_before.values())
    reached = []

    def failing_upsert(**kwargs):
        # By now the sources, advisories, ratings, contacts and report have been written.
        reached.append(Advisory.objects.count())
        raise error

    monkeypatch.setattr(services, "crime_profile_upsert", failing_upsert)
    with pytest.raises((CommandError, RuntimeError)):
        load()
    assert reached == [12]
    assert {model.__name__: model.objects.count() for model in DEMO_MODELS} == counts_before
    assert not get_user_model().objects.exists()


def test_it_says_what_to_do_when_a_region_is_missing():
    Region.objects.filter(code="ML-9").delete()
    with pytest.raises(CommandError, match=r"ML-9.*migrate"):
        load()
    assert not Source.objects.exists()


def _prose() -> list[str]:
    """The sentences we wrote: summaries, notes and bodies (not titles, addresses or hours,
    which are quoted on purpose)."""
    texts = [s.notes for s in sources.SOURCES]
    for advisory in (mali.COUNTRY_ADVISORY, *mali.REGION_ADVISORIES):
        texts += [advisory.summary, advisory.summary_fr]
    texts += [r.note for r in mali.THREAT_RATINGS] + [r.note_fr for r in mali.THREAT_RATINGS]
    texts += [c.notes for c in mali.CONTACTS] + [c.notes_fr for c in mali.CONTACTS]
    texts += [s.body for s in osac_report.SECTIONS] + [s.body_fr for s in osac_report.SECTIONS]
    texts += [osac_report.OSAC_REPORT.what_changed]
    for profile in crime_profiles.PROFILES:
        texts += [profile.summary, *(a.summary for a in profile.assessments)]
    return texts


def test_the_prose_list_covers_every_text_field_of_the_data():
    # Guards the copy check below: a new text field must be added to _prose().
    quoted = {"slug", "title", "publisher", "url", "address", "hours", "name", "heading", "phones", "email"}
    quoted |= {"title_fr", "hours_fr", "name_fr", "heading_fr"}
    quoted |= {"kind", "languages", "region_code", "city", "category", "source", "indicator", "indicators"}
    records: list[Any] = [*sources.SOURCES, mali.COUNTRY_ADVISORY, *mali.REGION_ADVISORIES, *mali.THREAT_RATINGS]
    records += [*mali.CONTACTS, *osac_report.SECTIONS, osac_report.OSAC_REPORT, *crime_profiles.PROFILES]
    for profile in crime_profiles.PROFILES:
        records += profile.assessments
    assert text_fields_left_out(records, quoted, _prose()) == []


@pytest.mark.shared_data
def test_no_demo_text_repeats_twelve_words_of_a_seed_document():
    assert copied_seed_runs(_prose(), run=12) == []
