"""`manage.py load_demo` loads the alerts demo data: the demo NGOs' and a demo traveler's
subscriptions (with the demo accounts only), and the digest schedules of their time zones."""

import datetime as dt
from io import StringIO
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django_celery_beat.models import CrontabSchedule, PeriodicTask

from advisories.models import ThreatCategory
from alerts.demo import subscriptions
from alerts.models import Delivery, DeliveryStatus, EndReason, Frequency, Subscription
from incidents.models import Incident, SharingLevel

pytestmark = pytest.mark.django_db

KORA_MEMBERS = {"kora-officer@vigil.localhost", "kora-manager@vigil.localhost", "kora-reader@vigil.localhost"}
DAILY_RECIPIENTS = {*KORA_MEMBERS, subscriptions.KORA_DESK_EMAIL, subscriptions.TRAVELER_EMAIL}
# Noon in Bamako and 13:00 in Paris: "tomorrow" is the same date in both.
LOADED_AT = dt.datetime(2026, 3, 10, 12, 0, tzinfo=dt.UTC)
TOMORROW = "2026-03-11"


def load(*args: str) -> str:
    out, err = StringIO(), StringIO()
    call_command("load_demo", *args, stdout=out, stderr=err)
    return out.getvalue()


def dump() -> dict[str, list[dict[str, Any]]]:
    """Every value of every row the alerts loader may touch, updated_at included."""
    models: list[Any] = [
        Subscription,
        Subscription.countries.through,
        Subscription.regions.through,
        Subscription.categories.through,
        PeriodicTask,
        CrontabSchedule,
    ]
    return {model.__name__: list(model.objects.order_by("pk").values()) for model in models}


def subscription(record: Any) -> Subscription:
    found = Subscription.objects.filter(name=record.name)
    if record.organisation:
        return found.get(organisation__slug=record.organisation)
    return found.get(email=record.email)


def test_it_creates_the_demo_ngos_and_the_travelers_subscriptions(settings):
    settings.DEBUG = True
    out = load()
    assert "Demo subscriptions: 4 created, 0 updated, 0 unchanged" in out
    rows = {
        (s.organisation.slug if s.organisation else s.email, s.frequency, str(s.time_zone), s.min_severity)
        for s in Subscription.objects.select_related("organisation")
    }
    assert rows == {
        ("demo-kora-aid", Frequency.DAILY, "Africa/Bamako", 1),
        ("demo-kora-aid", Frequency.IMMEDIATE, "Africa/Bamako", 4),
        ("demo-tamarind-relief", Frequency.WEEKLY, "Africa/Bamako", 2),
        (subscriptions.TRAVELER_EMAIL, Frequency.DAILY, "Europe/Paris", 2),
    }
    kora_daily = subscription(subscriptions.KORA_DAILY)
    assert kora_daily.include_members and kora_daily.addresses == [subscriptions.KORA_DESK_EMAIL]
    assert kora_daily.created_by is not None and kora_daily.created_by.username == "kora_manager"
    assert list(kora_daily.countries.values_list("code", flat=True)) == ["ML"]
    assert not kora_daily.regions.exists() and not kora_daily.categories.exists()
    tamarind = subscription(subscriptions.TAMARIND_WEEKLY)
    assert not tamarind.countries.exists()
    assert set(tamarind.regions.values_list("code", flat=True)) == {"ML-1", "ML-2"}
    assert set(tamarind.categories.values_list("slug", flat=True)) == {"crime", "kidnapping", "terrorism"}
    traveler = subscription(subscriptions.TRAVELER_DAILY)
    assert traveler.organisation is None and traveler.user is None
    assert traveler.confirmed_at is not None


def test_each_demo_subscription_is_valid_active_and_follows_somewhere(settings):
    settings.DEBUG = True
    load()
    assert Subscription.objects.count() == len(subscriptions.SUBSCRIPTIONS)
    for row in Subscription.objects.all():
        row.full_clean()
        assert row.is_active, row.name
        assert row.countries.exists() or row.regions.exists(), row.name
    assert Subscription.objects.active().count() == len(subscriptions.SUBSCRIPTIONS)


def test_every_demo_address_is_a_made_up_one_under_localhost(settings):
    settings.DEBUG = True
    load()
    for row in Subscription.objects.all():
        for address in [row.email, *row.addresses]:
            if address:
                assert address.endswith("@vigil.localhost"), address


def test_it_schedules_the_digests_of_the_subscriptions_time_zones(settings):
    settings.DEBUG = True
    out = load()
    assert "Digest schedules: 4 created, 0 updated, 0 unchanged" in out
    names = set(PeriodicTask.objects.filter(task="alerts.tasks.digest_start").values_list("name", flat=True))
    assert names >= {
        "Daily digest (Africa/Bamako)",
        "Weekly digest (Africa/Bamako)",
        "Daily digest (Europe/Paris)",
        "Weekly digest (Europe/Paris)",
    }


def test_running_it_twice_changes_nothing(settings):
    settings.DEBUG = True
    with time_machine.travel(dt.datetime(2025, 1, 1, tzinfo=dt.UTC), tick=False):
        load()
    before = dump()
    assert len(before["Subscription"]) == 4
    # A later clock: any row saved again would get a new updated_at.
    with time_machine.travel(dt.datetime(2025, 6, 1, tzinfo=dt.UTC), tick=False):
        out = load()
    assert dump() == before
    assert "Demo subscriptions: 0 created, 0 updated, 4 unchanged" in out
    assert "Digest schedules: 0 created, 0 updated, 4 unchanged" in out


def test_without_the_demo_accounts_it_creates_no_subscriptions_or_schedules(settings):
    settings.DEBUG = False
    before = set(PeriodicTask.objects.values_list("name", flat=True))
    out = load()
    assert not Subscription.objects.exists()
    assert set(PeriodicTask.objects.values_list("name", flat=True)) == before
    assert "Demo subscriptions" not in out and "Digest schedules" not in out


def test_an_edited_subscription_is_put_back(settings):
    settings.DEBUG = True
    load()
    kora_daily = subscription(subscriptions.KORA_DAILY)
    Subscription.objects.filter(pk=kora_daily.pk).update(min_severity=5, time_zone="UTC", addresses=[])
    kora_daily.countries.clear()
    traveler = subscription(subscriptions.TRAVELER_DAILY)
    traveler.categories.set([ThreatCategory.objects.get(slug="cyber")])
    out = load()
    assert "Demo subscriptions: 0 created, 2 updated, 2 unchanged" in out
    kora_daily.refresh_from_db()
    assert (kora_daily.min_severity, str(kora_daily.time_zone)) == (1, "Africa/Bamako")
    assert kora_daily.addresses == [subscriptions.KORA_DESK_EMAIL]
    assert list(kora_daily.countries.values_list("code", flat=True)) == ["ML"]
    assert not traveler.categories.exists()


def test_an_ended_subscription_stays_ended(settings):
    settings.DEBUG = True
    load()
    traveler = subscription(subscriptions.TRAVELER_DAILY)
    ended_at = dt.datetime(2026, 1, 2, tzinfo=dt.UTC)
    Subscription.objects.filter(pk=traveler.pk).update(ended_at=ended_at, end_reason=EndReason.UNSUBSCRIBED)
    out = load()
    assert "Demo subscriptions: 0 created, 0 updated, 4 unchanged" in out
    traveler.refresh_from_db()
    assert (traveler.ended_at, traveler.end_reason) == (ended_at, EndReason.UNSUBSCRIBED)
    assert Subscription.objects.filter(email=subscriptions.TRAVELER_EMAIL).count() == 1


def test_loading_the_demo_alerts_nobody(settings, django_capture_on_commit_callbacks):
    # The advisories load_demo writes are announced as changes when its transaction commits,
    # with the demo's immediate subscription already there.
    settings.DEBUG = True
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        load()
    assert callbacks, "load_demo announced no change at all; this test would prove nothing"
    assert not Delivery.objects.exists()
    assert mail.outbox == []


def send_digests(capture: Any) -> None:
    """`send_digests --frequency daily --now <tomorrow>`; the sending it queues after commit runs at once."""
    with capture(execute=True):
        call_command("send_digests", "--frequency", "daily", "--now", TOMORROW, stdout=StringIO())


def test_the_days_digest_after_load_demo_reaches_each_daily_demo_recipient_once(
    settings, django_capture_on_commit_callbacks
):
    settings.DEBUG = True
    with time_machine.travel(LOADED_AT, tick=False):
        load()
        send_digests(django_capture_on_commit_callbacks)
    recipients = [message.to for message in mail.outbox]
    assert sorted(address for to in recipients for address in to) == sorted(DAILY_RECIPIENTS)
    sent = Delivery.objects.filter(status=DeliveryStatus.SENT)
    assert set(sent.values_list("email", flat=True)) == DAILY_RECIPIENTS
    assert sent.count() == len(DAILY_RECIPIENTS)

    # The same period again: nothing more.
    with time_machine.travel(LOADED_AT + dt.timedelta(hours=1), tick=False):
        send_digests(django_capture_on_commit_callbacks)
    assert len(mail.outbox) == len(DAILY_RECIPIENTS)


def test_each_demo_digest_shows_only_what_its_recipient_may_see(settings, django_capture_on_commit_callbacks):
    settings.DEBUG = True
    with time_machine.travel(LOADED_AT, tick=False):
        load()
        send_digests(django_capture_on_commit_callbacks)
    bodies = {message.to[0]: str(message.body) for message in mail.outbox}
    red = Incident.objects.get(sharing_level=SharingLevel.RED).title
    public = Incident.objects.filter(organisation=None, severity__gte=2).values_list("title", flat=True)
    for address in ("kora-officer@vigil.localhost", "kora-manager@vigil.localhost"):
        assert red in bodies[address], address
    for address in ("kora-reader@vigil.localhost", subscriptions.KORA_DESK_EMAIL, subscriptions.TRAVELER_EMAIL):
        assert red not in bodies[address], address
    demo_ngo_titles = Incident.objects.exclude(organisation=None).values_list("title", flat=True)
    assert not any(title in bodies[subscriptions.TRAVELER_EMAIL] for title in demo_ngo_titles)
    assert all(title in bodies[subscriptions.TRAVELER_EMAIL] for title in public)
