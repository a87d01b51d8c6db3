"""The database itself refuses data that breaks the advisories' invariants.

Every write here goes straight to the database (create / update, no full_clean), so what is
tested is the constraint, not the form or the service in front of it. Each refused write
runs in its own savepoint, so the test can go on using the connection afterwards.
"""

from decimal import Decimal

import pytest
from django.db import DataError, IntegrityError, transaction

from advisories.models import (
    Advisory,
    Country,
    CrimeIndicator,
    CrimeIndicatorAssessment,
    CrimeProfile,
    Region,
    ReportSection,
    SecurityReportRevision,
    ThreatRating,
)
from tests.factories import (
    AdvisoryFactory,
    CityFactory,
    CountryFactory,
    ReportSectionFactory,
    SecurityReportFactory,
    SecurityReportRevisionFactory,
    SourceFactory,
    ThreatCategoryFactory,
    ThreatRatingFactory,
)

pytestmark = pytest.mark.django_db


def _refused_write(write, errors: type[Exception] | tuple[type[Exception], ...] = IntegrityError) -> None:
    with pytest.raises(errors), transaction.atomic():
        write()


# Advisories --------------------------------------------------------------------------------


@pytest.mark.parametrize("level", [0, 5])
def test_an_advisory_level_outside_1_to_4_is_refused(mali, level):
    _refused_write(lambda: AdvisoryFactory.create(country=mali, level=level))
    assert not Advisory.objects.exists()


def test_an_advisory_level_of_1_and_of_4_are_stored(mali):
    AdvisoryFactory.create(country=mali, level=1, is_current=False)
    AdvisoryFactory.create(country=mali, level=4)
    assert sorted(Advisory.objects.values_list("level", flat=True)) == [1, 4]


def test_a_country_cannot_have_two_current_advisories(mali):
    AdvisoryFactory.create(country=mali, level=4)
    _refused_write(lambda: AdvisoryFactory.create(country=mali, level=3))
    assert Advisory.objects.filter(country=mali).count() == 1


def test_a_region_cannot_have_two_current_advisories(mali):
    gao = Region.objects.get(code="ML-7")
    AdvisoryFactory.create(country=mali, region=gao, level=4)
    _refused_write(lambda: AdvisoryFactory.create(country=mali, region=gao, level=3))


def test_a_current_advisory_cannot_be_made_current_again_beside_another(mali):
    AdvisoryFactory.create(country=mali, level=4)
    old = AdvisoryFactory.create(country=mali, level=3, is_current=False)
    _refused_write(lambda: Advisory.objects.filter(pk=old.pk).update(is_current=True))


def test_history_rows_may_sit_beside_the_current_advisory(mali):
    gao = Region.objects.get(code="ML-7")
    for level in (2, 3):
        AdvisoryFactory.create(country=mali, level=level, is_current=False)
        AdvisoryFactory.create(country=mali, region=gao, level=level, is_current=False)
    AdvisoryFactory.create(country=mali, level=4)
    AdvisoryFactory.create(country=mali, region=gao, level=4)
    assert Advisory.objects.filter(country=mali, region=None).count() == 3
    assert Advisory.objects.filter(region=gao).count() == 3


def test_a_country_advisory_and_its_regions_advisories_are_all_current_together(mali):
    AdvisoryFactory.create(country=mali, level=4)
    for code in ("ML-BKO", "ML-1", "ML-7"):
        AdvisoryFactory.create(country=mali, region=Region.objects.get(code=code), level=3)
    assert Advisory.objects.filter(country=mali, is_current=True).count() == 4


# Places ------------------------------------------------------------------------------------


def test_country_codes_are_unique(mali):
    _refused_write(lambda: Country.objects.create(code="ML", alpha3="XXM", name="Another Mali"))


def test_country_alpha3_codes_are_unique(mali):
    _refused_write(lambda: Country.objects.create(code="XM", alpha3="MLI", name="Another Mali"))


def test_a_lower_case_country_code_is_refused(db):
    _refused_write(lambda: Country.objects.create(code="xm", alpha3="XMX", name="Lowerland"))


def test_a_one_letter_country_code_is_refused(db):
    _refused_write(lambda: Country.objects.create(code="X", alpha3="XXX", name="Shortland"))


def test_a_three_letter_country_code_is_refused(db):
    # PostgreSQL's varchar(2) refuses it before the check constraint can (a DataError);
    # SQLite does not enforce lengths, so there the check constraint does.
    _refused_write(
        lambda: Country.objects.create(code="XMM", alpha3="XMM", name="Longland"), (IntegrityError, DataError)
    )


def test_region_codes_are_unique(mali):
    _refused_write(lambda: Region.objects.create(country=mali, code="ML-BKO", name="Second Bamako"))


# Threat ratings ----------------------------------------------------------------------------


@pytest.mark.parametrize("level", [0, 5])
def test_a_threat_level_outside_1_to_4_is_refused(mali, level):
    _refused_write(lambda: ThreatRatingFactory.create(country=mali, level=level))
    assert not ThreatRating.objects.exists()


def test_a_country_has_one_rating_per_category(mali):
    crime = ThreatCategoryFactory.create(slug="crime")
    ThreatRatingFactory.create(country=mali, category=crime)
    _refused_write(lambda: ThreatRatingFactory.create(country=mali, category=crime, level=4))


def test_a_region_has_one_rating_per_category(mali):
    crime, kayes = ThreatCategoryFactory.create(slug="crime"), Region.objects.get(code="ML-1")
    ThreatRatingFactory.create(country=mali, region=kayes, category=crime)
    _refused_write(lambda: ThreatRatingFactory.create(country=mali, region=kayes, category=crime, level=4))


def test_a_city_has_one_rating_per_category(mali):
    terrorism, bamako = ThreatCategoryFactory.create(slug="terrorism"), CityFactory.create(country=mali, name="Bamako")
    ThreatRatingFactory.create(country=mali, city=bamako, category=terrorism)
    _refused_write(lambda: ThreatRatingFactory.create(country=mali, city=bamako, category=terrorism, level=4))
    # Naming the city's region as well does not make it a different place.
    bko = Region.objects.get(code="ML-BKO")
    _refused_write(lambda: ThreatRatingFactory.create(country=mali, region=bko, city=bamako, category=terrorism))


def test_a_country_its_region_and_its_city_each_have_their_own_rating(mali):
    crime = ThreatCategoryFactory.create(slug="crime")
    bko = Region.objects.get(code="ML-BKO")
    ThreatRatingFactory.create(country=mali, category=crime, level=3)
    ThreatRatingFactory.create(country=mali, region=bko, category=crime, level=4)
    ThreatRatingFactory.create(
        country=mali, region=bko, city=CityFactory.create(country=mali, name="Bamako"), category=crime
    )
    ThreatRatingFactory.create(country=mali, category=ThreatCategoryFactory.create(slug="terrorism"))
    assert ThreatRating.objects.filter(country=mali).count() == 4


# Reports -----------------------------------------------------------------------------------


def test_a_report_has_one_revision_per_number(mali):
    report = SecurityReportFactory.create(country=mali)
    SecurityReportRevisionFactory.create(report=report, number=1)
    _refused_write(lambda: SecurityReportRevisionFactory.create(report=report, number=1))
    SecurityReportRevisionFactory.create(report=SecurityReportFactory.create(country=mali), number=1)
    assert SecurityReportRevision.objects.filter(number=1).count() == 2


def test_a_revision_number_below_1_is_refused(mali):
    _refused_write(lambda: SecurityReportRevisionFactory.create(report__country=mali, number=0))


def test_a_revision_has_one_section_per_position(mali):
    revision = SecurityReportRevisionFactory.create(report__country=mali)
    ReportSectionFactory.create(revision=revision, position=1)
    _refused_write(lambda: ReportSectionFactory.create(revision=revision, position=1, heading="Terrorism"))
    ReportSectionFactory.create(revision=revision, position=2)
    assert ReportSection.objects.filter(revision=revision).count() == 2


# Organized-crime profiles -----------------------------------------------------------------------


def _profile(country: Country, edition: int = 2025, scores: dict[str, Decimal] | None = None) -> CrimeProfile:
    return CrimeProfile.objects.create(
        country=country, edition=edition, source=SourceFactory.create(), **(scores or {})
    )


def test_a_country_has_one_profile_per_edition(mali):
    _profile(mali, 2025)
    _refused_write(lambda: _profile(mali, 2025))
    _profile(mali, 2021)
    _profile(CountryFactory.create(), 2025)
    assert CrimeProfile.objects.count() == 3


SCORES = ["criminality_score", "criminal_markets_score", "criminal_actors_score", "resilience_score"]


@pytest.mark.parametrize("field", SCORES)
@pytest.mark.parametrize("score", ["0.99", "10.01"])
def test_a_profile_score_outside_1_to_10_is_refused(mali, field, score):
    _refused_write(lambda: _profile(mali, scores={field: Decimal(score)}))
    assert not CrimeProfile.objects.exists()


def test_profile_scores_may_be_empty_or_at_the_bounds(mali):
    _profile(mali, 2021)
    _profile(mali, 2023, dict.fromkeys(SCORES, Decimal(1)))
    _profile(mali, 2025, dict.fromkeys(SCORES, Decimal(10)))
    assert list(CrimeProfile.objects.order_by("edition").values_list("resilience_score", flat=True)) == [
        None,
        Decimal(1),
        Decimal(10),
    ]


@pytest.mark.parametrize("score", ["0.99", "10.01"])
def test_an_indicator_score_outside_1_to_10_is_refused(mali, score):
    profile = _profile(mali)
    _refused_write(
        lambda: CrimeIndicatorAssessment.objects.create(
            profile=profile, indicator=CrimeIndicator.HUMAN_TRAFFICKING, score=Decimal(score)
        )
    )


def test_an_indicator_may_have_no_score_and_appears_once_per_profile(mali):
    profile = _profile(mali)
    CrimeIndicatorAssessment.objects.create(profile=profile, indicator=CrimeIndicator.PREVENTION, score=None)
    _refused_write(
        lambda: CrimeIndicatorAssessment.objects.create(
            profile=profile, indicator=CrimeIndicator.PREVENTION, score=Decimal("2.5")
        )
    )
    assert profile.assessments.get().score is None
