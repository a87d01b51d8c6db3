"""The incident page: everything about one incident, for those who may see it and nobody else."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from incidents.models import Incident, IncidentActor, ReviewStatus, SharingLevel, TargetType
from tests.factories import ActorFactory, IncidentFactory, SourceFactory

pytestmark = pytest.mark.django_db


def detail(incident: Incident) -> str:
    return reverse("incidents:detail", kwargs={"pk": incident.pk})


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def published(cast):
    """A published TLP:CLEAR incident that Sahel Relief logged, verified and published by the analyst."""
    when = dt.datetime(2025, 3, 3, 9, 30, tzinfo=dt.UTC)
    incident = IncidentFactory.create(
        title="Convoy ambushed near Boni",
        organisation=cast.org_a,
        reporter=cast.officer_a,
        sharing_level=SharingLevel.CLEAR,
        status=ReviewStatus.PUBLISHED,
        verified_at=when,
        verified_by=cast.analyst,
        published_at=when,
        published_by=cast.analyst,
        latitude=Decimal("15.04"),
        longitude=Decimal("-1.98"),
        place_name="Boni",
        sources="Partner NGO's security focal point\nhttps://example.org/report",
        source_document=SourceFactory.create(title="Mali Country Security Report", url="https://example.org/osac"),
    )
    IncidentActor.objects.create(incident=incident, actor=ActorFactory.create(name="JNIM"), role="perpetrator")
    incident.target_types.set(TargetType.objects.filter(slug__in=["ngo-staff", "civilians"]))
    return incident


def test_anyone_sees_a_published_clear_incident_but_not_who_logged_and_reviewed_it(published):
    response = Client().get(detail(published))

    assert response.status_code == 200
    html = response.content.decode()
    assert "Convoy ambushed near Boni" in html
    assert 'JNIM <span class="note-inline">(perpetrator)</span>' in html
    assert "NGO staff" in html and "Civilians" in html
    assert "TLP:CLEAR: Public: anyone may see it once published." in html
    assert "Published on 3 Mar 2025, 09:30 UTC." in html
    assert 'href="https://example.org/osac"' in html and "Mali Country Security Report" in html
    assert '<a href="https://example.org/report" rel="nofollow">' in html
    # Coordinates are shown with where regions found from them come from.
    assert "Coordinates: 15.04000, -1.98000" in html
    assert "geoBoundaries" in html
    for name in ("by analyst", "officer_a", "Sahel Relief"):
        assert name not in html
    assert "Edit this incident" not in html and "Review this incident" not in html


def test_a_signed_in_member_sees_who_reported_and_reviewed_it(cast, published):
    html = signed_in(cast.reader_a).get(detail(published)).content.decode()

    assert "Reported by Sahel Relief on" in html and "(officer_a)" in html
    assert "Verified on 3 Mar 2025, 09:30 UTC by analyst." in html
    assert "Published on 3 Mar 2025, 09:30 UTC by analyst." in html


@pytest.mark.parametrize("who", ["anonymous", "officer_b", "partner_reader", "analyst"])
def test_an_incident_one_may_not_see_is_a_404_like_one_that_does_not_exist(cast, who):
    strict = IncidentFactory.create(
        organisation=cast.org_a, reporter=cast.officer_a, sharing_level=SharingLevel.AMBER_STRICT, status="submitted"
    )
    client = Client() if who == "anonymous" else signed_in(getattr(cast, who))

    hidden = client.get(detail(strict))
    missing = client.get(reverse("incidents:detail", kwargs={"pk": strict.pk + 1000}))

    assert hidden.status_code == missing.status_code == 404
    assert strict.title not in hidden.content.decode()


def test_officers_of_the_organisation_get_an_edit_link_and_its_readers_do_not(cast, published):
    assert "Edit this incident" in signed_in(cast.officer_a).get(detail(published)).content.decode()
    assert "Edit this incident" in signed_in(cast.manager_a).get(detail(published)).content.decode()
    assert "Edit this incident" not in signed_in(cast.reader_a).get(detail(published)).content.decode()
    assert "Edit this incident" not in signed_in(cast.officer_b).get(detail(published)).content.decode()


def test_analysts_get_the_review_actions_that_fit_the_status(cast):
    incident = IncidentFactory.create(organisation=cast.org_a, sharing_level=SharingLevel.GREEN, status="submitted")

    html = signed_in(cast.analyst).get(detail(incident)).content.decode()

    assert "Review this incident" in html
    for action in ("verify", "publish", "retract"):
        assert f'action="{reverse(f"incidents:{action}", kwargs={"pk": incident.pk})}"' in html
    assert "Review this incident" not in signed_in(cast.officer_a).get(detail(incident)).content.decode()


def test_a_retracted_incident_shows_why_to_its_organisation(cast):
    incident = IncidentFactory.create(
        organisation=cast.org_a,
        sharing_level=SharingLevel.GREEN,
        status=ReviewStatus.RETRACTED,
        retracted_at=dt.datetime(2025, 3, 4, tzinfo=dt.UTC),
        retracted_by=cast.analyst,
        retraction_reason="The same event as the Boni ambush, logged twice.",
    )

    html = signed_in(cast.reader_a).get(detail(incident)).content.decode()

    assert "This incident was retracted." in html
    assert "The same event as the Boni ambush, logged twice." in html
    assert "Retracted on 4 Mar 2025, 00:00 UTC by analyst." in html


def test_script_in_any_text_is_shown_escaped(cast):
    script = "<script>alert('x')</script>"
    incident = IncidentFactory.create(
        title=script,
        description=script,
        place_name=script,
        sources=script,
        organisation=cast.org_a,
        sharing_level=SharingLevel.CLEAR,
        status=ReviewStatus.RETRACTED,
        retraction_reason=script,
    )
    IncidentActor.objects.create(incident=incident, actor=ActorFactory.create(name=script))

    html = signed_in(cast.officer_a).get(detail(incident)).content.decode()

    assert "<script" not in html
    # Title (twice: <title> and <h1>), description, place, sources, retraction reason, actor.
    assert html.count("&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;") >= 7


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    "who, expected",
    [
        # The incident, its actors (twice: the list pages' prefetch and the roles), target types
        # and corrections.
        ("anonymous", 5),
        # + session, user, memberships, partners, reviewers, the edit right, the header's memberships.
        ("officer_a", 12),
    ],
)
def test_the_page_runs_the_same_queries_for_3_or_30_actors(cast, who, expected):
    client = Client() if who == "anonymous" else signed_in(getattr(cast, who))
    few = IncidentFactory.create(organisation=cast.org_a, verified_by=cast.analyst, published_by=cast.analyst)
    many = IncidentFactory.create(organisation=cast.org_a, verified_by=cast.analyst, published_by=cast.analyst)
    for incident, count in ((few, 3), (many, 30)):
        for actor in ActorFactory.create_batch(count):
            IncidentActor.objects.create(incident=incident, actor=actor)
        incident.target_types.set(TargetType.objects.all()[: count // 2])

    assert _queries(client, detail(few)) == _queries(client, detail(many)) == expected
