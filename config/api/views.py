"""What the apps' API views share, and the answer for an address that names no endpoint."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Protocol, TypeVar, cast

from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions
from rest_framework.request import Request

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


@csrf_exempt
def api_not_found(request: HttpRequest, *args: Any, **kwargs: Any) -> JsonResponse:
    """Any address under /api/v1/ that names no endpoint."""
    return JsonResponse(
        {"detail": _("There is no API endpoint at %(path)s. The list is at /api/v1/docs/.") % {"path": request.path}},
        status=404,
    )
