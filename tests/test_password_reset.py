"""Someone who forgot their password finds the link on the sign-in page, gets an e-mail with a
link, chooses a new password and signs in with it, on Vigil's own pages. The sign-in lock
(django-axes) does not stand in the way of a reset."""

import re

import pytest
from django.contrib.auth import authenticate
from django.http import HttpRequest
from django.test import Client
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

OLD = "correct horse battery staple"
NEW = "a brand new sahel passphrase"


@pytest.fixture
def awa():
    user = UserFactory.create(username="awa", email="awa@sahel-relief.example")
    user.set_password(OLD)
    user.save()
    return user


def reset_link(client: Client, email: str, mailoutbox) -> str:
    """Asks for a reset of the account with this address; the path of the link e-mailed."""
    sign_in_page = client.get(reverse("login")).content.decode()
    assert f'<a href="{reverse("password_reset")}">Forgot your password?</a>' in sign_in_page
    response = client.post(reverse("password_reset"), {"email": email}, follow=True)
    assert response.status_code == 200
    assert "Check your e-mail" in response.content.decode()
    assert len(mailoutbox) == 1
    found = re.search(r"https?://testserver(/accounts/reset/[^\s]+/)", mailoutbox[0].body)
    assert found, mailoutbox[0].body
    return found.group(1)


def test_the_whole_reset_ends_with_signing_in_with_the_new_password(client, awa, mailoutbox):
    link = reset_link(client, "awa@sahel-relief.example", mailoutbox)

    mail = mailoutbox[0]
    assert mail.to == ["awa@sahel-relief.example"]
    assert mail.subject == "Reset your Vigil password"
    assert "Hello awa," in mail.body and "If you did not ask for it, ignore this e-mail" in mail.body
    form = client.get(link, follow=True)
    page = form.content.decode()
    assert "Choose a new password" in page and 'href="/static/css/vigil.css"' in page
    done = client.post(form.redirect_chain[-1][0], {"new_password1": NEW, "new_password2": NEW}, follow=True)
    assert done.redirect_chain[-1][0] == reverse("password_reset_complete")
    assert "Your new password is saved." in done.content.decode()

    assert authenticate(HttpRequest(), username="awa", password=OLD) is None
    fresh = Client()
    assert fresh.login(request=HttpRequest(), username="awa", password=NEW)
    signed_in = fresh.post(reverse("login"), {"username": "awa", "password": NEW})
    assert signed_in.status_code == 302


def test_the_pages_are_vigils_not_the_admins(client, awa):
    for name in ["password_reset", "password_reset_done", "password_reset_complete"]:
        html = client.get(reverse(name)).content.decode()
        assert "Django administration" not in html and "Vigil administration" not in html, name
        assert '<a class="site-name" href="/">Vigil</a>' in html, name


def test_a_used_link_says_so_and_offers_a_new_one(client, awa, mailoutbox):
    link = reset_link(client, "awa@sahel-relief.example", mailoutbox)
    form = client.get(link, follow=True)
    client.post(form.redirect_chain[-1][0], {"new_password1": NEW, "new_password2": NEW})

    again = client.get(link, follow=True).content.decode()

    assert "This link no longer works" in again
    assert f'href="{reverse("password_reset")}"' in again


def test_an_unknown_address_sends_nothing_and_says_the_same(client, awa, mailoutbox):
    response = client.post(reverse("password_reset"), {"email": "nobody@example.org"}, follow=True)

    assert "Check your e-mail" in response.content.decode()
    assert mailoutbox == []


def test_a_locked_out_account_can_still_reset_its_password(client, awa, mailoutbox):
    for _ in range(6):
        locked = Client(REMOTE_ADDR="203.0.113.7").post(reverse("login"), {"username": "awa", "password": "wrong"})
    assert locked.status_code == 429
    assert f'href="{reverse("password_reset")}"' in locked.content.decode()

    link = reset_link(Client(REMOTE_ADDR="203.0.113.7"), "awa@sahel-relief.example", mailoutbox)

    assert link.startswith("/accounts/reset/")
