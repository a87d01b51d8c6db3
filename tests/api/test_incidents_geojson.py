"""/api/v1/incidents/geojson/: the incidents of the list that have coordinates, as a GeoJSON
FeatureCollection (RFC 7946) a map library reads as it is, with the list's filters, pages and
access rules."""

from __future__ import annotations

from decimal import Decimal

import pytest

from advisories.models import Region
from incidents.models import Incident
from tests.api.clients import client_of
from tests.factories import IncidentFactory

pytestmark = pytest.mark.django_db

GEOJSON = "/api/v1/incidents/geojson/"


def located(title: str, latitude: str, longitude: str, **fields):
    return IncidentFactory.create(title=title, latitude=Decimal(latitude), longitude=Decimal(longitude), **fields)


def test_it_is_a_feature_collection_of_points_in_longitude_latitude_order(cast):
    incident = located("Attack near Mopti", "14.49361", "-4.19821", region=Region.objects.get(code="ML-5"), killed=2)

    response = client_of().get(GEOJSON)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/geo+json"
    body = response.json()
    assert body["type"] == "FeatureCollection"
    assert (body["next"], body["previous"]) == (None, None)
    (feature,) = body["features"]
    assert feature["type"] == "Feature"
    assert feature["id"] == incident.pk
    assert feature["geometry"] == {"type": "Point", "coordinates": [-4.19821, 14.49361]}
    properties = feature["properties"]
    assert properties["title"] == "Attack near Mopti"
    assert properties["region"] == {"code": "ML-5", "name": "Mopti"}
    assert properties["country"] == {"code": "ML", "name": "Mali"}
    assert properties["type"]["slug"] == "banditry-roadblock"
    assert (properties["killed"], properties["severity"], properties["sharing_level"]) == (2, 3, "clear")
    # The properties are a list row's fields, no more.
    assert "description" not in properties and "organisation" not in properties


def test_a_client_that_asks_for_plain_json_gets_the_same_collection(cast):
    located("Attack", "14.5", "-4.2")

    response = client_of().get(GEOJSON, HTTP_ACCEPT="application/json")

    assert response["Content-Type"] == "application/json"
    assert response.json()["type"] == "FeatureCollection"


def test_incidents_without_coordinates_are_left_out(cast):
    located("Placed", "14.5", "-4.2")
    IncidentFactory.create(title="Somewhere in Mopti")

    features = client_of().get(GEOJSON).json()["features"]

    assert [feature["properties"]["title"] for feature in features] == ["Placed"]


def test_it_takes_the_lists_filters(cast):
    located("Gao, severe", "16.27", "-0.04", severity=4, region=Region.objects.get(code="ML-7"))
    located("Gao, minor", "16.27", "-0.05", severity=1, region=Region.objects.get(code="ML-7"))
    located("Bamako, severe", "12.65", "-8.0", severity=4, region=Region.objects.get(code="ML-BKO"))

    def titles(query: str) -> list[str]:
        response = client_of().get(f"{GEOJSON}?{query}")
        assert response.status_code == 200, response.json()
        return sorted(feature["properties"]["title"] for feature in response.json()["features"])

    assert titles("severity_min=4") == ["Bamako, severe", "Gao, severe"]
    assert titles("region=ml-7&severity_min=4") == ["Gao, severe"]
    assert titles("bbox=-1,15,1,17") == ["Gao, minor", "Gao, severe"]


def test_a_bad_filter_value_is_a_400_with_the_reason(cast):
    response = client_of().get(GEOJSON, {"bbox": "1,2,3"})

    assert response.status_code == 400
    assert response.json()["errors"] == {
        "bbox": ["Give four numbers separated by commas: min_lon,min_lat,max_lon,max_lat (you gave 3)."]
    }


def test_it_shows_only_what_the_user_may_see(cast):
    located("Public", "14.5", "-4.2")
    located("A's amber", "14.6", "-4.2", sharing_level="amber", status="submitted", organisation=cast.org_a)
    located("A's red", "14.7", "-4.2", sharing_level="red", status="submitted", organisation=cast.org_a)

    def titles(user) -> list[str]:
        return sorted(feature["properties"]["title"] for feature in client_of(user).get(GEOJSON).json()["features"])

    assert titles(None) == ["Public"]
    assert titles(cast.officer_b) == ["Public"]
    assert titles(cast.reader_a) == ["A's amber", "Public"]
    assert titles(cast.officer_a) == ["A's amber", "A's red", "Public"]


def test_pages_follow_the_next_link(cast):
    created = [located(f"Incident {n}", "14.5", "-4.2").pk for n in range(5)]
    client = client_of()

    first = client.get(GEOJSON, {"page_size": 2}).json()
    second = client.get(first["next"]).json()
    third = client.get(second["next"]).json()

    pages = [[feature["id"] for feature in page["features"]] for page in (first, second, third)]
    assert pages == [created[4:2:-1], created[2:0:-1], created[:1]]
    assert third["next"] is None
    assert second["previous"] is not None and all(page["type"] == "FeatureCollection" for page in (first, third))


def test_a_page_holds_at_most_five_thousand_features(cast):
    template = located("Template", "14.5", "-4.2")
    Incident.objects.bulk_create(
        Incident(
            title=f"Incident {n}",
            incident_type=template.incident_type,
            severity=2,
            occurred_on=template.occurred_on,
            country=template.country,
            region=template.region,
            latitude=template.latitude,
            longitude=template.longitude,
            sharing_level="clear",
            status="published",
        )
        for n in range(5_000)
    )

    default = client_of().get(GEOJSON).json()
    most = client_of().get(GEOJSON, {"page_size": 100_000}).json()

    assert len(default["features"]) == 500
    assert len(most["features"]) == 5_000 and most["next"] is not None
    rest = client_of().get(most["next"]).json()
    assert [feature["id"] for feature in rest["features"]] == [template.pk]
