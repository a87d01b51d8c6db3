"""The alert e-mails give the advisory summary and the incident type in the reader's language,
with the English marked by a note where the French is missing (facts: OSAC report, 29 Nov 2024)."""

import datetime as dt

import pytest
from django.utils import translation

from advisories.models import Country
from alerts.content import advisory_change
from alerts.emails import make_message
from incidents.models import IncidentType, ReviewStatus
from tests.factories import AdvisoryFactory, IncidentFactory

pytestmark = pytest.mark.django_db

SUMMARY = "Extremist groups strike across the north and centre, and Bamako in September 2024."
SUMMARY_FR = "Des groupes extrémistes frappent dans le nord et le centre, et à Bamako en septembre 2024."


def advisory_email(advisory, language: str):
    context = {"change": advisory_change(advisory), "advisory": advisory, "place_url": "https://vigil.example/ml/"}
    with translation.override(language):
        message = make_message("advisory", to="reader@example.org", context=context)
    return message.body, message.alternatives[0][0]


def incident_email(incident, language: str):
    context = {"incident": incident, "incident_url": "https://vigil.example/incidents/1/"}
    with translation.override(language):
        message = make_message("incident", to="reader@example.org", context=context)
    return message.subject, message.body, message.alternatives[0][0]


@pytest.fixture
def advisory(db):
    return AdvisoryFactory(
        country=Country.objects.get(code="ML"), level=4, indicators="CTK", summary=SUMMARY, summary_fr=SUMMARY_FR
    )


@pytest.fixture
def kidnapping(db):
    return IncidentFactory.create(
        title="French journalist taken hostage in Gao",
        incident_type=IncidentType.objects.get(slug="kidnapping"),
        occurred_on=dt.date(2021, 5, 1),
        status=ReviewStatus.PUBLISHED,
    )


def test_a_french_reader_gets_the_french_summary(advisory):
    text, html = advisory_email(advisory, "fr")

    assert SUMMARY_FR in text and SUMMARY_FR in html
    assert SUMMARY not in text and SUMMARY not in html


def test_an_english_reader_gets_the_english_summary(advisory):
    text, html = advisory_email(advisory, "en")

    assert SUMMARY in text and SUMMARY in html and SUMMARY_FR not in text


def test_a_summary_without_french_is_sent_in_english_with_a_note(advisory):
    advisory.summary_fr = ""
    advisory.save()

    text, html = advisory_email(advisory, "fr")

    assert f"{SUMMARY} (" in text and "français" in text.split(SUMMARY, 1)[1].splitlines()[0]
    assert f'<span lang="en">{SUMMARY}</span> (' in html


def test_the_incident_alert_names_the_type_and_category_in_french(kidnapping):
    subject, text, html = incident_email(kidnapping, "fr")

    assert "Enlèvement" in subject and "Kidnapping" not in subject
    assert "Enlèvement (Enlèvement)" in text
    assert "Enlèvement (Enlèvement)" in html


def test_the_incident_alert_names_the_type_in_english_for_an_english_reader(kidnapping):
    subject, text, _html = incident_email(kidnapping, "en")

    assert "Kidnapping" in subject and "Kidnapping (Kidnapping)" in text and "Enlèvement" not in text
