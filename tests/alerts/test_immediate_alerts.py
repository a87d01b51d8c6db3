"""Immediate alerts: a published incident or a changed advisory reaches the immediate
subscriptions that follow it, once, and only recipients who may see the incident."""

import datetime as dt
import email
import re

import pytest

from advisories.models import Country, Region, ThreatCategory
from advisories.services import advisory_set
from alerts.emails import SUBJECT_MAX
from alerts.models import Delivery, DeliveryStatus, Frequency, ImmediateAlert
from alerts.tasks import immediate_incident
from incidents.models import ReviewStatus, Role, SharingLevel
from incidents.services import IncidentFields, incident_publish, incident_submit
from tests.alerts.makers import convoy_attack, kidnapping, subscribe, two_organisations
from tests.factories import IncidentFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    return (*two_organisations(role_b=Role.READER), UserFactory.create(is_staff=True))


def _publish(incident, analyst, capture):
    with capture(execute=True):
        incident_publish(incident=incident, analyst=analyst)


def test_a_published_severe_incident_alerts_the_matching_subscriptions_only(
    people, mailoutbox, django_capture_on_commit_callbacks
):
    _org_a, _org_b, _officer_a, _reader_a, _member_b, analyst = people
    violence = ThreatCategory.objects.get(slug="terrorism")
    subscribe(email="mali@example.net", min_severity=4)
    subscribe(email="mopti@example.net", countries=(), regions=("ML-5",))
    matching_category = subscribe(email="terrorism@example.net")
    matching_category.categories.set([violence])
    subscribe(email="gao-only@example.net", countries=(), regions=("ML-7",))
    subscribe(email="niger@example.net", countries=("NE",))
    subscribe(email="too-severe@example.net", min_severity=5)
    subscribe(email="daily@example.net", frequency=Frequency.DAILY)
    subscribe(email="unconfirmed@example.net", confirmed_at=None)
    other_category = subscribe(email="crime-only@example.net")
    other_category.categories.set(ThreatCategory.objects.filter(slug="crime"))
    incident = convoy_attack()

    _publish(incident, analyst, django_capture_on_commit_callbacks)

    assert sorted(m.to[0] for m in mailoutbox) == ["mali@example.net", "mopti@example.net", "terrorism@example.net"]
    assert all(d.status == DeliveryStatus.SENT for d in Delivery.objects.all())
    assert "Attack on a convoy near Sévaré" in mailoutbox[0].subject


def test_an_incident_is_alerted_once_however_often_its_task_runs(
    people, mailoutbox, django_capture_on_commit_callbacks
):
    *_, analyst = people
    subscribe(email="mali@example.net")
    incident = IncidentFactory.create(status=ReviewStatus.VERIFIED)
    _publish(incident, analyst, django_capture_on_commit_callbacks)

    with django_capture_on_commit_callbacks(execute=True):
        immediate_incident(incident.pk)
        immediate_incident(incident.pk)

    assert len(mailoutbox) == 1
    assert ImmediateAlert.objects.count() == 1


@pytest.mark.parametrize(
    ("level", "expected"),
    [
        (SharingLevel.AMBER, {"officer_a", "reader_a", "desk"}),
        (SharingLevel.AMBER_STRICT, {"officer_a", "reader_a", "desk"}),
        (SharingLevel.RED, {"officer_a"}),
    ],
)
def test_an_unreviewed_incident_alerts_only_those_its_sharing_level_allows(
    people, mailoutbox, django_capture_on_commit_callbacks, level, expected
):
    org_a, org_b, officer_a, reader_a, member_b, _analyst = people
    subscribe(organisation=org_a, addresses=["desk@alert-test.example"])
    subscribe(organisation=org_b)
    subscribe(email="traveler@example.net")
    data = kidnapping(f"Kidnapping marked {level.label}", level)

    with django_capture_on_commit_callbacks(execute=True):
        incident_submit(reporter=officer_a, organisation=org_a, data=data)

    names = {officer_a.email: "officer_a", reader_a.email: "reader_a", member_b.email: "member_b"}
    names |= {"desk@alert-test.example": "desk", "traveler@example.net": "traveler"}
    assert {names[m.to[0]] for m in mailoutbox} == expected


def test_a_green_incident_waits_for_publication_before_anyone_is_alerted(
    people, mailoutbox, django_capture_on_commit_callbacks
):
    org_a, _org_b, officer_a, *_ = people
    subscribe(organisation=org_a)
    data = IncidentFields(
        title="Threat against a compound",
        incident_type=IncidentFactory.build().incident_type,
        occurred_on=dt.date(2026, 11, 20),
        country=Country.objects.get(code="ML"),
        region=Region.objects.get(code="ML-5"),
        severity=4,
        sharing_level=SharingLevel.GREEN,
    )
    with django_capture_on_commit_callbacks(execute=True):
        incident_submit(reporter=officer_a, organisation=org_a, data=data)

    assert mailoutbox == []


def test_an_advisory_level_change_alerts_the_followers_of_the_country_and_its_regions(
    mailoutbox, django_capture_on_commit_callbacks
):
    mali = Country.objects.get(code="ML")
    subscribe(email="mali@example.net")
    subscribe(email="mopti@example.net", countries=(), regions=("ML-5",))
    subscribe(email="no-advisories@example.net", include_advisories=False)
    with django_capture_on_commit_callbacks(execute=True):
        advisory_set(country=mali, level=3, indicators="CT", issued_on=dt.date(2026, 11, 1))
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        advisory_set(
            country=mali,
            region=Region.objects.get(code="ML-5"),
            level=4,
            indicators="CTK",
            issued_on=dt.date(2026, 11, 2),
        )

    assert sorted(m.to[0] for m in mailoutbox) == ["mali@example.net", "mopti@example.net"]
    assert "Mopti: level 4, Do Not Travel" in mailoutbox[0].subject


def test_a_region_s_first_own_level_says_which_level_applied_there_before(
    mailoutbox, django_capture_on_commit_callbacks
):
    mali, mopti = Country.objects.get(code="ML"), Region.objects.get(code="ML-5")
    subscribe(email="mopti@example.net", countries=(), regions=("ML-5",))
    with django_capture_on_commit_callbacks(execute=True):
        advisory_set(country=mali, level=3, indicators="CT", issued_on=dt.date(2026, 11, 1))
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        advisory_set(country=mali, region=mopti, level=4, indicators="CTK", issued_on=dt.date(2026, 11, 2))

    (message,) = mailoutbox
    assert message.subject.endswith("Mopti: level 4, Do Not Travel (was 3)")
    assert "(was Level 3: Reconsider Travel)" in message.body


def test_a_summary_only_change_of_an_advisory_alerts_nobody(mailoutbox, django_capture_on_commit_callbacks):
    mali = Country.objects.get(code="ML")
    subscribe(email="mali@example.net")
    with django_capture_on_commit_callbacks(execute=True):
        advisory_set(country=mali, level=4, indicators="CTK", summary="First words.", issued_on=dt.date(2026, 11, 1))
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        advisory_set(country=mali, level=4, summary="Better words.", issued_on=dt.date(2026, 11, 2))

    assert mailoutbox == []


def test_a_title_with_line_breaks_cannot_add_headers(people, mailoutbox, django_capture_on_commit_callbacks):
    *_, analyst = people
    subscribe(email="mali@example.net")
    incident = IncidentFactory.create(title="Attack\r\nBcc: leak@example.org", status=ReviewStatus.VERIFIED)

    _publish(incident, analyst, django_capture_on_commit_callbacks)

    (message,) = mailoutbox
    assert message.bcc == []
    parsed = email.message_from_bytes(message.message().as_bytes())
    assert parsed["Bcc"] is None
    assert "leak@example.org" not in parsed["To"]
    # A long subject is folded (a line break before a space), which is not a new header.
    assert re.sub(r"\r?\n(?=[ \t])", "", parsed["Subject"]) == message.subject
    assert "Attack Bcc: leak@example.org" in message.subject
    assert message.recipients() == ["mali@example.net"]


def test_a_long_subject_is_cut_to_its_maximum_with_an_ellipsis(people, mailoutbox, django_capture_on_commit_callbacks):
    *_, analyst = people
    subscribe(email="mali@example.net")
    incident = IncidentFactory.create(title="Convoy attacked " + "near Sévaré " * 14, status=ReviewStatus.VERIFIED)

    _publish(incident, analyst, django_capture_on_commit_callbacks)

    (message,) = mailoutbox
    assert len(message.subject) == SUBJECT_MAX
    assert message.subject.startswith("Vigil alert: ") and message.subject.endswith("…")
    assert Delivery.objects.get().subject == message.subject


def test_a_title_is_plain_text_in_the_subject_and_escaped_in_the_html(
    people, mailoutbox, django_capture_on_commit_callbacks
):
    *_, analyst = people
    subscribe(email="mali@example.net")
    incident = IncidentFactory.create(title="Fuel & food <convoy> stopped", status=ReviewStatus.VERIFIED)

    _publish(incident, analyst, django_capture_on_commit_callbacks)

    (message,) = mailoutbox
    [(html, _mimetype)] = message.alternatives
    assert message.subject.endswith(": Fuel & food <convoy> stopped")
    assert "Fuel & food <convoy> stopped" in message.body
    assert "Fuel &amp; food &lt;convoy&gt; stopped" in html
    assert "<convoy>" not in html


def test_an_alert_gives_the_known_casualties_and_says_which_are_not_known(
    people, mailoutbox, django_capture_on_commit_callbacks
):
    *_, analyst = people
    subscribe(email="mali@example.net")
    incident = IncidentFactory.create(title="Attack", killed=4, injured=None, abducted=0, status=ReviewStatus.VERIFIED)

    _publish(incident, analyst, django_capture_on_commit_callbacks)

    (message,) = mailoutbox
    [(html, _mimetype)] = message.alternatives
    assert "Casualties: 4 killed, 0 abducted; injured not known" in message.body
    assert "<td>4 killed, 0 abducted; injured not known</td>" in html
    assert "None" not in message.body


def test_an_alert_of_no_known_casualties_names_none(people, mailoutbox, django_capture_on_commit_callbacks):
    *_, analyst = people
    subscribe(email="mali@example.net")
    incident = IncidentFactory.create(title="Attack", status=ReviewStatus.VERIFIED)

    _publish(incident, analyst, django_capture_on_commit_callbacks)

    (message,) = mailoutbox
    assert "Casualties" not in message.body and " 0 killed" not in message.body
