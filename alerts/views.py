"""The alerts pages: an organisation's subscriptions and delivery log for its security managers,
and a traveler's subscribe, confirm and unsubscribe pages.

Plain HTML forms that work without JavaScript. The views translate between HTTP and the
services, which check the rights and every rule. A link in an e-mail only ever acts on POST: a
GET shows a page with a button, so a mail scanner that follows links changes nothing. The
unsubscribe address also takes the one-click POST of RFC 8058, which a mail client sends
without cookies or CSRF token: the signed token in the address is what authenticates it.
"""

from __future__ import annotations

import functools
import zoneinfo
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from advisories.models import Country
from config.forms import initial_from_submitted
from incidents.models import Organisation
from incidents.selectors import memberships_of

from . import services
from .access import managed_organisations
from .forms import (
    DeliveryFilterForm,
    OrganisationSubscriptionForm,
    TravelerSubscriptionForm,
    country_time_zones,
    initial_from_subscription,
)
from .models import DeliveryStatus, Subscription
from .selectors import (
    confirmation_target,
    delivery_log,
    has_opted_out,
    managed_subscription,
    organisation_subscriptions,
    unsubscribe_target,
)

DELIVERIES_PER_PAGE = 50
# The submit button that shows the form again with the regions of the countries just chosen.
SHOW_REGIONS = "show_regions"


def problem_page(
    request: HttpRequest, *, title: str, message: str, status: int, advice: str = "", links: Any = ()
) -> HttpResponse:
    """A page that says what went wrong and what to do about it, with links to do it."""
    context = {"title": title, "message": message, "advice": advice, "links": links}
    return render(request, "alerts/problem.html", context, status=status)


def _not_a_manager(request: HttpRequest) -> HttpResponse:
    subscribe = [(reverse("alerts:subscribe"), _("Subscribe with your own e-mail address"))]
    if memberships_of(request.user).exists():
        message = _(
            "An organisation's alerts are set up by its security managers and administrators. Ask one of them "
            "to add your address to a subscription, or to give you one of these roles."
        )
    else:
        message = _("You are not a member of any organisation, so there are no organisation alerts for you to manage.")
    return problem_page(
        request,
        title=_("Only security managers manage their organisation's alerts"),
        message=message,
        advice=_("You can also receive alerts for yourself: subscribe with your e-mail address."),
        links=subscribe,
        status=403,
    )


def _managed(request: HttpRequest) -> list[Organisation]:
    return list(managed_organisations(request.user).order_by("name"))


# An organisation's subscriptions -----------------------------------------------------------


@login_required
def subscription_list(request: HttpRequest) -> HttpResponse:
    organisations = _managed(request)
    if not organisations:
        return _not_a_manager(request)
    subscriptions = organisation_subscriptions([organisation.pk for organisation in organisations])
    context = {"organisations": organisations, "subscriptions": subscriptions}
    return render(request, "alerts/subscription_list.html", context)


@login_required
def subscription_create(request: HttpRequest) -> HttpResponse:
    organisations = _managed(request)
    if not organisations:
        return _not_a_manager(request)
    return _subscription_form(
        request,
        initial=lambda: {"organisation": organisations[0].pk, "time_zone": organisations[0].time_zone},
        write=lambda form: services.subscription_create(
            by=request.user,  # type: ignore[arg-type]
            organisation=form.chosen_organisation(),
            data=form.subscription_fields(),
        ),
        done=_("Subscription created. Alerts start with the next digest or incident."),
        organisations=organisations,
        time_zones=[organisation.time_zone for organisation in organisations],
    )


@login_required
def subscription_edit(request: HttpRequest, pk: int) -> HttpResponse:
    subscription = managed_subscription(request.user, pk)
    if subscription.ended_at is not None:
        messages.error(
            request,
            _("This subscription ended on %(date)s and can no longer be changed. Create a new one instead.")
            % {"date": f"{subscription.ended_at:%Y-%m-%d}"},
        )
        return redirect("alerts:list")
    assert subscription.organisation is not None
    return _subscription_form(
        request,
        initial=lambda: initial_from_subscription(subscription),
        write=lambda form: services.subscription_update(
            by=request.user,  # type: ignore[arg-type]
            subscription=subscription,
            data=form.subscription_fields(),
        ),
        done=_("Changes saved."),
        subscription=subscription,
        time_zones=[subscription.organisation.time_zone, subscription.time_zone],
    )


def _subscription_form(
    request: HttpRequest,
    *,
    initial: Callable[[], dict[str, Any]],
    write: Callable[[OrganisationSubscriptionForm], object],
    done: str,
    subscription: Subscription | None = None,
    **form_kwargs: Any,
) -> HttpResponse:
    """An organisation's subscription form: shown with `initial` values, shown again with the
    regions of the countries just chosen, or, once valid, given to `write` (a service)."""
    if request.method != "POST":
        form = OrganisationSubscriptionForm(initial=initial(), **form_kwargs)
        return _form_page(request, form, subscription=subscription)
    form = OrganisationSubscriptionForm(request.POST, **form_kwargs)
    if SHOW_REGIONS in request.POST:
        unjudged = OrganisationSubscriptionForm(initial=initial_from_submitted(form, request.POST), **form_kwargs)
        return _form_page(request, unjudged, subscription=subscription)
    if form.is_valid():
        try:
            write(form)
        except ValidationError as error:
            form.add_service_errors(error)
        except PermissionDenied as error:
            return problem_page(request, title=_("You may not do this"), message=str(error), status=403)
        else:
            messages.success(request, done)
            return redirect("alerts:list")
    return _form_page(request, form, subscription=subscription)


def _form_page(
    request: HttpRequest, form: OrganisationSubscriptionForm, *, subscription: Subscription | None = None
) -> HttpResponse:
    context = {"form": form, "subscription": subscription, "show_regions": SHOW_REGIONS}
    return render(request, "alerts/subscription_form.html", context, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def subscription_end(request: HttpRequest, pk: int) -> HttpResponse:
    subscription = managed_subscription(request.user, pk)
    if subscription.ended_at is not None:
        messages.info(
            request,
            _("This subscription had already ended on %(date)s.") % {"date": f"{subscription.ended_at:%Y-%m-%d}"},
        )
        return redirect("alerts:list")
    if request.method != "POST":
        return render(request, "alerts/subscription_end.html", {"subscription": subscription})
    try:
        services.subscription_end(by=request.user, subscription=subscription)  # type: ignore[arg-type]
    except PermissionDenied as error:
        return problem_page(request, title=_("You may not do this"), message=str(error), status=403)
    messages.success(
        request,
        _("The subscription “%(name)s” has ended; nothing more is sent under it.") % {"name": subscription},
    )
    return redirect("alerts:list")


# The delivery log --------------------------------------------------------------------------


@login_required
def deliveries(request: HttpRequest) -> HttpResponse:
    organisations = _managed(request)
    if not organisations:
        return _not_a_manager(request)
    # The days of the filter and the times shown are the organisation's own (UTC across several).
    zone_name = organisations[0].time_zone if len(organisations) == 1 else "UTC"
    zone = _zone(zone_name)
    filters = DeliveryFilterForm(request.GET or None)
    page = None
    if not filters.is_bound or filters.is_valid():
        since, before = filters.bounds(zone) if filters.is_bound else (None, None)
        rows = delivery_log(
            request.user,
            organisation_ids=[organisation.pk for organisation in organisations],
            status=filters.cleaned_data.get("status", "") if filters.is_bound else "",
            since=since,
            before=before,
        )
        page = Paginator(rows, DELIVERIES_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "organisations": organisations,
        "filters": filters,
        "page": page,
        "time_zone": zone_name,
        "status": DeliveryStatus,
    }
    return render(request, "alerts/delivery_log.html", context, status=200 if page is not None else 400)


def _zone(name: str) -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("UTC")


# A traveler's subscription -----------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def subscribe(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        initial: dict[str, Any] = {}
        if request.user.is_authenticated:
            initial["email"] = getattr(request.user, "email", "")
        # "Get e-mail alerts" on a country's page comes here with ?country=ml: that country is
        # ticked, and its time zone chosen.
        country = _country_asked_for(request)
        zones = []
        if country is not None:
            initial["countries"] = [country.pk]
            zone = country_time_zones().get(country.code)
            if zone:
                initial["time_zone"] = zone
                zones.append(zone)
        return _subscribe_page(request, TravelerSubscriptionForm(initial=initial, time_zones=zones))
    form = TravelerSubscriptionForm(request.POST)
    if SHOW_REGIONS in request.POST:
        return _subscribe_page(request, TravelerSubscriptionForm(initial=initial_from_submitted(form, request.POST)))
    if form.is_valid():
        try:
            services.subscription_request(
                email=form.cleaned_data["email"], data=form.subscription_fields(), user=request.user
            )
        except ValidationError as error:
            form.add_service_errors(error)
            limited = any(e.code == "rate_limited" for e in error.error_dict.get("email", []))
            return _subscribe_page(request, form, status=429 if limited else 400)
        return redirect("alerts:subscribe_sent")
    return _subscribe_page(request, form)


def _country_asked_for(request: HttpRequest) -> Country | None:
    code = request.GET.get("country", "")
    if len(code) != 2 or not code.isascii() or not code.isalpha():
        return None
    return Country.objects.filter(code=code.upper()).first()


def _subscribe_page(request: HttpRequest, form: TravelerSubscriptionForm, status: int | None = None) -> HttpResponse:
    context = {"form": form, "show_regions": SHOW_REGIONS}
    return render(request, "alerts/subscribe.html", context, status=status or (400 if form.errors else 200))


def subscribe_sent(request: HttpRequest) -> HttpResponse:
    context = {"days": settings.ALERTS_CONFIRMATION_DAYS}
    return render(request, "alerts/subscribe_sent.html", context)


LinkView = Callable[[HttpRequest, str], HttpResponse]


def _token_link(title: str | Promise) -> Callable[[LinkView], LinkView]:
    """A page reached by a link from an e-mail: when its token does not work (invalid, expired,
    already used), a page titled `title` says why and offers to subscribe again."""

    def decorate(view: LinkView) -> LinkView:
        @functools.wraps(view)
        def answer(request: HttpRequest, token: str) -> HttpResponse:
            try:
                return view(request, token)
            except ValidationError as error:
                return problem_page(
                    request,
                    title=str(title),
                    message=" ".join(error.messages),
                    links=[(reverse("alerts:subscribe"), _("Subscribe again"))],
                    status=400,
                )

        return answer

    return decorate


@never_cache
@require_http_methods(["GET", "POST"])
@_token_link(gettext_lazy("This confirmation link does not work"))
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows what is about to be confirmed and a button; only the POST confirms."""
    if request.method == "POST":
        subscription = services.subscription_confirm(token=token)
        return render(request, "alerts/confirmed.html", {"subscription": subscription})
    subscription = confirmation_target(token)
    if subscription.confirmed_at is not None:
        return render(request, "alerts/confirmed.html", {"subscription": subscription, "already": True})
    return render(request, "alerts/confirm.html", {"subscription": subscription, "token": token})


@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
@_token_link(gettext_lazy("This unsubscribe link does not work"))
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows a page with a button; POST unsubscribes, whether from that button or from a
    mail client's one-click request (body `List-Unsubscribe=One-Click`, RFC 8058)."""
    if request.method == "POST":
        result = services.unsubscribe(token=token)
        context = {"subscription": result.subscription, "email": result.email, "outcome": result.outcome.value}
        return render(request, "alerts/unsubscribed.html", context)
    subscription, email = unsubscribe_target(token)
    already = subscription.ended_at is not None or (
        subscription.organisation_id is not None and has_opted_out(subscription, email)
    )
    context = {"subscription": subscription, "email": email, "already": already, "token": token}
    return render(request, "alerts/unsubscribe.html", context)
