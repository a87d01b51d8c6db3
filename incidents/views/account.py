"""The signed-in user's API tokens: create named ones, see them listed, revoke each on its own.

A new key is shown once, on the page that answers the POST that created it; that page is
rendered rather than redirected to (a redirect would need the key stored somewhere between two
requests) and is never cached. The database keeps only the key's SHA-256 and its first and last
four characters. The key never goes into a message: messages may travel in a cookie.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from .. import services
from ..api_tokens import NAME_MAX_LENGTH
from ..selectors import api_tokens_of
from .editing import forbidden, problem_page

CREATE = "create"
REVOKE = "revoke"


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Name"),
        max_length=NAME_MAX_LENGTH,
        required=False,
        help_text=gettext_lazy("What the token is for, e.g. the program that uses it."),
    )
    days = forms.IntegerField(label=gettext_lazy("Valid for (days)"), min_value=1, max_value=services.MAX_TOKEN_DAYS)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def api_token(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    if request.method == "GET":
        return _page(request, user)
    action = request.POST.get("action", "")
    if action == CREATE:
        return _create(request, user)
    if action == REVOKE:
        token_id = request.POST.get("token", "")
        if token_id.isdigit() and services.api_token_revoke(user=user, token_id=int(token_id)):
            messages.success(request, _("The token is revoked: requests that send it are now refused."))
        else:
            messages.info(request, _("You have no such token, so there was nothing to revoke."))
        return redirect("incidents:api-token")
    return problem_page(
        request,
        title=_("Nothing was done"),
        message=_("The form asked for no known action, so your API tokens are unchanged."),
        advice=_("Go back to the API token page and use one of its buttons."),
        status=400,
    )


def _create(request: HttpRequest, user: User) -> HttpResponse:
    form = ApiTokenForm(request.POST)
    if not form.is_valid():
        return _page(request, user, form=form, status=400)
    try:
        _token, key = services.api_token_create(user=user, **form.cleaned_data)
    except PermissionDenied as error:
        return forbidden(request, str(error))
    except ValidationError as error:
        form.add_error(None, error)
        return _page(request, user, form=form, status=400)
    messages.success(request, _("Your API token is ready. Your other tokens keep working."))
    return _page(request, user, new_key=key)


def _page(
    request: HttpRequest, user: User, *, new_key: str = "", form: ApiTokenForm | None = None, status: int = 200
) -> HttpResponse:
    # The model holds no key, only its digest and hint: no template can show a stored key.
    context: dict[str, Any] = {
        "tokens": list(api_tokens_of(user)),
        "form": form or ApiTokenForm(initial={"days": settings.API_TOKEN_DEFAULT_DAYS}),
        "new_key": new_key,
        "incidents_url": request.build_absolute_uri(reverse("api:incident-list")),
        "docs_url": reverse("api:docs"),
    }
    return render(request, "incidents/api_token.html", context, status=status)
