"""The subscription services for a traveler: the request and its confirmation by the link (double
opt-in), and unsubscribing by the link in any e-mail."""

import datetime as dt
import re

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from alerts.models import EndReason, OptOut, Subscription
from alerts.services import (
    MAX_REQUESTS_PER_DAY,
    UnsubscribeOutcome,
    subscription_confirm,
    subscription_request,
    subscriptions_end_unconfirmed,
    unsubscribe,
)
from alerts.tokens import TokenSubject, confirmation_token, confirmation_token_read, unsubscribe_token
from tests.alerts.factories import SubscriptionFactory, mali_fields
from tests.factories import RegionFactory, UserFactory

pytestmark = pytest.mark.django_db


# A traveler's request and confirmation ---------------------------------------------------------


def test_a_request_creates_an_unconfirmed_subscription_and_mails_the_link_after_commit(
    mailoutbox, django_capture_on_commit_callbacks, settings
):
    settings.VIGIL_PUBLIC_URL = "https://vigil.example/"
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        subscription = subscription_request(email=" Traveler@Example.NET ", data=mali_fields(min_severity=3))
        assert mailoutbox == []  # nothing leaves before the transaction commits

    assert len(callbacks) == 1
    subscription.refresh_from_db()
    assert subscription.email == "traveler@example.net"
    assert subscription.confirmed_at is None
    assert not subscription.is_active
    assert subscription.organisation is None
    assert subscription.include_members is False
    [message] = mailoutbox
    assert message.to == ["traveler@example.net"]
    assert message.subject == "Confirm your Vigil alerts: Mali"
    link = re.search(r"https://vigil\.example/alerts/confirm/([^/\s]+)/", message.body)
    assert link is not None
    assert confirmation_token_read(link.group(1)) == TokenSubject(subscription.pk, "traveler@example.net")
    [(html, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    assert f'href="{link.group(0)}"' in html
    assert "Severity 3 and above" in html


def test_a_second_request_for_the_same_address_is_answered_the_same_way(mailoutbox, django_capture_on_commit_callbacks):
    SubscriptionFactory.create(organisation=None, email="traveler@example.net")

    with django_capture_on_commit_callbacks(execute=True):
        subscription_request(email="traveler@example.net", data=mali_fields())

    assert len(mailoutbox) == 1
    assert Subscription.objects.filter(email="traveler@example.net").count() == 2


def test_a_request_names_what_is_wrong_with_each_field():
    with pytest.raises(ValidationError) as error:
        subscription_request(email="not an address", data=mali_fields(countries=[], time_zone="Nowhere"))

    assert error.value.message_dict == {
        "email": ["Give a valid e-mail address, e.g. name@example.org."],
        "countries": ["Choose at least one country or region to follow."],
        "time_zone": ["“Nowhere” is not a time zone name; use one like Africa/Bamako or Europe/London."],
    }


def test_an_address_too_long_for_smtp_is_refused():
    with pytest.raises(ValidationError) as error:
        subscription_request(email=f"{'a' * 64}@{'b' * 63}.{'c' * 63}.{'d' * 63}.example", data=mali_fields())

    assert error.value.message_dict == {"email": ["Give a valid e-mail address, e.g. name@example.org."]}


def test_an_address_with_a_line_break_is_refused():
    with pytest.raises(ValidationError) as error:
        subscription_request(email="traveler@example.net\r\nBcc: victim@example.org", data=mali_fields())

    assert "email" in error.value.message_dict
    assert not Subscription.objects.exists()


def test_a_place_name_with_line_breaks_cannot_add_a_header_to_the_confirmation(
    mailoutbox, django_capture_on_commit_callbacks
):
    region = RegionFactory.create(name="Ménaka\r\nBcc: victim@example.org")

    with django_capture_on_commit_callbacks(execute=True):
        subscription_request(email="traveler@example.net", data=mali_fields(countries=[], regions=[region]))

    [message] = mailoutbox
    assert message.subject == "Confirm your Vigil alerts: Ménaka Bcc: victim@example.org"
    raw = message.message()
    assert raw["Bcc"] is None
    assert message.recipients() == ["traveler@example.net"]


def test_the_subscription_is_the_signed_in_user_s_only_when_the_address_is_their_own(
    mailoutbox, django_capture_on_commit_callbacks
):
    user = UserFactory.create(email="Amadou@Example.org")
    with django_capture_on_commit_callbacks(execute=True):
        own = subscription_request(email="amadou@example.org", data=mali_fields(), user=user)
        other = subscription_request(email="someone.else@example.org", data=mali_fields(), user=user)

    assert own.user == user
    # Someone else's address would otherwise receive what this user may see.
    assert other.user is None
    assert other.created_by == user


def test_an_address_gets_at_most_five_confirmation_e_mails_a_day(mailoutbox, django_capture_on_commit_callbacks):
    start = dt.datetime(2026, 11, 20, 9, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False), django_capture_on_commit_callbacks(execute=True):
        for _ in range(MAX_REQUESTS_PER_DAY):
            subscription_request(email="traveler@example.net", data=mali_fields())
        with pytest.raises(ValidationError) as error:
            subscription_request(email="Traveler@example.net", data=mali_fields())
        # Another address is not held back.
        subscription_request(email="colleague@example.net", data=mali_fields())

    assert error.value.error_dict["email"][0].code == "rate_limited"
    assert "5 confirmation e-mails have been sent to this address in the last 24 hours" in error.value.messages[0]
    assert "try again tomorrow" in error.value.messages[0]
    assert len(mailoutbox) == MAX_REQUESTS_PER_DAY + 1

    with time_machine.travel(start + dt.timedelta(days=1, minutes=1), tick=False):
        next_day = subscription_request(email="traveler@example.net", data=mali_fields())
    # A day later the address may ask again: a new pending subscription.
    assert next_day.confirmed_at is None
    assert Subscription.objects.filter(email__iexact="traveler@example.net").count() == MAX_REQUESTS_PER_DAY + 1


def test_a_confirmed_request_does_not_count_against_the_address():
    for _ in range(MAX_REQUESTS_PER_DAY):
        subscription = subscription_request(email="traveler@example.net", data=mali_fields())
        subscription_confirm(token=confirmation_token(subscription_id=subscription.pk, email=subscription.email))

    another = subscription_request(email="traveler@example.net", data=mali_fields())
    assert another.confirmed_at is None
    assert Subscription.objects.filter(email="traveler@example.net").count() == MAX_REQUESTS_PER_DAY + 1


def test_the_link_confirms_the_address_once_and_again_changes_nothing():
    subscription = subscription_request(email="traveler@example.net", data=mali_fields())
    token = confirmation_token(subscription_id=subscription.pk, email="traveler@example.net")

    confirmed = subscription_confirm(token=token)
    first = confirmed.confirmed_at
    again = subscription_confirm(token=token)

    assert first is not None
    assert again.confirmed_at == first
    assert Subscription.objects.active().filter(pk=subscription.pk).exists()


def test_an_expired_link_says_so():
    with time_machine.travel(dt.datetime(2026, 11, 1, 12, 0, tzinfo=dt.UTC), tick=False):
        subscription = subscription_request(email="traveler@example.net", data=mali_fields())
        token = confirmation_token(subscription_id=subscription.pk, email="traveler@example.net")

    with (
        time_machine.travel(dt.datetime(2026, 11, 9, 12, 0, tzinfo=dt.UTC), tick=False),
        pytest.raises(ValidationError) as error,
    ):
        subscription_confirm(token=token)

    assert error.value.code == "expired"
    assert "This confirmation link has expired: links work for 7 days" in error.value.messages[0]
    subscription.refresh_from_db()
    assert subscription.confirmed_at is None


@pytest.mark.parametrize(
    "tamper",
    [
        lambda token: token[:-2] + ("AA" if not token.endswith("AA") else "BB"),
        lambda token: token[: len(token) // 2],
        lambda token: "nonsense",
    ],
)
def test_a_damaged_link_confirms_nothing(tamper):
    subscription = subscription_request(email="traveler@example.net", data=mali_fields())
    token = confirmation_token(subscription_id=subscription.pk, email="traveler@example.net")

    with pytest.raises(ValidationError) as error:
        subscription_confirm(token=tamper(token))

    assert error.value.code == "invalid"
    subscription.refresh_from_db()
    assert subscription.confirmed_at is None


def test_a_link_for_another_address_or_an_unsubscribe_link_does_not_confirm():
    subscription = subscription_request(email="traveler@example.net", data=mali_fields())

    for token in (
        confirmation_token(subscription_id=subscription.pk, email="intruder@example.net"),
        unsubscribe_token(subscription_id=subscription.pk, email="traveler@example.net"),
    ):
        with pytest.raises(ValidationError):
            subscription_confirm(token=token)

    subscription.refresh_from_db()
    assert subscription.confirmed_at is None


def test_an_ended_subscription_cannot_be_confirmed():
    subscription = subscription_request(email="traveler@example.net", data=mali_fields())
    unsubscribe(token=unsubscribe_token(subscription_id=subscription.pk, email=subscription.email))

    with pytest.raises(ValidationError) as error:
        subscription_confirm(token=confirmation_token(subscription_id=subscription.pk, email=subscription.email))

    assert error.value.code == "ended"
    assert re.search(r"ended on \d{4}-\d{2}-\d{2}, so it can no longer be confirmed", error.value.messages[0])


def test_requests_never_confirmed_are_ended_once_their_link_has_expired():
    with time_machine.travel(dt.datetime(2026, 11, 1, 12, 0, tzinfo=dt.UTC), tick=False):
        stale = subscription_request(email="stale@example.net", data=mali_fields())
        confirmed = subscription_request(email="confirmed@example.net", data=mali_fields())
        subscription_confirm(token=confirmation_token(subscription_id=confirmed.pk, email=confirmed.email))
    with time_machine.travel(dt.datetime(2026, 11, 7, 12, 0, tzinfo=dt.UTC), tick=False):
        recent = subscription_request(email="recent@example.net", data=mali_fields())

    with time_machine.travel(dt.datetime(2026, 11, 8, 12, 1, tzinfo=dt.UTC), tick=False):
        assert subscriptions_end_unconfirmed() == 1
        assert subscriptions_end_unconfirmed() == 0

    ended = Subscription.objects.filter(ended_at__isnull=False)
    assert list(ended.values_list("pk", "end_reason")) == [(stale.pk, EndReason.NEVER_CONFIRMED)]
    assert {confirmed.pk, recent.pk}.isdisjoint(ended.values_list("pk", flat=True))


# Unsubscribing ----------------------------------------------------------------------------------


def test_unsubscribing_ends_a_traveler_s_subscription_once():
    subscription = SubscriptionFactory.create(organisation=None, email="traveler@example.net")
    token = unsubscribe_token(subscription_id=subscription.pk, email="traveler@example.net")

    first = unsubscribe(token=token)
    second = unsubscribe(token=token)

    assert first.outcome is UnsubscribeOutcome.ENDED
    assert second.outcome is UnsubscribeOutcome.ALREADY
    subscription.refresh_from_db()
    assert subscription.end_reason == EndReason.UNSUBSCRIBED
    assert subscription.ended_at is not None
    assert subscription.ended_at <= timezone.now()


def test_unsubscribing_from_an_organisation_s_subscription_opts_the_address_out_only(cast):
    subscription = SubscriptionFactory.create(organisation=cast.org_a, addresses=["desk@sahel.example"])

    first = unsubscribe(token=unsubscribe_token(subscription_id=subscription.pk, email=cast.reader_a.email))
    second = unsubscribe(token=unsubscribe_token(subscription_id=subscription.pk, email=cast.reader_a.email.upper()))

    assert first.outcome is UnsubscribeOutcome.OPTED_OUT
    assert second.outcome is UnsubscribeOutcome.ALREADY
    assert list(OptOut.objects.values_list("email", flat=True)) == [cast.reader_a.email]
    subscription.refresh_from_db()
    assert subscription.is_active


def test_an_unsubscribe_link_of_a_traveler_names_their_own_address_only():
    subscription = SubscriptionFactory.create(organisation=None, email="traveler@example.net")

    with pytest.raises(ValidationError) as error:
        unsubscribe(token=unsubscribe_token(subscription_id=subscription.pk, email="other@example.net"))

    assert error.value.code == "invalid"
    subscription.refresh_from_db()
    assert subscription.ended_at is None
