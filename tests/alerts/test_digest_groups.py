"""A digest is computed and rendered once for all the recipients who would read the same thing,
and each of them gets exactly what computing it for them alone gives: the same incidents, the
same redactions, the same words, with their own address and unsubscribe link.

The reference in these tests is the recipient's own computation: `digest_for` with their own
sharing rights, and `delivery_message`, which renders one delivery on its own.
"""

import datetime as dt
import re
from io import StringIO
from typing import Any

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from alerts.content import Follows, digest_for
from alerts.dispatch import PERIOD_LENGTH, digest_run_start
from alerts.emails import DeliveryMessages, delivery_message
from alerts.models import Delivery, DigestRun, Frequency, Subscription
from alerts.recipients import subscription_recipients
from incidents.models import AccountSettings, ReviewStatus, Role, SharingLevel
from tests.alerts.makers import subscribe
from tests.factories import IncidentFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

# A's TLP:AMBER incidents that are published, which its partner's members see.
AMBER_OF_A = r"Incident \d+ of Sahel Relief, TLP:AMBER, Published"
RUN_AT = dt.datetime(2026, 11, 23, 7, 0, tzinfo=dt.UTC)
DURING = dt.datetime(2026, 11, 22, 15, 0, tzinfo=dt.UTC)
BEFORE = dt.datetime(2026, 11, 21, 15, 0, tzinfo=dt.UTC)


def _deliveries() -> list[Delivery]:
    return list(
        Delivery.objects.filter(run__isnull=False)
        .select_related("subscription__organisation", "user", "run", "alert")
        .order_by("pk")
    )


def _as_sent(message) -> tuple[object, ...]:
    (html, mimetype), *_others = message.alternatives
    return (message.subject, message.body, html, mimetype, message.to, sorted(message.extra_headers.items()))


def _listed_titles(message, titles: set[str]) -> set[str]:
    return {title for title in titles if title in message.body}


def _expected_recipients(run) -> set[tuple[int, str]]:
    """Who has something to read, worked out one recipient at a time with their own rights."""
    expected = set()
    frequency, until = run.frequency, run.window_end
    for subscription in Subscription.objects.active().filter(frequency=frequency, time_zone=run.time_zone):
        follows = Follows.of(subscription)
        since = until - PERIOD_LENGTH[Frequency(frequency)]
        for recipient in subscription_recipients(subscription):
            digest = digest_for(viewer=recipient.viewer, follows=follows, since=since, until=until)
            if not digest.is_empty:
                expected.add((subscription.pk, recipient.email))
    return expected


def _plan(capture, time_zone="Africa/Bamako", **kwargs):
    """Plan the run and leave its deliveries pending (nothing is sent)."""
    with capture(execute=False):
        return digest_run_start(frequency="daily", time_zone=time_zone, **kwargs)


def test_on_the_demo_data_every_recipient_gets_what_their_own_digest_gives(
    settings, django_capture_on_commit_callbacks
):
    settings.DEBUG = True  # the demo's organisations and their members
    loaded_at = dt.datetime(2026, 3, 10, 12, 0, tzinfo=dt.UTC)
    with time_machine.travel(loaded_at, tick=False):
        call_command("load_demo", stdout=StringIO(), stderr=StringIO())
        run = _plan(django_capture_on_commit_callbacks, now=loaded_at + dt.timedelta(hours=19))
        deliveries = _deliveries()
        together = DeliveryMessages(deliveries)
        shared = {d.pk: _as_sent(together.message(d)) for d in deliveries}
        alone = {d.pk: _as_sent(delivery_message(d)) for d in deliveries}

    assert {(d.subscription_id, d.email) for d in deliveries} == _expected_recipients(run)
    assert len(deliveries) >= 4
    assert shared == alone
    # Not one e-mail for all: the members of the reporting organisation read more than the traveler.
    listed = {frozenset(re.findall(r"/incidents/\d+/", str(sent[1]))) for sent in shared.values()}
    assert len(listed) > 1


@pytest.fixture
def world(cast):
    """Three organisations' incidents of every sharing level and status in the period, and
    subscribers of every kind: organisations (members and a shared address), travelers in two
    languages who follow the same things, travelers following one region, signed-in people, an
    analyst, and a reader who reported a TLP:RED incident before becoming a reader."""
    titles = set()
    reporters = {cast.org_a: cast.officer_a, cast.org_b: cast.officer_b, cast.partner: None}
    with time_machine.travel(DURING, tick=False):
        number = 0
        for organisation, reporter in reporters.items():
            for level in SharingLevel:
                for status in (ReviewStatus.PUBLISHED, ReviewStatus.SUBMITTED, ReviewStatus.RETRACTED):
                    number += 1
                    title = f"Incident {number} of {organisation.name}, {level.label}, {status.label}"
                    IncidentFactory.create(
                        title=title,
                        organisation=organisation,
                        reporter=reporter,
                        sharing_level=level,
                        status=status,
                        severity=1 + number % 5,
                    )
                    titles.add(title)
        # Reported by a reader of A: as its reporter, they see it; the other readers do not.
        red = IncidentFactory.create(
            title="Red incident told by a reader", organisation=cast.org_a, reporter=cast.reader_a
        )
        red.sharing_level = SharingLevel.RED
        red.save()
        titles.add(red.title)
        public_mopti = IncidentFactory.create(title="Public incident in Mopti")
        titles.add(public_mopti.title)

    daily: dict[str, Any] = {"frequency": Frequency.DAILY, "confirmed_at": BEFORE}
    subscribe(organisation=cast.org_a, addresses=["desk@sahel-relief.example"], **daily)
    subscribe(organisation=cast.org_b, **daily)
    subscribe(organisation=cast.partner, **daily)
    for number in range(12):
        subscribe(email=f"traveler{number}@example.net", language="fr" if number % 3 == 0 else "en", **daily)
    assert public_mopti.region is not None
    for number in range(3):
        subscribe(email=f"mopti{number}@example.net", countries=(), regions=(public_mopti.region.code,), **daily)
    subscribe(email="severe@example.net", min_severity=4, **daily)
    subscribe(email=cast.outsider.email, user=cast.outsider, **daily)
    subscribe(email=cast.analyst.email, user=cast.analyst, **daily)
    subscribe(email=cast.reader_a.email, user=cast.reader_a, **daily)
    AccountSettings.objects.create(user=cast.officer_b, language="fr")
    # A second reader of A, with the same rights as the first but for the incident the first reported.
    MembershipFactory.create(organisation=cast.org_a, role=Role.READER, user=UserFactory.create(username="reader_a2"))
    return titles


def test_with_several_organisations_and_sharing_levels_every_recipient_gets_what_their_own_digest_gives(
    cast, world, django_capture_on_commit_callbacks
):
    with time_machine.travel(RUN_AT, tick=False):
        run = _plan(django_capture_on_commit_callbacks, now=RUN_AT)
        deliveries = _deliveries()
        together = DeliveryMessages(deliveries)
        shared = {d.pk: together.message(d) for d in deliveries}
        alone = {d.pk: delivery_message(d) for d in deliveries}

    assert {(d.subscription_id, d.email) for d in deliveries} == _expected_recipients(run)
    for delivery in deliveries:
        assert _as_sent(shared[delivery.pk]) == _as_sent(alone[delivery.pk]), delivery.email
    by_email = {d.email: shared[d.pk] for d in deliveries}
    # What sets the recipients apart is there: the reporter's own TLP:RED incident, the partner's
    # TLP:AMBER, nothing of another organisation's TLP:AMBER+STRICT for a traveler.
    assert "Red incident told by a reader" in by_email[cast.reader_a.email].body
    assert "Red incident told by a reader" not in by_email[cast.officer_b.email].body
    assert "Red incident told by a reader" not in by_email["desk@sahel-relief.example"].body
    reader_a2 = next(d.email for d in deliveries if d.user is not None and d.user.username == "reader_a2")
    assert "Red incident told by a reader" not in by_email[reader_a2].body
    assert _listed_titles(by_email["traveler1@example.net"], world) != _listed_titles(
        by_email[cast.officer_a.email], world
    )
    assert by_email["traveler0@example.net"].extra_headers["Content-Language"] == "fr"
    assert by_email["traveler1@example.net"].extra_headers["Content-Language"] == "en"
    assert "traveler1@example.net" in by_email["traveler1@example.net"].body
    assert "traveler2@example.net" not in by_email["traveler1@example.net"].body


def test_a_member_s_digest_follows_their_rights_when_it_is_sent_not_when_it_was_planned(
    cast, world, django_capture_on_commit_callbacks
):
    with time_machine.travel(RUN_AT, tick=False):
        _plan(django_capture_on_commit_callbacks, now=RUN_AT)
        (planned,) = [d for d in _deliveries() if d.email == cast.partner_reader.email]
        assert re.search(AMBER_OF_A, str(delivery_message(planned).body))
        # The partnership ends after planning: the partner's reader no longer sees A's TLP:AMBER.
        cast.org_a.partners.remove(cast.partner)
        deliveries = _deliveries()
        together = DeliveryMessages(deliveries)
        (to_partner,) = [d for d in deliveries if d.email == cast.partner_reader.email]
        message = together.message(to_partner)
        alone = delivery_message(to_partner)
    assert not re.search(AMBER_OF_A, str(message.body))
    assert _as_sent(message) == _as_sent(alone)


def _travelers(count: int, time_zone: str = "Africa/Bamako") -> None:
    for number in range(count):
        subscribe(
            email=f"traveler{number}@{time_zone.lower().replace('/', '.')}.example",
            frequency=Frequency.DAILY,
            time_zone=time_zone,
            confirmed_at=BEFORE,
        )


def _queries(action) -> int:
    with CaptureQueriesContext(connection) as captured:
        action()
    return len(captured.captured_queries)


def test_planning_and_building_a_batch_of_travelers_digests_take_the_same_queries_for_five_as_for_twenty(
    django_capture_on_commit_callbacks,
):
    with time_machine.travel(DURING, tick=False):
        IncidentFactory.create(title="Public incident in Mopti")
    counts = []
    for time_zone, travelers in (("Africa/Bamako", 5), ("Africa/Dakar", 20)):
        _travelers(travelers, time_zone)
        with time_machine.travel(RUN_AT, tick=False):
            planning = _queries(lambda zone=time_zone: _plan(django_capture_on_commit_callbacks, zone, now=RUN_AT))
            deliveries = [d for d in _deliveries() if d.run is not None and str(d.run.time_zone) == time_zone]
            assert len(deliveries) == travelers
            together = DeliveryMessages(deliveries)
            building = _queries(lambda t=together, ds=deliveries: [t.message(d) for d in ds])
        counts.append((planning, building))
    assert counts[0] == counts[1]


@pytest.fixture
def ten_travelers_planned_four_at_a_time(settings):
    settings.ALERTS_PLAN_PART = 4
    with time_machine.travel(DURING, tick=False):
        IncidentFactory.create(title="Public incident in Mopti")
    _travelers(10)


@pytest.mark.usefixtures("ten_travelers_planned_four_at_a_time")
def test_a_digest_run_is_planned_in_parts_that_each_queue_their_own_sending(django_capture_on_commit_callbacks):
    with time_machine.travel(RUN_AT, tick=False), django_capture_on_commit_callbacks(execute=False) as queued:
        run = digest_run_start(frequency="daily", time_zone="Africa/Bamako", now=RUN_AT)
    # Three parts of 4, 4 and 2 subscriptions, each queuing its own batch when it commits.
    assert len(queued) == 3
    assert run.planned_at is not None
    assert run.planned_through == Subscription.objects.order_by("-pk").values_list("pk", flat=True)[0]
    assert Delivery.objects.filter(run=run).count() == 10


@pytest.fixture
def planner_died_after_one_part(monkeypatch, django_capture_on_commit_callbacks):
    """A run whose planner died after writing its first part of 4."""
    import alerts.dispatch

    real = alerts.dispatch._plan_digest_part
    parts: list[int] = []

    def dies_after_the_first_part(run):
        if parts:
            raise RuntimeError("the worker died")
        parts.append(run.pk)
        real(run)

    monkeypatch.setattr(alerts.dispatch, "_plan_digest_part", dies_after_the_first_part)
    with (
        time_machine.travel(RUN_AT, tick=False),
        django_capture_on_commit_callbacks(execute=False),
        pytest.raises(RuntimeError),
    ):
        digest_run_start(frequency="daily", time_zone="Africa/Bamako", now=RUN_AT)
    monkeypatch.setattr(alerts.dispatch, "_plan_digest_part", real)
    assert Delivery.objects.count() == 4


ALL_TEN = sorted(f"traveler{n}@africa.bamako.example" for n in range(10))


@pytest.mark.usefixtures("ten_travelers_planned_four_at_a_time", "planner_died_after_one_part")
def test_a_run_whose_planning_stopped_part_way_goes_on_from_where_it_stopped(django_capture_on_commit_callbacks):
    with time_machine.travel(RUN_AT, tick=False), django_capture_on_commit_callbacks(execute=False):
        run = digest_run_start(frequency="daily", time_zone="Africa/Bamako", now=RUN_AT)
    assert run.planned_at is not None
    assert sorted(Delivery.objects.filter(run=run).values_list("email", flat=True)) == ALL_TEN


@pytest.mark.usefixtures("ten_travelers_planned_four_at_a_time", "planner_died_after_one_part")
def test_the_sweeper_starts_again_a_run_whose_planning_stopped_and_it_goes_on_from_there(
    settings, django_capture_on_commit_callbacks
):
    from alerts.dispatch import deliveries_sweep

    soon = RUN_AT + dt.timedelta(seconds=settings.ALERTS_QUEUE_GRACE_SECONDS - 1)
    later = RUN_AT + dt.timedelta(seconds=settings.ALERTS_QUEUE_GRACE_SECONDS + 1)
    with time_machine.travel(soon, tick=False), django_capture_on_commit_callbacks(execute=False):
        deliveries_sweep(now=soon)
    assert Delivery.objects.count() == 4  # still within its grace: it may be planning yet

    with time_machine.travel(later, tick=False), django_capture_on_commit_callbacks(execute=False):
        deliveries_sweep(now=later)
    run = DigestRun.objects.get()
    assert run.planned_at is not None
    assert sorted(Delivery.objects.filter(run=run).values_list("email", flat=True)) == ALL_TEN
