"""Reads for the alerts pages: an organisation's subscriptions, the delivery log, and the
subscription a signed link is about (who manages what: alerts/access.py).

Access is applied here: a manager only ever reads the subscriptions and deliveries of the
organisations they manage, and a delivery's subject is shown only when the manager may see
the incident it names (incidents.selectors.incidents_visible_to decides that).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TypeVar

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import ValidationError
from django.db.models import BooleanField, Case, Count, Exists, F, Model, OuterRef, Prefetch, QuerySet, Value, When
from django.http import Http404
from django.utils.translation import gettext as _

from advisories.models import Region
from incidents.selectors import incidents_visible_to

from .access import managed_organisations
from .models import Delivery, OptOut, Subscription
from .tokens import InvalidToken, TokenSubject, confirmation_token_read, unsubscribe_token_read

AnyUser = AbstractBaseUser | AnonymousUser
RowT = TypeVar("RowT", bound=Model)


# Subscriptions ----------------------------------------------------------------------------


def organisation_subscriptions(organisation_ids: Iterable[int]) -> QuerySet[Subscription]:
    """An organisation's subscriptions, active ones first, with everything the list shows
    loaded: five queries however many there are."""
    regions = Region.objects.select_related("country").order_by("country__name", "name")
    return (
        Subscription.objects.filter(organisation_id__in=list(organisation_ids))
        .select_related("organisation", "ended_by")
        .prefetch_related("countries", Prefetch("regions", queryset=regions), "categories")
        .annotate(opt_out_count=Count("opt_outs", distinct=True))
        # Active ones first, newest first; then the ended ones, the latest ended first.
        .order_by("organisation__name", F("ended_at").desc(nulls_first=True), "-created_at")
    )


def managed_subscription(user: AnyUser | None, pk: int) -> Subscription:
    """One subscription of an organisation the user manages; a 404 otherwise, so that the
    subscriptions of other organisations are not revealed."""
    subscription = (
        Subscription.objects.filter(pk=pk, organisation__in=managed_organisations(user))
        .select_related("organisation", "ended_by")
        .prefetch_related("countries", "regions", "categories")
        .first()
    )
    if subscription is None:
        raise Http404(_("There is no such subscription among those you manage."))
    return subscription


# The delivery log -------------------------------------------------------------------------


def with_hidden_incidents(
    rows: QuerySet[RowT], user: AnyUser, *, incident: str = "alert__incident_id", name: str = "subject_hidden"
) -> QuerySet[RowT]:
    """Mark each row (a delivery, an immediate alert) whose incident the user may not see.

    Such a row shows that an alert went out, never which incident it was about: no id, no
    link, no title (the subject quotes it), no date of the incident.
    """
    visible = incidents_visible_to(user).filter(pk=OuterRef(incident))
    return rows.annotate(
        **{
            name: Case(
                When(**{f"{incident}__isnull": True}, then=Value(False)),
                When(Exists(visible), then=Value(False)),
                default=Value(True),
                output_field=BooleanField(),
            )
        }
    )


def delivery_log(
    user: AnyUser,
    *,
    organisation_ids: Iterable[int],
    status: str = "",
    since: dt.datetime | None = None,
    before: dt.datetime | None = None,
) -> QuerySet[Delivery]:
    """The deliveries of the organisations' subscriptions, newest first.

    Each row carries `subject_hidden`: an incident alert's subject quotes the incident's title,
    and a member who also belongs to another organisation may have been sent that
    organisation's incidents; the manager reads the subject only if they may see the incident.
    """
    deliveries = with_hidden_incidents(
        Delivery.objects.filter(subscription__organisation_id__in=list(organisation_ids)).select_related(
            "subscription__organisation",
            "run",
            "alert__advisory__country",
            "alert__advisory__region",
        ),
        user,
    ).order_by("-created_at", "-id")
    if status:
        deliveries = deliveries.filter(status=status)
    if since is not None:
        deliveries = deliveries.filter(created_at__gte=since)
    if before is not None:
        deliveries = deliveries.filter(created_at__lt=before)
    return deliveries


# Signed links -----------------------------------------------------------------------------


def _link_error(error: InvalidToken, *, what: str) -> ValidationError:
    if error.args and error.args[0] == "expired":
        return ValidationError(
            _(
                "This confirmation link has expired: links work for %(days)s days after they are sent. "
                "Subscribe again to receive a new one."
            )
            % {"days": settings.ALERTS_CONFIRMATION_DAYS},
            code="expired",
        )
    return invalid_link(what)


def invalid_link(what: str) -> ValidationError:
    return ValidationError(
        _(
            "This %(what)s link is damaged or incomplete. Open it again from the e-mail, or copy the whole "
            "address from the e-mail into your browser."
        )
        % {"what": what},
        code="invalid",
    )


def confirmation_target(token: str, *, for_update: bool = False) -> Subscription:
    """The traveler's subscription a confirmation link is about, or a ValidationError that says
    what is wrong with the link (code "invalid", "expired" or "ended")."""
    try:
        subject = confirmation_token_read(token)
    except InvalidToken as error:
        raise _link_error(error, what=_("confirmation")) from None
    subscription = _subscription_of(subject, for_update=for_update)
    if subscription is None or subscription.organisation_id is not None:
        raise invalid_link(_("confirmation"))
    if subscription.ended_at is not None:
        raise ValidationError(
            _(
                "This subscription was ended on %(date)s, so it can no longer be confirmed. Subscribe again "
                "if you want these alerts."
            )
            % {"date": f"{subscription.ended_at:%Y-%m-%d}"},
            code="ended",
        )
    return subscription


def unsubscribe_target(token: str, *, for_update: bool = False) -> tuple[Subscription, str]:
    """The subscription and the address an unsubscribe link is about, or a ValidationError."""
    try:
        subject = unsubscribe_token_read(token)
    except InvalidToken as error:
        raise _link_error(error, what=_("unsubscribe")) from None
    subscription = _subscription_of(subject, for_update=for_update)
    if subscription is None:
        raise invalid_link(_("unsubscribe"))
    return subscription, subject.email


def _subscription_of(subject: TokenSubject, *, for_update: bool) -> Subscription | None:
    subscriptions = Subscription.objects.select_related("organisation").prefetch_related(
        "countries", "regions", "categories"
    )
    if for_update:
        # Lock only the subscription's own row (PostgreSQL refuses FOR UPDATE across a nullable join).
        subscriptions = subscriptions.select_for_update(of=("self",))
    subscription = subscriptions.filter(pk=subject.subscription_id).first()
    if subscription is None:
        return None
    # A person's link names the subscription's own address; any other address is not theirs.
    if subscription.organisation_id is None and subscription.email.lower() != subject.email.lower():
        return None
    return subscription


def has_opted_out(subscription: Subscription, email: str) -> bool:
    return OptOut.objects.filter(subscription=subscription, email__iexact=email).exists()
