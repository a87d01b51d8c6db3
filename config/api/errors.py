"""The API's error answers (DRF's EXCEPTION_HANDLER; see __init__.py for what it may import)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions

if TYPE_CHECKING:
    from rest_framework.response import Response

TOKEN_PAGE = "/accounts/api-token/"


class BodyTooLarge(exceptions.APIException):
    status_code = 413
    default_code = "body_too_large"


def _body_too_large() -> BodyTooLarge:
    return BodyTooLarge(
        _("The request body is larger than the %(size)s bytes the API accepts; send less at a time.")
        % {"size": settings.DATA_UPLOAD_MAX_MEMORY_SIZE}
    )


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
    elif isinstance(error, RequestDataTooBig):
        error = _body_too_large()
    elif isinstance(error, SuspiciousOperation):
        # Django's own refusals of a request (too many fields, a bad multipart body): a 400 in
        # the API's format rather than Django's HTML page.
        error = exceptions.ParseError(str(error) or None)
    elif isinstance(error, Http404):
        error = exceptions.NotFound(str(error) or None)
    elif isinstance(error, exceptions.NotAuthenticated):
        # Kept as it is (DRF has set the WWW-Authenticate header on it), with words that help.
        error.detail = exceptions.ErrorDetail(_not_authenticated(), code="not_authenticated")
    elif isinstance(error, exceptions.AuthenticationFailed):
        error.detail = exceptions.ErrorDetail(_token_refused(str(error.detail)), code="authentication_failed")
    # Here and not at the top: rest_framework.views reads DRF's settings, which name this module.
    from rest_framework.views import exception_handler as drf_exception_handler

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
