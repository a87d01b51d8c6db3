"""The risk index of countries and regions, computed from their public incidents (issue 16).

Every expected value is worked out by hand in the test, from incidents/risk/weights.py:
severity points 1, 2, 4, 7, 10; killed 1, injured 0.5, abducted 2 per person; 0.5 for each
count not known; target factors 1.5 (aid workers), 1.5 (foreigners), 1.25 (members' kind);
recency 0.5 ** (age / 45); index round(100 * (1 - exp(-sum / 60))); window 90 days.
"""

from __future__ import annotations

import datetime as dt
from io import StringIO
from typing import Any
from unittest import mock

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django_celery_beat.models import PeriodicTask

from advisories.models import AdvisoryLevel, Country, Region, RiskAssessment
from incidents import tasks
from incidents.models import Incident, Organisation, ReviewStatus, SharingLevel, TargetType
from incidents.risk.compute import PlaceRisk, country_risk
from incidents.risk.services import risk_recompute
from incidents.risk.weights import RiskWeights
from incidents.schedules import RISK_SCHEDULE_NAME, risk_schedule_ensure
from incidents.services import IncidentFields, incident_publish, incident_retract, incident_update
from incidents.signals import risk_assessed
from tests.factories import AdvisoryFactory, IncidentFactory, OrganisationFactory

NOW = dt.datetime(2026, 6, 30, 12, 0, tzinfo=dt.UTC)
TODAY = NOW.date()


@pytest.fixture(autouse=True)
def _at_noon_on_30_june() -> Any:
    # The tasks, the command and the services compute at the time it is.
    with time_machine.travel(NOW, tick=False):
        yield


def days_ago(days: int) -> dt.date:
    return TODAY - dt.timedelta(days=days)


@pytest.fixture
def mopti(mali: Country) -> Region:
    return Region.objects.get(code="ML-5")


@pytest.fixture
def gao(mali: Country) -> Region:
    return Region.objects.get(code="ML-7")


def incident(
    region: Region | None, *, country: Country | None = None, targets: tuple[str, ...] = (), **values: Any
) -> Incident:
    """A published TLP:CLEAR incident in `region`; counts are unknown unless given."""
    values = {"killed": None, "injured": None, "abducted": None, "occurred_on": TODAY, **values}
    made = IncidentFactory.create(region=region, country=country or (region.country if region else None), **values)
    if targets:
        made.target_types.set(TargetType.objects.filter(slug__in=targets))
    return made


def risk_of(places: list[PlaceRisk], region: Region | None) -> PlaceRisk:
    return next(place for place in places if place.region_id == (region.pk if region else None))


def test_one_incident_gives_the_index_worked_out_by_hand(mali, mopti):
    # Severity 4, 45 days ago, 2 killed, injured and abducted not known:
    # points 7 + 2*1 + 0.5 (injured unknown) + 0.5 (abducted unknown) = 10; recency 0.5 ** (45/45) = 0.5;
    # sum 5; index round(100 * (1 - exp(-5/60))) = round(7.9956) = 8, level 1 (under 25).
    incident(mopti, severity=4, killed=2, occurred_on=days_ago(45))

    places = country_risk(mali, now=NOW)

    region = risk_of(places, mopti)
    assert (region.index, region.suggested_level) == (8, 1)
    assert risk_of(places, None).index == 8
    assert all(place.index == 0 for place in places if place.region_id not in (None, mopti.pk))
    assert places[0].region_id is None  # the country first
    # Components: severity 7 * 0.5 = 3.5; casualties (2 + 0.5 + 0.5) * 0.5 = 1.5; no target factor.
    assert region.breakdown["components"] == {"severity": 3.5, "casualties": 1.5, "targets": 0.0}


def test_unknown_counts_are_counted_as_unknown_in_the_breakdown(mali, mopti):
    incident(mopti, killed=3, injured=None, abducted=0, occurred_on=days_ago(10))
    incident(mopti, killed=None, injured=4, abducted=None, occurred_on=days_ago(20))
    incident(mopti, killed=1, injured=None, abducted=None, occurred_on=days_ago(120))  # before the window

    breakdown = risk_of(country_risk(mali, now=NOW), mopti).breakdown

    assert breakdown["incidents"] == 2
    assert (breakdown["killed"], breakdown["injured"], breakdown["abducted"]) == (3, 4, 0)
    assert (breakdown["killed_unknown"], breakdown["injured_unknown"], breakdown["abducted_unknown"]) == (1, 1, 1)
    assert breakdown["by_category"] == {"crime": 2}
    assert breakdown["window_days"] == 90
    assert breakdown["weights_version"] == 1


def test_a_green_or_unpublished_incident_never_moves_the_public_index(mali, mopti):
    incident(mopti, severity=5, sharing_level=SharingLevel.GREEN)
    incident(mopti, severity=5, sharing_level=SharingLevel.AMBER)
    incident(mopti, severity=5, status=ReviewStatus.SUBMITTED)
    incident(mopti, severity=5, status=ReviewStatus.VERIFIED)
    incident(mopti, severity=5, status=ReviewStatus.RETRACTED)

    places = country_risk(mali, now=NOW)

    assert {place.index for place in places} == {0}
    assert {place.breakdown["incidents"] for place in places} == {0}


def test_the_country_counts_its_incidents_without_a_region_and_those_of_every_region(mali, mopti, gao):
    # Each: severity 1, today, all counts 0 (known): points 1, recency 1.
    for region in (mopti, gao, None):
        incident(region, country=mali, severity=1, killed=0, injured=0, abducted=0)

    places = country_risk(mali, now=NOW)

    # Regions: sum 1, index round(100 * (1 - exp(-1/60))) = round(1.653) = 2.
    assert risk_of(places, mopti).index == risk_of(places, gao).index == 2
    # The country: sum 3, index round(100 * (1 - exp(-3/60))) = round(4.877) = 5.
    assert risk_of(places, None).index == 5
    assert risk_of(places, None).breakdown["incidents"] == 3


def test_aid_workers_and_foreigners_targeted_weigh_more_by_the_largest_factor(mali, mopti, gao):
    # Severity 3 today, 1 abducted, none killed or injured: points 4 + 2*1 = 6, recency 1.
    incident(mopti, severity=3, killed=0, injured=0, abducted=1, targets=("ngo-staff", "foreigners"))
    incident(gao, severity=3, killed=0, injured=0, abducted=1, targets=("civilians",))

    places = country_risk(mali, now=NOW)

    # Both factors 1.5 apply: the largest, not their product: 6 * 1.5 = 9; round(100 * (1 - exp(-9/60))) = 14.
    assert risk_of(places, mopti).index == 14
    # Civilians weigh no more: 6; round(100 * (1 - exp(-6/60))) = round(9.516) = 10.
    assert risk_of(places, gao).index == 10
    breakdown = risk_of(places, mopti).breakdown
    assert breakdown["targeted"] == {"aid_workers": 1, "foreigners": 1, "members_kind": 0}
    # Components: severity 4, casualties 2, targets (1.5 - 1) * 6 = 3.
    assert breakdown["components"] == {"severity": 4.0, "casualties": 2.0, "targets": 3.0}


def test_staff_like_the_members_own_weigh_more_only_while_such_an_organisation_is_active(mali, mopti):
    # Severity 3 today, 1 abducted: 6 points; businesses are the target of a company's kind.
    incident(mopti, severity=3, killed=0, injured=0, abducted=1, targets=("businesses",))
    company = OrganisationFactory.create(kind=Organisation.Kind.COMPANY)

    # 6 * 1.25 = 7.5; round(100 * (1 - exp(-7.5/60))) = round(11.75) = 12.
    assert risk_of(country_risk(mali, now=NOW), mopti).index == 12
    assert risk_of(country_risk(mali, now=NOW), mopti).breakdown["targeted"]["members_kind"] == 1

    Organisation.objects.filter(pk=company.pk).update(is_active=False)
    # 6; round(9.516) = 10.
    assert risk_of(country_risk(mali, now=NOW), mopti).index == 10


def test_a_target_of_several_kinds_weighs_by_the_largest_factor_only(mali, mopti, gao):
    # NGO staff are aid workers (x1.5) and, with an international NGO using Vigil, staff of the
    # members' kind (x1.25): 6 points weigh 6 * 1.5 = 9, not 6 * 1.5 * 1.25 = 11.25 nor 6 * 1.75.
    OrganisationFactory.create(kind=Organisation.Kind.INGO)
    incident(mopti, severity=3, killed=0, injured=0, abducted=1, targets=("ngo-staff",))
    # With other weights, foreigners x1.5 and businesses x1.25 (a company using Vigil) together
    # weigh 1.5, while aid workers weigh 2: 6 * 1.5 = 9 in Gao.
    OrganisationFactory.create(kind=Organisation.Kind.COMPANY)
    incident(gao, severity=3, killed=0, injured=0, abducted=1, targets=("foreigners", "businesses"))
    heavier = RiskWeights(aid_worker_factor=2.0)

    places = country_risk(mali, now=NOW)
    weighed = country_risk(mali, now=NOW, weights=heavier)

    # round(100 * (1 - exp(-9/60))) = round(13.93) = 14.
    assert risk_of(places, mopti).index == 14 and risk_of(places, gao).index == 14
    assert risk_of(places, mopti).breakdown["targeted"] == {"aid_workers": 1, "foreigners": 0, "members_kind": 1}
    # Mopti: 6 * 2 = 12, round(100 * (1 - exp(-12/60))) = round(18.13) = 18; Gao unchanged.
    assert risk_of(weighed, mopti).index == 18 and risk_of(weighed, gao).index == 14
    assert risk_of(weighed, mopti).breakdown["components"]["targets"] == 6.0


def test_incidents_older_than_the_horizon_count_nothing(mali, mopti):
    incident(mopti, severity=5, occurred_on=days_ago(366))

    assert risk_of(country_risk(mali, now=NOW), mopti).index == 0


def test_the_previous_index_is_the_index_one_window_earlier_and_change_the_difference(mali, mopti):
    # A: severity 5, counts 0 (known), 135 days ago; B: the same, today. 10 points each.
    incident(mopti, severity=5, killed=0, injured=0, abducted=0, occurred_on=days_ago(135))
    incident(mopti, severity=5, killed=0, injured=0, abducted=0)

    breakdown = risk_of(country_risk(mali, now=NOW), mopti).breakdown

    # Now: A 10 * 0.5 ** (135/45) = 1.25, B 10; sum 11.25; round(100 * (1 - exp(-11.25/60))) = round(17.10) = 17.
    # 90 days ago: only A, 45 days old then: 10 * 0.5 = 5; round(7.9956) = 8. Change 17 - 8 = 9.
    assert (breakdown["previous_index"], breakdown["change"]) == (8, 9)
    assert breakdown["incidents"] == 1  # A is before the window


def test_a_place_with_no_incident_a_window_ago_has_no_previous_index(mali, mopti):
    incident(mopti, severity=2, occurred_on=days_ago(30))

    breakdown = risk_of(country_risk(mali, now=NOW), mopti).breakdown

    assert (breakdown["previous_index"], breakdown["change"]) == (None, None)


def test_top_places_are_the_three_place_names_with_most_incidents_in_the_window(mali, mopti, gao):
    for name in ["Sévaré-Bandiagara road", "Sévaré-Bandiagara road", "Mopti", "Konna", "Douentza", ""]:
        incident(mopti, place_name=name, occurred_on=days_ago(5))
    incident(mopti, place_name="Boni", occurred_on=days_ago(100))  # before the window
    incident(gao, place_name="Ansongo", occurred_on=days_ago(5))
    incident(gao, place_name="Ansongo", occurred_on=days_ago(6))

    places = country_risk(mali, now=NOW)

    # Ties in alphabetical order; the blank name is ignored.
    assert risk_of(places, mopti).breakdown["top_places"] == [
        ["Sévaré-Bandiagara road", 2],
        ["Douentza", 1],
        ["Konna", 1],
    ]
    assert risk_of(places, gao).breakdown["top_places"] == [["Ansongo", 2]]
    assert risk_of(places, None).breakdown["top_places"] == [
        ["Ansongo", 2],
        ["Sévaré-Bandiagara road", 2],
        ["Douentza", 1],
    ]


def test_the_computation_makes_the_same_few_queries_for_1_or_30_incidents(mali, mopti, gao, django_assert_num_queries):
    OrganisationFactory.create(kind=Organisation.Kind.INGO)
    incident(mopti, targets=("ngo-staff",), place_name="Konna")
    # Regions, organisations' kinds, the incidents' sums by region and day, the same for those
    # that named targets weighing 1.5 and 1.25 times more (one per distinct factor), the window's
    # targeted counts, its incidents by category and by place name.
    with django_assert_num_queries(8):
        country_risk(mali, now=NOW)
    for number in range(29):
        incident(
            gao if number % 2 else mopti,
            severity=1 + number % 5,
            killed=number % 3 or None,
            occurred_on=days_ago(number * 7),
            place_name=f"Village {number % 4}",
            targets=("foreigners", "ngo-staff") if number % 3 else (),
        )
    with django_assert_num_queries(8):
        country_risk(mali, now=NOW)


# Writing the assessments ------------------------------------------------------------------


def test_a_recomputation_writes_a_row_only_on_change_or_on_a_new_day(mali, mopti):
    regions = Region.objects.filter(country=mali).count()
    risk_recompute(country=mali, now=NOW)
    assert RiskAssessment.objects.filter(country=mali).count() == regions + 1

    risk_recompute(country=mali, now=NOW + dt.timedelta(hours=1))  # nothing changed, same day
    assert RiskAssessment.objects.filter(country=mali).count() == regions + 1

    incident(mopti, severity=5, killed=0, injured=0, abducted=0)
    rows = risk_recompute(country=mali, now=NOW + dt.timedelta(hours=2))  # Mopti and the country changed
    assert RiskAssessment.objects.filter(country=mali).count() == regions + 3
    assert [row.index for row in rows if row.region_id in (None, mopti.pk)] == [
        # 10 points today; round(100 * (1 - exp(-10/60))) = round(15.35) = 15.
        15,
        15,
    ]

    risk_recompute(country=mali, now=NOW + dt.timedelta(days=1))  # a new day: a point for every place
    assert RiskAssessment.objects.filter(country=mali).count() == 2 * (regions + 1) + 2
    assert RiskAssessment.objects.current().filter(country=mali).count() == regions + 1
    assert RiskAssessment.objects.current().of_region(mopti).count() == 1
    assert RiskAssessment.objects.current().of_country(mali).count() == 1
    history = list(RiskAssessment.objects.of_region(mopti).order_by("computed_at").values_list("index", "is_current"))
    assert history == [(0, False), (15, False), (15, True)]  # 10 * 0.5 ** (1/45) still rounds to 15


def test_the_published_level_is_the_places_own_current_advisory(mali, mopti):
    AdvisoryFactory.create(country=mali, region=None, level=AdvisoryLevel.RECONSIDER_TRAVEL)
    risk_recompute(country=mali, now=NOW)
    assert RiskAssessment.objects.current().of_country(mali).get().published_level == AdvisoryLevel.RECONSIDER_TRAVEL
    assert RiskAssessment.objects.current().of_region(mopti).get().published_level is None

    AdvisoryFactory.create(country=mali, region=mopti, level=AdvisoryLevel.DO_NOT_TRAVEL)
    risk_recompute(country=mali, now=NOW + dt.timedelta(minutes=5))

    assert RiskAssessment.objects.current().of_region(mopti).get().published_level == AdvisoryLevel.DO_NOT_TRAVEL
    assert RiskAssessment.objects.of_region(mopti).count() == 2  # the published level changed


def test_each_written_row_is_announced_with_the_previous_and_the_current_row(
    mali, mopti, django_capture_on_commit_callbacks
):
    heard: list[dict[str, Any]] = []

    def receiver(sender: Any, **kwargs: Any) -> None:
        heard.append(kwargs)

    risk_assessed.connect(receiver, dispatch_uid="test-risk-assessed")
    try:
        with django_capture_on_commit_callbacks(execute=True):
            first = risk_recompute(country=mali, now=NOW)
        assert len(heard) == len(first)
        assert all(kwargs["previous"] is None for kwargs in heard)
        heard.clear()

        incident(mopti, severity=5, killed=0, injured=0, abducted=0)
        with django_capture_on_commit_callbacks(execute=True):
            risk_recompute(country=mali, now=NOW + dt.timedelta(hours=1))
    finally:
        risk_assessed.disconnect(dispatch_uid="test-risk-assessed")

    assert {(kwargs["current"].region_id, kwargs["previous"].index, kwargs["current"].index) for kwargs in heard} == {
        (None, 0, 15),
        (mopti.pk, 0, 15),
    }
    assert all(kwargs["previous"].region_id == kwargs["current"].region_id for kwargs in heard)


# Through the incidents' life ------------------------------------------------------------


def _current_index(region: Region) -> int:
    return RiskAssessment.objects.current().of_region(region).get().index


def test_publishing_raises_the_index_and_retracting_lowers_it_back(
    cast, mali, mopti, django_capture_on_commit_callbacks
):
    logged = incident(
        mopti, severity=5, killed=0, injured=0, abducted=0, status=ReviewStatus.SUBMITTED, organisation=cast.org_a
    )
    with django_capture_on_commit_callbacks(execute=True):
        incident_publish(incident=logged, analyst=cast.analyst)
    # 10 points today (the incident is of today): round(15.35) = 15.
    assert _current_index(mopti) == 15

    with django_capture_on_commit_callbacks(execute=True):
        incident_retract(incident=logged, analyst=cast.analyst, reason="A duplicate of another report.")
    assert _current_index(mopti) == 0
    assert list(
        RiskAssessment.objects.of_region(mopti).order_by("computed_at", "pk").values_list("index", flat=True)
    ) == [
        15,
        0,
    ]


def _fields(incident: Incident, **changes: Any) -> IncidentFields:
    values = {
        name: getattr(incident, name)
        for name in ("title", "incident_type", "occurred_on", "country", "severity", "sharing_level", "region")
    }
    values |= {name: getattr(incident, name) for name in ("killed", "injured", "abducted")}
    return IncidentFields(**(values | changes))


def test_correcting_a_published_incident_moves_the_index_of_the_places_it_left_and_joined(
    cast, mali, mopti, gao, django_capture_on_commit_callbacks
):
    published = incident(mopti, severity=5, killed=0, injured=0, abducted=0, organisation=cast.org_a)
    risk_recompute(country=mali)
    assert _current_index(mopti) == 15

    with django_capture_on_commit_callbacks(execute=True):
        incident_update(incident=published, editor=cast.officer_a, data=_fields(published, region=gao, severity=1))

    # Gao: severity 1, counts 0, today: 1 point; round(100 * (1 - exp(-1/60))) = round(1.65) = 2.
    assert (_current_index(mopti), _current_index(gao)) == (0, 2)


def test_a_correction_that_makes_a_published_incident_green_takes_it_out_of_the_public_index(
    cast, mali, mopti, django_capture_on_commit_callbacks
):
    published = incident(mopti, severity=5, killed=0, injured=0, abducted=0, organisation=cast.org_a)
    risk_recompute(country=mali)

    with django_capture_on_commit_callbacks(execute=True):
        incident_update(
            incident=published, editor=cast.officer_a, data=_fields(published, sharing_level=SharingLevel.GREEN)
        )

    assert _current_index(mopti) == 0


# The command --------------------------------------------------------------------------------


def test_the_command_recomputes_one_country_and_prints_what_changed(mali, mopti):
    incident(mopti, severity=5, killed=0, injured=0, abducted=0)
    out = StringIO()

    call_command("recompute_risk", "--country", "ml", stdout=out)

    text = out.getvalue()
    assert "Mali: index 15, suggested level 1" in text
    assert "Mopti: index 15, suggested level 1" in text
    places = Region.objects.filter(country=mali).count() + 1
    assert f"{places} of {places} places have a new assessment." in text

    out = StringIO()
    call_command("recompute_risk", "--country", "ML", stdout=out)
    assert f"0 of {places} places have a new assessment." in out.getvalue()


@pytest.mark.parametrize(
    ("code", "message"),
    [("zz", "No country has the code ZZ."), ("mali", "“mali” is not a country code"), ("1!", "is not a country code")],
)
def test_the_command_refuses_a_country_code_it_does_not_know(db, code, message):
    with pytest.raises(CommandError, match=message):
        call_command("recompute_risk", "--country", code, stdout=StringIO())


# The tasks ----------------------------------------------------------------------------------


def test_a_second_request_within_a_minute_does_not_queue_another_recomputation(mali, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    with mock.patch.object(tasks.recompute_country_risk, "apply_async") as apply_async:
        assert tasks.schedule_risk_recompute(mali.pk) is True
        assert tasks.schedule_risk_recompute(mali.pk) is False
        assert tasks.schedule_risk_recompute(mali.pk + 1) is True  # another country has its own minute

    assert apply_async.call_count == 2
    assert apply_async.call_args_list[0] == mock.call((mali.pk,), countdown=60, retry=False)


def test_once_the_recomputation_starts_a_new_request_queues_the_next_one(mali, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    with mock.patch.object(tasks.recompute_country_risk, "apply_async") as apply_async:
        tasks.schedule_risk_recompute(mali.pk)
        tasks.recompute_country_risk(mali.pk)  # the queued run
        assert tasks.schedule_risk_recompute(mali.pk) is True

    assert apply_async.call_count == 2


def test_a_request_the_broker_refuses_leaves_the_next_request_free_to_queue(mali, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    with mock.patch.object(tasks.recompute_country_risk, "apply_async", side_effect=ConnectionError("down")):
        assert tasks.schedule_risk_recompute(mali.pk) is False
    with mock.patch.object(tasks.recompute_country_risk, "apply_async") as apply_async:
        assert tasks.schedule_risk_recompute(mali.pk) is True
    assert apply_async.call_count == 1


def test_inline_every_request_recomputes_at_once(mali, mopti):
    tasks.schedule_risk_recompute(mali.pk)
    incident(mopti, severity=5, killed=0, injured=0, abducted=0)
    tasks.schedule_risk_recompute(mali.pk)  # within the minute: inline, nothing waits

    assert _current_index(mopti) > 0


def test_the_nightly_recomputation_covers_countries_with_public_incidents(mali, mopti):
    incident(mopti, severity=5, killed=0, injured=0, abducted=0)

    assert tasks.recompute_all_risk() == Region.objects.filter(country=mali).count() + 1
    assert RiskAssessment.objects.current().of_region(mopti).get().index == 15
    assert not RiskAssessment.objects.exclude(country=mali).exists()


def test_a_task_for_a_country_that_no_longer_exists_does_nothing(db):
    assert tasks.recompute_country_risk(999_999) == 0


def test_the_nightly_recomputation_is_scheduled_once(db):
    [scheduled] = PeriodicTask.objects.filter(task=tasks.RECOMPUTE_ALL_TASK)
    assert scheduled.name == RISK_SCHEDULE_NAME
    assert scheduled.crontab is not None
    assert (scheduled.crontab.hour, scheduled.crontab.minute, str(scheduled.crontab.timezone)) == ("2", "30", "UTC")
    assert risk_schedule_ensure() is False


def test_a_deleted_nightly_recomputation_comes_back_when_ensured_and_an_edited_one_is_left_alone(db):
    PeriodicTask.objects.filter(task=tasks.RECOMPUTE_ALL_TASK).delete()
    assert risk_schedule_ensure() is True
    PeriodicTask.objects.filter(task=tasks.RECOMPUTE_ALL_TASK).update(name="Risk at 03:00", enabled=False)
    assert risk_schedule_ensure() is False
    assert PeriodicTask.objects.filter(task=tasks.RECOMPUTE_ALL_TASK).count() == 1


def test_an_incident_that_changes_only_the_explanation_updates_the_current_row_without_a_new_one(mali, mopti):
    incident(mopti, severity=5, killed=0, injured=0, abducted=0)
    risk_recompute(country=mali, now=NOW)
    # A place name changes the words of the explanation, not the index.
    Incident.objects.filter(region=mopti).update(place_name="Konna")
    rows = risk_recompute(country=mali, now=NOW + dt.timedelta(minutes=1))

    assert RiskAssessment.objects.of_region(mopti).count() == 1
    current = next(row for row in rows if row.region_id == mopti.pk)
    assert current.breakdown["top_places"] == [["Konna", 1]]
    assert RiskAssessment.objects.current().of_region(mopti).get().breakdown["top_places"] == [["Konna", 1]]
