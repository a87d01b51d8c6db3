"""An officer logs an incident through /api/v1/incidents/: who may, which values are refused with
which message, and a POST retried with its Idempotency-Key."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone
from rest_framework.test import APIClient

from incidents.models import Incident, ReviewStatus, Role
from tests.api.clients import client_of
from tests.api.incidents_api import INCIDENTS, detail, payload, post
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db

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


def test_coordinates_in_the_region_named_are_accepted(cast):
    response = post(cast.officer_a, payload(region="ml-bko", latitude=12.65, longitude=-8.0))

    assert response.status_code == 201, response.json()
    assert response.json()["region"] == {"code": "ML-BKO", "name": "Bamako"}


def test_a_count_not_known_is_null_both_ways_and_a_zero_stays_zero(cast):
    response = post(cast.officer_a, payload(killed=None, injured=0, abducted=None))

    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["killed"], body["injured"], body["abducted"]) == (None, 0, None)
    incident = Incident.objects.get(pk=body["id"])
    assert (incident.killed, incident.injured, incident.abducted) == (None, 0, None)
    read = client_of(cast.officer_a).get(detail(incident)).json()
    assert (read["killed"], read["injured"], read["abducted"]) == (None, 0, None)


def test_a_count_left_out_of_a_new_incident_is_not_known(cast):
    data = payload()
    del data["killed"], data["abducted"]

    body = post(cast.officer_a, data).json()

    assert (body["killed"], body["injured"], body["abducted"]) == (None, 2, None)


def test_a_patch_keeps_the_counts_it_does_not_name_and_can_make_one_not_known(cast):
    incident = Incident.objects.get(pk=post(cast.officer_a, payload(killed=1, injured=2, abducted=None)).json()["id"])
    client = client_of(cast.officer_a)

    assert client.patch(detail(incident), {"abducted": 3}, format="json").status_code == 200
    incident.refresh_from_db()
    assert (incident.killed, incident.injured, incident.abducted) == (1, 2, 3)
    assert client.patch(detail(incident), {"injured": None}, format="json").status_code == 200
    incident.refresh_from_db()
    assert (incident.killed, incident.injured, incident.abducted) == (1, None, 3)


def test_the_schema_says_a_null_count_is_not_known(cast):
    response = client_of().get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")

    schemas = response.json()["components"]["schemas"]
    for name in ("IncidentBrief", "IncidentDetail", "IncidentCreateRequest", "PatchedIncidentWriteRequest"):
        killed = schemas[name]["properties"]["killed"]
        assert killed.get("nullable") is True, (name, killed)
        assert "null when not known, which is not 0." in killed["description"], (name, killed)


@time_machine.travel(dt.datetime(2026, 3, 1, 9, 30, tzinfo=dt.UTC), tick=False)
def test_a_time_later_today_in_the_incidents_country_is_refused(cast):
    response = post(cast.officer_a, payload(occurred_on="2026-03-01", occurred_at_time="10:15"))

    assert response.status_code == 400
    assert response.json()["errors"]["occurred_at_time"] == ["It is 09:30 in Mali now: 10:15 today has not come yet."]


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
    "Paris' coordinates with region Kayes": (
        {"region": "ml-1", "latitude": 48.8566, "longitude": 2.3522},
        "latitude",
        "The point 48.85660, 2.35220 is not in Mali; check the coordinates or the country.",
    ),
    "Bamako's coordinates with region Kayes": (
        {"region": "ml-1", "latitude": 12.65, "longitude": -8.0},
        "region",
        "The point 12.65000, -8.00000 is in Bamako, not in Kayes; check the coordinates or the region.",
    ),
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
