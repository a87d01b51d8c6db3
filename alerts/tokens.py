"""Signed tokens in the links of alert e-mails: unsubscribe, and confirm an address.

A token carries the subscription's id and the recipient's address, signed with the secret key
and a purpose of its own (a confirmation token does not unsubscribe, nor the reverse). Nothing
is stored: a token stays valid as long as the secret key is the same, except confirmation
tokens, which expire after ALERTS_CONFIRMATION_DAYS.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.urls import reverse

UNSUBSCRIBE_SALT = "alerts.unsubscribe"
CONFIRM_SALT = "alerts.confirm"


class InvalidToken(Exception):
    """The link is damaged, was made with another key, or has expired."""


@dataclass(frozen=True)
class TokenSubject:
    subscription_id: int
    email: str


def _dumps(subject: TokenSubject, salt: str) -> str:
    return signing.dumps({"s": subject.subscription_id, "e": subject.email.lower()}, salt=salt, compress=True)


def _loads(token: str, salt: str, max_age: int | None = None) -> TokenSubject:
    try:
        value = signing.loads(token, salt=salt, max_age=max_age)
        return TokenSubject(subscription_id=int(value["s"]), email=str(value["e"]))
    except signing.SignatureExpired as error:
        raise InvalidToken("expired") from error
    except (signing.BadSignature, KeyError, TypeError, ValueError) as error:
        raise InvalidToken("invalid") from error


def unsubscribe_token(*, subscription_id: int, email: str) -> str:
    return _dumps(TokenSubject(subscription_id, email), UNSUBSCRIBE_SALT)


def unsubscribe_token_read(token: str) -> TokenSubject:
    return _loads(token, UNSUBSCRIBE_SALT)


def confirmation_token(*, subscription_id: int, email: str) -> str:
    return _dumps(TokenSubject(subscription_id, email), CONFIRM_SALT)


def confirmation_token_read(token: str) -> TokenSubject:
    return _loads(token, CONFIRM_SALT, max_age=settings.ALERTS_CONFIRMATION_DAYS * 86400)


def absolute_url(path: str) -> str:
    return settings.VIGIL_PUBLIC_URL.rstrip("/") + path


def unsubscribe_url(*, subscription_id: int, email: str) -> str:
    token = unsubscribe_token(subscription_id=subscription_id, email=email)
    return absolute_url(reverse("alerts:unsubscribe", kwargs={"token": token}))


def confirmation_url(*, subscription_id: int, email: str) -> str:
    token = confirmation_token(subscription_id=subscription_id, email=email)
    return absolute_url(reverse("alerts:confirm", kwargs={"token": token}))
