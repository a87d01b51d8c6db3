"""How the API's incident list finds the incidents of a date range and of a map box at scale,
checked for what it returns: the newest logged first (by id) whatever the dates, every page of a
cursor walk exactly once, and a box's incidents on the edges of the map grid's cells included."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from incidents.api.filters import BBox, grid_cells, sorted_by_date_range
from incidents.models import Incident, SharingLevel
from tests.factories import IncidentFactory, MembershipFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

INCIDENTS = "/api/v1/incidents/"
BOUND = dt.date(2020, 9, 1)


def walk(query: str, *, page_size: int = 2, user: Any = None) -> list[int]:
    """Every id of the list, following the `next` links from the first page."""
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    url: str | None = f"{INCIDENTS}?{query}&page_size={page_size}"
    seen: list[int] = []
    while url:
        response = client.get(url)
        assert response.status_code == 200, response.content
        body = response.json()
        seen += [row["id"] for row in body["results"]]
        url = body["next"]
    return seen


def logged_in_date_order(days_before: int, days_after: int) -> list[Incident]:
    """Incidents logged in the order of their dates around BOUND, and a late report of an old
    date logged last (the highest id)."""
    made = [IncidentFactory.create(occurred_on=BOUND - dt.timedelta(days=n)) for n in range(days_before, 0, -1)]
    made += [IncidentFactory.create(occurred_on=BOUND + dt.timedelta(days=n)) for n in range(days_after)]
    made.append(IncidentFactory.create(occurred_on=dt.date(2018, 3, 1), title="Reported two years late"))
    return made


def test_occurred_before_lists_the_incidents_up_to_the_date_newest_logged_first_on_every_page():
    made = logged_in_date_order(days_before=5, days_after=20)
    expected = sorted((i.pk for i in made if i.occurred_on <= BOUND), reverse=True)

    # Most incidents were logged after the date: the page is sorted out of the date range.
    assert sorted_by_date_range(BOUND)
    assert walk(f"occurred_before={BOUND}") == expected
    assert expected[0] == made[-1].pk  # the late report, logged last, comes first


def test_occurred_before_a_recent_date_walks_the_newest_incidents_and_lists_the_same():
    made = logged_in_date_order(days_before=20, days_after=1)
    expected = sorted((i.pk for i in made if i.occurred_on <= BOUND), reverse=True)

    assert not sorted_by_date_range(BOUND)
    assert walk(f"occurred_before={BOUND}", page_size=3) == expected


def test_occurred_before_a_date_after_every_incident_lists_them_all():
    made = logged_in_date_order(days_before=3, days_after=3)

    assert walk("occurred_before=2030-01-01") == sorted((i.pk for i in made), reverse=True)


def test_the_previous_link_of_a_date_filtered_page_leads_back_to_the_first_page():
    logged_in_date_order(days_before=4, days_after=10)
    client = APIClient()
    first = client.get(f"{INCIDENTS}?occurred_before={BOUND}&page_size=2").json()
    second = client.get(first["next"]).json()
    back = client.get(second["previous"]).json()

    assert [row["id"] for row in back["results"]] == [row["id"] for row in first["results"]]


def test_occurred_before_keeps_the_sharing_rules_of_each_organisation():
    ours, theirs = OrganisationFactory.create(), OrganisationFactory.create()
    member = UserFactory.create()
    MembershipFactory.create(user=member, organisation=ours)
    old = BOUND - dt.timedelta(days=3)
    own = IncidentFactory.create(occurred_on=old, organisation=ours, sharing_level=SharingLevel.AMBER)
    hidden = IncidentFactory.create(occurred_on=old, organisation=theirs, sharing_level=SharingLevel.AMBER)
    public = IncidentFactory.create(occurred_on=old)
    for n in range(10):
        IncidentFactory.create(occurred_on=BOUND + dt.timedelta(days=n + 1))

    assert sorted_by_date_range(BOUND)
    assert walk(f"occurred_before={BOUND}", user=member) == [public.pk, own.pk]
    assert walk(f"occurred_before={BOUND}") == [public.pk]
    assert hidden.pk not in walk(f"occurred_before={BOUND}", user=UserFactory.create())


def test_a_date_filtered_page_costs_the_same_queries_for_few_or_many_incidents():
    counts = []
    for days in (3, 30):
        logged_in_date_order(days_before=days, days_after=days * 3)
        with CaptureQueriesContext(connection) as queries:
            response = APIClient().get(f"{INCIDENTS}?occurred_before={BOUND}&page_size=500")
        assert response.status_code == 200
        counts.append(len(queries))

    # Which way to read, the page's ids, then their incidents.
    assert counts == [3, 3]


# --- The map grid ---------------------------------------------------------------------------


def test_the_database_keeps_the_map_grid_cell_of_the_coordinates():
    incident = IncidentFactory.create(latitude=Decimal("14.49000"), longitude=Decimal("-4.19000"))
    nowhere = IncidentFactory.create()
    incident.refresh_from_db()

    # Row floor((14.49 + 90) * 10) = 1044, column floor((-4.19 + 180) * 10) = 1758.
    assert incident.grid_cell == 1044 * 3601 + 1758
    assert Incident.objects.get(pk=nowhere.pk).grid_cell is None

    Incident.objects.filter(pk=incident.pk).update(latitude=Decimal("-0.05000"), longitude=Decimal("179.99999"))
    assert Incident.objects.get(pk=incident.pk).grid_cell == 899 * 3601 + 3599


@pytest.mark.parametrize(
    ("latitude", "longitude"),
    [("14.30000", "-4.20000"), ("14.80000", "-3.70000"), ("14.30000", "-3.70000"), ("14.55555", "-3.95001")],
)
def test_a_bbox_keeps_incidents_on_its_edges_and_at_the_corners_of_grid_cells(latitude, longitude):
    on_edge = IncidentFactory.create(latitude=Decimal(latitude), longitude=Decimal(longitude))
    IncidentFactory.create(latitude=Decimal("14.29999"), longitude=Decimal("-4.00000"))
    IncidentFactory.create(latitude=Decimal("14.50000"), longitude=Decimal("-3.69999"))

    assert walk("bbox=-4.2,14.3,-3.7,14.8", page_size=50) == [on_edge.pk]


@pytest.mark.parametrize(
    ("latitude", "longitude", "bbox"),
    [
        # Where SQLite's binary floating point puts the point in the cell next to the one its
        # coordinates name (floor((-149.9 + 180) * 10) comes out as 300, not 301; PostgreSQL's
        # numeric is exact): the box must look one cell further.
        ("14.50000", "-149.90000", "-149.9,14.4,-140,14.6"),
        ("-89.90000", "10.00000", "9.9,-89.9,10.1,-89.8"),
    ],
)
def test_a_bbox_finds_an_incident_that_the_database_puts_in_the_next_grid_cell(latitude, longitude, bbox):
    incident = IncidentFactory.create(latitude=Decimal(latitude), longitude=Decimal(longitude))

    assert walk(f"bbox={bbox}", page_size=50) == [incident.pk]


def test_a_small_bbox_is_looked_up_by_grid_cells_and_a_tall_one_by_its_coordinates_only():
    small = grid_cells(BBox(Decimal("-4.45"), Decimal("14.25"), Decimal("-3.95"), Decimal("14.75")))
    tall = grid_cells(BBox(Decimal("-12"), Decimal("10"), Decimal("4"), Decimal("25")))
    crossing = grid_cells(BBox(Decimal("179.9"), Decimal("-1"), Decimal("-179.9"), Decimal("-0.9")))

    # One range of cells per row: the 6 rows the box touches and one more on each side.
    assert small is not None and len(small.children) == 8
    assert tall is None
    # Two ranges a row across longitude 180, over 2 rows and one more on each side.
    assert crossing is not None and len(crossing.children) == 2 * 4


def test_a_bbox_across_the_antimeridian_finds_incidents_on_both_sides_by_the_grid():
    east = IncidentFactory.create(latitude=Decimal("-17.70000"), longitude=Decimal("179.95000"))
    west = IncidentFactory.create(latitude=Decimal("-17.70000"), longitude=Decimal("-179.95000"))
    IncidentFactory.create(latitude=Decimal("-17.70000"), longitude=Decimal("179.00000"))

    assert walk("bbox=179.5,-18,-179.5,-17.5", page_size=50) == [west.pk, east.pk]


def test_a_bbox_keeps_the_sharing_rules_of_each_organisation():
    ours, theirs = OrganisationFactory.create(), OrganisationFactory.create()
    member = UserFactory.create()
    MembershipFactory.create(user=member, organisation=ours)
    mopti = {"latitude": Decimal("14.49000"), "longitude": Decimal("-4.19000")}
    own = IncidentFactory.create(organisation=ours, sharing_level=SharingLevel.AMBER, **mopti)
    hidden = IncidentFactory.create(organisation=theirs, sharing_level=SharingLevel.AMBER, **mopti)
    public = IncidentFactory.create(**mopti)

    assert walk("bbox=-4.45,14.25,-3.95,14.75", user=member) == [public.pk, own.pk]
    assert walk("bbox=-4.45,14.25,-3.95,14.75") == [public.pk]
    assert hidden.pk not in walk("bbox=-4.45,14.25,-3.95,14.75", user=UserFactory.create())


def test_a_bbox_page_costs_the_same_queries_for_few_or_many_incidents():
    counts = []
    for size in (3, 30):
        for n in range(size):
            IncidentFactory.create(latitude=Decimal("14.49000") + Decimal(n % 3) / 10, longitude=Decimal("-4.19000"))
        with CaptureQueriesContext(connection) as queries:
            response = APIClient().get(f"{INCIDENTS}?bbox=-4.45,14.25,-3.95,14.75&page_size=500")
        assert response.status_code == 200
        counts.append(len(queries))

    # The page's ids, then their incidents.
    assert counts == [2, 2]
