"""The API's incident list and GeoJSON, written from plain rows (incident_row_values, brief_rows,
feature_rows) rather than through IncidentBriefSerializer: what they give is exactly what the
serializer that the schema documents gives, and the rows come only from what the viewer may see."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

import pytest
from django.http import QueryDict
from django.utils import translation
from rest_framework.renderers import JSONRenderer

from advisories.models import Region
from incidents.api.filters import IncidentApiFilter
from incidents.api.serializers import IncidentBriefSerializer, IncidentFeatureSerializer
from incidents.models import DatePrecision, Incident, IncidentType, SharingLevel
from incidents.selectors import incident_rows_for
from tests.api.clients import client_of
from tests.api.incidents_api import INCIDENTS
from tests.factories import IncidentFactory

pytestmark = pytest.mark.django_db

GEOJSON = f"{INCIDENTS}geojson/"


@pytest.fixture(autouse=True)
def english_after_each_test():
    """A French request leaves French active in this thread: put English back for the next test."""
    yield
    translation.activate("en")


@pytest.fixture
def assorted(cast) -> list[Incident]:
    """Incidents of several types and categories, with and without a region, coordinates and
    known casualty counts, some shared with organisation A only, newest logged first."""
    made = [
        IncidentFactory.create(
            title="Roadblock near Gao",
            region=Region.objects.get(code="ML-7"),
            killed=1,
            injured=0,
            abducted=None,
            latitude=Decimal("16.27000"),
            longitude=Decimal("-0.04000"),
        ),
        IncidentFactory.create(
            title="Journalist taken hostage",
            incident_type=IncidentType.objects.get(slug="kidnapping"),
            region=None,
            killed=None,
            injured=None,
            abducted=2,
            severity=5,
            date_precision=DatePrecision.MONTH,
            occurred_on=dt.date(2021, 5, 1),
        ),
        IncidentFactory.create(
            title="Staff vehicle robbed at a false checkpoint",
            incident_type=IncidentType.objects.get(slug="armed-robbery"),
            region=Region.objects.get(code="ML-5"),
            organisation=cast.org_a,
            sharing_level=SharingLevel.AMBER,
            status="submitted",
            killed=0,
            injured=2,
            abducted=0,
            latitude=Decimal("14.49361"),
            longitude=Decimal("-4.19821"),
        ),
        IncidentFactory.create(
            title="Shots fired near the market",
            incident_type=IncidentType.objects.exclude(
                category__incident_types__slug__in=["banditry-roadblock", "kidnapping", "armed-robbery"]
            )
            .order_by("slug")
            .first(),
            region=None,
            organisation=cast.org_a,
            sharing_level=SharingLevel.GREEN,
            latitude=Decimal("-0.00001"),
            longitude=Decimal("179.99999"),
        ),
    ]
    assert len({incident.incident_type.category_id for incident in made}) >= 3
    return sorted(made, key=lambda incident: incident.pk, reverse=True)


def as_json(data: Any) -> str:
    """Data as the API's renderer writes it, read back and written again with its keys in order:
    equal texts are equal keys, in the same order, with equal values."""
    return json.dumps(json.loads(JSONRenderer().render(data)))


def serialized(serializer: type[Any], incidents: list[Incident], language: str) -> str:
    with translation.override(language):
        fresh = Incident.objects.filter(pk__in=[incident.pk for incident in incidents])
        by_id = {incident.pk: incident for incident in fresh}
        return as_json(serializer([by_id[incident.pk] for incident in incidents], many=True).data)


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_list_rows_are_what_the_brief_serializer_gives(cast, assorted, language):
    response = client_of(cast.reader_a).get(INCIDENTS, headers={"accept-language": language})

    assert response.status_code == 200
    assert response["Content-Language"] == language
    results = response.json()["results"]
    assert [row["id"] for row in results] == [incident.pk for incident in assorted]
    assert as_json(results) == serialized(IncidentBriefSerializer, assorted, language)


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_geojson_features_are_what_the_feature_serializer_gives(cast, assorted, language):
    located = [incident for incident in assorted if incident.latitude is not None]

    response = client_of(cast.reader_a).get(GEOJSON, headers={"accept-language": language})

    assert response.status_code == 200
    features = response.json()["features"]
    assert [feature["id"] for feature in features] == [incident.pk for incident in located]
    assert as_json(features) == serialized(IncidentFeatureSerializer, located, language)


@pytest.mark.parametrize(
    "query", ["occurred_before=2030-01-01", "bbox=-180,-90,180,90", "bbox=-5,14,-3,15", "country=ml&region=ml-5"]
)
def test_the_rows_of_a_page_read_in_two_queries_are_the_serializers_too(cast, assorted, query):
    response = client_of(cast.reader_a).get(f"{INCIDENTS}?{query}")

    assert response.status_code == 200
    results = response.json()["results"]
    shown = [incident for incident in assorted if incident.pk in {row["id"] for row in results}]
    assert results
    assert as_json(results) == serialized(IncidentBriefSerializer, shown, "en")


def test_an_unknown_casualty_count_is_null_and_a_known_zero_is_zero(cast, assorted):
    rows = {row["title"]: row for row in client_of(cast.reader_a).get(INCIDENTS).json()["results"]}

    assert (rows["Journalist taken hostage"]["killed"], rows["Journalist taken hostage"]["injured"]) == (None, None)
    assert rows["Staff vehicle robbed at a false checkpoint"]["killed"] == 0
    assert rows["Journalist taken hostage"]["region"] is None


# Access: another organisation's incidents shared with it alone ------------------------------

ADDRESSES = [
    INCIDENTS,
    f"{INCIDENTS}?country=ml",
    f"{INCIDENTS}?occurred_before=2030-01-01",
    f"{INCIDENTS}?bbox=-5,14,-3,15",
    f"{INCIDENTS}?sharing_level=amber",
    f"{INCIDENTS}?sharing_level=red",
    f"{INCIDENTS}?status=submitted",
    GEOJSON,
    f"{GEOJSON}?bbox=-5,14,-3,15",
]


@pytest.fixture
def org_b_only(cast) -> set[int]:
    """Organisation B's AMBER and RED incidents (a partner of A sees A's AMBER; B has none), and
    a public one beside them."""
    IncidentFactory.create(title="Public", latitude=Decimal("14.5"), longitude=Decimal("-4.2"))
    return {
        IncidentFactory.create(
            title=f"Organisation B's {level}",
            organisation=cast.org_b,
            reporter=cast.officer_b,
            sharing_level=level,
            status=status,
            latitude=Decimal("14.5"),
            longitude=Decimal("-4.2"),
        ).pk
        for level in (SharingLevel.AMBER, SharingLevel.AMBER_STRICT, SharingLevel.RED)
        for status in ("submitted", "published")
    }


def listed(client: Any, path: str) -> set[int]:
    response = client.get(path)
    assert response.status_code == 200, (path, response.content[:300])
    body = response.json()
    return {row["id"] for row in body.get("results", body.get("features", []))}


@pytest.mark.parametrize("path", ADDRESSES)
def test_another_organisations_amber_and_red_incidents_never_appear_to_others(cast, org_b_only, path):
    for person in ("reader_a", "officer_a", "partner_reader", "outsider", "anonymous"):
        client = client_of(getattr(cast, person) if person != "anonymous" else None)
        assert not listed(client, path) & org_b_only, (person, path)


def test_organisation_bs_officer_sees_its_own_amber_and_red_incidents(cast, org_b_only):
    # The test above would pass on an empty list: the incidents are there for those who may see them.
    assert listed(client_of(cast.officer_b), INCIDENTS) >= org_b_only
    assert listed(client_of(cast.officer_b), f"{GEOJSON}?bbox=-5,14,-3,15") >= org_b_only


# Filters -----------------------------------------------------------------------------------------


def test_the_list_builds_only_the_filters_its_query_names():
    filters = IncidentApiFilter(QueryDict("severity_min=4&date_from=2024-01-01"), incident_rows_for(None))

    assert set(filters.filters) == {"severity_min", "occurred_after"}
    assert set(IncidentApiFilter(QueryDict("region=ml-5"), incident_rows_for(None)).filters) == {"region"}


def test_filters_named_by_the_query_still_narrow_the_list_and_refuse_what_names_nothing(cast, assorted):
    def titles(query: str) -> set[str]:
        response = client_of(cast.reader_a).get(f"{INCIDENTS}?{query}")
        assert response.status_code == 200, response.json()
        return {row["title"] for row in response.json()["results"]}

    assert titles("date_to=2021-12-31") == {"Journalist taken hostage"}
    assert titles("region=ML-5&severity_min=3&sharing_level=amber") == {"Staff vehicle robbed at a false checkpoint"}
    refused = client_of(cast.reader_a).get(f"{INCIDENTS}?country=zz&occurred_after=2024-13-45")
    assert refused.status_code == 400
    assert set(refused.json()["errors"]) == {"country", "occurred_after"}


# Cost -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "queries"),
    [
        # The rows.
        ("", 1),
        # The country by its code, the rows.
        ("country=ml", 2),
        # The ids of the page from the map's index, then their rows.
        ("bbox=-5,14,-3,15", 2),
        # Where the date falls among the ids, the ids of the page from the dates' index, their rows.
        ("occurred_before=2030-01-01", 3),
    ],
)
def test_a_page_of_the_list_costs_the_same_queries_for_a_few_rows_or_many(
    cast, django_assert_num_queries, query, queries
):
    def make(count: int) -> None:
        for n in range(count):
            IncidentFactory.create(
                region=Region.objects.get(code="ML-7") if n % 2 else None,
                latitude=Decimal("14.5"),
                longitude=Decimal("-4.2"),
                killed=None if n % 3 else n,
            )

    client = client_of()
    make(2)
    with django_assert_num_queries(queries):
        assert len(client.get(f"{INCIDENTS}?{query}").json()["results"]) == 2
    make(30)
    with django_assert_num_queries(queries):
        assert len(client.get(f"{INCIDENTS}?{query}").json()["results"]) == 32
