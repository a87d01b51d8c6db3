"""/api/v1/incidents/ and its neighbours through HTTP: what a list row and a detail hold, how an
officer logs and corrects an incident, how analysts review one, which values are refused with
which message, and the reference lists (actors, incident types, the user's organisations)."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from advisories.models import Region
from incidents.models import Actor, Incident, IncidentActor, IncidentType, ReviewStatus, Role, TargetType
from tests.api.clients import client_of
from tests.factories import ActorFactory, IncidentFactory, MembershipFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

INCIDENTS = "/api/v1/incidents/"


def detail(incident: Incident) -> str:
    return f"{INCIDENTS}{incident.pk}/"


def payload(**changes: Any) -> dict[str, Any]:
    """A robbery near Sévaré as an officer's tool sends it; `changes` replace or add fields."""
    data: dict[str, Any] = {
        "title": "Staff vehicle robbed at a false checkpoint",
        "type": "armed-robbery",
        "occurred_on": "2025-03-02",
        "occurred_at_time": "17:40",
        "date_precision": "day",
        "country": "ml",
        "region": "ml-5",
        "place_name": "Sévaré",
        "location_precision": "near",
        "actors": [ActorFactory.create(name="Unidentified armed men").pk],
        "target_types": ["ngo-staff"],
        "killed": 0,
        "injured": 2,
        "abducted": 0,
        "severity": 3,
        "description": "Four armed men stopped the vehicle and took phones, cash and a laptop.",
        "sources": "Driver's account",
        "sharing_level": "amber",
    }
    data.update(changes)
    return data


def post(user, data: Any, path: str = INCIDENTS):
    return client_of(user).post(path, data, format="json")


# Reading -----------------------------------------------------------------------------------


def test_a_list_row_is_the_brief_form_of_an_incident(cast):
    incident = IncidentFactory.create(title="Roadblock near Gao", region=Region.objects.get(code="ML-7"), killed=1)

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
        "abducted": 0,
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
    assert body["organisation"] == {"slug": "sahel-relief", "name": "Sahel Relief"}
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


def test_the_list_costs_the_same_number_of_queries_for_a_few_rows_or_many(cast, django_assert_num_queries):
    def make(count: int) -> None:
        for n in range(count):
            IncidentFactory.create(
                organisation=cast.org_a if n % 3 else cast.org_b,
                sharing_level="green",
                region=Region.objects.get(code="ML-7" if n % 2 else "ML-BKO"),
            )

    client = client_of(cast.officer_a)
    client.get(INCIDENTS)  # the token's first use
    make(2)
    # Token and user, memberships, partners, the page.
    with django_assert_num_queries(4):
        assert len(client.get(INCIDENTS).json()["results"]) == 2
    make(20)
    with django_assert_num_queries(4):
        assert len(client.get(INCIDENTS).json()["results"]) == 22


# Logging -----------------------------------------------------------------------------------


def test_an_officer_logs_an_incident_for_their_organisation(cast):
    response = post(cast.officer_a, payload())

    assert response.status_code == 201, response.json()
    body = response.json()
    incident = Incident.objects.get(pk=body["id"])
    assert response["Location"] == f"{INCIDENTS}{incident.pk}/"
    assert (incident.organisation, incident.reporter, incident.status) == (
        cast.org_a,
        cast.officer_a,
        ReviewStatus.SUBMITTED,
    )
    assert incident.region is not None and incident.region.code == "ML-5"
    assert incident.incident_type.slug == "armed-robbery"
    assert [actor.name for actor in incident.actors.all()] == ["Unidentified armed men"]
    assert [target.slug for target in incident.target_types.all()] == ["ngo-staff"]
    assert (incident.injured, incident.severity, incident.sharing_level) == (2, 3, "amber")
    assert body["status"] == "submitted"
    assert body["organisation"] == {"slug": "sahel-relief", "name": "Sahel Relief"}
    assert body["region"] == {"code": "ML-5", "name": "Mopti"}


def test_a_security_manager_logs_incidents_too(cast):
    assert post(cast.manager_a, payload()).status_code == 201


def test_the_region_is_found_from_the_coordinates_when_left_out(cast):
    response = post(cast.officer_a, payload(region=None, latitude=14.4936123, longitude="-4.19821"))

    assert response.status_code == 201, response.json()
    incident = Incident.objects.get(pk=response.json()["id"])
    assert incident.region is not None and incident.region.code == "ML-5"
    # Kept to five decimal places (about a metre), as the form keeps them.
    assert (incident.latitude, incident.longitude) == (Decimal("14.49361"), Decimal("-4.19821"))


def test_organisation_reporter_and_review_status_cannot_be_chosen_by_the_client(cast):
    response = post(
        cast.officer_a,
        payload(
            organisation="sahel-relief",
            reporter=cast.analyst.pk,
            status="published",
            verified_at="2025-01-01T00:00:00Z",
            published_at="2025-01-01T00:00:00Z",
        ),
    )

    assert response.status_code == 201, response.json()
    incident = Incident.objects.get(pk=response.json()["id"])
    assert incident.status == ReviewStatus.SUBMITTED
    assert incident.reporter == cast.officer_a
    assert incident.verified_at is None and incident.published_at is None


def test_an_officer_of_several_organisations_names_the_one_that_reports(cast):
    MembershipFactory.create(user=cast.officer_a, organisation=cast.org_b, role=Role.OFFICER)

    unnamed = post(cast.officer_a, payload())
    named = post(cast.officer_a, payload(organisation="niger-valley-aid"))

    assert unnamed.status_code == 400
    assert unnamed.json()["errors"] == {
        "organisation": [
            "You are an officer of several organisations; say which one reports this incident: "
            "niger-valley-aid, sahel-relief."
        ]
    }
    assert named.status_code == 201
    assert Incident.objects.get(pk=named.json()["id"]).organisation == cast.org_b


def test_an_officer_cannot_log_for_an_organisation_that_is_not_theirs(cast):
    response = post(cast.officer_a, payload(organisation="niger-valley-aid"))

    assert response.status_code == 400
    assert response.json()["errors"]["organisation"] == [
        "You log incidents for these organisations only: sahel-relief."
    ]
    assert not Incident.objects.exists()


@pytest.mark.parametrize("who", ["reader_a", "analyst", "outsider"])
def test_only_officers_log_incidents(cast, who):
    response = post(getattr(cast, who), payload())

    assert response.status_code == 403
    assert "security officers and security managers" in response.json()["detail"]
    assert not Incident.objects.exists()


def test_anonymous_clients_cannot_log_incidents(cast):
    response = post(None, payload())

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Bearer"
    assert "/accounts/api-token/" in response.json()["detail"]


def test_a_revoked_or_wrong_token_is_refused(cast):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Bearer not-a-token")

    response = client.get(INCIDENTS)

    assert response.status_code == 401
    assert response.json()["detail"].startswith("Invalid token. A token stops working when it is revoked")


# What is refused, and with which message -----------------------------------------------------

REFUSALS = {
    "latitude 95": (
        {"region": None, "latitude": 95, "longitude": 0},
        "latitude",
        "Latitude 95 is out of range: it goes from -90 to 90.",
    ),
    "a future date": (
        {"occurred_on": (timezone.now() + dt.timedelta(days=3)).date().isoformat()},
        "occurred_on",
        "is in the future.",
    ),
    "a region of another country": ({"region": "ne-1"}, "region", "is not a region of Mali."),
    "a point outside the country": (
        {"region": None, "latitude": 48.8566, "longitude": 2.3522},
        "latitude",
        "is not in Mali; check the coordinates or the country.",
    ),
    "a latitude without longitude": (
        {"region": None, "latitude": 14.5},
        "longitude",
        "Give both latitude and longitude, or neither.",
    ),
    "severity 9": ({"severity": 9}, "severity", "Severity goes from 1 (minor) to 5 (critical)."),
    "an empty title": ({"title": "   "}, "title", "Give the incident a short title."),
    "a null character": ({"sources": "a\x00b"}, "sources", "Null characters are not allowed."),
    "a long description": (
        {"description": "x" * 20_001},
        "description",
        "The description is 20,001 characters long; shorten it to 20,000 at most.",
    ),
    "an unknown type": ({"type": "alien-abduction"}, "type", "There is no incident type “alien-abduction”"),
    "an unknown country": ({"country": "zz"}, "country", "There is no country with the code “ZZ”"),
    "an unknown actor": ({"actors": [10**6]}, "actors", "There is no actor with the id 1000000"),
    "a negative count": ({"killed": -1}, "killed", "greater than or equal to 0"),
    "an absurd count": ({"injured": 10**12}, "injured", "less than or equal to 100000"),
    "a latitude that is not a number": ({"latitude": "north", "longitude": 1}, "latitude", "valid number"),
    "an unknown sharing level": ({"sharing_level": "purple"}, "sharing_level", "is not a valid choice"),
    "a title longer than 200 characters": ({"title": "t" * 201}, "title", "no more than 200 characters"),
}


@pytest.mark.parametrize("changes, field, message", REFUSALS.values(), ids=REFUSALS.keys())
def test_it_refuses_bad_values_with_a_message_on_the_field(cast, changes, field, message):
    response = post(cast.officer_a, payload(**changes))

    assert response.status_code == 400, response.content
    body = response.json()
    assert body["detail"] == "Some values are not valid; see errors for each field."
    assert any(message in error for error in body["errors"][field]), body["errors"]
    assert not Incident.objects.exists()


def test_a_ten_megabyte_description_is_refused_not_a_server_error(cast):
    response = post(cast.officer_a, payload(description="x" * 10_000_000))

    assert response.status_code in (400, 413)
    assert not Incident.objects.exists()


def test_a_body_that_is_not_json_is_refused_with_a_message(cast):
    response = client_of(cast.officer_a).post(INCIDENTS, "{not json", content_type="application/json")

    assert response.status_code == 400
    assert "JSON parse error" in json.dumps(response.json())


def test_markup_is_stored_and_returned_as_the_text_it_is(cast):
    script = "<script>alert('x')</script> & <b>bold</b>"

    response = post(cast.officer_a, payload(title=script, description=script))

    assert response.status_code == 201
    incident = Incident.objects.get(pk=response.json()["id"])
    assert incident.title == script and incident.description == script
    body = client_of(cast.officer_a).get(detail(incident)).json()
    assert body["title"] == script and body["description"] == script


def test_lower_and_upper_case_codes_both_name_a_place(cast):
    response = post(cast.officer_a, payload(country="ML", region="ml-bko"))

    assert response.status_code == 201, response.json()
    assert response.json()["region"] == {"code": "ML-BKO", "name": "Bamako"}


# Correcting ----------------------------------------------------------------------------------


def _logged_by_a(cast, **fields: Any) -> Incident:
    response = post(cast.officer_a, payload(**fields))
    assert response.status_code == 201, response.json()
    return Incident.objects.get(pk=response.json()["id"])


def test_another_officer_of_the_organisation_corrects_some_fields(cast):
    incident = _logged_by_a(cast)

    response = client_of(cast.second_officer_a).patch(
        detail(incident), {"title": "Corrected", "killed": 1}, format="json"
    )

    assert response.status_code == 200, response.json()
    incident.refresh_from_db()
    assert (incident.title, incident.killed) == ("Corrected", 1)
    # What the PATCH did not name is kept, relations included.
    assert incident.region is not None
    assert (incident.injured, incident.place_name, incident.region.code) == (2, "Sévaré", "ML-5")
    assert [actor.name for actor in incident.actors.all()] == ["Unidentified armed men"]
    assert [target.slug for target in incident.target_types.all()] == ["ngo-staff"]
    assert incident.reporter == cast.officer_a
    assert response.json()["title"] == "Corrected"


def test_a_put_replaces_every_field(cast):
    incident = _logged_by_a(cast)

    response = client_of(cast.officer_a).put(
        detail(incident),
        {
            "title": "Replaced",
            "type": "theft",
            "occurred_on": "2025-03-01",
            "country": "ml",
            "region": "ml-bko",
            "severity": 1,
        },
        format="json",
    )

    assert response.status_code == 200, response.json()
    incident.refresh_from_db()
    assert (incident.title, incident.incident_type.slug, incident.severity) == ("Replaced", "theft", 1)
    assert (incident.injured, incident.place_name, incident.sharing_level) == (0, "", "amber")
    assert not incident.actors.exists() and not incident.target_types.exists()


def test_a_put_without_the_required_fields_says_which_are_missing(cast):
    incident = _logged_by_a(cast)

    response = client_of(cast.officer_a).put(detail(incident), {"title": "Only a title"}, format="json")

    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"type", "occurred_on", "country", "severity"}


def test_a_correction_keeps_the_review_status_and_ignores_the_fields_a_client_may_not_write(cast):
    incident = _logged_by_a(cast, sharing_level="green")
    Incident.objects.filter(pk=incident.pk).update(status=ReviewStatus.VERIFIED)

    response = client_of(cast.officer_a).patch(
        detail(incident),
        {"status": "published", "organisation": "niger-valley-aid", "reporter": cast.officer_b.pk, "severity": 4},
        format="json",
    )

    assert response.status_code == 200
    incident.refresh_from_db()
    assert (incident.status, incident.organisation, incident.reporter) == ("verified", cast.org_a, cast.officer_a)
    assert incident.severity == 4


def test_a_correction_is_checked_like_a_new_incident(cast):
    incident = _logged_by_a(cast)

    response = client_of(cast.officer_a).patch(detail(incident), {"country": "ne"}, format="json")

    assert response.status_code == 400
    assert response.json()["errors"] == {"region": ["Mopti is not a region of Niger."]}


@pytest.mark.parametrize("who", ["reader_a", "partner_reader"])
def test_members_who_are_not_officers_of_the_organisation_cannot_correct(cast, who):
    incident = _logged_by_a(cast, sharing_level="amber")

    response = client_of(getattr(cast, who)).patch(detail(incident), {"title": "Changed"}, format="json")

    assert response.status_code == 403
    assert response.json() == {"detail": "Only the security officers of Sahel Relief may edit this incident."}
    incident.refresh_from_db()
    assert incident.title != "Changed"


def test_an_officer_of_another_organisation_cannot_correct_what_they_can_read(cast):
    incident = _logged_by_a(cast, sharing_level="green")

    response = client_of(cast.officer_b).put(detail(incident), payload(title="Changed"), format="json")

    assert response.status_code == 403


def test_an_imported_incident_is_corrected_at_its_source(cast):
    imported = IncidentFactory.create(external_source="acled", external_id="MLI1")

    response = client_of(cast.officer_a).patch(detail(imported), {"title": "Changed"}, format="json")

    assert response.status_code == 403
    assert "corrected at its source" in response.json()["detail"]


def test_incidents_are_never_deleted(cast):
    incident = _logged_by_a(cast)

    response = client_of(cast.officer_a).delete(detail(incident))

    assert response.status_code == 405
    assert Incident.objects.filter(pk=incident.pk).exists()


# Reviewing -----------------------------------------------------------------------------------


def test_an_analyst_verifies_publishes_and_retracts(cast):
    incident = _logged_by_a(cast, sharing_level="clear")
    analyst = client_of(cast.analyst)

    verified = analyst.post(f"{detail(incident)}verify/")
    published = analyst.post(f"{detail(incident)}publish/")
    retracted = analyst.post(f"{detail(incident)}retract/", {"reason": "A duplicate of another report."}, format="json")

    assert [r.status_code for r in (verified, published, retracted)] == [200, 200, 200]
    assert verified.json()["status"] == "verified" and verified.json()["verified_at"]
    assert published.json()["status"] == "published" and published.json()["published_at"]
    assert retracted.json()["status"] == "retracted"
    assert retracted.json()["retraction_reason"] == "A duplicate of another report."
    incident.refresh_from_db()
    assert (incident.verified_by, incident.published_by, incident.retracted_by) == (cast.analyst,) * 3
    # Now only its own organisation sees it.
    assert analyst.get(detail(incident)).status_code == 404
    assert client_of(cast.reader_a).get(detail(incident)).json()["status"] == "retracted"


def test_a_retraction_needs_a_reason(cast):
    incident = _logged_by_a(cast, sharing_level="green")

    missing = client_of(cast.analyst).post(f"{detail(incident)}retract/", {}, format="json")
    blank = client_of(cast.analyst).post(f"{detail(incident)}retract/", {"reason": "  "}, format="json")

    assert missing.status_code == 400 and "reason" in missing.json()["errors"]
    assert blank.status_code == 400
    assert blank.json()["errors"] == {"reason": ["Say why the incident is retracted; readers will see it."]}
    incident.refresh_from_db()
    assert incident.status == ReviewStatus.SUBMITTED


def test_an_action_out_of_turn_is_refused_with_the_reason(cast):
    incident = IncidentFactory.create(status=ReviewStatus.PUBLISHED)

    response = client_of(cast.analyst).post(f"{detail(incident)}verify/")

    assert response.status_code == 400
    assert response.json()["errors"] == {"non_field_errors": ["Only a submitted incident can be verified."]}


@pytest.mark.parametrize("action", ["verify", "publish"])
def test_officers_cannot_review_even_their_own_incidents(cast, action):
    incident = _logged_by_a(cast, sharing_level="clear")

    response = client_of(cast.officer_a).post(f"{detail(incident)}{action}/")

    assert response.status_code == 403
    assert response.json() == {"detail": "Only analysts may verify, publish or retract incidents."}
    incident.refresh_from_db()
    assert incident.status == ReviewStatus.SUBMITTED


def test_analysts_cannot_review_what_the_sharing_rules_keep_from_them(cast):
    incident = _logged_by_a(cast, sharing_level="amber")

    response = client_of(cast.analyst).post(f"{detail(incident)}publish/")

    assert response.status_code == 404
    incident.refresh_from_db()
    assert incident.status == ReviewStatus.SUBMITTED


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
            "time_zone": "Africa/Bamako",
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


# Retrying a POST -----------------------------------------------------------------------------


def test_a_post_repeated_with_its_idempotency_key_logs_one_incident(cast):
    client = client_of(cast.officer_a)
    body = payload()

    first = client.post(INCIDENTS, body, format="json", HTTP_IDEMPOTENCY_KEY="tool-7f3a9c21")
    again = client.post(INCIDENTS, body, format="json", HTTP_IDEMPOTENCY_KEY="tool-7f3a9c21")

    incident = Incident.objects.get()
    assert (first.status_code, again.status_code) == (201, 201)
    assert first.json() == again.json()
    assert again["Location"] == first["Location"] == detail(incident)
    assert again["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first


def test_the_same_idempotency_key_with_another_body_is_a_422(cast):
    client = client_of(cast.officer_a)
    client.post(INCIDENTS, payload(), format="json", HTTP_IDEMPOTENCY_KEY="tool-7f3a9c21")

    response = client.post(INCIDENTS, payload(injured=5), format="json", HTTP_IDEMPOTENCY_KEY="tool-7f3a9c21")

    assert response.status_code == 422
    assert "used for incident" in response.json()["detail"]
    assert Incident.objects.get().injured == 2


def test_an_idempotency_key_that_is_not_one_is_a_400_naming_the_header(cast):
    response = client_of(cast.officer_a).post(INCIDENTS, payload(), format="json", HTTP_IDEMPOTENCY_KEY="x")

    assert response.status_code == 400
    assert "Idempotency-Key" in response.json()["errors"]
    assert not Incident.objects.exists()


def test_posts_without_a_key_each_log_an_incident(cast):
    client = client_of(cast.officer_a)

    client.post(INCIDENTS, payload(), format="json")
    client.post(INCIDENTS, payload(), format="json")

    assert Incident.objects.count() == 2
