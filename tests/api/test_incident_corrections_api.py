"""Officers correct an incident (PUT, PATCH) and analysts review one through /api/v1/incidents/{id}/."""

from __future__ import annotations

from typing import Any

import pytest

from incidents.models import Incident, ReviewStatus
from tests.api.clients import client_of
from tests.api.incidents_api import detail, payload, post
from tests.factories import IncidentFactory

pytestmark = pytest.mark.django_db

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
    # A count left out is not known: not the 2 injured of before, and not 0.
    assert (incident.injured, incident.place_name, incident.sharing_level) == (None, "", "amber")
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
