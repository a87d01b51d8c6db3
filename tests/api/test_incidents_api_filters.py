"""Each filter of /api/v1/incidents/ (and of its GeoJSON form) on its own: what it keeps, what it
leaves out, and the 400 a value that names nothing or does not parse gets, with the parameter
named so that a client's author knows what to fix."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from advisories.models import Country, ThreatCategory
from incidents.models import Incident, IncidentActor, IncidentType, ReviewStatus, SharingLevel
from tests.factories import ActorFactory, CountryFactory, IncidentFactory, RegionFactory

pytestmark = pytest.mark.django_db

INCIDENTS = "/api/v1/incidents/"


def ids(query: str, *, user: Any = None, path: str = INCIDENTS) -> set[int]:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    response = client.get(f"{path}?{query}&page_size=500")
    assert response.status_code == 200, response.content
    body = response.json()
    return {row["id"] for row in body.get("results", body.get("features", []))}


def refused(query: str, *, user: Any = None) -> dict[str, Any]:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    response = client.get(f"{INCIDENTS}?{query}")
    assert response.status_code == 400, response.content
    return response.json()


def incident(**fields: Any) -> Incident:
    return IncidentFactory.create(**fields)


def test_country_keeps_the_incidents_of_that_country():
    other = CountryFactory.create(code="XA")
    mali = incident()
    elsewhere = incident(country=other, region=RegionFactory.create(country=other))

    assert ids("country=ml") == {mali.pk}
    assert ids("country=XA") == {elsewhere.pk}


def test_an_unknown_country_is_refused_with_the_parameter_named():
    body = refused("country=zz")

    assert body["errors"] == {"country": ["There is no country with the code ZZ."]}


def test_region_keeps_the_incidents_of_that_region_with_or_without_the_country():
    mali = Country.objects.get(code="ML")
    first, second = mali.regions.order_by("code")[:2]
    in_first, _in_second = incident(region=first), incident(region=second)

    assert ids(f"region={first.code.lower()}") == {in_first.pk}
    assert ids(f"country=ml&region={first.code}") == {in_first.pk}


def test_a_region_of_another_country_than_the_one_asked_for_is_refused():
    other = CountryFactory.create(code="XB")
    region = RegionFactory.create(country=other)

    body = refused(f"country=ml&region={region.code}")

    assert list(body["errors"]) == ["region"]
    assert "in the country asked for" in body["errors"]["region"][0]


def test_type_keeps_the_incidents_of_that_type():
    robbery = incident(incident_type=IncidentType.objects.get(slug="armed-robbery"))
    incident()  # a roadblock

    assert ids("type=armed-robbery") == {robbery.pk}
    assert refused("type=piracy-on-the-niger")["errors"]["type"] == [
        "There is no incident type piracy-on-the-niger; the list is at /api/v1/incident-types/."
    ]


def test_category_keeps_the_incidents_whose_type_is_in_that_category():
    kidnapping_type = IncidentType.objects.filter(category__slug="kidnapping").first()
    assert kidnapping_type is not None
    kidnapping = incident(incident_type=kidnapping_type)
    roadblock = incident()

    assert ids("category=kidnapping") == {kidnapping.pk}
    assert roadblock.incident_type.category is not None
    assert ids(f"category={roadblock.incident_type.category.slug}") == {roadblock.pk}
    assert "errors" in refused("category=not-a-category")
    assert ThreatCategory.objects.filter(slug="kidnapping").exists()


def test_actor_keeps_the_incidents_that_name_the_actor_once_each_whatever_its_roles():
    actor, other = ActorFactory.create(), ActorFactory.create()
    named = incident()
    IncidentActor.objects.create(incident=named, actor=actor, role=IncidentActor.Role.PERPETRATOR)
    IncidentActor.objects.create(incident=named, actor=actor, role=IncidentActor.Role.INVOLVED)
    IncidentActor.objects.create(incident=incident(), actor=other, role=IncidentActor.Role.PERPETRATOR)

    client = APIClient()
    rows = client.get(f"{INCIDENTS}?actor={actor.pk}").json()["results"]

    assert [row["id"] for row in rows] == [named.pk]
    assert refused("actor=999999")["errors"]["actor"] == ["There is no actor with the id 999999; see /api/v1/actors/."]


def test_severity_min_keeps_incidents_of_that_severity_or_worse():
    minor, serious, critical = incident(severity=1), incident(severity=3), incident(severity=5)

    assert ids("severity_min=3") == {serious.pk, critical.pk}
    assert ids("severity_min=1") == {minor.pk, serious.pk, critical.pk}
    assert list(refused("severity_min=9")["errors"]) == ["severity_min"]


def test_occurred_after_and_before_bound_the_date_inclusively():
    early = incident(occurred_on=dt.date(2024, 1, 10))
    middle = incident(occurred_on=dt.date(2024, 6, 1))
    late = incident(occurred_on=dt.date(2024, 12, 31))

    assert ids("occurred_after=2024-06-01") == {middle.pk, late.pk}
    assert ids("occurred_before=2024-06-01") == {early.pk, middle.pk}
    assert ids("occurred_after=2024-02-01&occurred_before=2024-12-30") == {middle.pk}


def test_a_date_that_does_not_parse_or_a_reversed_range_is_refused():
    assert refused("occurred_after=2024-13-45")["errors"] == {
        "occurred_after": ["Write the date as YYYY-MM-DD, e.g. 2024-09-17."]
    }
    assert refused("occurred_after=2024-06-02&occurred_before=2024-06-01")["errors"] == {
        "occurred_after": ["occurred_after (2024-06-02) is later than occurred_before (2024-06-01)."]
    }


def test_bbox_keeps_the_incidents_inside_the_box_and_those_with_coordinates_only():
    bamako = incident(latitude=Decimal("12.65"), longitude=Decimal("-8.0"))
    timbuktu = incident(latitude=Decimal("16.77"), longitude=Decimal("-3.01"))
    incident(latitude=None, longitude=None)

    assert ids("bbox=-9,12,-7,13") == {bamako.pk}
    assert ids("bbox=-5.5,10,4.5,25") == {timbuktu.pk}
    assert ids("bbox=-12.5,10,4.5,25") == {bamako.pk, timbuktu.pk}
    assert ids("bbox=-9,12,-7,13", path=f"{INCIDENTS}geojson/") == {bamako.pk}


def test_a_bbox_whose_west_edge_is_east_of_its_east_edge_crosses_the_antimeridian():
    fiji = incident(latitude=Decimal("-17.7"), longitude=Decimal("178.0"))
    samoa = incident(latitude=Decimal("-13.8"), longitude=Decimal("-171.8"))
    incident(latitude=Decimal("12.65"), longitude=Decimal("-8.0"))

    assert ids("bbox=170,-20,-170,-10") == {fiji.pk, samoa.pk}


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("1,2,3", "Give four numbers separated by commas: min_lon,min_lat,max_lon,max_lat (you gave 3)."),
        ("a,b,c,d", "“a,b,c,d” is not four numbers: write it as min_lon,min_lat,max_lon,max_lat, e.g. -5.5,10,4.5,25."),
        ("-5,10,4,95", "max_lat is 95; it must be between -90 and 90."),
        ("-5,20,4,10", "min_lat (20) is north of max_lat (10): give the southern edge first."),
        ("-5,10,4,Infinity", "The bounding box needs finite numbers."),
    ],
)
def test_a_bbox_that_is_not_a_box_is_refused_with_what_to_write(value, message):
    assert refused(f"bbox={value}")["errors"] == {"bbox": [message]}


def test_updated_since_keeps_the_incidents_changed_at_or_after_that_moment():
    old, recent = incident(), incident()
    moment = timezone.now() - dt.timedelta(hours=1)
    Incident.objects.filter(pk=old.pk).update(updated_at=moment - dt.timedelta(days=2))
    Incident.objects.filter(pk=recent.pk).update(updated_at=moment + dt.timedelta(minutes=5))

    since = moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert ids(f"updated_since={since}") == {recent.pk}
    assert ids("updated_since=2000-01-01T00:00:00Z") == {old.pk, recent.pk}
    assert refused("updated_since=yesterday")["errors"] == {
        "updated_since": ["Write an ISO 8601 date and time, e.g. 2024-09-17T08:00:00Z; write a + in an offset as %2B."]
    }


def test_status_and_sharing_level_narrow_what_a_member_sees(cast):
    submitted = incident(organisation=cast.org_a, status=ReviewStatus.SUBMITTED, sharing_level=SharingLevel.GREEN)
    published = incident(organisation=cast.org_a, status=ReviewStatus.PUBLISHED, sharing_level=SharingLevel.AMBER)

    assert ids("status=submitted", user=cast.reader_a) == {submitted.pk}
    assert ids("sharing_level=amber", user=cast.reader_a) == {published.pk}
    assert list(refused("sharing_level=purple", user=cast.reader_a)["errors"]) == ["sharing_level"]


def test_filters_combine_as_and():
    wanted = incident(severity=4, occurred_on=dt.date(2024, 5, 1), latitude=Decimal("14.5"), longitude=Decimal("-4.2"))
    incident(severity=4, occurred_on=dt.date(2023, 5, 1), latitude=Decimal("14.5"), longitude=Decimal("-4.2"))
    incident(severity=2, occurred_on=dt.date(2024, 5, 1), latitude=Decimal("14.5"), longitude=Decimal("-4.2"))

    assert ids("country=ml&severity_min=4&occurred_after=2024-01-01&bbox=-5,14,-4,15") == {wanted.pk}


def test_updated_since_takes_any_offset_python_reads_and_refuses_a_moment_beyond_the_calendar():
    changed = incident()

    # PostgreSQL knows no -20:30 offset; the moment is compared in UTC.
    assert ids("updated_since=2000-01-01T00:00:00-20:30") == {changed.pk}
    assert refused("updated_since=9999-12-31T23:00:00-05:00")["errors"] == {
        "updated_since": [
            "9999-12-31T23:00:00-05:00 is out of range: give a moment between the years 1 and 9999 in UTC."
        ]
    }
