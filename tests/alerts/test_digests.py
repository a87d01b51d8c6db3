"""Digest runs: one per period and time zone, a delivery per recipient with something to read,
nothing twice, and each recipient's e-mail showing only what they may see."""

import datetime as dt
import zoneinfo

import pytest
import time_machine
from django.core.management import call_command

from advisories.models import Country, Region
from advisories.services import advisory_set
from alerts.dispatch import digest_period
from alerts.models import Delivery, DeliveryStatus, DigestRun, Frequency
from incidents.models import Role, SharingLevel
from tests.alerts.makers import subscribe, two_organisations
from tests.factories import IncidentFactory

pytestmark = pytest.mark.django_db

BAMAKO = zoneinfo.ZoneInfo("Africa/Bamako")
# The run at 07:00 on 23 November covers changes from 07:00 on the 22nd.
RUN_AT = dt.datetime(2026, 11, 23, 7, 0, tzinfo=dt.UTC)
DURING = dt.datetime(2026, 11, 22, 15, 0, tzinfo=dt.UTC)
BEFORE = dt.datetime(2026, 11, 21, 15, 0, tzinfo=dt.UTC)


def _org_subscription(organisation, *, frequency=Frequency.DAILY, **fields):
    return subscribe(organisation=organisation, frequency=frequency, confirmed_at=BEFORE, **fields)


def _traveler_subscription(email="traveler@example.net", *, confirmed=True, frequency=Frequency.DAILY, **fields):
    return subscribe(email=email, frequency=frequency, confirmed_at=BEFORE if confirmed else None, **fields)


@pytest.fixture
def two_orgs():
    return two_organisations(role_b=Role.OFFICER)


@pytest.fixture(autouse=True)
def _run_after_commit(django_capture_on_commit_callbacks, monkeypatch):
    """Planning queues the sending after commit; in a test's transaction, run it at once."""
    import alerts.dispatch

    real = alerts.dispatch.digest_run_plan

    def digest_run_plan_and_commit(**kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return real(**kwargs)

    # digest_run_start and send_digests both plan through digest_run_plan.
    monkeypatch.setattr(alerts.dispatch, "digest_run_plan", digest_run_plan_and_commit)


def run_digest(**kwargs):
    import alerts.dispatch

    return alerts.dispatch.digest_run_start(**kwargs)


def _incident_at(moment, **fields):
    with time_machine.travel(moment, tick=False):
        return IncidentFactory.create(**fields)


def test_the_period_of_a_digest_is_the_local_day_or_iso_week():
    late_evening_utc = dt.datetime(2026, 11, 22, 23, 30, tzinfo=dt.UTC)
    assert digest_period(frequency="daily", time_zone="UTC", now=late_evening_utc) == "2026-11-22"
    assert digest_period(frequency="daily", time_zone="Asia/Tokyo", now=late_evening_utc) == "2026-11-23"
    assert digest_period(frequency="weekly", time_zone="UTC", now=late_evening_utc) == "2026-W47"
    assert digest_period(frequency="weekly", time_zone="Asia/Tokyo", now=late_evening_utc) == "2026-W48"


def test_a_daily_digest_goes_to_every_member_once_and_a_second_run_sends_nothing(two_orgs, mailoutbox):
    org_a, _org_b, officer_a, reader_a, _member_b = two_orgs
    _org_subscription(org_a, addresses=["desk@kora.example"])
    _incident_at(DURING, title="Roadblock near Sévaré")

    run = run_digest(frequency="daily", time_zone="Africa/Bamako", now=RUN_AT)

    assert sorted(m.to[0] for m in mailoutbox) == sorted([officer_a.email, reader_a.email, "desk@kora.example"])
    assert set(Delivery.objects.values_list("status", flat=True)) == {DeliveryStatus.SENT}
    again = run_digest(frequency="daily", time_zone="Africa/Bamako", now=RUN_AT + dt.timedelta(hours=3))
    assert again.pk == run.pk
    assert len(mailoutbox) == 3
    assert Delivery.objects.count() == 3
    assert DigestRun.objects.count() == 1


def test_an_empty_digest_is_not_sent(two_orgs, mailoutbox):
    org_a, *_ = two_orgs
    _org_subscription(org_a)
    _incident_at(BEFORE, title="Old news, reported the day before the period")

    run_digest(frequency="daily", time_zone="Africa/Bamako", now=RUN_AT)

    assert mailoutbox == []
    assert not Delivery.objects.exists()


def test_each_recipient_sees_only_the_incidents_their_sharing_rights_allow(two_orgs, mailoutbox):
    org_a, org_b, officer_a, reader_a, member_b = two_orgs
    _org_subscription(org_a, addresses=["desk@kora.example"])
    _org_subscription(org_b)
    _traveler_subscription()
    for level in SharingLevel:
        _incident_at(
            DURING,
            title=f"Incident marked {level.label}",
            sharing_level=level,
            organisation=org_a,
            reporter=officer_a,
            status="submitted" if level not in (SharingLevel.CLEAR,) else "published",
        )

    run_digest(frequency="daily", time_zone="Africa/Bamako", now=RUN_AT)

    seen = {
        message.to[0]: {level.label for level in SharingLevel if f"Incident marked {level.label}\n" in message.body}
        for message in mailoutbox
    }
    assert seen == {
        officer_a.email: {"TLP:CLEAR", "TLP:GREEN", "TLP:AMBER", "TLP:AMBER+STRICT", "TLP:RED"},
        reader_a.email: {"TLP:CLEAR", "TLP:GREEN", "TLP:AMBER", "TLP:AMBER+STRICT"},
        "desk@kora.example": {"TLP:CLEAR", "TLP:GREEN", "TLP:AMBER", "TLP:AMBER+STRICT"},
        member_b.email: {"TLP:CLEAR", "TLP:GREEN"},
        "traveler@example.net": {"TLP:CLEAR"},
    }
    for message in mailoutbox:
        html = message.alternatives[0][0]
        hidden = [level.label for level in SharingLevel if level.label not in seen[message.to[0]]]
        assert not any(f"Incident marked {label}<" in html for label in hidden)


def test_a_digest_follows_places_categories_and_minimum_severity(two_orgs, mailoutbox):
    org_a, *_ = two_orgs
    mopti = Region.objects.get(code="ML-5")
    subscription = _org_subscription(org_a, countries=(), min_severity=3)
    subscription.regions.set([mopti])
    _incident_at(DURING, title="Attack in Mopti, severity 4", region=mopti, severity=4)
    _incident_at(DURING, title="Theft in Mopti, severity 2", region=mopti, severity=2)
    _incident_at(DURING, title="Attack in Gao, severity 5", region=Region.objects.get(code="ML-7"), severity=5)

    run_digest(frequency="daily", time_zone="Africa/Bamako", now=RUN_AT)

    body = mailoutbox[0].body
    assert "Attack in Mopti, severity 4" in body
    assert "Theft in Mopti" not in body
    assert "Attack in Gao" not in body


def test_a_second_digest_covers_only_what_changed_since_the_first(two_orgs, mailoutbox):
    org_a, *_ = two_orgs
    _org_subscription(org_a, include_members=False, addresses=["desk@kora.example"])
    _incident_at(DURING, title="First day's roadblock")
    run_digest(frequency="daily", time_zone="Africa/Bamako", now=RUN_AT)
    _incident_at(RUN_AT + dt.timedelta(hours=5), title="Second day's kidnapping")

    run_digest(frequency="daily", time_zone="Africa/Bamako", now=RUN_AT + dt.timedelta(days=1))

    first, second = mailoutbox
    assert "First day's roadblock" in first.body
    assert "First day's roadblock" not in second.body
    assert "Second day's kidnapping" in second.body


def test_a_digest_reports_advisory_level_changes_with_the_previous_level(two_orgs, mailoutbox):
    org_a, *_ = two_orgs
    _org_subscription(org_a, include_members=False, addresses=["desk@kora.example"])
    mali = Country.objects.get(code="ML")
    with time_machine.travel(BEFORE, tick=False):
        advisory_set(country=mali, level=3, indicators="CT", issued_on=dt.date(2026, 11, 1))
    with time_machine.travel(DURING, tick=False):
        advisory_set(country=mali, level=4, indicators="CTK", issued_on=dt.date(2026, 11, 22))

    run_digest(frequency="daily", time_zone="Africa/Bamako", now=RUN_AT)

    body = mailoutbox[0].body
    assert "Mali: Level 4: Do Not Travel (was Level 3: Reconsider Travel)" in body
    assert "Risk indicators: C Crime, T Terrorism, K Kidnapping or hostage taking" in body


def test_ended_unconfirmed_and_other_time_zone_subscriptions_get_no_digest(two_orgs, mailoutbox):
    _org_a, *_ = two_orgs
    _traveler_subscription("unconfirmed@example.net", confirmed=False)
    ended = _traveler_subscription("ended@example.net")
    ended.ended_at, ended.end_reason = BEFORE, "unsubscribed"
    ended.save()
    _traveler_subscription("tokyo@example.net", time_zone="Asia/Tokyo")
    _traveler_subscription("weekly@example.net", frequency=Frequency.WEEKLY)
    _traveler_subscription("daily@example.net")
    _incident_at(DURING)

    run_digest(frequency="daily", time_zone="Africa/Bamako", now=RUN_AT)

    assert [m.to for m in mailoutbox] == [["daily@example.net"]]


def test_a_digest_e_mail_has_text_html_and_one_click_unsubscribe_headers(mailoutbox):
    _traveler_subscription()
    _incident_at(DURING, title="Carjacking on the Ségou road")

    run_digest(frequency="daily", time_zone="Africa/Bamako", now=RUN_AT)

    (message,) = mailoutbox
    delivery = Delivery.objects.get()
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    unsubscribe = message.extra_headers["List-Unsubscribe"]
    assert unsubscribe.startswith("<http") and "/alerts/unsubscribe/" in unsubscribe
    assert unsubscribe.strip("<>") in message.body
    assert message.extra_headers["Message-ID"] == delivery.message_id
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert "Carjacking on the Ségou road" in html
    assert delivery.subject == message.subject
    assert "2026-11-23" in message.subject and "Mali" in message.subject


def test_script_in_an_incident_title_is_escaped_in_the_html_part(mailoutbox):
    _traveler_subscription()
    _incident_at(DURING, title="<script>alert(1)</script> at the market")

    run_digest(frequency="daily", time_zone="Africa/Bamako", now=RUN_AT)

    html = mailoutbox[0].alternatives[0][0]
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; at the market" in html


def test_a_digest_gives_known_casualties_and_says_which_are_not_known(mailoutbox):
    _traveler_subscription()
    _incident_at(DURING, title="Ambush on the Ségou road", killed=3, injured=None, abducted=None)

    run_digest(frequency="daily", time_zone="Africa/Bamako", now=RUN_AT)

    (message,) = mailoutbox
    assert "· 3 killed; injured and abducted not known" in message.body
    assert "· 3 killed; injured and abducted not known" in message.alternatives[0][0]


def test_send_digests_runs_every_time_zone_and_says_when_a_period_was_already_sent(mailoutbox, capsys):
    _traveler_subscription("bamako@example.net")
    _traveler_subscription("london@example.net", time_zone="Europe/London")
    _incident_at(DURING)

    call_command("send_digests", "--frequency", "daily", "--now", "2026-11-23T07:00")
    first = capsys.readouterr().out
    call_command("send_digests", "--frequency", "daily", "--now", "2026-11-23T09:00")
    second = capsys.readouterr().out

    assert sorted(m.to[0] for m in mailoutbox) == ["bamako@example.net", "london@example.net"]
    assert "Daily digest 2026-11-23 (Africa/Bamako): 1 digests planned: 1 sent" in first
    assert "Daily digest 2026-11-23 (Europe/London): 1 digests planned: 1 sent" in first
    assert second.count("already run for this period (1 sent)") == 2


def test_send_digests_refuses_a_moment_that_is_not_iso():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="not an ISO date"):
        call_command("send_digests", "--frequency", "daily", "--now", "tomorrow")
