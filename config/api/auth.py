"""API authentication (DRF's DEFAULT_AUTHENTICATION_CLASSES; see __init__.py for what it may import).

A client that sends wrong tokens is counted per address in the cache (Redis in production, which
falls back to this process's memory while Redis is down: config/outage.py); after
API_TOKEN_FAILURE_LIMIT failures within API_TOKEN_FAILURE_WINDOW_SECONDS, every token it sends is
answered 429 with Retry-After until the window has passed, so that keys cannot be guessed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.cache import cache
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication

from config.security import client_ip

if TYPE_CHECKING:
    from django.contrib.auth.models import User
    from rest_framework.request import Request


def _failures_key(request: Request) -> str:
    return f"api-token-failures:{client_ip(request._request)}"


class BearerTokenAuthentication(TokenAuthentication):
    """`Authorization: Bearer <key>`, a key a user creates on their API token page (stored hashed)."""

    keyword = "Bearer"

    def authenticate(self, request: Request) -> tuple[User, None] | None:
        key = _failures_key(request)
        window = settings.API_TOKEN_FAILURE_WINDOW_SECONDS
        if self._has_token(request) and (cache.get(key) or 0) >= settings.API_TOKEN_FAILURE_LIMIT:
            raise exceptions.Throttled(wait=window)
        try:
            return super().authenticate(request)
        except exceptions.AuthenticationFailed:
            # add() starts the window with the first failure; incr() keeps its expiry.
            if not cache.add(key, 1, timeout=window):
                cache.incr(key)
            raise

    def _has_token(self, request: Request) -> bool:
        words = request.META.get("HTTP_AUTHORIZATION", "").split()
        return bool(words) and words[0].lower() == self.keyword.lower()

    def authenticate_credentials(self, key: Any) -> tuple[User, None]:
        # Here and not at the top: the model's app is loaded after DRF's settings may name this module.
        from incidents.api_tokens import TokenRefused
        from incidents.services import api_token_authenticate

        try:
            return api_token_authenticate(key=str(key)), None
        except TokenRefused as refused:
            raise exceptions.AuthenticationFailed(str(refused)) from refused
