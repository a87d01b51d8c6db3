"""Incident type, threat category and target type names in the reader's language: French names
come with the taxonomy, and a name without French shows the English, marked as English."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import translation

from incidents.models import IncidentType, ReviewStatus, TargetType
from tests.factories import IncidentFactory
from tests.incidents.pages import region

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english_after_each_test():
    """A French request leaves French active in this thread: put English back for the next test."""
    yield
    translation.activate("en")


@pytest.fixture
def kidnapping(db):
    """The May 2021 abduction of a French journalist in Gao (OSAC report, 29 Nov 2024)."""
    incident = IncidentFactory.create(
        title="French journalist taken hostage in Gao",
        incident_type=IncidentType.objects.get(slug="kidnapping"),
        occurred_on=dt.date(2021, 5, 1),
        region=region("ML-7"),
        place_name="Gao",
        status=ReviewStatus.PUBLISHED,
    )
    incident.target_types.set(TargetType.objects.filter(slug__in=["journalists", "foreigners"]))
    return incident


def page(client, url: str, language: str) -> str:
    return client.get(url, headers={"accept-language": language}).content.decode()


def test_every_incident_type_and_target_type_has_a_french_name():
    assert not IncidentType.objects.filter(name_fr="").exists()
    assert not TargetType.objects.filter(name_fr="").exists()
    assert IncidentType.objects.get(slug="banditry-roadblock").name_fr == "Banditisme / barrage routier illégal"


def test_a_french_reader_sees_the_type_category_and_targets_in_french(client, kidnapping):
    html = page(client, kidnapping.get_absolute_url(), "fr")

    assert '<dd>Enlèvement <span class="note-inline">(Enlèvement)</span></dd>' in html
    assert "Journalistes" in html and "Étrangers" in html


def test_an_english_reader_sees_them_in_english(client, kidnapping):
    html = page(client, kidnapping.get_absolute_url(), "en")

    assert '<dd>Kidnapping <span class="note-inline">(Kidnapping)</span></dd>' in html
    assert "Journalists" in html and "Enlèvement" not in html


def test_a_type_without_french_shows_its_english_name_marked_as_english(client, kidnapping):
    IncidentType.objects.filter(slug="kidnapping").update(name_fr="")

    html = page(client, kidnapping.get_absolute_url(), "fr")

    assert '<dd><span lang="en">Kidnapping</span> <span class="untranslated">(' in html


def test_the_incident_list_and_its_type_filter_use_the_french_names(client, kidnapping):
    html = page(client, reverse("incidents:country", kwargs={"country_code": "ml"}), "fr")

    assert "Enlèvement" in html
    assert ">Banditisme / barrage routier illégal</option>" in html


def test_the_admin_edits_the_english_and_french_names_side_by_side(admin_client):
    kind = IncidentType.objects.get(slug="kidnapping")
    html = admin_client.get(reverse("admin:incidents_incidenttype_change", args=[kind.pk])).content.decode()

    assert 'name="name"' in html and 'name="name_fr"' in html and 'value="Enlèvement"' in html


def test_the_incident_form_offers_the_types_in_french_grouped_by_french_category(cast):
    from incidents.forms import _types_by_category

    with translation.override("fr"):
        groups = dict(_types_by_category()[1:])
    assert "Criminalité" in groups
    assert "Banditisme / barrage routier illégal" in [label for _pk, label in groups["Criminalité"]]
