"""Alerts never tell a traveler or another organisation's desk which organisation reported an
incident: the e-mails name no reporter (incidents.access.may_see_reporter)."""

import pytest

from incidents.models import Role
from incidents.services import incident_publish
from tests.alerts.makers import convoy_attack, subscribe, two_organisations
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_an_alert_of_a_public_incident_does_not_name_its_reporter(mailoutbox, django_capture_on_commit_callbacks):
    org_a, org_b, officer_a, _reader_a, member_b = two_organisations(role_b=Role.READER)
    subscribe(email="traveler@example.net")
    subscribe(organisation=org_b, addresses=["desk@other.example"])
    incident = convoy_attack()
    incident.organisation, incident.reporter = org_a, officer_a
    incident.save()

    with django_capture_on_commit_callbacks(execute=True):
        incident_publish(incident=incident, analyst=UserFactory.create(is_staff=True))

    recipients = {message.to[0] for message in mailoutbox}
    assert {"desk@other.example", "traveler@example.net", member_b.email} <= recipients
    for message in mailoutbox:
        html = message.alternatives[0][0] if message.alternatives else ""
        for text in (message.subject, message.body, html):
            assert org_a.name not in text
            assert officer_a.username not in text
