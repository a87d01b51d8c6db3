"""Middleware of our own."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.utils.translation import gettext as _


def _has_nul(request: HttpRequest) -> bool:
    return "\x00" in request.path or any(
        "\x00" in key or any("\x00" in value for value in values) for key, values in request.GET.lists()
    )


class RefuseNulCharactersMiddleware:
    """A NUL character in the path or the query string is refused with a 400; a cookie holding
    one is dropped, as if the browser had not sent it (a session cookie: no session).

    No text of ours contains one, PostgreSQL cannot store one, and a lookup with one is a
    database error: better a clear answer at the door than a server error deep inside a filter.
    Forms are left to their fields, which say which value is at fault and keep what was typed;
    JSON bodies to config.api.parsers.JSONParser. Stands before the session middleware, which
    looks its cookie up in the database.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if _has_nul(request):
            message = _("The request contains a NUL character (%%00), which no value may hold; remove it.")
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": message}, status=400)
            return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")
        request.COOKIES = {
            name: value for name, value in request.COOKIES.items() if "\x00" not in name and "\x00" not in value
        }
        return self.get_response(request)
