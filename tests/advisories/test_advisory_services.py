"""advisory_set publishes a place's advisory level and keeps the history of levels."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from advisories.models import Advisory, Region
from advisories.services import Outcome, advisory_set, normalize_indicators
from tests.factories import SourceFactory

pytestmark = pytest.mark.django_db

NOV_2024 = dt.date(2024, 11, 29)
JUL_2023 = dt.date(2023, 7, 31)


def _set(country, **kwargs):
    kwargs.setdefault("level", 4)
    kwargs.setdefault("issued_on", NOV_2024)
    return advisory_set(country=country, **kwargs)


def test_it_creates_the_first_advisory_of_a_country(mali):
    source = SourceFactory.create()

    advisory, outcome = _set(mali, indicators="ctk", summary="Do not travel.", source=source)

    assert outcome == Outcome.CREATED
    assert advisory.is_current
    stored = Advisory.objects.get()
    assert (stored.level, stored.indicators, stored.summary, stored.source, stored.region) == (
        4,
        "CTK",
        "Do not travel.",
        source,
        None,
    )


def test_it_creates_a_region_advisory_beside_the_country_one(mali):
    mopti = Region.objects.get(code="ML-5")
    _set(mali, indicators="CTK")

    advisory, outcome = _set(mali, region=mopti, level=3, indicators="T")

    assert outcome == Outcome.CREATED
    assert advisory.region == mopti
    assert Advisory.objects.filter(country=mali, is_current=True).count() == 2


def test_it_changes_nothing_when_the_advisory_is_identical(mali):
    source = SourceFactory.create()
    first, _ = _set(mali, indicators="CTK", summary="Do not travel.", source=source)
    updated_at = first.updated_at

    again, outcome = _set(mali, indicators="KTC", summary="Do not travel.", source=source)

    assert outcome == Outcome.UNCHANGED
    assert again == first
    assert Advisory.objects.get().updated_at == updated_at


def test_a_new_level_becomes_current_and_the_old_one_is_kept_as_history(mali):
    old, _ = _set(mali, level=3, indicators="CT", issued_on=JUL_2023)

    new, outcome = _set(mali, level=4, indicators="CTK")

    assert outcome == Outcome.UPDATED
    assert new.pk != old.pk
    old.refresh_from_db()
    assert (old.is_current, old.level) == (False, 3)
    assert list(Advisory.objects.filter(country=mali, is_current=True)) == [new]
    assert Advisory.objects.filter(country=mali).count() == 2


def test_a_new_region_level_leaves_the_country_level_alone(mali):
    gao = Region.objects.get(code="ML-7")
    country_level, _ = _set(mali, level=4)
    _set(mali, region=gao, level=3, issued_on=JUL_2023)

    _, outcome = _set(mali, region=gao, level=4)

    assert outcome == Outcome.UPDATED
    assert Advisory.objects.get(pk=country_level.pk).is_current
    assert Advisory.objects.filter(region=gao).count() == 2


def test_indicators_and_summary_given_as_none_are_kept(mali):
    _set(mali, level=4, indicators="CTK", summary="Armed groups and kidnappings.", issued_on=JUL_2023)

    advisory, outcome = _set(mali, level=4, indicators=None, summary=None)

    assert outcome == Outcome.UPDATED
    assert (advisory.indicators, advisory.summary) == ("CTK", "Armed groups and kidnappings.")


def test_indicators_and_summary_given_as_empty_are_cleared(mali):
    _set(mali, indicators="CTK", summary="Armed groups.", issued_on=JUL_2023)

    advisory, _ = _set(mali, indicators="", summary="")

    assert (advisory.indicators, advisory.summary) == ("", "")


def test_a_first_advisory_without_indicators_or_summary_has_none(mali):
    advisory, _ = _set(mali)
    assert (advisory.indicators, advisory.summary) == ("", "")


def test_an_older_document_does_not_replace_a_newer_advisory(mali):
    current, _ = _set(mali, level=4, issued_on=NOV_2024)

    returned, outcome = _set(mali, level=2, issued_on=JUL_2023)

    assert outcome == Outcome.SUPERSEDED
    assert returned == current
    assert list(Advisory.objects.all()) == [current]
    assert Advisory.objects.get().level == 4


@pytest.mark.parametrize("level", [0, 5])
def test_a_level_outside_1_to_4_is_refused_with_a_readable_message(mali, level):
    with pytest.raises(ValidationError) as error:
        _set(mali, level=level)
    assert error.value.messages == [f"An advisory level is 1, 2, 3 or 4, not {level}."]
    assert not Advisory.objects.exists()


def test_an_unknown_indicator_letter_is_refused_with_a_readable_message(mali):
    _set(mali, level=3, indicators="CT", issued_on=JUL_2023)

    with pytest.raises(ValidationError) as error:
        _set(mali, level=4, indicators="CTZ")

    assert error.value.messages == ["Unknown risk indicator Z; use C, T, U, H, N, E, K, D, O."]
    # Nothing was half-written: the old advisory is still the current one.
    assert Advisory.objects.get(is_current=True).level == 3
    assert Advisory.objects.count() == 1


def test_a_region_of_another_country_is_refused(mali):
    niamey = Region.objects.get(code="NE-8")

    with pytest.raises(ValidationError) as error:
        _set(mali, region=niamey)

    assert error.value.messages == ["Region NE-8 is not in Mali."]
    assert not Advisory.objects.exists()


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("KTC", "CTK"),
        ("c, t, k", "CTK"),
        ("CCTTKK", "CTK"),
        ("O D K E N H U T C", "CTUHNEKDO"),
        ("", ""),
    ],
)
def test_normalize_indicators_orders_and_deduplicates(given, expected):
    assert normalize_indicators(given) == expected


def test_normalize_indicators_names_every_unknown_letter():
    with pytest.raises(ValidationError) as error:
        normalize_indicators("CXZ")
    assert error.value.messages == ["Unknown risk indicator X, Z; use C, T, U, H, N, E, K, D, O."]
