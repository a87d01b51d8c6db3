"""A traveler's subscribe and confirm pages, through HTTP: the double opt-in."""

import datetime as dt
import re
from html import unescape

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from alerts.models import Subscription
from alerts.services import MAX_REQUESTS_PER_DAY
from alerts.tokens import confirmation_token
from tests.alerts.factories import SubscriptionFactory
from tests.alerts.pages import csrf_token_of, traveler_data

pytestmark = pytest.mark.django_db

SUBSCRIBE = reverse("alerts:subscribe")

# A traveler's double opt-in -----------------------------------------------------------------


def test_a_traveler_subscribes_confirms_by_the_link_and_only_the_post_confirms(
    mailoutbox, django_capture_on_commit_callbacks
):
    browser = Client(enforce_csrf_checks=True)
    form = browser.get(SUBSCRIBE)
    assert form.status_code == 200

    with django_capture_on_commit_callbacks(execute=True):
        response = browser.post(SUBSCRIBE, traveler_data(csrfmiddlewaretoken=csrf_token_of(form)))

    assert response.status_code == 302
    sent = browser.get(response["Location"])
    assert "Check your inbox" in sent.content.decode()
    subscription = Subscription.objects.get()
    assert subscription.email == "traveler@example.net"
    assert not subscription.is_active
    [message] = mailoutbox
    link = re.search(r"https?://\S+/alerts/confirm/\S+/", message.body)
    assert link is not None
    path = "/" + link.group(0).split("://", 1)[1].split("/", 1)[1]

    # Opened from the e-mail, in a browser that has never been to the site.
    reader = Client(enforce_csrf_checks=True)
    page = reader.get(path)
    subscription.refresh_from_db()
    assert page.status_code == 200
    assert "Yes, send me these alerts" in page.content.decode()
    assert subscription.confirmed_at is None

    done = reader.post(path, {"csrfmiddlewaretoken": csrf_token_of(page)})
    subscription.refresh_from_db()
    assert done.status_code == 200
    assert "Your alerts are confirmed" in done.content.decode()
    assert subscription.is_active
    again = reader.get(path)
    assert "already confirmed" in again.content.decode()


def test_the_confirmation_needs_the_page_s_csrf_token():
    subscription = SubscriptionFactory.create(organisation=None, email="traveler@example.net", confirmed_at=None)
    url = reverse(
        "alerts:confirm",
        kwargs={"token": confirmation_token(subscription_id=subscription.pk, email=subscription.email)},
    )

    response = Client(enforce_csrf_checks=True).post(url)

    assert response.status_code == 403
    subscription.refresh_from_db()
    assert subscription.confirmed_at is None


def test_the_answer_is_the_same_whether_or_not_the_address_has_subscriptions(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    SubscriptionFactory.create(organisation=None, email="known@example.net")

    with django_capture_on_commit_callbacks(execute=True):
        known = client.post(SUBSCRIBE, traveler_data(email="known@example.net"))
        unknown = client.post(SUBSCRIBE, traveler_data(email="unknown@example.net"))

    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    assert len(mailoutbox) == 2


def test_the_subscribe_form_shows_its_problems(client, mailoutbox):
    response = client.post(SUBSCRIBE, traveler_data(email="nobody", countries=None))

    assert response.status_code == 400
    content = unescape(response.content.decode())
    assert "Enter a valid email address." in content
    assert not Subscription.objects.exists()
    response = client.post(SUBSCRIBE, traveler_data(countries=None))
    assert "Choose at least one country or region to follow." in unescape(response.content.decode())
    assert mailoutbox == []


def test_the_subscribe_form_links_each_problem_to_its_field_or_to_the_first_box_of_a_choice(client):
    data = traveler_data(email="nobody", categories=["0"], min_severity="9", frequency="hourly")

    response = client.post(SUBSCRIBE, data)

    html = response.content.decode()
    links = re.findall(r'<li><a href="#([^"]+)">', html)
    assert links == ["id_email", "id_categories_0", "id_min_severity_0", "id_frequency_0"]
    assert all(f'id="{target}"' in html for target in links)
    assert '<legend class="visually-hidden">How often</legend>' in html
    assert '<span class="note-inline">None ticked: every category.</span></legend>' in html


def test_too_many_requests_for_one_address_are_refused_with_a_message(client, mailoutbox):
    for _ in range(MAX_REQUESTS_PER_DAY):
        assert client.post(SUBSCRIBE, traveler_data()).status_code == 302

    response = client.post(SUBSCRIBE, traveler_data())

    assert response.status_code == 429
    assert "try again tomorrow" in response.content.decode()
    assert Subscription.objects.count() == MAX_REQUESTS_PER_DAY


def test_an_expired_confirmation_link_says_so_and_offers_to_subscribe_again(client):
    with time_machine.travel(dt.datetime(2026, 11, 1, 12, 0, tzinfo=dt.UTC), tick=False):
        subscription = SubscriptionFactory.create(organisation=None, email="traveler@example.net", confirmed_at=None)
        url = reverse(
            "alerts:confirm",
            kwargs={"token": confirmation_token(subscription_id=subscription.pk, email=subscription.email)},
        )

    with time_machine.travel(dt.datetime(2026, 11, 10, 12, 0, tzinfo=dt.UTC), tick=False):
        page = client.get(url)
        post = client.post(url)

    for response in (page, post):
        assert response.status_code == 400
        assert "This confirmation link has expired" in response.content.decode()
        assert f'href="{SUBSCRIBE}"' in response.content.decode()
    subscription.refresh_from_db()
    assert subscription.confirmed_at is None


def test_a_damaged_confirmation_link_is_a_400_page(client):
    subscription = SubscriptionFactory.create(organisation=None, email="traveler@example.net", confirmed_at=None)
    token = confirmation_token(subscription_id=subscription.pk, email=subscription.email)

    response = client.post(reverse("alerts:confirm", kwargs={"token": token[:-3] + "xyz"}))

    assert response.status_code == 400
    assert "This confirmation link is damaged or incomplete" in response.content.decode()
    subscription.refresh_from_db()
    assert subscription.confirmed_at is None
