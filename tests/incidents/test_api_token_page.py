"""A signed-in user creates, replaces and revokes their API token on /accounts/api-token/. The key
is shown once, on the page that answers its creation, and then only as its first and last four
characters; it authenticates API requests as `Authorization: Bearer <key>` until it is replaced
or revoked, and never for a deactivated account."""

import pytest
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import resolve, reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient
from rest_framework.throttling import SimpleRateThrottle

from incidents import services
from incidents.views import account
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

PAGE = reverse("incidents:api-token")
ORGANISATIONS = "/api/v1/organisations/"


@pytest.fixture(autouse=True)
def _no_throttling(monkeypatch):
    # DRF reads the rates once, when it is imported; these tests are not about throttling.
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", {"anon": "100000/minute", "user": "100000/minute"})
    cache.clear()


@pytest.fixture
def member():
    return MembershipFactory.create(user=UserFactory.create(username="kadi")).user


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def create(client: Client):
    return client.post(PAGE, {"action": "create"})


def api_get(key: str):
    return APIClient().get(ORGANISATIONS, HTTP_AUTHORIZATION=f"Bearer {key}")


def test_the_page_is_at_accounts_api_token_despite_the_auth_urls():
    assert PAGE == "/accounts/api-token/"
    assert resolve(PAGE).func.__name__ == account.api_token.__name__


def test_it_sends_anonymous_visitors_to_sign_in():
    response = Client().get(PAGE)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert Client().post(PAGE, {"action": "create"}).status_code == 302
    assert not Token.objects.exists()


def test_it_says_when_there_is_no_token_and_how_to_use_one(member):
    response = signed_in(member).get(PAGE)

    html = response.content.decode()
    assert response.status_code == 200
    assert "You have no API token." in html
    assert "Create an API token" in html
    assert 'curl -H "Authorization: Bearer YOUR_TOKEN" http://testserver/api/v1/incidents/' in html
    assert 'href="/api/v1/docs/"' in html
    assert "Revoke my API token" not in html


def test_the_navigation_links_to_the_page_for_signed_in_users(member):
    assert f'href="{PAGE}"' in signed_in(member).get(reverse("incidents:list")).content.decode()
    assert f'href="{PAGE}"' not in Client().get(reverse("incidents:list")).content.decode()


def test_it_shows_the_new_key_once_and_then_only_masked(member):
    client = signed_in(member)

    response = create(client)

    key = Token.objects.get(user=member).key
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count(key) == 1
    assert "Copy it now: Vigil will not show it again." in html
    assert "no-store" in response["Cache-Control"]
    later = client.get(PAGE).content.decode()
    assert key not in later
    assert f"{key[:4]}…{key[-4:]}" in later
    assert key[4:-4] not in later
    assert "Replace my API token" in later and "Revoke my API token" in later
    assert "the current token stops working at once" in later


def test_the_new_key_authenticates_api_requests(member):
    create(signed_in(member))
    key = Token.objects.get(user=member).key

    response = api_get(key)

    assert response.status_code == 200, response.content
    assert len(response.json()) == 1


def test_without_a_key_the_endpoint_refuses_with_json():
    response = APIClient().get(ORGANISATIONS)

    assert response.status_code in (401, 403)
    assert response.json()["detail"]


def test_creating_again_replaces_the_old_key(member):
    client = signed_in(member)
    create(client)
    old = Token.objects.get(user=member).key

    response = create(client)

    new = Token.objects.get(user=member).key
    assert new != old
    html = response.content.decode()
    assert new in html and old not in html
    assert "The old one no longer works." in html
    refused = api_get(old)
    assert refused.status_code == 401
    assert refused.json()["detail"].startswith("Invalid token.")
    assert api_get(new).status_code == 200


def test_revoking_makes_the_key_fail(member):
    client = signed_in(member)
    create(client)
    key = Token.objects.get(user=member).key

    response = client.post(PAGE, {"action": "revoke"}, follow=True)

    assert response.redirect_chain == [(PAGE, 302)]
    html = response.content.decode()
    assert "Your API token is revoked" in html
    assert "You have no API token." in html
    assert not Token.objects.filter(user=member).exists()
    assert api_get(key).status_code == 401


def test_revoking_without_a_token_says_there_was_nothing_to_revoke(member):
    response = signed_in(member).post(PAGE, {"action": "revoke"}, follow=True)

    assert "there was nothing to revoke" in response.content.decode()


def test_a_deactivated_users_key_fails(member):
    create(signed_in(member))
    key = Token.objects.get(user=member).key
    member.is_active = False
    member.save(update_fields=["is_active"])

    response = api_get(key)

    assert response.status_code == 401
    assert response.json()["detail"]


def test_a_wrong_key_is_a_401_with_a_json_detail(member):
    create(signed_in(member))

    response = api_get("0" * 40)

    assert response.status_code == 401
    assert list(response.json()) == ["detail"]
    assert response.json()["detail"].startswith("Invalid token.")


def test_a_401_names_the_bearer_scheme_in_www_authenticate(member):
    # RFC 9110 §11.6.1: a 401 must say which authentication scheme the server accepts.
    assert api_get("0" * 40)["WWW-Authenticate"] == "Bearer"
    assert APIClient().get(ORGANISATIONS)["WWW-Authenticate"] == "Bearer"


def test_an_unknown_action_changes_nothing_and_says_so(member):
    client = signed_in(member)
    create(client)
    key = Token.objects.get(user=member).key

    response = client.post(PAGE, {"action": "delete everything"})

    assert response.status_code == 400
    assert "your API token is unchanged" in response.content.decode()
    assert Token.objects.get(user=member).key == key


def test_the_forms_are_csrf_protected(member):
    client = Client(enforce_csrf_checks=True)
    client.force_login(member)

    response = client.post(PAGE, {"action": "create"})

    assert response.status_code == 403
    assert not Token.objects.exists()


def test_the_service_refuses_a_token_to_a_deactivated_user(member):
    member.is_active = False
    member.save(update_fields=["is_active"])

    with pytest.raises(PermissionDenied):
        services.api_token_create(user=member)
    assert not Token.objects.exists()


def test_the_service_returns_the_key_and_revoke_says_whether_there_was_one(member):
    key = services.api_token_create(user=member)

    assert Token.objects.get(user=member).key == key
    assert services.api_token_revoke(user=member) is True
    assert services.api_token_revoke(user=member) is False
