"""A subscription says the language of its e-mails: chosen on the forms (starting from the page's
language), written through the API among en and fr only, and shown in the admin."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from alerts.models import Subscription
from tests.alerts.makers import subscribe
from tests.alerts.pages import form_data, signed_in, traveler_data
from tests.api.alerts_api import SUBSCRIPTIONS, a_desk_subscription, detail, errors, payload
from tests.api.clients import client_of

pytestmark = pytest.mark.django_db

SUBSCRIBE = reverse("alerts:subscribe")
CREATE = reverse("alerts:create")


def selected_language(content: str) -> str:
    start = content.index('name="language"')
    select = content[start : content.index("</select>", start)]
    return select.split(" selected>")[0].rsplit('value="', 1)[1].split('"')[0]


def test_the_subscribe_form_starts_from_the_language_the_page_is_read_in():
    french = Client(HTTP_ACCEPT_LANGUAGE="fr").get(SUBSCRIBE).content.decode()
    english = Client(HTTP_ACCEPT_LANGUAGE="en").get(SUBSCRIBE).content.decode()

    assert selected_language(french) == "fr"
    assert selected_language(english) == "en"


def test_a_traveler_who_chooses_french_is_sent_the_confirmation_in_french(
    mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = Client().post(SUBSCRIBE, traveler_data(language="fr"))

    assert response.status_code == 302
    assert Subscription.objects.get().language == "fr"
    [message] = mailoutbox
    assert message.extra_headers["Content-Language"] == "fr"
    assert '<html lang="fr">' in message.alternatives[0][0]


def test_a_form_sent_without_a_language_takes_the_page_language():
    response = Client(HTTP_ACCEPT_LANGUAGE="fr").post(SUBSCRIBE, traveler_data())

    assert response.status_code == 302
    assert Subscription.objects.get().language == "fr"


def test_a_manager_chooses_the_language_and_the_edit_form_shows_it(cast):
    client = signed_in(cast.manager_a)

    assert client.post(CREATE, form_data(language="fr")).status_code == 302

    subscription = Subscription.objects.get()
    assert subscription.language == "fr"
    edit = client.get(reverse("alerts:edit", kwargs={"pk": subscription.pk}), HTTP_ACCEPT_LANGUAGE="en")
    assert selected_language(edit.content.decode()) == "fr"


def test_the_api_writes_and_reads_the_language(cast):
    client = client_of(cast.manager_a)

    created = client.post(SUBSCRIPTIONS, payload(language="fr"), format="json")

    assert created.status_code == 201, created.json()
    assert created.json()["language"] == "fr"
    assert Subscription.objects.get().language == "fr"


def test_the_api_refuses_a_language_vigil_does_not_write_in(cast):
    response = client_of(cast.manager_a).post(SUBSCRIPTIONS, payload(language="de"), format="json")

    assert "“de” is not a language of Vigil's e-mails; choose en or fr." in errors(response)["language"]
    assert not Subscription.objects.exists()


def test_a_patch_of_the_language_keeps_the_rest(cast):
    subscription = a_desk_subscription(cast, time_zone="Asia/Ulaanbaatar")

    response = client_of(cast.manager_a).patch(detail(subscription), {"language": "fr"}, format="json")

    assert response.status_code == 200, response.json()
    subscription.refresh_from_db()
    assert (subscription.language, str(subscription.time_zone)) == ("fr", "Asia/Ulaanbaatar")


def test_the_admin_lists_and_filters_subscriptions_by_language(admin_client):
    subscribe(email="voyageur@example.net", language="fr")
    subscribe(email="traveler@example.net", language="en")

    page = admin_client.get(reverse("admin:alerts_subscription_changelist"), {"language__exact": "fr"})

    content = page.content.decode()
    assert page.status_code == 200
    assert "voyageur@example.net" in content and "traveler@example.net" not in content
