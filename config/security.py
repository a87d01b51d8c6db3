"""Who the client is, and the Permissions-Policy header (settings name both by dotted strings).

Imports only Django: django-axes, the API's token authentication and the middleware list load
this module while settings and DRF are still being read.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def client_ip(request: HttpRequest) -> str:
    """The client's address: REMOTE_ADDR, or with DJANGO_TRUSTED_PROXY_COUNT proxies in front,
    the address the outermost of them saw (it appends it to X-Forwarded-For; what comes before is
    whatever the client chose to send, so it is never read)."""
    remote = str(request.META.get("REMOTE_ADDR", ""))
    proxies = settings.TRUSTED_PROXY_COUNT
    forwarded = [part.strip() for part in str(request.META.get("HTTP_X_FORWARDED_FOR", "")).split(",")]
    if proxies <= 0 or not forwarded[0]:
        return remote
    return forwarded[-min(proxies, len(forwarded))] or remote


def locked_out(request: HttpRequest, original_response: Any = None, credentials: Any = None) -> HttpResponse:
    """django-axes' answer to a locked-out sign-in (AXES_LOCKOUT_CALLABLE): a page that says for
    how long, and Retry-After for a program."""
    minutes = max(1, math.ceil(settings.AXES_COOLOFF_TIME.total_seconds() / 60))
    response = render(request, "registration/locked_out.html", {"minutes": minutes}, status=429)
    response["Retry-After"] = str(minutes * 60)
    return response


class PermissionsPolicyMiddleware:
    """Sends PERMISSIONS_POLICY on every answer that does not set its own."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.policy = settings.PERMISSIONS_POLICY

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if self.policy:
            response.headers.setdefault("Permissions-Policy", self.policy)
        return response
