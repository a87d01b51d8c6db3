"""The OpenAPI schema of the JSON API: drf-spectacular's, with the error answers of every operation.

DRF's DEFAULT_SCHEMA_CLASS. drf-spectacular's AutoSchema imports rest_framework.views; that is
safe because APIView reads the schema class only when a view is inspected, never as it is defined.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular import openapi
from rest_framework import serializers

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class ErrorSerializer(serializers.Serializer[Any]):
    """What every 4xx answer holds."""

    def get_fields(self) -> dict[str, serializers.Field]:
        # Declared here: a Serializer already has an attribute called `errors`.
        return {
            "detail": serializers.CharField(help_text=_("What went wrong and what to do about it, in a sentence.")),
            "errors": serializers.DictField(
                child=serializers.ListField(child=serializers.CharField()),
                required=False,
                help_text=_(
                    "For a 400: the messages for each field or query parameter at fault (`actors.0` for the "
                    "first item of a list, `non_field_errors` for the request as a whole)."
                ),
            ),
            "retry_after_seconds": serializers.IntegerField(
                required=False, help_text=_("For a 429: how long to wait before trying again.")
            ),
        }


class AutoSchema(openapi.AutoSchema):
    """drf-spectacular's schema, with the error answers every operation can give."""

    def _get_response_bodies(self, direction: Any = "response") -> dict[str, Any]:
        responses: dict[str, Any] = super()._get_response_bodies(direction)
        for code, description in self._error_codes():
            if code not in responses:
                response = self._get_response_for_code(ErrorSerializer, code, direction=direction)
                responses[code] = response | {"description": description}
        return responses

    def _error_codes(self) -> list[tuple[str, StrOrPromise]]:
        codes: list[tuple[str, StrOrPromise]] = [
            ("400", _("A query parameter or a field of the body is not valid; `errors` says which and why.")),
            ("401", _("No valid credentials: the token is wrong, revoked or replaced.")),
            ("403", _("Your role does not allow this.")),
        ]
        if "{" in self.path:
            codes.append(("404", _("There is no such object, or you may not see it.")))
        if self.method in ("POST", "PUT", "PATCH"):
            codes.append(("415", _("The body must be JSON (Content-Type: application/json).")))
        codes.append(("429", _("Too many requests: wait `retry_after_seconds` (also the Retry-After header).")))
        return codes
