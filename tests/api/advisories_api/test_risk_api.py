"""The risk index through /api/v1/: each country and region row carries its current assessment
(or null), and /countries/<code>/risk/ and /regions/<code>/risk/ list the history, newest first,
in pages, from a `since` moment."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from rest_framework.test import APIClient

from advisories.models import AdvisoryLevel, Country, Region, RiskAssessment

from .helpers import assert_refused, get, results

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 11, 20, 3, 0, tzinfo=dt.UTC)
BREAKDOWN = {
    "version": 1,
    "window_days": 90,
    "incidents": 14,
    "by_category": {"kidnapping": 3, "terrorism": 9},
    "killed": 41,
    "injured": 12,
    "abducted": 5,
    "killed_unknown": 2,
    "injured_unknown": 6,
    "abducted_unknown": 9,
    "targeted": {"aid_workers": 2, "foreigners": 1, "members_kind": 1},
    "previous_index": 23,
    "change": 18,
    "top_places": [["Sévaré-Bandiagara road", 6], ["Mopti", 3]],
    "components": {"severity": 31.5, "casualties": 12.0, "targets": 4.2},
    "weights_version": 1,
}


def assess(place: Country | Region, days_ago: float, index: int, *, current: bool = False, **fields: Any) -> Any:
    country = place if isinstance(place, Country) else place.country
    region = place if isinstance(place, Region) else None
    return RiskAssessment.objects.create(
        country=country,
        region=region,
        computed_at=NOW - dt.timedelta(days=days_ago),
        index=index,
        suggested_level=fields.pop("suggested_level", 2),
        is_current=current,
        **fields,
    )


@pytest.fixture
def history(mali):
    """Mali and Mopti, each with three assessments (the newest current), and Gao with none."""
    mopti = Region.objects.get(code="ML-5")
    for place in (mali, mopti):
        assess(place, 20, 30)
        assess(place, 10, 45)
        assess(place, 1, 59, current=True, suggested_level=3, published_level=4, breakdown=BREAKDOWN)
    return mopti


def test_a_country_row_carries_its_current_risk_with_its_breakdown(history):
    (row,) = [row for row in results("/countries/", {"name": "mali"}) if row["code"] == "ML"]

    assert row["risk"] == {
        "index": 59,
        "suggested_level": 3,
        "published_level": 4,
        "computed_at": "2026-11-19T03:00:00Z",
        "breakdown": BREAKDOWN,
    }
    assert get("/countries/ml/").json()["risk"] == row["risk"]


def test_a_region_row_and_detail_carry_the_regions_own_current_risk(history):
    rows = {row["code"]: row for row in results("/regions/", {"country": "ml", "page_size": 100})}

    assert rows["ML-5"]["risk"]["index"] == 59
    assert rows["ML-5"]["risk"]["breakdown"]["top_places"] == [["Sévaré-Bandiagara road", 6], ["Mopti", 3]]
    assert get("/regions/ml-5/").json()["risk"] == rows["ML-5"]["risk"]


def test_a_place_never_assessed_has_a_null_risk(history):
    assert get("/regions/ml-7/").json()["risk"] is None
    assert get("/countries/ne/").json()["risk"] is None
    (niger,) = [row for row in results("/countries/", {"name": "niger"}) if row["code"] == "NE"]
    assert niger["risk"] is None


def test_a_country_shows_its_country_wide_risk_not_a_regions(mali):
    assess(Region.objects.get(code="ML-5"), 1, 80, current=True)

    assert get("/countries/ml/").json()["risk"] is None


def test_a_country_detail_gives_each_regions_index_without_the_breakdown(history):
    regions = {row["code"]: row for row in get("/countries/ml/").json()["regions"]}

    assert regions["ML-5"]["risk"] == {
        "index": 59,
        "suggested_level": 3,
        "published_level": 4,
        "computed_at": "2026-11-19T03:00:00Z",
    }
    assert regions["ML-7"]["risk"] is None


def test_the_history_lists_a_places_assessments_newest_first(history):
    country_rows = results("/countries/ml/risk/")
    region_rows = results("/regions/ML-5/risk/")

    assert [row["index"] for row in country_rows] == [59, 45, 30]
    assert [row["index"] for row in region_rows] == [59, 45, 30]
    assert country_rows[0]["breakdown"] == BREAKDOWN
    assert country_rows[2] == {
        "index": 30,
        "suggested_level": 2,
        "published_level": None,
        "computed_at": "2026-10-31T03:00:00Z",
        "breakdown": {},
    }


def test_a_countrys_history_leaves_its_regions_out_and_a_regions_its_neighbours(history, mali):
    assess(Region.objects.get(code="ML-7"), 2, 90, current=True)

    assert len(results("/countries/ml/risk/")) == 3
    assert [row["index"] for row in results("/regions/ml-7/risk/")] == [90]
    assert results("/regions/ml-1/risk/") == []


def test_the_history_comes_in_pages_that_follow_each_other(history):
    first = get("/countries/ml/risk/", {"page_size": 2}).json()
    second = APIClient().get(first["next"]).json()

    assert [row["index"] for row in first["results"]] == [59, 45]
    assert [row["index"] for row in second["results"]] == [30]
    assert second["next"] is None and second["previous"] is not None


def test_assessments_computed_at_the_same_moment_are_all_listed_once(mali):
    for index in range(5):
        assess(mali, 3, index)
    seen: list[int] = []
    page = get("/countries/ml/risk/", {"page_size": 2}).json()
    while True:
        seen += [row["index"] for row in page["results"]]
        if page["next"] is None:
            break
        page = APIClient().get(page["next"]).json()

    assert seen == [4, 3, 2, 1, 0]


def test_since_keeps_the_assessments_computed_at_or_after_it(history):
    rows = results("/countries/ml/risk/", {"since": "2026-11-10T03:00:00Z"})
    by_date = results("/regions/ml-5/risk/", {"since": "2026-11-15"})

    assert [row["index"] for row in rows] == [59, 45]
    assert [row["index"] for row in by_date] == [59]


def test_since_that_is_not_a_moment_is_refused(history):
    assert_refused("/countries/ml/risk/", {"since": "last week"}, "since", "Write an ISO 8601 date and time")


def test_the_history_of_an_unknown_place_is_a_404(db):
    assert get("/countries/zz/risk/").status_code == 404
    assert get("/regions/ml-99/risk/").json()["detail"] == "There is no region with the code ML-99."


def test_the_history_costs_the_same_queries_for_one_row_or_many(history, django_assert_num_queries):
    # The place, then the page.
    with django_assert_num_queries(2):
        results("/regions/ml-5/risk/", {"page_size": 1})
    for days in range(10):
        assess(history, 30 + days, 10, published_level=AdvisoryLevel.DO_NOT_TRAVEL)
    with django_assert_num_queries(2):
        assert len(results("/regions/ml-5/risk/", {"page_size": 50})) == 13
