"""The unsubscribe link of every alert: a GET shows a page and changes nothing, a POST
unsubscribes, and a mail client's RFC 8058 one-click POST works without cookies or CSRF token."""

import pytest
from django.test import Client
from django.urls import reverse

from alerts.models import EndReason, OptOut
from alerts.tokens import confirmation_token, unsubscribe_token, unsubscribe_url
from tests.alerts.factories import SubscriptionFactory, make_cast

pytestmark = pytest.mark.django_db

ONE_CLICK = "List-Unsubscribe=One-Click"


@pytest.fixture
def traveler(db):
    return SubscriptionFactory.create(organisation=None, email="traveler@example.net", name="Trip to Mopti")


def url_for(subscription, email) -> str:
    return reverse(
        "alerts:unsubscribe", kwargs={"token": unsubscribe_token(subscription_id=subscription.pk, email=email)}
    )


def mail_client() -> Client:
    """What a mail provider's one-click request looks like: no session, no CSRF cookie."""
    return Client(enforce_csrf_checks=True)


def test_the_link_in_the_e_mails_leads_to_this_page(traveler, client):
    absolute = unsubscribe_url(subscription_id=traveler.pk, email=traveler.email)
    path = "/" + absolute.split("://", 1)[1].split("/", 1)[1]

    response = client.get(path)

    assert response.status_code == 200
    assert "Stop sending these alerts to traveler@example.net?" in response.content.decode()


def test_a_get_shows_a_page_with_a_button_and_changes_nothing(traveler, client):
    response = client.get(url_for(traveler, traveler.email))

    assert response.status_code == 200
    content = response.content.decode()
    assert "Stop sending these alerts to traveler@example.net?" in content
    assert 'method="post"' in content
    assert '<meta name="robots" content="noindex">' in content
    traveler.refresh_from_db()
    assert traveler.is_active


def test_a_post_from_the_page_ends_a_traveler_s_subscription(traveler, client):
    response = client.post(url_for(traveler, traveler.email))

    assert response.status_code == 200
    assert "traveler@example.net will no longer receive these alerts." in response.content.decode()
    traveler.refresh_from_db()
    assert traveler.end_reason == EndReason.UNSUBSCRIBED
    assert not traveler.is_active


@pytest.mark.parametrize("encoding", ["urlencoded", "multipart"])
def test_a_one_click_post_from_a_mail_client_works_without_csrf_token_or_cookies(traveler, encoding):
    client = mail_client()
    url = url_for(traveler, traveler.email)

    if encoding == "urlencoded":
        response = client.post(url, ONE_CLICK, content_type="application/x-www-form-urlencoded")
    else:
        response = client.post(url, {"List-Unsubscribe": "One-Click"})

    assert response.status_code == 200
    assert "sessionid" not in response.cookies
    traveler.refresh_from_db()
    assert traveler.end_reason == EndReason.UNSUBSCRIBED


def test_unsubscribing_twice_says_it_is_done_already(traveler):
    client = mail_client()
    url = url_for(traveler, traveler.email)
    client.post(url, ONE_CLICK, content_type="application/x-www-form-urlencoded")
    ended_at = type(traveler).objects.get(pk=traveler.pk).ended_at

    again = client.post(url, ONE_CLICK, content_type="application/x-www-form-urlencoded")
    page = client.get(url)

    assert again.status_code == 200
    assert "was already unsubscribed" in again.content.decode()
    assert "no longer receives these alerts: there is nothing more to do" in page.content.decode()
    traveler.refresh_from_db()
    assert traveler.ended_at == ended_at


@pytest.mark.parametrize(
    "token",
    [
        lambda s: unsubscribe_token(subscription_id=s.pk, email=s.email)[:-4] + "abcd",
        lambda s: unsubscribe_token(subscription_id=s.pk, email="someone.else@example.net"),
        lambda s: confirmation_token(subscription_id=s.pk, email=s.email),
        lambda s: "not-a-token",
    ],
    ids=["tampered", "another-address", "a-confirmation-token", "nonsense"],
)
def test_a_link_that_is_not_this_subscription_s_is_a_400_page_and_changes_nothing(traveler, token):
    url = reverse("alerts:unsubscribe", kwargs={"token": token(traveler)})

    for response in (mail_client().get(url), mail_client().post(url, ONE_CLICK, content_type="text/plain")):
        assert response.status_code == 400
        assert "This unsubscribe link is damaged or incomplete" in response.content.decode()

    traveler.refresh_from_db()
    assert traveler.is_active


def test_a_link_to_a_subscription_that_does_not_exist_is_a_400_page(client):
    url = reverse(
        "alerts:unsubscribe", kwargs={"token": unsubscribe_token(subscription_id=999999, email="a@b.example")}
    )

    assert client.post(url).status_code == 400


def test_leaving_an_organisation_s_subscription_stops_it_for_that_address_only(db):
    cast = make_cast()
    subscription = SubscriptionFactory.create(organisation=cast.org_a, addresses=["desk@sahel.example"])
    url = url_for(subscription, "desk@sahel.example")

    page = mail_client().get(url)
    assert "Stop sending Sahel Relief's alerts to desk@sahel.example?" in page.content.decode()
    assert not OptOut.objects.exists()

    response = mail_client().post(url, ONE_CLICK, content_type="application/x-www-form-urlencoded")

    assert response.status_code == 200
    assert "Its other recipients still do." in response.content.decode()
    assert list(OptOut.objects.values_list("subscription_id", "email")) == [(subscription.pk, "desk@sahel.example")]
    subscription.refresh_from_db()
    assert subscription.is_active
    assert subscription.end_reason == ""


def test_the_opted_out_address_is_left_out_of_the_recipients(db):
    from alerts.recipients import subscription_recipients

    cast = make_cast()
    subscription = SubscriptionFactory.create(organisation=cast.org_a, addresses=["desk@sahel.example"])
    before = {recipient.email for recipient in subscription_recipients(subscription)}

    mail_client().post(url_for(subscription, cast.reader_a.email), ONE_CLICK, content_type="text/plain")

    after = {recipient.email for recipient in subscription_recipients(subscription)}
    assert cast.reader_a.email in before
    assert after == before - {cast.reader_a.email}
