"""API clients as an organisation's own tools are: sending a user's token."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from rest_framework.test import APIClient

from incidents.api_tokens import ApiToken, key_digest, key_hint, new_key

# Long enough for a test that travels in time.
TEST_TOKEN_LIFETIME = dt.timedelta(days=3650)


def api_key_for(user: Any) -> str:
    """A new API token of the user's (whether or not they are active), as its key. It counts as
    just used, so that the request a query count measures does not also record its first use."""
    key = new_key()
    now = timezone.now()
    ApiToken.objects.create(
        user=user,
        name="test",
        digest=key_digest(key),
        hint=key_hint(key),
        expires_at=now + TEST_TOKEN_LIFETIME,
        last_used_at=now,
    )
    return key


def client_of(user: Any = None) -> APIClient:
    """A client that sends the user's API token (`Authorization: Bearer`); anonymous without a user."""
    client = APIClient()
    if user is not None:
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {api_key_for(user)}")
    return client
