"""Incidents meet numbers past any range and texts past any sensible length: each is refused on
its field with a message, on the form, the API and the admin alike, never with a server error."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from incidents.models import RETRACTION_REASON_MAX_LENGTH, SOURCES_MAX_LENGTH, Incident, ReviewStatus
from tests.api.clients import client_of
from tests.api.incidents_api import INCIDENTS, payload, post
from tests.factories import IncidentFactory
from tests.incidents.test_logging import CREATE, form_data, signed_in

pytestmark = pytest.mark.django_db

SOURCES_MESSAGE = "The sources are 20,001 characters long; keep them to 5,000, one short line each."
REASON_MESSAGE = "The reason is 100,000 characters long; say it in 2,000 at most."


@pytest.mark.parametrize("latitude", ["1E+999999999", "-1E+999999999", "1e999999"])
def test_the_form_refuses_a_latitude_past_any_range_on_its_field(cast, latitude):
    response = signed_in(cast.officer_a).post(CREATE, form_data(latitude=latitude, longitude="-4"))

    assert response.status_code == 400
    [message] = response.context["form"].errors["latitude"]
    assert message.endswith("is out of range: it goes from -90 to 90.")
    assert not Incident.objects.exists()


@pytest.mark.parametrize("latitude", ["1E+999999999", "-1E+999999999"])
def test_the_api_refuses_a_latitude_past_any_range_on_its_field(cast, latitude):
    response = post(cast.officer_a, payload(latitude=latitude, longitude="-4"))

    assert response.status_code == 400
    assert response.json()["errors"] == {"latitude": [f"Latitude {latitude} is out of range: it goes from -90 to 90."]}
    assert not Incident.objects.exists()


def test_a_bounding_box_edge_finer_than_the_stored_coordinates_selects_what_the_rounded_edge_does(cast):
    inside = IncidentFactory.create(
        status=ReviewStatus.PUBLISHED, sharing_level="clear", latitude="0.00001", longitude="0.5"
    )
    IncidentFactory.create(status=ReviewStatus.PUBLISHED, sharing_level="clear", latitude="0", longitude="0.5")

    for path in (INCIDENTS, f"{INCIDENTS}geojson/"):
        response = client_of().get(path, {"bbox": "1E-20000,1E-20000,1,1"})

        assert response.status_code == 200, response.content
        found = response.json().get("results", response.json().get("features"))
        assert [item["id"] for item in found] == [inside.pk]


def test_the_form_refuses_sources_past_the_limit_with_their_length(cast):
    response = signed_in(cast.officer_a).post(CREATE, form_data(sources="x" * 20_001))

    assert response.context["form"].errors["sources"] == [SOURCES_MESSAGE]
    assert not Incident.objects.exists()
    assert signed_in(cast.officer_a).post(CREATE, form_data(sources="x" * SOURCES_MAX_LENGTH)).status_code == 302


def test_the_api_refuses_sources_past_the_limit_with_their_length(cast):
    response = post(cast.officer_a, payload(sources="x" * 20_001))

    assert response.status_code == 400
    assert response.json()["errors"] == {"sources": [SOURCES_MESSAGE]}


def test_the_model_refuses_texts_past_their_limits_for_the_admin(cast):
    incident = IncidentFactory.create(organisation=cast.org_a, reporter=cast.officer_a)
    incident.sources = "x" * (SOURCES_MAX_LENGTH + 1)
    incident.retraction_reason = "x" * (RETRACTION_REASON_MAX_LENGTH + 1)

    with pytest.raises(ValidationError) as refused:
        incident.full_clean()

    assert set(refused.value.message_dict) >= {"sources", "retraction_reason"}


def test_a_retraction_reason_past_the_limit_is_refused_on_the_page_and_the_api(cast):
    incident = IncidentFactory.create(organisation=cast.org_a, reporter=cast.officer_a, status=ReviewStatus.SUBMITTED)
    path = reverse("incidents:retract", kwargs={"pk": incident.pk})

    page = Client()
    page.force_login(cast.analyst)
    shown = page.post(path, {"reason": "x" * 100_000}, follow=True)
    api = client_of(cast.analyst).post(f"{INCIDENTS}{incident.pk}/retract/", {"reason": "x" * 100_000}, format="json")

    assert REASON_MESSAGE in shown.content.decode()
    assert api.status_code == 400
    assert api.json()["errors"] == {"reason": [REASON_MESSAGE]}
    incident.refresh_from_db()
    assert incident.status == ReviewStatus.SUBMITTED
