"""Answers to a signed-in user, which may show TLP:GREEN to TLP:RED incidents and who reported
them, carry `Cache-Control: private, no-store`; public pages for signed-out visitors stay cacheable."""

import pytest

from incidents.models import SharingLevel
from tests.api.clients import client_of
from tests.factories import IncidentFactory


def _directives(response) -> set[str]:
    return {part.strip() for part in response.get("Cache-Control", "").split(",") if part.strip()}


def _amber(cast):
    return IncidentFactory.create(
        sharing_level=SharingLevel.AMBER, organisation=cast.org_a, latitude="14.49361", longitude="-4.19821"
    )


@pytest.mark.parametrize(
    "path", ["/incidents/{pk}/", "/incidents/", "/incidents/mine/", "/incidents/export.csv", "/countries/ml/incidents/"]
)
def test_a_page_shown_to_a_signed_in_member_is_private_and_not_stored(client, cast, path):
    incident = _amber(cast)
    client.force_login(cast.reader_a)

    response = client.get(path.format(pk=incident.pk))

    assert response.status_code == 200
    assert {"private", "no-store"} <= _directives(response)


@pytest.mark.parametrize(
    "path", ["/api/v1/incidents/{pk}/", "/api/v1/incidents/", "/api/v1/incidents/geojson/", "/api/v1/organisations/"]
)
def test_an_api_answer_to_a_token_is_private_and_not_stored(cast, path):
    incident = _amber(cast)

    response = client_of(cast.reader_a).get(path.format(pk=incident.pk))

    assert response.status_code == 200
    assert {"private", "no-store"} <= _directives(response)


def test_the_api_detail_of_an_amber_incident_for_a_session_is_private_and_not_stored(client, cast):
    incident = _amber(cast)
    client.force_login(cast.reader_a)

    response = client.get(f"/api/v1/incidents/{incident.pk}/")

    assert response.status_code == 200
    assert {"private", "no-store"} <= _directives(response)


@pytest.mark.parametrize("path", ["/incidents/{pk}/", "/incidents/", "/api/v1/incidents/{pk}/"])
def test_a_public_answer_to_a_signed_out_visitor_stays_cacheable(client, db, path):
    incident = IncidentFactory.create()

    response = client.get(path.format(pk=incident.pk))

    assert response.status_code == 200
    assert not {"private", "no-store"} & _directives(response)
