"""API tokens: a user's named keys for programs, each stored only as its SHA-256.

The key is 160 random bits shown once, when it is created; the database keeps its digest (a
request's key is looked up by digest, so no stored secret is compared character by character)
and its first and last four characters, enough for its owner to recognise it. A token works
until it expires or its owner revokes it (the row is deleted).
"""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

KEY_BYTES = 20
NAME_MAX_LENGTH = 100
# Characters of the key kept at each end, to tell one's tokens apart.
HINT_CHARACTERS = 4


class TokenRefused(Exception):
    """A key that authenticates no one, with the reason to tell the client."""


def key_digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def key_hint(key: str) -> str:
    return f"{key[:HINT_CHARACTERS]}…{key[-HINT_CHARACTERS:]}"


def new_key() -> str:
    return secrets.token_hex(KEY_BYTES)


class ApiToken(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("user")
    )
    name = models.CharField(_("name"), max_length=NAME_MAX_LENGTH)
    digest = models.CharField(_("SHA-256 of the key"), max_length=64, unique=True, editable=False)
    hint = models.CharField(_("key"), max_length=2 * HINT_CHARACTERS + 1, editable=False)
    created = models.DateTimeField(_("created"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires"))
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)

    class Meta:
        app_label = "incidents"
        ordering = ["-created", "-id"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.hint})"

    @property
    def expired(self) -> bool:
        return self.expires_at <= timezone.now()
