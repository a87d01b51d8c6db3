"""Analysts review incidents: the queue shows what waits and they may see, and verify, publish
and retract go through the services, with a message rather than an error when two collide."""

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from incidents.models import Incident, IncidentActor, ReviewStatus, SharingLevel
from incidents.signals import incident_published
from tests.factories import ActorFactory, IncidentFactory, UserFactory

pytestmark = pytest.mark.django_db

QUEUE = reverse("incidents:review")


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def action(name: str, incident: Incident) -> str:
    return reverse(f"incidents:{name}", kwargs={"pk": incident.pk})


def waiting(cast, **fields) -> Incident:
    values = {"organisation": cast.org_a, "reporter": cast.officer_a, "sharing_level": SharingLevel.GREEN}
    return IncidentFactory.create(**{**values, "status": ReviewStatus.SUBMITTED, **fields})


def test_the_queue_lists_what_waits_for_review_oldest_first(cast, time_machine):
    time_machine.move_to(dt.datetime(2025, 3, 1, 8, tzinfo=dt.UTC))
    older = waiting(cast, title="Older: checkpoint at Konna")
    time_machine.move_to(dt.datetime(2025, 3, 2, 8, tzinfo=dt.UTC))
    newer = waiting(cast, title="Newer: theft in Mopti", status=ReviewStatus.VERIFIED, verified_by=cast.analyst)
    waiting(cast, title="Imported and public", organisation=None, sharing_level="clear")
    for status in (ReviewStatus.PUBLISHED, ReviewStatus.RETRACTED):
        waiting(cast, title=f"Already {status}", status=status)

    response = signed_in(cast.analyst).get(QUEUE)

    assert response.status_code == 200
    html = response.content.decode()
    assert html.index(older.title) < html.index(newer.title) < html.index("Imported and public")
    assert "Already published" not in html and "Already retracted" not in html
    assert "3 incidents wait for review, oldest first." in html
    assert "verified by analyst" in html


@pytest.mark.parametrize("level", [SharingLevel.AMBER, SharingLevel.AMBER_STRICT, SharingLevel.RED])
def test_analysts_do_not_see_amber_or_red_incidents_in_the_queue(cast, level):
    waiting(cast, title="Kept within the organisation", sharing_level=level)

    html = signed_in(cast.analyst).get(QUEUE).content.decode()

    assert "Kept within the organisation" not in html
    assert "Nothing to review." in html


@pytest.mark.parametrize("who", ["officer_a", "manager_a", "reader_a", "outsider"])
def test_only_analysts_see_the_queue(cast, who):
    waiting(cast, title="Checkpoint at Konna")

    response = signed_in(getattr(cast, who)).get(QUEUE)

    assert response.status_code == 403
    html = response.content.decode()
    assert "Only Vigil&#x27;s analysts review incidents." in html
    assert "Checkpoint at Konna" not in html


def test_an_anonymous_visitor_is_sent_to_sign_in(cast):
    response = Client().get(QUEUE)

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={QUEUE}"


def test_an_analyst_verifies_an_incident(cast):
    incident = waiting(cast)

    response = signed_in(cast.analyst).post(action("verify", incident), follow=True)

    assert response.redirect_chain == [(QUEUE, 302)]
    assert f"Verified: {incident.title}." in response.content.decode()
    incident.refresh_from_db()
    assert incident.status == ReviewStatus.VERIFIED
    assert incident.verified_by == cast.analyst and incident.verified_at is not None


def test_an_analyst_publishes_an_incident_and_subscribers_hear_of_it(cast, django_capture_on_commit_callbacks):
    incident = waiting(cast, sharing_level=SharingLevel.CLEAR)
    heard: list[int] = []

    def receiver(sender, incident_id, **kwargs):
        heard.append(incident_id)

    incident_published.connect(receiver)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            response = signed_in(cast.analyst).post(action("publish", incident))
    finally:
        incident_published.disconnect(receiver)

    assert response.status_code == 302
    incident.refresh_from_db()
    assert incident.status == ReviewStatus.PUBLISHED and incident.published_by == cast.analyst
    assert heard == [incident.pk]
    # Published TLP:CLEAR: now anyone sees it.
    assert Client().get(incident.get_absolute_url()).status_code == 200


def test_publishing_twice_tells_the_second_analyst_and_changes_nothing(cast):
    incident = waiting(cast)
    first, second = signed_in(cast.analyst), signed_in(UserFactory.create(username="analyst_2", is_staff=True))
    # Both have the queue open.
    assert incident.title in second.get(QUEUE).content.decode()

    first.post(action("publish", incident))
    published_at = Incident.objects.get(pk=incident.pk).published_at
    response = second.post(action("publish", incident), follow=True)

    assert response.status_code == 200
    assert (
        f"Only a submitted or verified incident can be published. “{incident.title}” is now published; "
        "nothing was changed."
    ) in response.content.decode()
    incident.refresh_from_db()
    assert incident.published_by == cast.analyst and incident.published_at == published_at


def test_retracting_needs_a_reason(cast):
    incident = waiting(cast)

    response = signed_in(cast.analyst).post(action("retract", incident), {"reason": "  "}, follow=True)

    assert "Say why the incident is retracted; readers will see it." in response.content.decode()
    incident.refresh_from_db()
    assert incident.status == ReviewStatus.SUBMITTED


def test_an_analyst_retracts_an_incident_with_a_reason(cast):
    incident = waiting(cast, status=ReviewStatus.PUBLISHED)

    response = signed_in(cast.analyst).post(
        action("retract", incident),
        {"reason": "Logged twice.", "next": incident.get_absolute_url()},
        follow=True,
    )

    # Back to the queue, not to the incident's page: analysts no longer see a retracted incident.
    assert response.redirect_chain == [(QUEUE, 302)]
    incident.refresh_from_db()
    assert incident.status == ReviewStatus.RETRACTED
    assert incident.retraction_reason == "Logged twice." and incident.retracted_by == cast.analyst


def test_an_action_from_the_incident_page_returns_there_and_never_to_another_site(cast):
    incident = waiting(cast)
    client = signed_in(cast.analyst)

    back = client.post(action("verify", incident), {"next": incident.get_absolute_url()})
    away = client.post(action("publish", incident), {"next": "https://evil.example/"})

    assert back["Location"] == incident.get_absolute_url()
    assert away["Location"] == QUEUE


@pytest.mark.parametrize("who", ["officer_a", "reader_a"])
@pytest.mark.parametrize("name", ["verify", "publish", "retract"])
def test_non_analysts_cannot_review(cast, who, name):
    incident = waiting(cast)

    response = signed_in(getattr(cast, who)).post(action(name, incident), {"reason": "Because."})

    assert response.status_code == 403
    incident.refresh_from_db()
    assert incident.status == ReviewStatus.SUBMITTED


def test_review_actions_need_a_signed_in_post(cast):
    incident = waiting(cast)

    anonymous = Client().post(action("verify", incident))
    get = signed_in(cast.analyst).get(action("verify", incident))

    assert anonymous.status_code == 302 and anonymous["Location"].startswith(reverse("login"))
    assert get.status_code == 405
    incident.refresh_from_db()
    assert incident.status == ReviewStatus.SUBMITTED


def test_an_analyst_cannot_act_on_an_amber_incident(cast):
    incident = waiting(cast, sharing_level=SharingLevel.AMBER)

    response = signed_in(cast.analyst).post(action("publish", incident))

    assert response.status_code == 404
    incident.refresh_from_db()
    assert incident.status == ReviewStatus.SUBMITTED


def test_the_queue_shows_text_escaped(cast):
    waiting(cast, title="<script>alert('x')</script>", place_name="<b>Konna</b>")

    html = signed_in(cast.analyst).get(QUEUE).content.decode()

    assert "<script>alert" not in html and "<b>Konna" not in html
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in html


def _queue_queries(client: Client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(QUEUE).status_code == 200
    return len(queries)


def test_the_queue_runs_the_same_queries_for_3_or_30_incidents(cast):
    client = signed_in(cast.analyst)
    actor = ActorFactory.create()

    def add(count: int) -> None:
        for incident in IncidentFactory.create_batch(
            count,
            organisation=cast.org_a,
            reporter=cast.officer_a,
            sharing_level=SharingLevel.GREEN,
            status=ReviewStatus.VERIFIED,
            verified_by=cast.analyst,
        ):
            IncidentActor.objects.create(incident=incident, actor=actor)

    add(3)
    few = _queue_queries(client)
    add(27)
    many = _queue_queries(client)

    # Session, user, the analyst's memberships, whether they hold the platform operator's role
    # (asked of staff only), the count, the page, actors, target types, the places whose risk level
    # is to review, the header's memberships.
    assert few == many == 10
