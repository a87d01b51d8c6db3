"""Time zones are django-timezone-field's: ZoneInfo objects in the code, IANA names in the
database, one rule for what a name is (the IANA names Python knows), used by the services, the
digests, the schedules and the commands."""

from __future__ import annotations

import zoneinfo

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client
from django.urls import reverse

from alerts.forms import FollowForm
from alerts.models import DigestRun, Frequency, Subscription, time_zone_named
from tests.alerts.factories import DigestRunFactory, SubscriptionFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_subscription_s_time_zone_is_a_zoneinfo_kept_as_its_name_in_the_database():
    subscription = SubscriptionFactory.create(time_zone="Asia/Kathmandu")

    subscription.refresh_from_db()
    with connection.cursor() as cursor:
        cursor.execute("SELECT time_zone FROM alerts_subscription WHERE id = %s", [subscription.pk])
        [(stored,)] = cursor.fetchall()

    assert subscription.time_zone == zoneinfo.ZoneInfo("Asia/Kathmandu")
    assert stored == "Asia/Kathmandu"
    assert Subscription.objects.filter(time_zone="Asia/Kathmandu").get() == subscription


@pytest.mark.parametrize("name", ["Africa/Bamako", "UTC", "America/Argentina/Ushuaia", "Europe/London"])
def test_an_iana_name_names_its_time_zone(name):
    assert time_zone_named(name) == zoneinfo.ZoneInfo(name)
    assert time_zone_named(zoneinfo.ZoneInfo(name)) == zoneinfo.ZoneInfo(name)


@pytest.mark.parametrize("value", ["Mars/Olympus", "", None, "../../etc/passwd", "africa/bamako", "Factory", 7])
def test_anything_else_names_no_time_zone(value):
    assert time_zone_named(value) is None


def test_send_digests_refuses_a_time_zone_that_does_not_exist():
    with pytest.raises(CommandError, match=r"^Mars/Olympus is not a time zone name\.$"):
        call_command("send_digests", "--frequency", "daily", "--time-zone", "Mars/Olympus")


def test_send_digests_with_a_time_zone_runs_the_digest_of_its_subscribers_only(capsys):
    SubscriptionFactory.create(time_zone="Africa/Bamako", frequency=Frequency.DAILY)
    SubscriptionFactory.create(time_zone="Europe/Paris", frequency=Frequency.DAILY)

    call_command("send_digests", "--frequency", "daily", "--time-zone", "Europe/Paris", "--now", "2026-11-23T07:00")

    assert [str(run.time_zone) for run in DigestRun.objects.all()] == ["Europe/Paris"]
    assert "(Europe/Paris)" in capsys.readouterr().out


def test_send_digests_runs_every_time_zone_in_the_order_of_their_names(capsys):
    for zone in ("Europe/Paris", "Africa/Bamako", "Asia/Kathmandu"):
        SubscriptionFactory.create(time_zone=zone, frequency=Frequency.DAILY)

    call_command("send_digests", "--frequency", "daily", "--now", "2026-11-23T07:00")

    out = capsys.readouterr().out
    assert out.index("Africa/Bamako") < out.index("Asia/Kathmandu") < out.index("Europe/Paris")


def test_the_admin_filters_digest_runs_by_the_time_zones_they_have_only():
    DigestRunFactory.create(time_zone="Asia/Kathmandu")
    client = Client()
    client.force_login(UserFactory.create(is_staff=True, is_superuser=True))

    content = client.get(reverse("admin:alerts_digestrun_changelist")).content.decode()

    assert "?time_zone=Asia%2FKathmandu" in content
    assert "?time_zone=Europe%2FParis" not in content


def test_the_other_time_zone_box_takes_a_name_with_spaces_around_and_refuses_an_unknown_one():
    box = FollowForm.base_fields["time_zone_other"]

    assert box.clean(" Asia/Ulaanbaatar ") == zoneinfo.ZoneInfo("Asia/Ulaanbaatar")
    assert box.clean("") is None
    with pytest.raises(ValidationError) as error:
        box.clean("Mars/Olympus")
    assert error.value.messages == [
        "Mars/Olympus is not a time zone name; use one like Africa/Bamako or Europe/London."
    ]


def test_spaces_around_a_name_are_ignored():
    assert time_zone_named("  Africa/Bamako\n") == zoneinfo.ZoneInfo("Africa/Bamako")
