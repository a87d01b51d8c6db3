"""Sign-in resists guessing (django-axes): after AXES_FAILURE_LIMIT wrong passwords for a username
from one address, that pair is refused for AXES_COOLOFF_TIME, the right password too, on the
site's sign-in page and the admin's alike; other addresses and other accounts are not."""

import datetime as dt

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"
SITE = reverse("login")
ADMIN = reverse("admin:login")


@pytest.fixture
def kadi():
    user = UserFactory.create(username="kadi", is_staff=True)
    user.set_password(PASSWORD)
    user.save()
    return user


def sign_in(path: str, password: str, *, address: str = "203.0.113.7", username: str = "kadi"):
    return Client(REMOTE_ADDR=address).post(path, {"username": username, "password": password})


def signed_in(response) -> bool:
    return response.status_code == 302 and "_auth_user_id" in response.client.session


def fail(path: str, times: int, **kwargs):
    return [sign_in(path, "wrong password", **kwargs) for _ in range(times)]


@pytest.mark.parametrize("path", [SITE, ADMIN])
def test_six_wrong_passwords_lock_the_account_for_that_address_the_right_one_too(kadi, path):
    answers = fail(path, 6)

    right = sign_in(path, PASSWORD)

    assert [answer.status_code for answer in answers[:4]] == [200] * 4
    assert answers[-1].status_code == 429
    assert right.status_code == 429
    assert not signed_in(right)
    assert "try again in 15 minutes" in right.content.decode()
    assert right["Retry-After"] == "900"


def test_the_lock_holds_on_the_other_sign_in_page_too(kadi):
    fail(SITE, 5)

    assert sign_in(ADMIN, PASSWORD).status_code == 429


def test_the_lock_ends_after_the_cool_off(kadi):
    fail(SITE, 5)

    with time_machine.travel(timezone.now() + dt.timedelta(minutes=16)):
        response = sign_in(SITE, PASSWORD)

    assert signed_in(response)


def test_another_address_and_another_account_are_not_locked(kadi):
    UserFactory.create(username="awa").set_password(PASSWORD)
    fail(SITE, 5)

    assert signed_in(sign_in(SITE, PASSWORD, address="198.51.100.4"))
    assert sign_in(SITE, "wrong", username="awa").status_code == 200


def test_a_success_before_the_limit_starts_the_count_again(kadi):
    fail(SITE, 4)
    assert signed_in(sign_in(SITE, PASSWORD))

    answers = fail(SITE, 4)

    assert [answer.status_code for answer in answers] == [200] * 4
    assert signed_in(sign_in(SITE, PASSWORD))


def test_the_limit_and_the_cool_off_come_from_the_settings(kadi, settings):
    settings.AXES_FAILURE_LIMIT = 2
    settings.AXES_COOLOFF_TIME = dt.timedelta(minutes=60)

    fail(SITE, 2)
    response = sign_in(SITE, PASSWORD)

    assert response.status_code == 429
    assert "try again in 60 minutes" in response.content.decode()
