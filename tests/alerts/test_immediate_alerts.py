"""Immediate alerts: a published incident or a changed advisory reaches the immediate
subscriptions that follow it, once, and only recipients who may see the incident."""

import datetime as dt
import email
import re

import pytest

from advisories.models import Country, Region, ThreatCategory
from advisories.services import advisory_set
from alerts.models import Delivery, DeliveryStatus, Frequency, ImmediateAlert, Subscription
from alerts.tasks import immediate_incident
from incidents.models import IncidentType, ReviewStatus, Role, SharingLevel
from incidents.services import IncidentFields, incident_publish, incident_submit
from tests.factories import IncidentFactory, MembershipFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

CONFIRMED = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)


def _subscribe(*, organisation=None, email="", countries=("ML",), regions=(), **fields):
    subscription = Subscription.objects.create(
        organisation=organisation,
        email=email,
        frequency=fields.pop("frequency", Frequency.IMMEDIATE),
        confirmed_at=fields.pop("confirmed_at", CONFIRMED),
        **fields,
    )
    subscription.countries.set(Country.objects.filter(code__in=countries))
    subscription.regions.set(Region.objects.filter(code__in=regions))
    return subscription


@pytest.fixture
def people():
    org_a = OrganisationFactory.create(name="Alert Test Aid")
    org_b = OrganisationFactory.create(name="Second Alert Relief")
    officer_a = MembershipFactory.create(organisation=org_a, role=Role.OFFICER, user=UserFactory.create()).user
    reader_a = MembershipFactory.create(organisation=org_a, role=Role.READER, user=UserFactory.create()).user
    member_b = MembershipFactory.create(organisation=org_b, role=Role.READER, user=UserFactory.create()).user
    analyst = UserFactory.create(is_staff=True)
    return org_a, org_b, officer_a, reader_a, member_b, analyst


def _publish(incident, analyst, capture):
    with capture(execute=True):
        incident_publish(incident=incident, analyst=analyst)


def test_a_published_severe_incident_alerts_the_matching_subscriptions_only(
    people, mailoutbox, django_capture_on_commit_callbacks
):
    _org_a, _org_b, _officer_a, _reader_a, _member_b, analyst = people
    violence = ThreatCategory.objects.get(slug="terrorism")
    _subscribe(email="mali@example.net", min_severity=4)
    _subscribe(email="mopti@example.net", countries=(), regions=("ML-5",))
    matching_category = _subscribe(email="terrorism@example.net")
    matching_category.categories.set([violence])
    _subscribe(email="gao-only@example.net", countries=(), regions=("ML-7",))
    _subscribe(email="niger@example.net", countries=("NE",))
    _subscribe(email="too-severe@example.net", min_severity=5)
    _subscribe(email="daily@example.net", frequency=Frequency.DAILY)
    _subscribe(email="unconfirmed@example.net", confirmed_at=None)
    other_category = _subscribe(email="crime-only@example.net")
    other_category.categories.set(ThreatCategory.objects.filter(slug="crime"))
    incident = IncidentFactory.create(
        title="Attack on a convoy near Sévaré",
        incident_type_id=_type_in("terrorism"),
        region=Region.objects.get(code="ML-5"),
        severity=4,
        status=ReviewStatus.VERIFIED,
    )

    _publish(incident, analyst, django_capture_on_commit_callbacks)

    assert sorted(m.to[0] for m in mailoutbox) == ["mali@example.net", "mopti@example.net", "terrorism@example.net"]
    assert all(d.status == DeliveryStatus.SENT for d in Delivery.objects.all())
    assert "Attack on a convoy near Sévaré" in mailoutbox[0].subject


def _type_in(category_slug):
    return IncidentType.objects.filter(category__slug=category_slug).order_by("position")[0].pk


def test_an_incident_is_alerted_once_however_often_its_task_runs(
    people, mailoutbox, django_capture_on_commit_callbacks
):
    *_, analyst = people
    _subscribe(email="mali@example.net")
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
    _subscribe(organisation=org_a, addresses=["desk@alert-test.example"])
    _subscribe(organisation=org_b)
    _subscribe(email="traveler@example.net")
    data = IncidentFields(
        title=f"Kidnapping marked {level.label}",
        incident_type=IncidentFactory.build().incident_type,
        occurred_on=dt.date(2026, 11, 20),
        country=Country.objects.get(code="ML"),
        region=Region.objects.get(code="ML-5"),
        severity=5,
        sharing_level=level,
    )

    with django_capture_on_commit_callbacks(execute=True):
        incident_submit(reporter=officer_a, organisation=org_a, data=data)

    names = {officer_a.email: "officer_a", reader_a.email: "reader_a", member_b.email: "member_b"}
    names |= {"desk@alert-test.example": "desk", "traveler@example.net": "traveler"}
    assert {names[m.to[0]] for m in mailoutbox} == expected


def test_a_green_incident_waits_for_publication_before_anyone_is_alerted(
    people, mailoutbox, django_capture_on_commit_callbacks
):
    org_a, _org_b, officer_a, *_ = people
    _subscribe(organisation=org_a)
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
    _subscribe(email="mali@example.net")
    _subscribe(email="mopti@example.net", countries=(), regions=("ML-5",))
    _subscribe(email="no-advisories@example.net", include_advisories=False)
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


def test_a_summary_only_change_of_an_advisory_alerts_nobody(mailoutbox, django_capture_on_commit_callbacks):
    mali = Country.objects.get(code="ML")
    _subscribe(email="mali@example.net")
    with django_capture_on_commit_callbacks(execute=True):
        advisory_set(country=mali, level=4, indicators="CTK", summary="First words.", issued_on=dt.date(2026, 11, 1))
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        advisory_set(country=mali, level=4, summary="Better words.", issued_on=dt.date(2026, 11, 2))

    assert mailoutbox == []


def test_a_title_with_line_breaks_cannot_add_headers(people, mailoutbox, django_capture_on_commit_callbacks):
    *_, analyst = people
    _subscribe(email="mali@example.net")
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
