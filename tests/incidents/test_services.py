"""incident_clean, incident_submit and the review transitions, tested directly for the edge cases."""

import dataclasses
import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from advisories.models import Country, Region
from incidents.api.serializers import IncidentWriteSerializer
from incidents.forms import IncidentForm
from incidents.models import DESCRIPTION_MAX_LENGTH, Incident, IncidentType, ReviewStatus, SharingLevel
from incidents.services import (
    IncidentFields,
    incident_clean,
    incident_publish,
    incident_retract,
    incident_submit,
    incident_verify,
)
from incidents.signals import incident_published
from tests.factories import IncidentFactory

pytestmark = pytest.mark.django_db


def _fields(**overrides: Any) -> IncidentFields:
    complete = IncidentFields(
        title="Armed robbery at a checkpoint",
        incident_type=IncidentType.objects.get(slug="armed-robbery"),
        occurred_on=dt.date(2024, 11, 2),
        country=Country.objects.get(code="ML"),
        region=Region.objects.get(code="ML-4"),
        severity=3,
        sharing_level=SharingLevel.AMBER,
    )
    return dataclasses.replace(complete, **overrides)


def _messages(excinfo, field):
    return " ".join(excinfo.value.message_dict[field])


def test_it_accepts_a_complete_incident():
    data = incident_clean(_fields())
    assert data.region is not None
    assert data.region.code == "ML-4"


def test_it_rejects_a_latitude_of_95():
    with pytest.raises(ValidationError) as excinfo:
        incident_clean(_fields(latitude=Decimal(95), longitude=Decimal(-4)))
    assert "Latitude 95 is out of range" in _messages(excinfo, "latitude")


def test_it_rejects_a_longitude_beyond_180():
    with pytest.raises(ValidationError) as excinfo:
        incident_clean(_fields(latitude=Decimal(14), longitude=Decimal("180.5")))
    assert "out of range" in _messages(excinfo, "longitude")


def test_it_wants_both_coordinates_or_neither():
    with pytest.raises(ValidationError) as excinfo:
        incident_clean(_fields(latitude=Decimal(14)))
    assert "both latitude and longitude" in _messages(excinfo, "longitude")


@time_machine.travel(dt.datetime(2026, 3, 1, 12, tzinfo=dt.UTC))
def test_it_rejects_a_date_in_the_future():
    with pytest.raises(ValidationError) as excinfo:
        incident_clean(_fields(occurred_on=dt.date(2026, 3, 3)))
    assert "2026-03-03 is in the future" in _messages(excinfo, "occurred_on")


@time_machine.travel(dt.datetime(2026, 3, 1, 12, tzinfo=dt.UTC))
def test_it_accepts_tomorrow_where_tomorrow_has_already_begun():
    # At noon UTC it is already 2 March in Kiribati's Line Islands (UTC+14).
    kiribati = Country.objects.get(code="KI")
    fields = _fields(occurred_on=dt.date(2026, 3, 2), country=kiribati, region=kiribati.regions.first())
    assert incident_clean(fields).occurred_on == dt.date(2026, 3, 2)


@time_machine.travel(dt.datetime(2026, 3, 1, 12, tzinfo=dt.UTC))
def test_it_rejects_tomorrow_where_it_is_still_today():
    # At noon UTC it is noon in Bamako too: 2 March has not begun in Mali.
    with pytest.raises(ValidationError) as excinfo:
        incident_clean(_fields(occurred_on=dt.date(2026, 3, 2)))
    assert "2026-03-02 is in the future" in _messages(excinfo, "occurred_on")


@time_machine.travel(dt.datetime(2026, 3, 1, 12, 0, tzinfo=dt.UTC))
def test_it_rejects_a_time_later_today_in_the_incidents_time_zone():
    with pytest.raises(ValidationError) as excinfo:
        incident_clean(_fields(occurred_on=dt.date(2026, 3, 1), occurred_at_time=dt.time(12, 30)))
    assert "It is 12:00 in Mali now: 12:30 today has not come yet." in _messages(excinfo, "occurred_at_time")


@time_machine.travel(dt.datetime(2026, 3, 1, 12, 0, tzinfo=dt.UTC))
def test_it_accepts_a_time_earlier_today_in_the_incidents_time_zone():
    fields = _fields(occurred_on=dt.date(2026, 3, 1), occurred_at_time=dt.time(11, 55))
    assert incident_clean(fields).occurred_at_time == dt.time(11, 55)


@time_machine.travel(dt.datetime(2026, 3, 1, 12, 0, tzinfo=dt.UTC))
def test_it_reads_the_time_in_the_countrys_time_zone_not_utc():
    # Noon UTC is 13:00 in Paris: 12:30 there has passed; in Mali (UTC+0) it has not.
    france = Country.objects.get(code="FR")
    fields = _fields(
        occurred_on=dt.date(2026, 3, 1), occurred_at_time=dt.time(12, 30), country=france, region=france.regions.first()
    )
    assert incident_clean(fields).occurred_at_time == dt.time(12, 30)


def test_it_needs_a_region_or_coordinates():
    with pytest.raises(ValidationError) as excinfo:
        incident_clean(_fields(region=None))
    assert "Pick the region, or give the coordinates" in _messages(excinfo, "region")


def test_it_rejects_a_region_of_another_country():
    with pytest.raises(ValidationError) as excinfo:
        incident_clean(_fields(region=Region.objects.get(code="NE-1")))
    assert "is not a region of Mali" in _messages(excinfo, "region")


def test_it_rejects_a_description_over_the_limit_and_says_by_how_much():
    with pytest.raises(ValidationError) as excinfo:
        incident_clean(_fields(description="x" * (10 * 1024 * 1024)))
    message = _messages(excinfo, "description")
    assert "10,485,760 characters" in message
    assert f"{DESCRIPTION_MAX_LENGTH:,}" in message


@pytest.mark.parametrize("name", ["title", "description", "place_name", "sources"])
def test_a_null_character_that_the_database_would_refuse_never_reaches_it(name):
    # incident_clean does not look for it: every way in refuses it first.
    form = IncidentForm(data={name: "Road\x00block"})
    serializer = IncidentWriteSerializer(data={name: "Road\x00block"}, partial=True)

    assert "Null characters are not allowed." in form.errors[name]
    assert not serializer.is_valid()
    assert [str(message) for message in serializer.errors[name]] == ["Null characters are not allowed."]


def test_it_keeps_markup_as_typed():
    data = incident_clean(_fields(title="<script>alert(1)</script>"))
    assert data.title == "<script>alert(1)</script>"


def test_it_reports_every_problem_at_once():
    with pytest.raises(ValidationError) as excinfo:
        incident_clean(_fields(title=" ", severity=7, region=None))
    assert set(excinfo.value.message_dict) == {"title", "severity", "region"}


def test_an_officer_submits_an_incident_for_review(cast):
    incident = incident_submit(reporter=cast.officer_a, organisation=cast.org_a, data=_fields())
    incident.refresh_from_db()
    assert (incident.status, incident.organisation, incident.reporter) == (
        ReviewStatus.SUBMITTED,
        cast.org_a,
        cast.officer_a,
    )


@pytest.mark.parametrize("person", ["reader_a", "officer_b", "analyst", "outsider"])
def test_only_the_organisations_officers_may_submit_for_it(cast, person):
    with pytest.raises(PermissionDenied):
        incident_submit(reporter=getattr(cast, person), organisation=cast.org_a, data=_fields())
    assert not Incident.objects.exists()


def test_an_invalid_incident_writes_nothing(cast):
    with pytest.raises(ValidationError):
        incident_submit(reporter=cast.officer_a, organisation=cast.org_a, data=_fields(severity=0))
    assert not Incident.objects.exists()


def test_an_analyst_verifies_then_publishes_and_the_publication_is_announced_after_commit(
    cast, django_capture_on_commit_callbacks
):
    incident = IncidentFactory.create(
        organisation=cast.org_a, sharing_level=SharingLevel.GREEN, status=ReviewStatus.SUBMITTED
    )
    heard = []

    def listener(sender, incident_id, **kwargs):
        heard.append(incident_id)

    incident_published.connect(listener)
    try:
        incident_verify(incident=incident, analyst=cast.analyst)
        assert incident.status == ReviewStatus.VERIFIED and incident.verified_by == cast.analyst
        with django_capture_on_commit_callbacks(execute=True):
            incident_publish(incident=incident, analyst=cast.analyst)
    finally:
        incident_published.disconnect(listener)
    assert incident.status == ReviewStatus.PUBLISHED and incident.published_at is not None
    assert heard == [incident.pk]


def test_publishing_twice_is_refused(cast):
    incident = IncidentFactory.create(organisation=cast.org_a, sharing_level=SharingLevel.CLEAR, status="submitted")
    incident_publish(incident=incident, analyst=cast.analyst)
    with pytest.raises(ValidationError, match="Only a submitted or verified incident can be published"):
        incident_publish(incident=incident, analyst=cast.analyst)


def test_analysts_cannot_review_what_the_sharing_level_hides_from_them(cast):
    incident = IncidentFactory.create(organisation=cast.org_a, sharing_level=SharingLevel.AMBER, status="submitted")
    with pytest.raises(PermissionDenied):
        incident_publish(incident=incident, analyst=cast.analyst)
    incident.refresh_from_db()
    assert incident.status == ReviewStatus.SUBMITTED


def test_officers_cannot_review(cast):
    incident = IncidentFactory.create(organisation=cast.org_a, sharing_level=SharingLevel.GREEN, status="submitted")
    with pytest.raises(PermissionDenied):
        incident_verify(incident=incident, analyst=cast.officer_a)


def test_a_retraction_needs_a_reason_and_records_it(cast):
    incident = IncidentFactory.create(organisation=cast.org_a, sharing_level=SharingLevel.CLEAR)
    with pytest.raises(ValidationError):
        incident_retract(incident=incident, analyst=cast.analyst, reason="  ")
    incident_retract(incident=incident, analyst=cast.analyst, reason="Duplicate of an earlier report.")
    assert incident.status == ReviewStatus.RETRACTED
    assert incident.retraction_reason == "Duplicate of an earlier report."
