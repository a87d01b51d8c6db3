"""The one reading of "the current advisory of a place": Advisory.objects.current() and its
place filters, and the current levels annotated on countries and regions."""

import datetime as dt
from typing import Any

import pytest

from advisories.models import Advisory, AdvisoryLevel, Country, Region
from tests.factories import AdvisoryFactory, CountryFactory, RegionFactory

pytestmark = pytest.mark.django_db


def annotated(queryset: Any, *names: str) -> dict[int, tuple[Any, ...]]:
    """The annotations `names` of each row, by primary key."""
    return {row.pk: tuple(getattr(row, name) for name in names) for row in queryset}


@pytest.fixture
def place():
    """A country with a current and a past country-wide advisory, a region with its own current
    and past advisories, and a region with none."""
    country = CountryFactory.create()
    own, inheriting = RegionFactory.create(country=country), RegionFactory.create(country=country)
    past = dt.date(2020, 1, 1)
    return {
        "country": country,
        "own": own,
        "inheriting": inheriting,
        "country_current": AdvisoryFactory.create(country=country, level=AdvisoryLevel.DO_NOT_TRAVEL, indicators="CTK"),
        "country_past": AdvisoryFactory.create(country=country, level=1, issued_on=past, is_current=False),
        "region_current": AdvisoryFactory.create(country=country, region=own, level=2, indicators="C"),
        "region_past": AdvisoryFactory.create(country=country, region=own, level=3, issued_on=past, is_current=False),
    }


def test_current_leaves_out_the_advisories_kept_as_history(place):
    assert set(Advisory.objects.current()) == {place["country_current"], place["region_current"]}


def test_country_wide_leaves_out_the_advisories_of_regions(place):
    assert set(Advisory.objects.country_wide(place["country"])) == {place["country_current"], place["country_past"]}
    assert list(Advisory.objects.current().country_wide(place["country"])) == [place["country_current"]]


def test_of_place_is_the_country_as_a_whole_without_a_region_and_the_region_with_one(place):
    country, own = place["country"], place["own"]

    assert list(Advisory.objects.current().of_place(country)) == [place["country_current"]]
    assert list(Advisory.objects.current().of_place(country, own)) == [place["region_current"]]
    assert set(Advisory.objects.of_region(own)) == {place["region_current"], place["region_past"]}
    assert not Advisory.objects.of_place(country, place["inheriting"]).exists()


def test_applying_to_puts_the_regions_own_advisory_before_its_countrys(place):
    country = place["country"]

    own = Advisory.objects.applying_to(place["own"], country)
    inheriting = Advisory.objects.applying_to(place["inheriting"], country)

    assert list(own) == [place["region_current"], place["country_current"]]
    assert list(inheriting) == [place["country_current"]]


def test_with_current_level_annotates_the_current_country_wide_advisory(place):
    other = CountryFactory.create()
    countries = Country.objects.with_current_level().filter(pk__in=[place["country"].pk, other.pk])

    assert annotated(countries, "current_level", "current_indicators", "current_issued_on") == {
        place["country"].pk: (AdvisoryLevel.DO_NOT_TRAVEL, "CTK", dt.date(2024, 11, 29)),
        other.pk: (None, None, None),
    }


def test_a_region_with_its_own_advisory_has_its_own_level(place):
    own = Region.objects.with_current_level().filter(pk=place["own"].pk)

    assert annotated(own, "current_level", "current_indicators", "level_from") == {place["own"].pk: (2, "C", "region")}


def test_a_region_without_its_own_advisory_has_its_countrys_level(place):
    inheriting, alone = place["inheriting"], RegionFactory.create()
    regions = Region.objects.with_current_level().filter(pk__in=[inheriting.pk, alone.pk])

    assert annotated(regions, "current_level", "level_from") == {
        inheriting.pk: (AdvisoryLevel.DO_NOT_TRAVEL, "country"),
        alone.pk: (None, None),
    }


def test_with_own_level_ignores_the_countrys_advisory(place):
    regions = Region.objects.with_own_level().filter(country=place["country"])

    assert annotated(regions, "current_level") == {place["own"].pk: (2,), place["inheriting"].pk: (None,)}


def test_the_annotations_cost_one_query_however_many_places(place, django_assert_num_queries):
    for _ in range(5):
        AdvisoryFactory.create(country=CountryFactory.create())
        AdvisoryFactory.create(country=place["country"], region=RegionFactory.create(country=place["country"]))

    with django_assert_num_queries(1):
        countries = annotated(Country.objects.with_current_level(), "current_level")
    with django_assert_num_queries(1):
        regions = annotated(Region.objects.with_current_level().filter(country=place["country"]), "current_level")

    assert sum(level is not None for (level,) in countries.values()) >= 6
    assert len(regions) == 7 and all(level is not None for (level,) in regions.values())
