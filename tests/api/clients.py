"""API clients as an organisation's own tools are: sending a user's token."""

from __future__ import annotations

from typing import Any

from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient


def client_of(user: Any = None) -> APIClient:
    """A client that sends the user's API token (`Authorization: Bearer`); anonymous without a user."""
    client = APIClient()
    if user is not None:
        token, _created = Token.objects.get_or_create(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {token.key}")
    return client
