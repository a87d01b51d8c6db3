"""The upsert services the demo loader (and importers) write through: edge cases."""

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from advisories.models import (
    City,
    ContactPoint,
    Country,
    CrimeIndicator,
    CrimeIndicatorAssessment,
    CrimeProfile,
    ReportSection,
    SecurityReportRevision,
    Source,
    ThreatCategory,
    ThreatLevel,
    ThreatRating,
)
from advisories.services import (
    AssessmentInput,
    Outcome,
    SectionInput,
    contact_point_upsert,
    crime_profile_upsert,
    security_report_revision_publish,
    source_upsert,
    threat_rating_set,
)
from tests.factories import CountryFactory

pytestmark = pytest.mark.django_db

NOV_29 = dt.datetime(2024, 11, 29, tzinfo=dt.UTC)


def a_source() -> Source:
    return Source.objects.create(slug="gitoc", title="Profile", publisher="GI-TOC", kind=Source.Kind.PROFILE)


def a_city(country: Country, name: str) -> City:
    return City.objects.create(country=country, name=name)


def test_the_migration_creates_the_threat_categories_with_their_indicator_letters():
    letters = dict(ThreatCategory.objects.values_list("slug", "indicator"))
    assert letters == {
        "crime": "C",
        "terrorism": "T",
        "kidnapping": "K",
        "political-violence": "U",
        "wrongful-detention": "D",
        "health": "H",
        "natural-disaster": "N",
        "cyber": "",
        "other": "O",
    }


def test_source_upsert_creates_then_updates_only_what_changed():
    fields: dict[str, Any] = {"slug": "osac", "title": "Report", "publisher": "OSAC", "kind": Source.Kind.REPORT}
    source, outcome = source_upsert(**fields)
    assert outcome is Outcome.CREATED
    assert source_upsert(**fields)[1] is Outcome.UNCHANGED
    source, outcome = source_upsert(**{**fields, "published_on": dt.date(2024, 11, 29)})
    assert outcome is Outcome.UPDATED
    source.refresh_from_db()
    assert source.published_on == dt.date(2024, 11, 29)


def test_source_upsert_rejects_a_bad_url_and_writes_nothing():
    with pytest.raises(ValidationError) as error:
        source_upsert(slug="x", title="X", publisher="Y", kind=Source.Kind.REPORT, url="not a url")
    assert "url" in error.value.message_dict
    assert not Source.objects.filter(slug="x").exists()


def test_threat_rating_set_keeps_a_newer_rating(mali):
    city = a_city(mali, "Gao")
    crime = ThreatCategory.objects.get(slug="crime")
    threat_rating_set(
        country=mali, city=city, category=crime, level=ThreatLevel.CRITICAL, assessed_on=dt.date(2024, 11, 29)
    )
    rating, outcome = threat_rating_set(
        country=mali, city=city, category=crime, level=ThreatLevel.LOW, assessed_on=dt.date(2020, 1, 1)
    )
    assert outcome is Outcome.SUPERSEDED
    assert ThreatRating.objects.get(pk=rating.pk).level == ThreatLevel.CRITICAL


def test_threat_rating_set_rejects_a_city_of_another_country_and_a_level_out_of_range(mali):
    elsewhere = a_city(CountryFactory.create(), "Faraway")
    crime = ThreatCategory.objects.get(slug="crime")
    with pytest.raises(ValidationError, match="is not in Mali"):
        threat_rating_set(country=mali, city=elsewhere, category=crime, level=4, assessed_on=dt.date(2024, 1, 1))
    with pytest.raises(ValidationError, match="1, 2, 3 or 4"):
        threat_rating_set(country=mali, category=crime, level=5, assessed_on=dt.date(2024, 1, 1))
    assert not ThreatRating.objects.exists()


def test_contact_point_upsert_rejects_a_bad_email_and_an_empty_phone(mali):
    base = {
        "country": mali,
        "kind": ContactPoint.Kind.POLICE,
        "name": "Police",
        "last_verified_on": dt.date(2024, 11, 29),
    }
    with pytest.raises(ValidationError):
        contact_point_upsert(**base, email="not-an-address")
    with pytest.raises(ValidationError, match="phone number"):
        contact_point_upsert(**base, phones=["8000-1115", " "])
    assert not ContactPoint.objects.exists()


def _sections(body: str = "Robbers work the roads at night.") -> list[SectionInput]:
    return [
        SectionInput(kind=ReportSection.Kind.CRIME, heading="Crime", body=body),
        SectionInput(kind=ReportSection.Kind.TERRORISM, heading="Terrorism", body="Attacks on bases."),
    ]


def test_publishing_the_same_revision_again_writes_nothing(mali):
    revision, outcome = security_report_revision_publish(
        country=mali, title="Report", what_changed="First", published_at=NOV_29, sections=_sections()
    )
    assert outcome is Outcome.CREATED
    again, outcome = security_report_revision_publish(
        country=mali, title="Report", what_changed="First", published_at=NOV_29, sections=_sections()
    )
    assert (again.pk, outcome) == (revision.pk, Outcome.UNCHANGED)
    assert list(revision.sections.values_list("position", "kind")) == [(1, "crime"), (2, "terrorism")]


def test_a_changed_section_adds_revision_two_and_keeps_revision_one(mali):
    security_report_revision_publish(
        country=mali, title="Report", what_changed="First", published_at=NOV_29, sections=_sections()
    )
    revision, outcome = security_report_revision_publish(
        country=mali,
        title="Report",
        what_changed="Crime rewritten",
        published_at=NOV_29 + dt.timedelta(days=30),
        sections=_sections("Carjackings rose in the capital."),
    )
    assert (revision.number, outcome) == (2, Outcome.UPDATED)
    assert SecurityReportRevision.objects.filter(report=revision.report).count() == 2
    assert revision.sections.get(position=1).body == "Carjackings rose in the capital."


def test_publishing_rejects_a_naive_time_no_sections_and_an_unknown_kind(mali):
    with pytest.raises(ValidationError, match="time zone"):
        security_report_revision_publish(
            country=mali,
            title="R",
            what_changed="x",
            published_at=dt.datetime(2024, 1, 1),  # noqa: DTZ001 (naive on purpose)
            sections=_sections(),
        )
    with pytest.raises(ValidationError, match="at least one section"):
        security_report_revision_publish(country=mali, title="R", what_changed="x", published_at=NOV_29, sections=[])
    with pytest.raises(ValidationError, match="Unknown report section kind"):
        security_report_revision_publish(
            country=mali,
            title="R",
            what_changed="x",
            published_at=NOV_29,
            sections=[SectionInput(kind="weather", heading="Weather", body="Hot.")],
        )
    assert not SecurityReportRevision.objects.exists()


def test_crime_profile_upsert_drops_assessments_no_longer_given(mali):
    source = a_source()
    first = [
        AssessmentInput(indicator=CrimeIndicator.HEROIN, summary="Transit."),
        AssessmentInput(indicator=CrimeIndicator.PREVENTION, summary="Little.", score=Decimal("2.0")),
    ]
    profile, outcome = crime_profile_upsert(country=mali, edition=2025, source=source, assessments=first)
    assert outcome is Outcome.CREATED
    assert crime_profile_upsert(country=mali, edition=2025, source=source, assessments=first)[1] is Outcome.UNCHANGED
    _, outcome = crime_profile_upsert(country=mali, edition=2025, source=source, assessments=first[1:])
    assert outcome is Outcome.UPDATED
    assert list(profile.assessments.values_list("indicator", flat=True)) == ["prevention"]


def test_crime_profile_upsert_rejects_a_score_above_ten_and_writes_nothing(mali):
    with pytest.raises(ValidationError):
        crime_profile_upsert(
            country=mali,
            edition=2025,
            source=a_source(),
            assessments=[AssessmentInput(indicator=CrimeIndicator.PREVENTION, summary="x", score=Decimal("11"))],
        )
    assert not CrimeProfile.objects.exists()
    assert not CrimeIndicatorAssessment.objects.exists()


def test_crime_profile_upsert_rejects_an_indicator_given_twice(mali):
    twice = [AssessmentInput(indicator=CrimeIndicator.HEROIN, summary="a")] * 2
    with pytest.raises(ValidationError, match="given twice"):
        crime_profile_upsert(country=mali, edition=2021, source=a_source(), assessments=twice)
