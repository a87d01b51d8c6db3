"""The language switch: a link on every page to the same page in the other language, which works
without JavaScript, is remembered in a cookie, and for a signed-in person in their account."""

import re

import pytest
from django.conf import settings

from incidents.selectors import account_language
from incidents.services import account_language_set
from tests.factories import TEST_PASSWORD, AdvisoryFactory, UserFactory

pytestmark = pytest.mark.django_db

PAGES = ["/", "/countries/ml/", "/incidents/", "/alerts/subscribe/"]
ONE_YEAR = 365 * 24 * 3600


@pytest.fixture
def mali_advisory(mali):
    return AdvisoryFactory(country=mali, level=4, summary="Armed groups attack across the country.")


def _html_lang(response) -> str:
    found = re.search(r'<html lang="([^"]+)"', response.content.decode())
    assert found, "no <html lang>"
    return found.group(1)


def _directives(response) -> set[str]:
    return {part.strip() for part in response.get("Cache-Control", "").split(",") if part.strip()}


def _vary(response) -> set[str]:
    return {part.strip().lower() for part in response.get("Vary", "").split(",") if part.strip()}


def _sign_in(client, username: str):
    return client.post(
        "/accounts/login/?next=/countries/ml/",
        {"username": username, "password": TEST_PASSWORD},
        HTTP_ACCEPT_LANGUAGE="en",
    )


@pytest.mark.parametrize("path", PAGES)
def test_an_english_page_links_to_itself_in_french(client, mali_advisory, path):
    response = client.get(path + "?page=1", HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    assert _html_lang(response) == "en"
    link = f'href="/language/fr/?next={path}%3Fpage%3D1" lang="fr" hreflang="fr">Français</a>'
    assert link in response.content.decode()
    assert 'hreflang="en"' not in response.content.decode()


@pytest.mark.parametrize("path", PAGES)
def test_a_french_page_links_to_itself_in_english(client, mali_advisory, path):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"

    response = client.get(path, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    assert _html_lang(response) == "fr"
    link = f'href="/language/en/?next={path}" lang="en" hreflang="en">English</a>'
    assert link in response.content.decode()
    assert 'hreflang="fr"' not in response.content.decode()


def test_the_switch_remembers_the_language_for_a_year_and_goes_back_to_the_page(client, mali_advisory):
    response = client.get("/language/fr/", {"next": "/countries/ml/?page=2"})

    assert response.status_code == 302
    assert response["Location"] == "/countries/ml/?page=2"
    cookie = response.cookies[settings.LANGUAGE_COOKIE_NAME]
    assert cookie.value == "fr"
    assert cookie["max-age"] == ONE_YEAR
    assert cookie["samesite"] == "Lax"
    assert cookie["path"] == "/"
    assert not cookie["secure"]  # as the session cookie, off over plain HTTP in tests

    page = client.get("/countries/ml/", HTTP_ACCEPT_LANGUAGE="en")
    assert _html_lang(page) == "fr"


def test_the_language_cookie_is_secure_when_the_session_cookie_is(client, db, settings):
    settings.LANGUAGE_COOKIE_SECURE = True

    response = client.get("/language/fr/", {"next": "/"})

    assert response.cookies[settings.LANGUAGE_COOKIE_NAME]["secure"] is True


def test_no_cache_keeps_the_switch_redirect(client, db):
    response = client.get("/language/fr/", {"next": "/"})

    assert "no-store" in _directives(response)


@pytest.mark.parametrize(
    "target", ["https://evil.example/", "//evil.example/", "http://evil.example/countries/ml/", "javascript:alert(1)"]
)
def test_the_switch_refuses_to_send_a_reader_to_another_site(client, db, target):
    response = client.get("/language/fr/", {"next": target})

    assert response.status_code == 302
    assert response["Location"] == "/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "fr"


def test_the_switch_without_a_page_goes_home(client, db):
    response = client.get("/language/en/")

    assert response["Location"] == "/"


@pytest.mark.parametrize("code", ["de", "xx", "fr-FR", "FR"])
def test_the_switch_has_no_page_for_a_language_vigil_does_not_have(client, db, code):
    response = client.get(f"/language/{code}/", {"next": "/"})

    assert response.status_code == 404
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies


def test_the_switch_answers_only_get(client, db):
    response = client.post("/language/fr/", {"next": "/"})

    assert response.status_code == 405


def test_switching_when_signed_in_stores_the_language_in_the_account(client, db):
    user = UserFactory.create(username="traveler")
    client.force_login(user)

    client.get("/language/fr/", {"next": "/"})

    assert account_language(user.pk) == "fr"


def test_switching_when_signed_out_stores_no_account_language(client, db):
    user = UserFactory.create(username="traveler")

    client.get("/language/fr/", {"next": "/"})

    assert account_language(user.pk) is None


def test_signing_in_gives_a_person_back_their_account_language(client, mali_advisory):
    user = UserFactory.create(username="lectrice")
    account_language_set(user=user, language="fr")

    signed_in = _sign_in(client, "lectrice")

    assert signed_in.status_code == 302
    assert signed_in["Content-Language"] == "fr"
    assert signed_in.cookies[settings.LANGUAGE_COOKIE_NAME].value == "fr"
    page = client.get(signed_in["Location"], HTTP_ACCEPT_LANGUAGE="en")
    assert _html_lang(page) == "fr"


def test_the_account_language_wins_over_the_language_of_the_browser_at_sign_in(client, mali_advisory):
    user = UserFactory.create(username="reader")
    account_language_set(user=user, language="en")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"

    signed_in = _sign_in(client, "reader")

    assert signed_in.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert _html_lang(client.get("/countries/ml/")) == "en"


def test_signing_in_without_an_account_language_keeps_the_language_chosen(client, mali_advisory):
    UserFactory.create(username="newcomer")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"

    signed_in = _sign_in(client, "newcomer")

    assert signed_in.status_code == 302
    assert settings.LANGUAGE_COOKIE_NAME not in signed_in.cookies
    assert _html_lang(client.get("/countries/ml/", HTTP_ACCEPT_LANGUAGE="en")) == "fr"


def test_a_failed_sign_in_changes_no_language(client, db):
    user = UserFactory.create(username="lectrice")
    account_language_set(user=user, language="fr")

    response = client.post("/accounts/login/", {"username": "lectrice", "password": "wrong"})

    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies
    assert _html_lang(response) == "en"


@pytest.mark.parametrize("path", [*PAGES, "/feed.atom", "/map.json"])
def test_a_public_answer_varies_by_both_accept_language_and_the_language_cookie(client, mali_advisory, path):
    response = client.get(path)

    assert response.status_code == 200
    assert {"accept-language", "cookie"} <= _vary(response)
