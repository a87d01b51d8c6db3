"""Who may manage alerts and end a subscription: the one place that decides it.

- An active organisation's security managers and administrators (MANAGER_ROLES) manage its
  subscriptions and read its delivery log (`managed_organisations`, `can_manage_alerts`).
- A subscription is ended by a manager of its organisation, by the person it belongs to (a
  traveler's own), or by Vigil's staff (`may_end_subscription`).

Which incidents a manager may read about is incidents/access.py's rule, applied by the selectors.
"""

from __future__ import annotations

from django.db.models import QuerySet

from incidents.access import AnyUser
from incidents.models import MANAGER_ROLES, Organisation

from .models import Subscription


def managed_organisations(user: AnyUser | None) -> QuerySet[Organisation]:
    """The active organisations whose alert subscriptions the user manages."""
    if user is None or not user.is_authenticated or not user.is_active:
        return Organisation.objects.none()
    return Organisation.objects.filter(
        is_active=True, memberships__user_id=user.pk, memberships__role__in=MANAGER_ROLES
    ).distinct()


def can_manage_alerts(user: AnyUser | None, organisation_id: int | None) -> bool:
    if organisation_id is None:
        return False
    return managed_organisations(user).filter(pk=organisation_id).exists()


def may_end_subscription(user: AnyUser | None, subscription: Subscription) -> bool:
    """Staff end any subscription, an organisation's managers end its, a person ends their own."""
    if user is None or not user.is_authenticated:
        return False
    if getattr(user, "is_staff", False) and user.is_active:
        return True
    if subscription.organisation_id is not None:
        return can_manage_alerts(user, subscription.organisation_id)
    return subscription.user_id is not None and subscription.user_id == user.pk
