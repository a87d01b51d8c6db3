"""The permission matrix of the incident endpoints: every endpoint, for each kind of user, on an
incident of each sharing level. Reads show exactly what the sharing rules allow (the same set as
`incidents_visible_to`, and as the table below says); writes succeed only for those who may make
them, and a refused write changes nothing.

The people are those of tests/factories.py `make_cast`: organisation A (reader_a, officer_a and its
security manager, who reports), organisation B (officer_b), A's partner P (partner_reader), an
analyst, a signed-in user of no organisation (outsider) and an anonymous client.
"""

from __future__ import annotations

from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import pytest
from rest_framework.test import APIClient

from advisories.models import Region
from incidents.models import Incident, ReviewStatus, SharingLevel
from incidents.selectors import incidents_visible_to
from tests.api.clients import api_key_for
from tests.factories import IncidentFactory

pytestmark = pytest.mark.django_db

INCIDENTS = "/api/v1/incidents/"
USERS = ["anonymous", "outsider", "reader_a", "officer_a", "officer_b", "partner_reader", "analyst"]
LEVELS = [level.value for level in SharingLevel]
MEMBERS = {"reader_a", "officer_a", "officer_b", "partner_reader"}

# Who sees an incident of organisation A, reported by A's security manager, by level and status.
SEES: dict[tuple[str, str], set[str]] = {
    ("clear", "published"): set(USERS),
    ("clear", "submitted"): MEMBERS | {"analyst"},
    ("clear", "retracted"): {"reader_a", "officer_a"},
    ("green", "published"): MEMBERS | {"analyst"},
    ("green", "submitted"): MEMBERS | {"analyst"},
    ("amber", "published"): {"reader_a", "officer_a", "partner_reader"},
    ("amber", "submitted"): {"reader_a", "officer_a", "partner_reader"},
    ("amber_strict", "published"): {"reader_a", "officer_a"},
    ("amber_strict", "submitted"): {"reader_a", "officer_a"},
    ("red", "published"): {"officer_a"},
    ("red", "submitted"): {"officer_a"},
}


def client_of(cast, who: str) -> APIClient:
    client = APIClient()
    if who != "anonymous":
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {api_key_for(getattr(cast, who))}")
    return client


def of_a(cast, level: str, status: str = ReviewStatus.SUBMITTED, **fields: Any) -> Incident:
    return IncidentFactory.create(
        title=f"{level} {status}",
        organisation=cast.org_a,
        reporter=cast.manager_a,
        sharing_level=level,
        status=status,
        **{"latitude": Decimal("14.5"), "longitude": Decimal("-4.2"), "region": Region.objects.get(code="ML-5")}
        | fields,
    )


@pytest.fixture
def world(cast) -> SimpleNamespace:
    """One incident of A per row of SEES, and one published TLP:CLEAR import of no organisation."""
    incidents = {(level, status): of_a(cast, level, status) for level, status in SEES}
    imported = IncidentFactory.create(
        title="imported", external_source="acled", external_id="MLI1", latitude=Decimal("14"), longitude=Decimal("-4")
    )
    return SimpleNamespace(incidents=incidents, imported=imported)


# Reading -----------------------------------------------------------------------------------


def _expected(world, who: str) -> set[int]:
    return {incident.pk for key, incident in world.incidents.items() if who in SEES[key]} | {world.imported.pk}


def _all_pages(client: APIClient, path: str, key: str) -> list[int]:
    ids: list[int] = []
    url: str | None = path
    while url:
        response = client.get(url)
        assert response.status_code == 200, response.content
        body = response.json()
        ids += [row["id"] for row in body[key]]
        url = body["next"]
    return ids


@pytest.mark.parametrize("who", USERS)
def test_the_list_shows_exactly_what_the_sharing_rules_allow(cast, world, who):
    ids = _all_pages(client_of(cast, who), f"{INCIDENTS}?page_size=3", "results")

    assert len(ids) == len(set(ids))
    assert set(ids) == _expected(world, who)
    user = None if who == "anonymous" else getattr(cast, who)
    assert set(ids) == set(incidents_visible_to(user).values_list("pk", flat=True))


@pytest.mark.parametrize("who", USERS)
def test_the_geojson_shows_exactly_what_the_sharing_rules_allow(cast, world, who):
    ids = _all_pages(client_of(cast, who), f"{INCIDENTS}geojson/?page_size=3", "features")

    assert len(ids) == len(set(ids))
    assert set(ids) == _expected(world, who)


@pytest.mark.parametrize("who", USERS)
def test_a_detail_is_shown_to_those_who_may_see_it_and_is_not_found_for_others(cast, world, who):
    client = client_of(cast, who)

    for key, incident in world.incidents.items():
        response = client.get(f"{INCIDENTS}{incident.pk}/")
        expected = 200 if who in SEES[key] else 404
        assert response.status_code == expected, (key, response.content)
        if expected == 404:
            # Nothing of the incident, not even its title, is in the answer.
            assert incident.title not in response.content.decode()


@pytest.mark.parametrize("who", USERS)
def test_filters_narrow_what_a_user_sees_and_never_widen_it(cast, world, who):
    client = client_of(cast, who)

    for level in LEVELS:
        for status in ("published", "submitted", "retracted"):
            ids = _all_pages(client, f"{INCIDENTS}?sharing_level={level}&status={status}", "results")
            expected = {
                incident.pk for key, incident in world.incidents.items() if key == (level, status) and who in SEES[key]
            }
            if (level, status) == ("clear", "published"):
                expected.add(world.imported.pk)
            assert set(ids) == expected, (level, status)


# Logging -----------------------------------------------------------------------------------

CREATES = {"anonymous": None, "outsider": None, "reader_a": None, "officer_a": "org_a", "officer_b": "org_b"}
CREATES |= {"partner_reader": None, "analyst": None}


@pytest.mark.parametrize("level", LEVELS)
@pytest.mark.parametrize("who", USERS)
def test_only_officers_log_incidents_and_only_for_their_own_organisation(cast, who, level):
    response = client_of(cast, who).post(
        INCIDENTS,
        {
            "title": "Checkpoint",
            "type": "banditry-roadblock",
            "occurred_on": "2025-01-05",
            "country": "ml",
            "region": "ml-5",
            "severity": 2,
            "sharing_level": level,
        },
        format="json",
    )

    organisation = CREATES[who]
    if organisation is None:
        assert response.status_code == (401 if who == "anonymous" else 403), response.content
        assert not Incident.objects.exists()
    else:
        assert response.status_code == 201, response.content
        incident = Incident.objects.get()
        assert incident.organisation == getattr(cast, organisation)
        assert incident.reporter == getattr(cast, who)
        assert (incident.status, incident.sharing_level) == (ReviewStatus.SUBMITTED, level)


# Correcting and reviewing ----------------------------------------------------------------------


def _refused_status(who: str, key: tuple[str, str]) -> int:
    """What a user who may not make a write gets: 404 if they may not see the incident either."""
    if who == "anonymous":
        return 401
    return 403 if who in SEES[key] else 404


@pytest.mark.parametrize("method", ["put", "patch"])
@pytest.mark.parametrize("level", LEVELS)
@pytest.mark.parametrize("who", USERS)
def test_only_officers_of_the_reporting_organisation_correct_an_incident(cast, who, level, method):
    incident = of_a(cast, level)
    before = Incident.objects.filter(pk=incident.pk).values().get()
    body: dict[str, Any] = {"title": "Changed", "type": "theft", "occurred_on": "2025-01-05", "country": "ml"}
    body |= {"region": "ml-5", "severity": 1, "sharing_level": level}

    response = getattr(client_of(cast, who), method)(f"{INCIDENTS}{incident.pk}/", body, format="json")

    if who == "officer_a":
        assert response.status_code == 200, response.content
        incident.refresh_from_db()
        assert (incident.title, incident.severity) == ("Changed", 1)
        assert (incident.organisation, incident.reporter, incident.status) == (cast.org_a, cast.manager_a, "submitted")
    else:
        assert response.status_code == _refused_status(who, (level, "submitted")), response.content
        assert Incident.objects.filter(pk=incident.pk).values().get() == before


ACTIONS = {
    "verify": ({}, ReviewStatus.VERIFIED),
    "publish": ({}, ReviewStatus.PUBLISHED),
    "retract": ({"reason": "A duplicate."}, ReviewStatus.RETRACTED),
}


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("level", LEVELS)
@pytest.mark.parametrize("who", USERS)
def test_only_analysts_review_and_only_what_they_may_see(cast, who, level, action):
    incident = of_a(cast, level)
    body, outcome = ACTIONS[action]

    response = client_of(cast, who).post(f"{INCIDENTS}{incident.pk}/{action}/", body, format="json")

    incident.refresh_from_db()
    if who == "analyst" and level in ("clear", "green"):
        assert response.status_code == 200, response.content
        assert incident.status == outcome
    else:
        assert response.status_code == _refused_status(who, (level, "submitted")), response.content
        assert incident.status == ReviewStatus.SUBMITTED


@pytest.mark.parametrize("who", USERS)
def test_no_one_deletes_an_incident(cast, world, who):
    incident = world.incidents[("clear", "published")]

    response = client_of(cast, who).delete(f"{INCIDENTS}{incident.pk}/")

    assert response.status_code == (401 if who == "anonymous" else 405), response.content
    assert Incident.objects.filter(pk=incident.pk).exists()
