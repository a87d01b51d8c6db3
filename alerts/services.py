"""Writes to the alerts app: subscriptions, a traveler's double opt-in, and unsubscribing.

Each function runs in one transaction and checks the caller's rights itself. An organisation's
subscriptions are managed by its security managers and administrators; a traveler's address
receives nothing until its owner follows the link sent to it; and a subscription is ended with a
reason, never deleted, so the delivery log keeps what was sent under it.
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
import zoneinfo
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from advisories.models import Country, Region, ThreatCategory
from config.translation import supported_language
from incidents.models import Organisation

from .access import can_manage_alerts, may_end_subscription
from .confirmations import confirmation_queue
from .emails import one_line
from .models import DIGEST_FREQUENCIES, EndReason, Frequency, OptOut, Subscription, time_zone_named
from .schedules import digest_schedules_ensure
from .selectors import confirmation_target, unsubscribe_target

# An organisation's own list of addresses; more than this is a mailing list, not a desk.
MAX_ADDRESSES = 50
# Confirmation e-mails a single address may be sent in a day: enough for a traveler who lost
# one, too few for anyone to use Vigil to flood someone else's inbox.
MAX_REQUESTS_PER_DAY = 5
NAME_MAX_LENGTH = 200
EMAIL_MAX_LENGTH = 254


@dataclass
class SubscriptionFields:
    """What a subscriber chooses: what to follow, how often, and (for an organisation) who receives it."""

    countries: Iterable[Country] = field(default_factory=list)
    regions: Iterable[Region] = field(default_factory=list)
    categories: Iterable[ThreatCategory] = field(default_factory=list)
    min_severity: int = 1
    frequency: str = Frequency.DAILY
    time_zone: zoneinfo.ZoneInfo | str = "UTC"
    include_advisories: bool = True
    name: str = ""
    # The language of its e-mails: one of settings.LANGUAGES.
    language: str = field(default_factory=lambda: settings.LANGUAGE_CODE)
    # An organisation's subscription only.
    include_members: bool = True
    addresses: Iterable[str] = field(default_factory=list)


SCALAR_FIELDS = (
    "name",
    "min_severity",
    "frequency",
    "time_zone",
    "include_advisories",
    "include_members",
    "addresses",
    "language",
)


class UnsubscribeOutcome(enum.Enum):
    ENDED = "ended"  # a person's subscription ended
    OPTED_OUT = "opted_out"  # one address left an organisation's subscription, which goes on for the others
    ALREADY = "already"  # nothing was being sent to this address under this subscription any more


@dataclass(frozen=True)
class Unsubscribed:
    outcome: UnsubscribeOutcome
    subscription: Subscription
    email: str


# Validation -------------------------------------------------------------------------------


def normalise_email(value: str) -> str:
    return value.strip().lower()


def _is_email(value: str) -> bool:
    # 254 characters is the longest address SMTP carries, and the database column's size.
    if len(value) > EMAIL_MAX_LENGTH:
        return False
    try:
        validate_email(value)
    except ValidationError:
        return False
    return not is_address_literal(value)


def is_address_literal(value: str) -> bool:
    """An address whose domain is an IP address in brackets (a@[127.0.0.1], a@[IPv6:::1]): valid
    for RFC 5321, but a way to make Vigil send mail to a server of one's choosing, internal ones
    included, and no real subscriber's address."""
    return value.rpartition("@")[2].startswith("[")


def _address_message(value: str, message: str) -> str:
    if is_address_literal(value):
        return _(
            "“%(value)s” names a mail server by its IP address; give an address with a domain name, "
            "e.g. name@example.org."
        ) % {"value": one_line(value)[:100]}
    return message


def validate_no_address_literal(value: str) -> None:
    """A form field's validator: the same refusal, before the services are called."""
    if is_address_literal(str(value)):
        raise ValidationError(_address_message(str(value), ""), code="address_literal")


def subscription_clean(data: SubscriptionFields, *, for_organisation: bool) -> SubscriptionFields:
    """Check what no form or API can be trusted to have checked, and tidy it: addresses lower-cased
    and once each, the name on one line. Raises ValidationError with a message per field."""
    errors: dict[str, list[str]] = {}

    def error(name: str, message: str) -> None:
        errors.setdefault(name, []).append(message)

    data = replace(
        data,
        countries=list(data.countries),
        regions=list(data.regions),
        categories=list(data.categories),
        name=one_line(data.name),
    )
    if not data.countries and not data.regions:
        error("countries", _("Choose at least one country or region to follow."))
    if len(data.name) > NAME_MAX_LENGTH:
        error(
            "name",
            _("The name is %(length)s characters long; shorten it to %(max)s at most.")
            % {"length": len(data.name), "max": NAME_MAX_LENGTH},
        )
    if not 1 <= data.min_severity <= 5:
        error("min_severity", _("The minimum severity goes from 1 (minor) to 5 (critical)."))
    if data.frequency not in Frequency.values:
        error("frequency", _("Choose how often: immediately, a daily digest or a weekly digest."))
    language = supported_language(str(data.language or ""))
    if language is None:
        error(
            "language",
            _("Choose the language of the e-mails: %(languages)s.")
            % {"languages": ", ".join(str(name) for _code, name in settings.LANGUAGES)},
        )
    else:
        data.language = language
    zone = time_zone_named(data.time_zone)
    if zone is None:
        error(
            "time_zone",
            _("“%(value)s” is not a time zone name; use one like Africa/Bamako or Europe/London.")
            % {"value": str(data.time_zone).strip()},
        )
    else:
        data.time_zone = zone
    if for_organisation:
        data.addresses = _clean_addresses(data.addresses, error)
        if not data.include_members and not data.addresses:
            error("addresses", _("Send to the organisation's members, or give at least one address, or both."))
    else:
        data.include_members = False
        data.addresses = []
    if errors:
        raise ValidationError(errors)
    return data


def _clean_addresses(addresses: Iterable[str], error: Any) -> list[str]:
    cleaned: list[str] = []
    for raw in addresses:
        address = normalise_email(str(raw))
        if not address:
            continue
        if not _is_email(address):
            error(
                "addresses",
                _address_message(address, _("“%(value)s” is not an e-mail address.") % {"value": one_line(raw)[:100]}),
            )
            continue
        if address not in cleaned:
            cleaned.append(address)
    if len(cleaned) > MAX_ADDRESSES:
        error(
            "addresses",
            _(
                "There are %(count)s addresses; at most %(max)s are allowed. For more people, send to a "
                "shared mailbox or a mailing list of your own."
            )
            % {"count": len(cleaned), "max": MAX_ADDRESSES},
        )
    return cleaned


def _require_manager(user: AbstractBaseUser | AnonymousUser, organisation: Organisation) -> None:
    if not can_manage_alerts(user, organisation.pk):
        raise PermissionDenied(
            _("Only the security managers and administrators of %(organisation)s manage its alerts.")
            % {"organisation": organisation.name}
        )


def _save_follows(subscription: Subscription, data: SubscriptionFields) -> None:
    subscription.countries.set(list(data.countries))
    subscription.regions.set(list(data.regions))
    subscription.categories.set(list(data.categories))


# An organisation's subscriptions ----------------------------------------------------------


def subscription_create(*, by: AbstractBaseUser, organisation: Organisation, data: SubscriptionFields) -> Subscription:
    """A subscription of the organisation, by one of its managers. A signed-in manager needs no
    confirmation link: it is active at once."""
    with transaction.atomic():
        _require_manager(by, organisation)
        data = subscription_clean(data, for_organisation=True)
        subscription = Subscription.objects.create(
            organisation=organisation,
            created_by_id=by.pk,
            confirmed_at=timezone.now(),
            **{name: getattr(data, name) for name in SCALAR_FIELDS},
        )
        _save_follows(subscription, data)
        _schedule_digests(subscription)
    return subscription


def _schedule_digests(subscription: Subscription) -> None:
    """A digest subscription in a time zone that has no digest schedule yet gets one."""
    if subscription.frequency in DIGEST_FREQUENCIES:
        digest_schedules_ensure(time_zones=[subscription.time_zone])


def subscription_update(*, by: AbstractBaseUser, subscription: Subscription, data: SubscriptionFields) -> Subscription:
    with transaction.atomic():
        locked = Subscription.objects.select_for_update(of=("self",)).select_related("organisation")
        current = locked.get(pk=subscription.pk)
        if current.organisation is None:
            raise PermissionDenied(_("A traveler's subscription is changed by its subscriber only."))
        _require_manager(by, current.organisation)
        if current.ended_at is not None:
            raise ValidationError(
                _("This subscription ended on %(date)s and can no longer be changed. Create a new one instead.")
                % {"date": f"{current.ended_at:%Y-%m-%d}"},
                code="ended",
            )
        data = subscription_clean(data, for_organisation=True)
        for name in SCALAR_FIELDS:
            setattr(current, name, getattr(data, name))
        current.save()
        _save_follows(current, data)
        _schedule_digests(current)
    return current


def subscription_end(
    *, by: AbstractBaseUser, subscription: Subscription, reason: str = EndReason.ENDED_BY_MANAGER
) -> Subscription:
    """End a subscription: nothing more is sent under it. Ending it again changes nothing.

    An organisation's managers end its subscriptions, a person ends their own, staff end any."""
    if reason not in EndReason.values:
        raise ValidationError({"reason": _("Say why the subscription ends.")})
    with transaction.atomic():
        locked = Subscription.objects.select_for_update(of=("self",)).select_related("organisation")
        current = locked.get(pk=subscription.pk)
        _require_may_end(by, current)
        if current.ended_at is None:
            current.ended_at = timezone.now()
            current.end_reason = reason
            current.ended_by_id = by.pk
            current.save(update_fields=["ended_at", "end_reason", "ended_by", "updated_at"])
    return current


def _require_may_end(user: AbstractBaseUser, subscription: Subscription) -> None:
    if may_end_subscription(user, subscription):
        return
    if subscription.organisation is not None:
        _require_manager(user, subscription.organisation)
    raise PermissionDenied(_("Only the subscriber may end this subscription, with the link in any of its e-mails."))


# A traveler's subscription: request, confirm ----------------------------------------------


def subscription_request(
    *,
    email: str,
    data: SubscriptionFields,
    user: AbstractBaseUser | AnonymousUser | None = None,
) -> Subscription:
    """A person asks for alerts at an address: an unconfirmed subscription, and an e-mail to that
    address with the link that confirms it. Nothing else is sent there until it is confirmed.

    The same happens whether or not the address already has subscriptions, so the answer reveals
    nothing about it. The subscription is linked to the signed-in user only when the address is
    their account's own: it then shows what the user may see, which must not go to someone else.
    """
    email = normalise_email(email)
    errors: dict[str, list[str]] = {}
    if not _is_email(email):
        errors["email"] = [_address_message(email, _("Give a valid e-mail address, e.g. name@example.org."))]
    try:
        data = subscription_clean(data, for_organisation=False)
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)

    account = user if user is not None and user.is_authenticated and user.is_active else None
    owner_id = account.pk if account is not None and normalise_email(getattr(account, "email", "")) == email else None
    with transaction.atomic():
        _serialise_requests_for(email)
        _check_request_rate(email)
        subscription = Subscription.objects.create(
            email=email,
            user_id=owner_id,
            created_by_id=account.pk if account is not None else None,
            include_members=False,
            addresses=[],
            **{name: getattr(data, name) for name in SCALAR_FIELDS if name not in ("include_members", "addresses")},
        )
        _save_follows(subscription, data)
        # Sent by a task; one the broker could not take is queued again by the sweeper.
        transaction.on_commit(functools.partial(confirmation_queue, subscription.pk))
    return subscription


def _serialise_requests_for(email: str) -> None:
    # Two requests for one address at the same moment must not both pass the rate check. SQLite
    # writes one transaction at a time already; PostgreSQL takes a lock named after the address.
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [f"alerts.request:{email}"])


def _check_request_rate(email: str) -> None:
    since = timezone.now() - dt.timedelta(days=1)
    recent = Subscription.objects.filter(
        organisation__isnull=True, email=email, confirmed_at__isnull=True, created_at__gte=since
    ).count()
    if recent >= MAX_REQUESTS_PER_DAY:
        raise ValidationError(
            {
                "email": [
                    ValidationError(
                        _(
                            "%(count)s confirmation e-mails have been sent to this address in the last 24 hours, "
                            "which is as many as Vigil sends in a day. Follow the link in one of them (look in "
                            "your spam or junk folder too), or try again tomorrow."
                        )
                        % {"count": recent},
                        code="rate_limited",
                    )
                ]
            }
        )


def subscription_confirm(*, token: str) -> Subscription:
    """Confirm a traveler's address from the signed link sent to it. Confirming twice changes
    nothing; a damaged, expired or ended link raises ValidationError saying which."""
    with transaction.atomic():
        subscription = confirmation_target(token, for_update=True)
        if subscription.confirmed_at is None:
            subscription.confirmed_at = timezone.now()
            subscription.save(update_fields=["confirmed_at", "updated_at"])
            _schedule_digests(subscription)
    return subscription


def subscriptions_end_unconfirmed(*, now: dt.datetime | None = None) -> int:
    """End the requests whose confirmation link has expired unused: they can never be confirmed,
    and ending them keeps the rate limit and the admin's lists about live requests. Returns how
    many ended. Meant to run daily (a periodic task can call it)."""
    now = now or timezone.now()
    cutoff = now - dt.timedelta(days=settings.ALERTS_CONFIRMATION_DAYS)
    return Subscription.objects.filter(
        organisation__isnull=True, confirmed_at__isnull=True, ended_at__isnull=True, created_at__lt=cutoff
    ).update(ended_at=now, end_reason=EndReason.NEVER_CONFIRMED, updated_at=now)


# Unsubscribing ----------------------------------------------------------------------------


def unsubscribe(*, token: str) -> Unsubscribed:
    """Act on an unsubscribe link: a person's subscription ends; an organisation's goes on for
    its other recipients, and this address is opted out of it. Doing it again changes nothing."""
    with transaction.atomic():
        subscription, email = unsubscribe_target(token, for_update=True)
        email = normalise_email(email)
        if subscription.ended_at is not None:
            outcome = UnsubscribeOutcome.ALREADY
        elif subscription.organisation_id is None:
            subscription.ended_at = timezone.now()
            subscription.end_reason = EndReason.UNSUBSCRIBED
            subscription.save(update_fields=["ended_at", "end_reason", "updated_at"])
            outcome = UnsubscribeOutcome.ENDED
        else:
            _opt_out, created = OptOut.objects.get_or_create(
                subscription=subscription, email__iexact=email, defaults={"email": email}
            )
            outcome = UnsubscribeOutcome.OPTED_OUT if created else UnsubscribeOutcome.ALREADY
    return Unsubscribed(outcome=outcome, subscription=subscription, email=email)
