"""The reader's language: a switch that works without JavaScript, remembered in a cookie, and
for a signed-in person in their account too.

The switch is a plain link to `language/<code>/?next=<the page>` (templates/base.html): a GET that
sets settings.LANGUAGE_COOKIE_NAME, which LocaleMiddleware reads before Accept-Language, and
redirects back. On sign-in, a person whose account has a language gets it back, whatever the
browser they sign in from says.

Every page in a language depends on both Accept-Language and that cookie: `Vary` says so, so
that no cache hands a page in one language to a reader of the other.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal, cast

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import Http404, HttpRequest, HttpResponseBase, HttpResponseRedirect
from django.utils import translation
from django.utils.cache import add_never_cache_headers, patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET

from incidents.selectors import account_language
from incidents.services import account_language_set

Handler = Callable[[HttpRequest], HttpResponseBase]

# Set on the request at sign-in when the account has a language: the answer carries its cookie.
_SIGNED_IN_LANGUAGE = "_vigil_account_language"


def set_language_cookie(response: HttpResponseBase, language: str) -> None:
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=cast(Literal["Lax", "Strict", "None"], settings.LANGUAGE_COOKIE_SAMESITE),
    )


def _safe_next(request: HttpRequest) -> str:
    """The page to go back to: one of this site's, or the home page."""
    target = request.GET.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return "/"


@require_GET
def language_switch(request: HttpRequest, code: str) -> HttpResponseBase:
    """Read Vigil in `code` from now on, and go back to the page the link was on."""
    if code not in dict(settings.LANGUAGES):
        raise Http404
    if request.user.is_authenticated:
        account_language_set(user=request.user, language=code)
    response = HttpResponseRedirect(_safe_next(request))
    set_language_cookie(response, code)
    # The redirect depends on the request's query and sets a cookie: no cache may keep it.
    add_never_cache_headers(response)
    return response


@receiver(user_logged_in, dispatch_uid="vigil-account-language-on-sign-in")
def _account_language_on_sign_in(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    """A person whose account has a language reads Vigil in it from the answer to their sign-in
    on. Without one, they keep the language they were reading in."""
    if request is None:
        return
    language = account_language(user.pk)
    if language not in dict(settings.LANGUAGES):
        return
    setattr(request, _SIGNED_IN_LANGUAGE, language)
    translation.activate(language)
    request.LANGUAGE_CODE = language


class LanguageMiddleware:
    """Placed before LocaleMiddleware: it sees the answer last, once `Vary: Accept-Language` is on it."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        language = getattr(request, _SIGNED_IN_LANGUAGE, None)
        if language:
            set_language_cookie(response, language)
        patch_vary_headers(response, ("Accept-Language", "Cookie"))
        return response
