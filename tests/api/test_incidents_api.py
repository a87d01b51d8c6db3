"""/api/v1/incidents/ and its neighbours through HTTP: what a list row and a detail hold, and the
reference lists (actors, incident types, the user's organisations). Logging: test_incident_logging_api.py;
correcting and reviewing: test_incident_corrections_api.py."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from advisories.models import Region
from incidents.models import Actor, IncidentActor, IncidentType, Role, TargetType
from tests.api.clients import client_of
from tests.api.incidents_api import INCIDENTS, detail
from tests.factories import ActorFactory, IncidentFactory, MembershipFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

# Reading -----------------------------------------------------------------------------------


def test_a_list_row_is_the_brief_form_of_an_incident(cast):
    incident = IncidentFactory.create(
        title="Roadblock near Gao", region=Region.objects.get(code="ML-7"), killed=1, injured=0, abducted=None
    )

    response = client_of().get(INCIDENTS)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    (row,) = response.json()["results"]
    assert row == {
        "id": incident.pk,
        "title": "Roadblock near Gao",
        "type": {"slug": "banditry-roadblock", "name": incident.incident_type.name},
        "category": {"slug": incident.incident_type.category.slug, "name": incident.incident_type.category.name},
        "severity": 3,
        "occurred_on": "2024-09-17",
        "date_precision": "day",
        "country": {"code": "ML", "name": "Mali"},
        "region": {"code": "ML-7", "name": "Gao"},
        "sharing_level": "clear",
        "status": "published",
        "killed": 1,
        "injured": 0,
        "abducted": None,  # not known, which is not 0
        "updated_at": incident.updated_at.isoformat().replace("+00:00", "Z"),
    }


def test_a_detail_adds_the_account_the_place_the_actors_and_the_review(cast):
    actor = ActorFactory.create(name="JNIM", kind=Actor.Kind.VIOLENT_EXTREMIST)
    incident = IncidentFactory.create(
        organisation=cast.org_a,
        reporter=cast.officer_a,
        latitude=Decimal("14.49361"),
        longitude=Decimal("-4.19821"),
        place_name="Sévaré",
        occurred_at_time=dt.time(17, 40),
        sources="Driver's account",
        published_at=timezone.now(),
    )
    IncidentActor.objects.create(incident=incident, actor=actor, role=IncidentActor.Role.PERPETRATOR)
    incident.target_types.set([TargetType.objects.get(slug="ngo-staff")])

    body = client_of().get(detail(incident)).json()

    assert body["description"] == incident.description
    assert body["sources"] == "Driver's account"
    assert body["occurred_at_time"] == "17:40"
    assert (body["latitude"], body["longitude"]) == (14.49361, -4.19821)
    assert body["place_name"] == "Sévaré"
    assert body["location_precision"] == "exact"
    assert body["actors"] == [{"id": actor.pk, "name": "JNIM", "kind": "violent_extremist", "role": "perpetrator"}]
    assert body["target_types"] == [{"slug": "ngo-staff", "name": "NGO staff"}]
    # The public does not learn who reported it (incidents.access.may_see_reporter).
    assert body["organisation"] is None
    assert body["published_at"] is not None and body["verified_at"] is None and body["retracted_at"] is None
    # Who reported it is not part of the API.
    assert "reporter" not in body


def test_an_incident_the_user_may_not_see_is_not_found_as_if_it_did_not_exist(cast):
    hidden = IncidentFactory.create(organisation=cast.org_a, sharing_level="amber", status="submitted")

    for user in (None, cast.officer_b, cast.analyst):
        response = client_of(user).get(detail(hidden))
        assert response.status_code == 404, user
        assert response.json() == {"detail": "No such incident."}
    assert client_of().get(f"{INCIDENTS}{hidden.pk + 1000}/").json() == {"detail": "No such incident."}
    assert client_of(cast.reader_a).get(detail(hidden)).status_code == 200


def test_an_address_that_is_not_an_incident_id_is_a_json_404(cast):
    response = client_of().get(f"{INCIDENTS}abc/")

    assert response.status_code == 404
    assert "/api/v1/docs/" in response.json()["detail"]


def test_an_enormous_id_is_a_404_not_a_server_error(cast):
    assert client_of(cast.officer_a).get(f"{INCIDENTS}{10**30}/").status_code == 404


def test_pages_follow_the_next_link_and_respect_page_size(cast):
    created = [IncidentFactory.create(title=f"Incident {n}").pk for n in range(5)]
    client = client_of()

    first = client.get(INCIDENTS, {"page_size": 2}).json()
    second = client.get(first["next"]).json()
    third = client.get(second["next"]).json()

    seen = [row["id"] for page in (first, second, third) for row in page["results"]]
    assert seen == sorted(created, reverse=True)
    assert [len(page["results"]) for page in (first, second, third)] == [2, 2, 1]
    assert first["previous"] is None and third["next"] is None
    assert "page_size=2" in first["next"]


@pytest.mark.parametrize(("path", "rows"), [(INCIDENTS, "results"), (f"{INCIDENTS}geojson/", "features")])
def test_the_list_costs_the_same_number_of_queries_for_a_few_rows_or_many(cast, django_assert_num_queries, path, rows):
    def make(count: int) -> None:
        for n in range(count):
            IncidentFactory.create(
                organisation=[cast.org_a, cast.org_b, None][n % 3],
                sharing_level="green" if n % 3 < 2 else "clear",
                region=Region.objects.get(code="ML-7" if n % 2 else "ML-5"),
                latitude=Decimal("14.5"),
                longitude=Decimal("-4.2"),
            )

    client = client_of(cast.reader_a)
    client.get(path)  # the token's first use
    make(2)
    # Token and user, memberships, partners, the page.
    with django_assert_num_queries(4):
        assert len(client.get(path).json()[rows]) == 2
    make(25)
    with django_assert_num_queries(4):
        assert len(client.get(path).json()[rows]) == 27


def test_a_page_of_the_list_reads_only_the_columns_it_shows_and_no_country_twice(cast):
    IncidentFactory.create(description="A long account " * 200, region=Region.objects.get(code="ML-5"))
    client = client_of(cast.reader_a)
    client.get(INCIDENTS)  # the token's first use

    with CaptureQueriesContext(connection) as queries:
        assert len(client.get(INCIDENTS, {"region": "ml-5"}).json()["results"]) == 1

    page = [query["sql"] for query in queries.captured_queries if 'FROM "incidents_incident"' in query["sql"]]
    assert len(page) == 1
    read = page[0].split(" FROM ")[0]
    assert '"incidents_incident"."description"' not in read and '"incidents_incident"."sources"' not in read
    assert "incidents_organisation" not in page[0]
    # The region is checked by its code and its country's in one query, without reading the country first.
    assert sum('FROM "advisories_country"' in query["sql"] for query in queries.captured_queries) == 0


# Actors, incident types, organisations -----------------------------------------------------------


def test_actors_are_listed_by_name_with_their_aliases_and_kind(cast):
    jnim = ActorFactory.create(
        name="JNIM", aliases=["Jama'at Nusrat al-Islam wal-Muslimin"], kind=Actor.Kind.VIOLENT_EXTREMIST
    )
    ActorFactory.create(name="Bandits", kind=Actor.Kind.CRIMINAL)

    body = client_of().get("/api/v1/actors/").json()

    assert [row["name"] for row in body["results"]] == ["Bandits", "JNIM"]
    assert body["results"][1] == {
        "id": jnim.pk,
        "name": "JNIM",
        "aliases": ["Jama'at Nusrat al-Islam wal-Muslimin"],
        "kind": "violent_extremist",
    }
    assert client_of().get(f"/api/v1/actors/{jnim.pk}/").json()["name"] == "JNIM"


def test_actors_are_filtered_by_kind_and_found_by_name_or_alias(cast):
    ActorFactory.create(name="JNIM", aliases=["Jama'at Nusrat al-Islam wal-Muslimin"], kind="violent_extremist")
    ActorFactory.create(name="Islamic State Sahel", aliases=["ISSP"], kind="violent_extremist")
    ActorFactory.create(name="Bandits", kind="criminal")

    def names(**params: str) -> list[str]:
        response = client_of().get("/api/v1/actors/", params)
        assert response.status_code == 200, response.json()
        return [row["name"] for row in response.json()["results"]]

    assert names(kind="violent_extremist") == ["Islamic State Sahel", "JNIM"]
    assert names(name="nusrat") == ["JNIM"]
    assert names(name="issp") == ["Islamic State Sahel"]
    assert names(name="band") == ["Bandits"]
    assert client_of().get("/api/v1/actors/", {"kind": "aliens"}).status_code == 400


def test_incident_types_carry_their_category_and_acled_mapping(cast):
    body = client_of().get("/api/v1/incident-types/kidnapping/").json()

    kidnapping = IncidentType.objects.select_related("category").get(slug="kidnapping")
    assert body == {
        "slug": "kidnapping",
        "name": kidnapping.name,
        "category": {"slug": kidnapping.category.slug, "name": kidnapping.category.name},
        "acled_event_type": "Violence against civilians",
        "acled_sub_event_type": "Abduction/forced disappearance",
        "default_severity": 4,
    }


def test_incident_types_are_filtered_by_category(cast):
    category = IncidentType.objects.get(slug="kidnapping").category
    assert category is not None

    rows = client_of().get("/api/v1/incident-types/", {"category": category.slug, "page_size": "100"}).json()["results"]
    everything = client_of().get("/api/v1/incident-types/", {"page_size": 100}).json()["results"]

    assert {row["slug"] for row in rows} == set(
        IncidentType.objects.filter(category=category).values_list("slug", flat=True)
    )
    assert len(everything) == IncidentType.objects.count() > len(rows) > 0
    assert client_of().get("/api/v1/incident-types/", {"category": "no-such"}).status_code == 400


def test_a_user_sees_their_own_organisations_and_their_role_in_each(cast):
    MembershipFactory.create(user=cast.reader_a, organisation=cast.org_b, role=Role.SECURITY_MANAGER)
    inactive = OrganisationFactory.create(name="Closed down", is_active=False)
    MembershipFactory.create(user=cast.reader_a, organisation=inactive, role=Role.OFFICER)

    body = client_of(cast.reader_a).get("/api/v1/organisations/").json()

    assert body == [
        {
            "slug": "niger-valley-aid",
            "name": "Niger Valley Aid",
            "kind": "ingo",
            "time_zone": "Europe/Paris",
            "role": "security_manager",
        },
        {
            "slug": "sahel-relief",
            "name": "Sahel Relief",
            "kind": "ingo",
            "time_zone": "Africa/Bamako",
            "role": "reader",
        },
    ]
    assert client_of(cast.outsider).get("/api/v1/organisations/").json() == []
    assert client_of(UserFactory.create(is_staff=True)).get("/api/v1/organisations/").json() == []


def test_anonymous_clients_have_no_organisations_to_list(cast):
    response = client_of().get("/api/v1/organisations/")

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Bearer"
    assert "/accounts/api-token/" in response.json()["detail"]
