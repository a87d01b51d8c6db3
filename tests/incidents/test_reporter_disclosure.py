"""The public never learns which organisation reported an incident, on any surface (pages, API,
CSV export, e-mails), unless the organisation chose to be named; its own members, the analysts
and the organisations that see it above TLP:CLEAR do (incidents.access.may_see_reporter)."""

import pytest

from incidents.access import may_see_reporter, viewer_for
from incidents.models import ReviewStatus, SharingLevel
from tests.api.clients import client_of
from tests.factories import IncidentFactory
from tests.incidents.pages import sign_in, text_of
from tests.incidents.test_export import export

REPORTER = "Sahel Relief"

# Who learns that Sahel Relief (organisation A) reported an incident, by its sharing level.
CLEAR_READERS = {"officer_a", "reader_a", "analyst"}
GREEN_READERS = CLEAR_READERS | {"officer_b", "partner_reader"}
EVERYONE = ("officer_a", "reader_a", "officer_b", "partner_reader", "analyst", "outsider", "anonymous")


def _incident(cast, level=SharingLevel.CLEAR, **fields):
    return IncidentFactory.create(
        title="Checkpoint robbery", sharing_level=level, organisation=cast.org_a, reporter=cast.officer_a, **fields
    )


@pytest.mark.parametrize("who", EVERYONE)
def test_the_reporter_of_a_public_incident_is_named_only_to_its_organisation_and_the_analysts(cast, who):
    incident = _incident(cast)

    assert may_see_reporter(viewer_for(getattr(cast, who)), incident) is (who in CLEAR_READERS)


@pytest.mark.parametrize("who", EVERYONE)
def test_the_reporter_of_a_green_incident_is_named_to_the_community_that_sees_it(cast, who):
    incident = _incident(cast, SharingLevel.GREEN)

    assert may_see_reporter(viewer_for(getattr(cast, who)), incident) is (who in GREEN_READERS)


@pytest.mark.parametrize("who", EVERYONE)
def test_an_organisation_that_chose_to_be_named_is_named_to_everyone(cast, who):
    cast.org_a.named_publicly = True
    cast.org_a.save()

    assert may_see_reporter(viewer_for(getattr(cast, who)), _incident(cast)) is True


def test_an_imported_incident_names_no_reporter(cast):
    incident = IncidentFactory.create()

    assert may_see_reporter(viewer_for(cast.analyst), incident) is False


# Every surface, for organisation A, organisation B and an anonymous visitor -----------------


@pytest.mark.parametrize("page", ["detail", "list"])
@pytest.mark.parametrize("who", ["officer_a", "officer_b", "anonymous"])
def test_the_pages_name_the_reporter_only_to_whom_it_may(client, cast, who, page):
    incident = _incident(cast)
    sign_in(client, getattr(cast, who))

    text = text_of(client.get(incident.get_absolute_url() if page == "detail" else "/incidents/"))

    assert "Checkpoint robbery" in text
    assert (REPORTER in text) is (who in CLEAR_READERS)


@pytest.mark.parametrize("who", ["officer_a", "officer_b", "anonymous"])
def test_the_export_names_the_reporter_only_to_whom_it_may(client, cast, who):
    _incident(cast)
    sign_in(client, getattr(cast, who))

    [row] = export(client)

    assert row["organisation"] == (REPORTER if who in CLEAR_READERS else "")


@pytest.mark.parametrize("who", ["officer_a", "officer_b", "anonymous"])
def test_the_export_names_an_organisation_that_chose_to_be_named(client, cast, who):
    cast.org_a.named_publicly = True
    cast.org_a.save()
    _incident(cast)
    sign_in(client, getattr(cast, who))

    [row] = export(client)

    assert row["organisation"] == REPORTER


@pytest.mark.parametrize("who", ["officer_a", "officer_b", "anonymous"])
def test_the_api_detail_names_the_reporter_only_to_whom_it_may(cast, who):
    incident = _incident(cast)
    user = getattr(cast, who)

    body = client_of(user if user.is_authenticated else None).get(f"/api/v1/incidents/{incident.pk}/").json()

    expected = {"slug": "sahel-relief", "name": REPORTER} if who in CLEAR_READERS else None
    assert body["organisation"] == expected


def test_the_api_detail_names_the_reporter_of_a_green_incident_to_another_organisation(cast):
    incident = _incident(cast, SharingLevel.GREEN)

    body = client_of(cast.officer_b).get(f"/api/v1/incidents/{incident.pk}/").json()

    assert body["organisation"] == {"slug": "sahel-relief", "name": REPORTER}


@pytest.mark.parametrize("path", ["/api/v1/incidents/", "/api/v1/incidents/geojson/"])
def test_the_api_lists_name_no_reporter(cast, path):
    _incident(cast, latitude="14.49361", longitude="-4.19821")

    response = client_of().get(path)

    assert response.status_code == 200
    assert "Checkpoint robbery" in response.content.decode()
    assert REPORTER not in response.content.decode()
    assert "sahel-relief" not in response.content.decode()


def test_an_edit_refused_to_another_organisation_does_not_name_the_reporter(client, cast):
    incident = _incident(cast)
    client.force_login(cast.officer_b)

    page = client.get(f"/incidents/{incident.pk}/edit/")
    api = client_of(cast.officer_b).patch(f"/api/v1/incidents/{incident.pk}/", {"title": "x"}, format="json")

    assert page.status_code == api.status_code == 403
    assert REPORTER not in page.content.decode()
    assert REPORTER not in api.content.decode()


def test_an_edit_refused_to_a_reader_of_the_organisation_names_it(client, cast):
    incident = _incident(cast, status=ReviewStatus.SUBMITTED)
    client.force_login(cast.reader_a)

    page = client.get(f"/incidents/{incident.pk}/edit/")

    assert page.status_code == 403
    assert REPORTER in page.content.decode()
