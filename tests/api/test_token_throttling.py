"""Wrong API tokens cannot be tried at will: after API_TOKEN_FAILURE_LIMIT of them from one address
within API_TOKEN_FAILURE_WINDOW_SECONDS, every token from that address is answered 429 with
Retry-After, in the API's JSON error format, until the window has passed."""

import datetime as dt

import pytest
import time_machine
from django.utils import timezone
from rest_framework.test import APIClient

from config.security import client_ip
from tests.api.clients import api_key_for
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ORGANISATIONS = "/api/v1/organisations/"


def get(key: str, address: str = "203.0.113.7"):
    return APIClient(REMOTE_ADDR=address).get(ORGANISATIONS, HTTP_AUTHORIZATION=f"Bearer {key}")


def test_after_the_limit_of_bad_tokens_the_address_gets_429_with_retry_after(settings):
    settings.API_TOKEN_FAILURE_LIMIT = 3
    key = api_key_for(UserFactory.create())

    refused = [get(f"{n:040d}").status_code for n in range(3)]
    throttled = get("f" * 40)
    right = get(key)

    assert refused == [401, 401, 401]
    assert throttled.status_code == 429
    assert int(throttled["Retry-After"]) == settings.API_TOKEN_FAILURE_WINDOW_SECONDS
    assert throttled.json()["retry_after_seconds"] == settings.API_TOKEN_FAILURE_WINDOW_SECONDS
    assert throttled.json()["detail"]
    assert right.status_code == 429


def test_other_addresses_and_clients_without_a_token_are_not_throttled(settings):
    settings.API_TOKEN_FAILURE_LIMIT = 2
    key = api_key_for(UserFactory.create())
    for _ in range(2):
        get("0" * 40)

    assert get(key, address="198.51.100.4").status_code == 200
    assert APIClient(REMOTE_ADDR="203.0.113.7").get(ORGANISATIONS).status_code == 401


def test_the_count_ends_with_its_window(settings):
    settings.API_TOKEN_FAILURE_LIMIT = 2
    key = api_key_for(UserFactory.create())
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        for _ in range(2):
            get("0" * 40)
        assert get(key).status_code == 429

    with time_machine.travel(start + dt.timedelta(seconds=settings.API_TOKEN_FAILURE_WINDOW_SECONDS + 1)):
        assert get(key).status_code == 200


def test_the_default_limit_is_ten_failures(settings):
    assert settings.API_TOKEN_FAILURE_LIMIT == 10
    answers = [get("0" * 40).status_code for _ in range(11)]

    assert answers == [401] * 10 + [429]


def test_behind_trusted_proxies_the_client_is_the_address_they_saw(rf, settings):
    request = rf.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.7")

    assert client_ip(request) == "10.0.0.2"
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(request) == "203.0.113.7"
    settings.TRUSTED_PROXY_COUNT = 5
    assert client_ip(request) == "1.2.3.4"
