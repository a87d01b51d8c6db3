"""Who receives a subscription's e-mails, and what each of them may see."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.contrib.auth import get_user_model

from incidents.access import ANONYMOUS, Viewer, organisation_viewer, viewer_for, viewers_for
from incidents.models import Membership

from .models import Subscription


@dataclass(frozen=True)
class Recipient:
    email: str
    viewer: Viewer
    user_id: int | None = None


def subscription_recipients(subscription: Subscription) -> list[Recipient]:
    """Every address the subscription sends to, once, with the sharing rules of its reader.

    - A person's subscription: their own view if it is a user's, else an anonymous
      traveler's (published TLP:CLEAR only).
    - An organisation's: each active member with an address sees what they may see as a
      user; the organisation's other addresses see what a reader of the organisation sees.
    Recipients who opted out are left out.
    """
    if not subscription.is_active:
        return []
    if subscription.organisation_id is None:
        return _person_recipients(subscription, None)

    organisation = subscription.organisation
    assert organisation is not None
    opted_out = {email.lower() for email in subscription.opt_outs.values_list("email", flat=True)}
    recipients: dict[str, Recipient] = {}
    if subscription.include_members:
        member_ids = Membership.objects.filter(organisation=organisation).values_list("user_id", flat=True)
        members = list(
            get_user_model().objects.filter(pk__in=member_ids, is_active=True).exclude(email="").order_by("pk")
        )
        viewers = viewers_for(members)
        for user in members:
            email = user.email.lower()
            if email not in opted_out and email not in recipients:
                recipients[email] = Recipient(email, viewers[user.pk], user.pk)
    shared_view = organisation_viewer(organisation)
    for address in subscription.addresses or []:
        email = str(address).strip().lower()
        if email and email not in opted_out and email not in recipients:
            recipients[email] = Recipient(email, shared_view)
    return list(recipients.values())


def subscriptions_recipients(subscriptions: Sequence[Subscription]) -> dict[int, list[Recipient]]:
    """`subscription_recipients` of each subscription, by id; the sharing rights of the people
    who subscribed for themselves are read together, whatever their number."""
    people = [s.user for s in subscriptions if s.organisation_id is None and s.user is not None and s.is_active]
    viewers = viewers_for(people)
    return {
        subscription.pk: (
            _person_recipients(subscription, viewers)
            if subscription.organisation_id is None and subscription.is_active
            else subscription_recipients(subscription)
        )
        for subscription in subscriptions
    }


def _person_recipients(subscription: Subscription, viewers: dict[int, Viewer] | None) -> list[Recipient]:
    """A person's subscription: their own view if it is a user's, else an anonymous traveler's."""
    user = subscription.user if subscription.user_id is not None else None
    if user is not None and user.is_active:
        viewer = viewers[user.pk] if viewers is not None else viewer_for(user)
        return [Recipient(subscription.email.lower(), viewer, user.pk)]
    return [Recipient(subscription.email.lower(), ANONYMOUS)]
