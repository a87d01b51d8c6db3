"""The signed-in user's API token: create it, replace it, revoke it.

The full key is shown once, on the page that answers the POST that created it; that page is
rendered rather than redirected to (a redirect would need the key stored somewhere between two
requests) and is never cached. Afterwards the page shows only its first and last four characters.
The key never goes into a message: messages may travel in a cookie.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from .. import services
from ..selectors import api_token_of
from .editing import forbidden, problem_page

CREATE = "create"
REVOKE = "revoke"
# How much of a stored key the page shows: enough to recognise it, too little to use it.
VISIBLE_CHARACTERS = 4


def masked(key: str) -> str:
    return f"{key[:VISIBLE_CHARACTERS]}…{key[-VISIBLE_CHARACTERS:]}"


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def api_token(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    if request.method == "GET":
        return _page(request, user)
    action = request.POST.get("action", "")
    if action == CREATE:
        replaced = api_token_of(user) is not None
        try:
            key = services.api_token_create(user=user)
        except PermissionDenied as error:
            return forbidden(request, str(error))
        if replaced:
            messages.success(request, _("Your new API token is ready. The old one no longer works."))
        else:
            messages.success(request, _("Your API token is ready."))
        return _page(request, user, new_key=key)
    if action == REVOKE:
        if services.api_token_revoke(user=user):
            messages.success(request, _("Your API token is revoked: requests that send it are now refused."))
        else:
            messages.info(request, _("You had no API token, so there was nothing to revoke."))
        return redirect("incidents:api-token")
    return problem_page(
        request,
        title=_("Nothing was done"),
        message=_("The form asked for no known action, so your API token is unchanged."),
        advice=_("Go back to the API token page and use one of its buttons."),
        status=400,
    )


def _page(request: HttpRequest, user: User, *, new_key: str = "") -> HttpResponse:
    # Only the masked form and the date reach the template, so no template can show a stored key.
    token = api_token_of(user)
    context: dict[str, Any] = {
        "has_token": token is not None,
        "masked_key": masked(token.key) if token else "",
        "created": token.created if token else None,
        "new_key": new_key,
        "incidents_url": request.build_absolute_uri(reverse("api:incident-list")),
        "docs_url": reverse("api:docs"),
    }
    return render(request, "incidents/api_token.html", context)
