"""An officer's edit of a published incident takes effect at once and is kept as a visible
correction: who, when, which fields, old and new values (incidents/corrections.py)."""

import pytest

from incidents.corrections import IncidentCorrection
from incidents.models import IncidentType, ReviewStatus, SharingLevel
from tests.api.clients import client_of
from tests.factories import ActorFactory, IncidentFactory
from tests.incidents.pages import text_of
from tests.incidents.test_logging import form_data


def _published(cast, **fields):
    fields.setdefault("status", ReviewStatus.PUBLISHED)
    return IncidentFactory.create(
        title="Roadblock near Sévaré", organisation=cast.org_a, reporter=cast.officer_a, **fields
    )


def _patch(cast, incident, body):
    response = client_of(cast.officer_a).patch(f"/api/v1/incidents/{incident.pk}/", body, format="json")
    assert response.status_code == 200, response.content
    return response.json()


def test_an_edit_of_a_published_incident_is_recorded_with_its_old_and_new_values(cast):
    incident = _published(cast)

    _patch(cast, incident, {"title": "Roadblock south of Sévaré", "type": "armed-attack"})

    [correction] = IncidentCorrection.objects.filter(incident=incident)
    assert correction.editor == cast.officer_a
    assert correction.changes == {
        "title": {"old": "Roadblock near Sévaré", "new": "Roadblock south of Sévaré"},
        "incident_type": {
            "old": str(IncidentType.objects.get(slug="banditry-roadblock")),
            "new": str(IncidentType.objects.get(slug="armed-attack")),
        },
    }


def test_a_change_of_the_actors_of_a_published_incident_is_recorded(cast):
    incident = _published(cast)
    actor = ActorFactory.create(name="JNIM")

    _patch(cast, incident, {"actors": [actor.pk]})

    [correction] = IncidentCorrection.objects.filter(incident=incident)
    assert correction.changes == {"actors": {"old": [], "new": ["JNIM"]}}


@pytest.mark.parametrize("status", [ReviewStatus.SUBMITTED, ReviewStatus.VERIFIED])
def test_an_edit_before_publication_is_no_correction(cast, status):
    incident = _published(cast, status=status)

    _patch(cast, incident, {"title": "Roadblock south of Sévaré"})

    assert not IncidentCorrection.objects.exists()


def test_an_edit_that_changes_nothing_is_no_correction(cast):
    incident = _published(cast)

    _patch(cast, incident, {"title": "Roadblock near Sévaré"})

    assert not IncidentCorrection.objects.exists()


def test_the_page_shows_the_public_which_fields_were_corrected_and_when_but_not_the_old_text(client, cast):
    incident = _published(cast, description="The driver, Moussa K., was hurt.")
    _patch(cast, incident, {"description": "The driver was hurt."})

    text = text_of(client.get(incident.get_absolute_url()))

    assert "Corrected on" in text
    assert "UTC: description." in text
    assert "Moussa" not in text


def test_the_api_detail_lists_the_corrections(cast):
    incident = _published(cast)
    _patch(cast, incident, {"title": "Roadblock south of Sévaré", "type": "armed-attack"})

    body = client_of().get(f"/api/v1/incidents/{incident.pk}/").json()

    [correction] = body["corrections"]
    assert correction["changed_fields"] == ["title", "type"]
    assert correction["corrected_at"]


def test_an_uncorrected_incident_has_no_corrections(cast):
    incident = _published(cast)

    body = client_of().get(f"/api/v1/incidents/{incident.pk}/").json()

    assert body["corrections"] == []


def test_an_edit_on_the_page_of_a_published_incident_is_recorded_and_shown(client, cast):
    incident = _published(cast, sharing_level=SharingLevel.GREEN)
    client.force_login(cast.manager_a)

    response = client.post(f"/incidents/{incident.pk}/edit/", form_data(title="Roadblock near Konna"))

    assert response.status_code == 302
    [correction] = IncidentCorrection.objects.filter(incident=incident)
    assert correction.editor == cast.manager_a
    assert correction.changes["title"] == {"old": "Roadblock near Sévaré", "new": "Roadblock near Konna"}
    assert "Corrected on" in text_of(client.get(incident.get_absolute_url()))
