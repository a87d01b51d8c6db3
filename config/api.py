"""What every endpoint of the JSON API shares: authentication, pagination and errors.

Each app keeps its own endpoints in its `api/` package (views, serializers, filters, urls);
config/api_urls.py puts them under /api/v1/ with the OpenAPI schema and its documentation.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Protocol, TypeVar, cast

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions, pagination, parsers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

if TYPE_CHECKING:
    from django.contrib.auth.models import User
    from django_stubs_ext import StrOrPromise


class _HasSlug(Protocol):
    slug: str


_Named = TypeVar("_Named", bound=_HasSlug)


class CursorPagination(pagination.CursorPagination):
    """Stable pages however many rows are added meanwhile: newest first, by id."""

    ordering = "-id"
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500

    def decode_cursor(self, request: Request) -> pagination.Cursor | None:
        # DRF answers 404 to a cursor it did not make; the page exists, the request is wrong.
        try:
            return super().decode_cursor(request)
        except exceptions.NotFound:
            raise exceptions.ValidationError(
                {
                    self.cursor_query_param: [
                        _("This is not a cursor the API gave: follow the `next` and `previous` links as they are.")
                    ]
                }
            ) from None


TOKEN_PAGE = "/accounts/api-token/"


def _not_authenticated() -> str:
    return _("Sign in, or send the header `Authorization: Bearer <token>` with a token you create at %(page)s.") % {
        "page": TOKEN_PAGE
    }


def _token_refused(reason: str) -> str:
    """DRF's terse token errors ("Invalid token.") with what to do about them."""
    return _("%(reason)s A token stops working when it is revoked or replaced; create a new one at %(page)s.") % {
        "reason": reason,
        "page": TOKEN_PAGE,
    }


def signed_in_user(request: Request) -> User:
    """The signed-in user of a request whose view's permissions have already turned anonymous clients away."""
    return cast("User", request.user)


def organisation_named(
    organisations: Sequence[_Named], slug: str | None, *, several: StrOrPromise, only: StrOrPromise
) -> _Named:
    """The one of the user's organisations a write is for: named by `organisation` (its slug), or
    the only one. `several` and `only` are the messages, with %(slugs)s, for the two mistakes."""
    if slug is None:
        if len(organisations) == 1:
            return organisations[0]
        message = several
    else:
        for organisation in organisations:
            if organisation.slug == slug:
                return organisation
        message = only
    slugs = ", ".join(organisation.slug for organisation in organisations)
    raise exceptions.ValidationError({"organisation": [message % {"slugs": slugs}]})


def _field_messages(detail: Any, path: str = "") -> dict[str, list[str]]:
    """DRF's error details, however nested, as {"field": [messages]}: a nested field's path is
    dotted (`actors.0`, `address.city`); errors about the request as a whole are `non_field_errors`."""
    if isinstance(detail, dict):
        found: dict[str, list[str]] = {}
        for key, value in detail.items():
            for name, messages in _field_messages(value, f"{path}.{key}" if path else str(key)).items():
                found.setdefault(name, []).extend(messages)
        return found
    if isinstance(detail, list) and any(isinstance(value, (dict, list)) for value in detail):
        found = {}
        for index, value in enumerate(detail):
            if value:
                item = _field_messages(value, f"{path}.{index}" if path else str(index))
                for name, messages in item.items():
                    found.setdefault(name, []).extend(messages)
        return found
    messages = [str(value) for value in detail] if isinstance(detail, list) else [str(detail)]
    return {path or "non_field_errors": messages}


def exception_handler(error: Exception, context: dict[str, Any]) -> Response | None:
    """Every 4xx as JSON: {"detail": a sentence, "errors": {field: [messages]} when fields are at fault}.

    Service functions raise Django's ValidationError and PermissionDenied: they get the same
    treatment as DRF's own.
    """
    if isinstance(error, DjangoValidationError):
        error = exceptions.ValidationError(
            error.message_dict if hasattr(error, "error_dict") else {"non_field_errors": error.messages}
        )
    elif isinstance(error, DjangoPermissionDenied):
        error = exceptions.PermissionDenied(str(error) or None)
    elif isinstance(error, Http404):
        error = exceptions.NotFound(str(error) or None)
    elif isinstance(error, exceptions.NotAuthenticated):
        # Kept as it is (DRF has set the WWW-Authenticate header on it), with words that help.
        error.detail = exceptions.ErrorDetail(_not_authenticated(), code="not_authenticated")
    elif isinstance(error, exceptions.AuthenticationFailed):
        error.detail = exceptions.ErrorDetail(_token_refused(str(error.detail)), code="authentication_failed")
    response = drf_exception_handler(error, context)
    if response is None:
        return None
    if isinstance(error, exceptions.ValidationError):
        response.data = {
            "detail": _("Some values are not valid; see errors for each field."),
            "errors": _field_messages(error.detail),
        }
    else:
        response.data = {"detail": str(response.data.get("detail", response.data))}
        wait = getattr(error, "wait", None)
        if isinstance(error, exceptions.Throttled) and wait is not None:
            response.data["retry_after_seconds"] = int(wait)
    return response


class JSONParser(parsers.JSONParser):
    """JSON bodies, refusing text that holds a NUL character (PostgreSQL cannot store one) with
    the path of each value at fault, as a field's error."""

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        data = super().parse(stream, media_type, parser_context)
        paths = _nul_paths(data)
        if paths:
            message = _("Null characters are not allowed.")
            raise exceptions.ValidationError({path: [message] for path in paths})
        return data


def _nul_paths(value: Any, path: str = "") -> list[str]:
    """Where NUL characters hide in parsed JSON: `sources`, `actors.0`; `non_field_errors` for the top."""
    here = path or "non_field_errors"
    if isinstance(value, str):
        return [here] if "\x00" in value else []
    if isinstance(value, dict):
        found = [here] if any("\x00" in key for key in value) else []
        for key, item in value.items():
            found += _nul_paths(item, f"{path}.{key}" if path else key)
        return found
    if isinstance(value, list):
        return [
            found
            for index, item in enumerate(value)
            for found in _nul_paths(item, f"{path}.{index}" if path else str(index))
        ]
    return []


@csrf_exempt
def api_not_found(request: HttpRequest, *args: Any, **kwargs: Any) -> JsonResponse:
    """Any address under /api/v1/ that names no endpoint."""
    return JsonResponse(
        {"detail": _("There is no API endpoint at %(path)s. The list is at /api/v1/docs/.") % {"path": request.path}},
        status=404,
    )
