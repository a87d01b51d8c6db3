"""`Cache-Control: private, no-store` on every answer to a signed-in user.

What a signed-in user is shown may hold TLP:GREEN, AMBER, AMBER+STRICT or RED incidents, and who
reported them: no shared cache (a proxy, a CDN) may keep it, nor the browser on disk. A signed-out
visitor only ever sees published TLP:CLEAR incidents (incidents.access), so those answers stay
cacheable. A request with neither a session cookie nor an Authorization header is anonymous and is
left alone without loading a session.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase
from django.utils.cache import patch_cache_control

Handler = Callable[[HttpRequest], HttpResponseBase]


def carries_credentials(request: HttpRequest) -> bool:
    """Whether the request may be a signed-in person's: a session cookie or an Authorization header."""
    return settings.SESSION_COOKIE_NAME in request.COOKIES or "authorization" in request.headers


def _signed_in(request: HttpRequest) -> bool:
    if not carries_credentials(request):
        return False
    # Set by the authentication middleware, or by the API's authentication for a Bearer token.
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated)


class PrivateWhenSignedInMiddleware:
    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if _signed_in(request):
            patch_cache_control(response, private=True, no_store=True)
        return response
