"""What the apps' API views share, and the answer for an address that names no endpoint.

A write endpoint turns JSON into the values a service takes (`validated_values`), for the
organisation it names (`organisation_named`); a PATCH starts from the object's values as they
are (`current_values`). `WriteMixin` routes PUT and PATCH to one `write` method.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Protocol, TypeVar, cast

from django.db.models import Model
from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import exceptions, serializers
from rest_framework.request import Request
from rest_framework.response import Response

if TYPE_CHECKING:
    from django.contrib.auth.models import User
    from django_stubs_ext import StrOrPromise


class _HasSlug(Protocol):
    slug: str


_Named = TypeVar("_Named", bound=_HasSlug)


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


def validated_values(
    serializer_class: type[serializers.Serializer[Any]], request: Request, *, partial: bool = False
) -> dict[str, Any]:
    """The request's body as the serializer validates it (a 400 with a message per field if it does not)."""
    serializer = serializer_class(data=request.data, partial=partial)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


def current_values(instance: Model, fields_class: type[Any]) -> dict[str, Any]:
    """The values of the dataclass `fields_class` (what a service takes) as `instance` has them,
    many-to-many fields as lists: what a PATCH starts from, to change only what it names."""
    values = {}
    for field in dataclasses.fields(fields_class):
        value = getattr(instance, field.name)
        values[field.name] = list(value.all()) if hasattr(value, "all") else value
    return values


class WriteMixin:
    """PUT and PATCH of a viewset that writes through a service: both are `write`, PATCH partial."""

    def write(self, request: Request, *, partial: bool) -> Response:
        raise NotImplementedError

    def update(self, request: Request, pk: str) -> Response:
        return self.write(request, partial=False)

    def partial_update(self, request: Request, pk: str) -> Response:
        return self.write(request, partial=True)


def write_schema(
    summary: StrOrPromise,
    description: StrOrPromise,
    *,
    request: type[serializers.Serializer[Any]],
    example: OpenApiExample,
    responses: Any,
    **more: Any,
) -> Any:
    """The documentation of a write endpoint: what it does, what it takes (with an example), what it answers."""
    return extend_schema(
        summary=summary, description=description, request=request, examples=[example], responses=responses, **more
    )


def change_schemas(
    *,
    every: tuple[StrOrPromise, StrOrPromise],
    some: tuple[StrOrPromise, StrOrPromise],
    request: type[serializers.Serializer[Any]],
    example: OpenApiExample,
    responses: Any,
) -> dict[str, Any]:
    """The documentation of changing one object: PUT (`every` field) and PATCH (`some` fields), each
    as a summary and a description; both take the same body and give the same answer."""
    return {
        "update": write_schema(*every, request=request, example=example, responses=responses),
        "partial_update": write_schema(*some, request=request, example=example, responses=responses),
    }


@csrf_exempt
def api_not_found(request: HttpRequest, *args: Any, **kwargs: Any) -> JsonResponse:
    """Any address under /api/v1/ that names no endpoint."""
    return JsonResponse(
        {"detail": _("There is no API endpoint at %(path)s. The list is at /api/v1/docs/.") % {"path": request.path}},
        status=404,
    )
