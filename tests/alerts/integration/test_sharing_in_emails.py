"""A confidential incident reaches, over SMTP, only the recipients its sharing level allows.

Tasks run inline here (the sending code is the worker's), against a real SMTP server, so
what is checked is what left Vigil: envelope recipients and the decoded message.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest

from alerts.dispatch import digest_run_start
from incidents.models import ReviewStatus, Role, SharingLevel
from incidents.services import incident_publish, incident_submit
from tests.alerts.makers import kidnapping
from tests.alerts.smtp_sink import SmtpSink
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.integration

TITLE = "Staff member abducted near Konna"
EVERYONE = {"officer_a", "reader_a", "member_b", "partner_c", "desk_a", "traveler"}
WHO_MAY_SEE = {
    SharingLevel.CLEAR: EVERYONE,
    SharingLevel.GREEN: EVERYONE - {"traveler"},
    SharingLevel.AMBER: {"officer_a", "reader_a", "desk_a", "partner_c"},
    SharingLevel.AMBER_STRICT: {"officer_a", "reader_a", "desk_a"},
    SharingLevel.RED: {"officer_a"},
}
# Analysts publish what they review (TLP:CLEAR and GREEN); the other levels are alerted when logged.
PUBLISHED_LEVELS = (SharingLevel.CLEAR, SharingLevel.GREEN)


@pytest.fixture
def sink_for_sending(settings: Any, smtp_sink: SmtpSink) -> Iterator[SmtpSink]:
    """This process sends, inline, to the SMTP sink, as a worker would with EMAIL_URL."""
    from config.celery import app

    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = smtp_sink.host, smtp_sink.port
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 10
    settings.CELERY_TASK_ALWAYS_EAGER = True
    eager = app.conf.task_always_eager
    app.conf.task_always_eager = True
    try:
        yield smtp_sink
    finally:
        app.conf.task_always_eager = eager


@pytest.fixture
def audience(db: None, people: Any) -> dict[str, Any]:
    """Who might receive it, by name: org A logged the incident; C is A's partner; B is not."""
    org_c = OrganisationFactory.create(name="Partner Integration Relief")
    people.org_a.partners.add(org_c)
    partner_c = MembershipFactory.create(organisation=org_c, role=Role.READER, user=UserFactory.create()).user
    return {
        "people": people,
        "org_c": org_c,
        "addresses": {
            people.officer_a.email: "officer_a",
            people.reader_a.email: "reader_a",
            people.member_b.email: "member_b",
            partner_c.email: "partner_c",
            "desk@kora-integration.example": "desk_a",
            "traveler@example.net": "traveler",
        },
    }


def _subscribe_everyone(audience: dict[str, Any], subscribe: Any, frequency: str) -> None:
    people = audience["people"]
    subscribe(organisation=people.org_a, addresses=["desk@kora-integration.example"], frequency=frequency)
    subscribe(organisation=people.org_b, frequency=frequency)
    subscribe(organisation=audience["org_c"], frequency=frequency)
    subscribe(email="traveler@example.net", frequency=frequency)


def _readable_text(received: Any) -> str:
    message = received.message
    parts = [part.get_content() for part in message.walk() if part.get_content_maintype() == "text"]
    return "\n".join([str(message["Subject"]), *parts])


@pytest.mark.parametrize("level", list(SharingLevel))
def test_an_immediate_alert_reaches_only_those_the_sharing_level_allows(
    level, sink_for_sending, audience, subscribe, django_capture_on_commit_callbacks
):
    people = audience["people"]
    _subscribe_everyone(audience, subscribe, "immediate")
    fields = kidnapping(TITLE, level)

    with django_capture_on_commit_callbacks(execute=True):
        incident = incident_submit(reporter=people.officer_a, organisation=people.org_a, data=fields)
    if level in PUBLISHED_LEVELS:
        with django_capture_on_commit_callbacks(execute=True):
            incident_publish(incident=incident, analyst=people.analyst)

    received = sink_for_sending.messages
    names = [audience["addresses"][rcpt] for rcpt in sink_for_sending.recipients()]
    assert Counter(names) == Counter(WHO_MAY_SEE[level])
    assert all(TITLE in _readable_text(message) for message in received)


@pytest.mark.parametrize("level", list(SharingLevel))
def test_a_digest_shows_the_incident_only_to_those_the_sharing_level_allows(
    level, sink_for_sending, audience, subscribe, incident_during, run_at, django_capture_on_commit_callbacks
):
    people = audience["people"]
    _subscribe_everyone(audience, subscribe, "daily")
    incident_during(title="Market fire in Mopti, reported by the press")  # so that everyone gets a digest
    incident_during(
        title=TITLE,
        organisation=people.org_a,
        reporter=people.officer_a,
        sharing_level=level,
        status=ReviewStatus.PUBLISHED if level in PUBLISHED_LEVELS else ReviewStatus.SUBMITTED,
    )

    with django_capture_on_commit_callbacks(execute=True):
        digest_run_start(frequency="daily", time_zone="Africa/Bamako", now=run_at)

    received = sink_for_sending.messages
    names = [audience["addresses"][rcpt] for rcpt in sink_for_sending.recipients()]
    assert Counter(names) == Counter(EVERYONE)
    shown_to = {audience["addresses"][m.rcpt_tos[0]] for m in received if TITLE in _readable_text(m)}
    assert shown_to == WHO_MAY_SEE[level]
    assert all("Market fire in Mopti" in _readable_text(m) for m in received)
