"""A signed-in user creates named API tokens on /accounts/api-token/, sees them listed (name,
created, expires, last used) and revokes each on its own. A key is shown once, on the page that
answers its creation; the database keeps only its SHA-256 and its first and last four characters.
A key authenticates API requests as `Authorization: Bearer <key>` until it expires or is revoked,
and never for a deactivated account."""

import datetime as dt
import hashlib

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client
from django.urls import resolve, reverse
from django.utils import timezone
from rest_framework.test import APIClient
from rest_framework.throttling import SimpleRateThrottle

from incidents import services
from incidents.api_tokens import ApiToken
from incidents.views import account
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

PAGE = reverse("incidents:api-token")
ORGANISATIONS = "/api/v1/organisations/"


@pytest.fixture(autouse=True)
def _no_throttling(monkeypatch):
    # DRF reads the rates once, when it is imported; these tests are not about throttling.
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", {"anon": "100000/minute", "user": "100000/minute"})


@pytest.fixture
def member():
    return MembershipFactory.create(user=UserFactory.create(username="kadi")).user


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def create(client: Client, name: str = "Field app", days: int = 90):
    return client.post(PAGE, {"action": "create", "name": name, "days": days})


def created_key(response) -> str:
    return response.context["new_key"]


def revoke(client: Client, token: ApiToken):
    return client.post(PAGE, {"action": "revoke", "token": token.pk}, follow=True)


def api_get(key: str):
    return APIClient().get(ORGANISATIONS, HTTP_AUTHORIZATION=f"Bearer {key}")


def test_the_page_is_at_accounts_api_token_despite_the_auth_urls():
    assert PAGE == "/accounts/api-token/"
    assert resolve(PAGE).func.__name__ == account.api_token.__name__


def test_it_sends_anonymous_visitors_to_sign_in():
    response = Client().get(PAGE)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert Client().post(PAGE, {"action": "create", "days": 90}).status_code == 302
    assert not ApiToken.objects.exists()


def test_it_says_when_there_is_no_token_and_how_to_use_one(member):
    response = signed_in(member).get(PAGE)

    html = response.content.decode()
    assert response.status_code == 200
    assert "You have no API token." in html
    assert "Create an API token" in html
    assert 'name="days" value="90"' in html
    assert 'curl -H "Authorization: Bearer YOUR_TOKEN" http://testserver/api/v1/incidents/' in html
    assert 'href="/api/v1/docs/"' in html
    assert "Revoke" not in html


def test_the_navigation_links_to_the_page_for_signed_in_users(member):
    assert f'href="{PAGE}"' in signed_in(member).get(reverse("incidents:list")).content.decode()
    assert f'href="{PAGE}"' not in Client().get(reverse("incidents:list")).content.decode()


def test_it_shows_the_new_key_once_and_then_only_masked(member):
    client = signed_in(member)

    response = create(client)

    key = created_key(response)
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count(key) == 1
    assert "Copy it now: Vigil will not show it again." in html
    assert "no-store" in response["Cache-Control"]
    later = client.get(PAGE).content.decode()
    assert key not in later
    assert f"{key[:4]}…{key[-4:]}" in later
    assert key[4:-4] not in later


def test_the_key_is_not_in_the_database_only_its_sha256(member):
    key = created_key(create(signed_in(member)))

    token = ApiToken.objects.get(user=member)
    assert token.digest == hashlib.sha256(key.encode()).hexdigest()
    stored = ApiToken.objects.filter(pk=token.pk).values_list().get()
    assert not any(key in str(value) for value in stored)
    assert "authtoken_token" not in connection.introspection.table_names()


def test_the_new_key_authenticates_api_requests(member):
    key = created_key(create(signed_in(member)))

    response = api_get(key)

    assert response.status_code == 200, response.content
    assert len(response.json()) == 1


def test_without_a_key_the_endpoint_refuses_with_json():
    response = APIClient().get(ORGANISATIONS)

    assert response.status_code in (401, 403)
    assert response.json()["detail"]


def test_a_user_holds_several_named_tokens_listed_with_their_dates(member):
    client = signed_in(member)
    first = created_key(create(client, name="Field app", days=30))

    second = created_key(create(client, name="Nightly export", days=365))

    html = client.get(PAGE).content.decode()
    assert "Field app" in html and "Nightly export" in html
    assert html.count("<td>never</td>") == 2
    assert html.count(">Revoke</button>") == 2
    assert api_get(first).status_code == 200 and api_get(second).status_code == 200
    assert client.get(PAGE).content.decode().count("<td>never</td>") == 0
    tokens = {token.name: token for token in ApiToken.objects.filter(user=member)}
    assert (tokens["Nightly export"].expires_at - tokens["Nightly export"].created).days == 365
    assert (tokens["Field app"].expires_at - tokens["Field app"].created).days == 30


def test_a_token_lasts_the_default_days_unless_told(member, settings):
    settings.API_TOKEN_DEFAULT_DAYS = 7

    token, _key = services.api_token_create(user=member, name="cron")

    assert (token.expires_at - token.created).days == 7


def test_a_lifetime_outside_one_to_365_days_is_refused_with_the_form(member):
    response = create(signed_in(member), days=366)

    assert response.status_code == 400
    assert "Valid for (days)" in response.content.decode()
    assert not ApiToken.objects.exists()


def test_an_expired_token_is_refused_with_a_401_that_says_so(member):
    key = created_key(create(signed_in(member), days=1))

    with time_machine.travel(timezone.now() + dt.timedelta(days=1, minutes=1)):
        response = api_get(key)

    assert response.status_code == 401
    assert response.json()["detail"].startswith("This token expired on ")
    assert "/accounts/api-token/" in response.json()["detail"]


def test_revoking_one_token_leaves_the_others_working(member):
    client = signed_in(member)
    kept = created_key(create(client, name="kept"))
    revoked = created_key(create(client, name="revoked"))

    response = revoke(client, ApiToken.objects.get(name="revoked"))

    assert response.redirect_chain == [(PAGE, 302)]
    assert "The token is revoked" in response.content.decode()
    assert api_get(revoked).status_code == 401
    assert api_get(kept).status_code == 200
    assert list(ApiToken.objects.values_list("name", flat=True)) == ["kept"]


def test_the_last_use_is_recorded_at_most_once_a_minute(member):
    key = created_key(create(signed_in(member)))
    start = timezone.now()

    with time_machine.travel(start, tick=False):
        api_get(key)
    first = ApiToken.objects.get().last_used_at
    with time_machine.travel(start + dt.timedelta(seconds=30), tick=False):
        api_get(key)
    unchanged = ApiToken.objects.get().last_used_at
    with time_machine.travel(start + dt.timedelta(minutes=2), tick=False):
        api_get(key)

    assert first == start
    assert unchanged == start
    assert ApiToken.objects.get().last_used_at == start + dt.timedelta(minutes=2)


def test_one_cannot_revoke_another_users_token(member):
    other = UserFactory.create()
    token, key = services.api_token_create(user=other)

    response = revoke(signed_in(member), token)

    assert "there was nothing to revoke" in response.content.decode()
    assert api_get(key).status_code == 200


def test_a_deactivated_users_key_fails(member):
    key = created_key(create(signed_in(member)))
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
    key = created_key(create(client))

    response = client.post(PAGE, {"action": "delete everything"})

    assert response.status_code == 400
    assert "your API tokens are unchanged" in response.content.decode()
    assert api_get(key).status_code == 200


def test_the_forms_are_csrf_protected(member):
    client = Client(enforce_csrf_checks=True)
    client.force_login(member)

    response = client.post(PAGE, {"action": "create", "days": 90})

    assert response.status_code == 403
    assert not ApiToken.objects.exists()


def test_the_service_refuses_a_token_to_a_deactivated_user(member):
    member.is_active = False
    member.save(update_fields=["is_active"])

    with pytest.raises(PermissionDenied):
        services.api_token_create(user=member)
    assert not ApiToken.objects.exists()


def test_the_service_refuses_a_name_too_long(member):
    with pytest.raises(ValidationError):
        services.api_token_create(user=member, name="x" * 101)


def test_the_service_returns_the_key_and_revoke_says_whether_there_was_one(member):
    token, key = services.api_token_create(user=member)

    assert token.digest == hashlib.sha256(key.encode()).hexdigest()
    assert token.name == "API token"
    assert services.api_token_revoke(user=member, token_id=token.pk) is True
    assert services.api_token_revoke(user=member, token_id=token.pk) is False


def test_the_command_prints_a_new_key_alone_on_standard_output(member, capsys):
    call_command("api_token_create", "kadi", "--name", "backup script", "--days", "30")

    out, err = capsys.readouterr()
    key = out.strip()
    assert api_get(key).status_code == 200
    assert "backup script" in err and key not in err
    assert ApiToken.objects.get(user=member).name == "backup script"
    with pytest.raises(CommandError, match="No user is called nobody"):
        call_command("api_token_create", "nobody")
