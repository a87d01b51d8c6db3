"""Write the alerts demo data: run by `manage.py load_demo` inside its one transaction.

`alerts.apps` registers `load` with advisories' demo registry; load_demo calls it after the
incidents demo data, so the demo organisations and their users exist by then (with the demo
accounts only: without them there is no subscriber to create).

Each subscription is found again by its recipient and name, so a second run changes nothing,
and one someone edited is put back and counted as updated. An ended subscription is left
ended: the loader never subscribes again someone who unsubscribed. The digest schedules of the
subscriptions' time zones are created where missing (`alerts.schedules`), never overwritten.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from advisories.demo.loader import DemoContext, DemoDataError, LoadReport
from advisories.models import Country, Region, ThreatCategory
from advisories.services import Outcome
from incidents.models import Organisation

from ..models import Frequency, Subscription, time_zone_named
from ..schedules import DIGEST_SCHEDULES, digest_schedules_ensure
from . import subscriptions
from .records import SubscriptionRecord

SUBSCRIPTIONS = "subscriptions"
SCHEDULES = "digest_schedules"


def load(context: DemoContext) -> None:
    if not context.with_accounts:
        # The subscribers are the demo NGOs and a made-up traveler: nobody to write to without them.
        return
    report = context.report
    report.declare(SUBSCRIPTIONS, gettext_lazy("Demo subscriptions"))
    report.declare(SCHEDULES, gettext_lazy("Digest schedules"))
    lookups = _Lookups()
    for record in subscriptions.SUBSCRIPTIONS:
        report.add(SUBSCRIPTIONS, _subscription_ensure(record, lookups))
    _schedules_ensure(report, subscriptions.SUBSCRIPTIONS)


class _Lookups:
    """The rows the records refer to by code, slug or username, loaded once."""

    def __init__(self) -> None:
        self.countries = {c.code: c for c in Country.objects.all()}
        self.regions = {r.code: r for r in Region.objects.all()}
        self.categories = {c.slug: c for c in ThreatCategory.objects.all()}
        self.organisations = {o.slug: o for o in Organisation.objects.all()}

    @staticmethod
    def get(table: Mapping[str, Any], key: str, what: str) -> Any:
        if key not in table:
            raise DemoDataError(
                gettext("%(what)s %(key)s is missing; run `manage.py migrate` first.") % {"what": what, "key": key}
            )
        return table[key]

    def pks(self, table: Mapping[str, Model], keys: tuple[str, ...], what: str) -> set[int]:
        return {self.get(table, key, what).pk for key in keys}


def _subscription_ensure(record: SubscriptionRecord, lookups: _Lookups) -> Outcome:
    organisation = (
        lookups.get(lookups.organisations, record.organisation, gettext("Organisation"))
        if record.organisation
        else None
    )
    values: dict[str, Any] = {
        "organisation": organisation,
        "include_members": record.include_members,
        "addresses": list(record.addresses),
        "user": None,
        "email": record.email,
        "min_severity": record.min_severity,
        "include_advisories": record.include_advisories,
        "frequency": record.frequency,
        "time_zone": time_zone_named(record.time_zone) or record.time_zone,  # as the field reads it back
    }
    follows = {
        "countries": lookups.pks(lookups.countries, record.countries, gettext("Country")),
        "regions": lookups.pks(lookups.regions, record.regions, gettext("Region")),
        "categories": lookups.pks(lookups.categories, record.categories, gettext("Threat category")),
    }

    subscription = _find(record, organisation)
    if subscription is None:
        subscription = Subscription(
            name=record.name, **values, confirmed_at=timezone.now(), created_by=_user(record.created_by)
        )
        _validate(record, subscription)
        subscription.save()
        _set_follows(subscription, follows)
        return Outcome.CREATED
    if subscription.ended_at is not None:
        return Outcome.UNCHANGED

    changed = [name for name, value in values.items() if getattr(subscription, name) != value]
    for name in changed:
        setattr(subscription, name, values[name])
    if subscription.confirmed_at is None:
        subscription.confirmed_at = timezone.now()
        changed.append("confirmed_at")
    if changed:
        _validate(record, subscription)
    follows_changed = _set_follows(subscription, follows)
    if changed or follows_changed:
        subscription.save(update_fields=[*changed, "updated_at"])
        return Outcome.UPDATED
    return Outcome.UNCHANGED


def _find(record: SubscriptionRecord, organisation: Organisation | None) -> Subscription | None:
    found = Subscription.objects.select_for_update().filter(name=record.name)
    if organisation is not None:
        found = found.filter(organisation=organisation)
    else:
        found = found.filter(organisation__isnull=True, email=record.email)
    # The newest: if the one we made was ended and someone subscribed again under the same name,
    # theirs is the one to look after.
    return found.order_by("-created_at", "-pk").first()


def _user(username: str) -> Any:
    if not username:
        return None
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        raise DemoDataError(
            gettext("Demo user %(username)s is missing; the incidents demo data creates it.") % {"username": username}
        )
    return user


def _validate(record: SubscriptionRecord, subscription: Subscription) -> None:
    """The model's own checks, its constraints included."""
    try:
        subscription.full_clean()
    except ValidationError as error:
        raise DemoDataError(
            gettext("Demo subscription %(name)s is not valid: %(errors)s")
            % {"name": record.name, "errors": " ".join(error.messages)}
        ) from error


def _set_follows(subscription: Subscription, follows: dict[str, set[int]]) -> bool:
    """Make the subscription follow these countries, regions and categories; say whether anything changed."""
    changed = False
    for name, pks in follows.items():
        related = getattr(subscription, name)
        if set(related.values_list("pk", flat=True)) != pks:
            related.set(pks)
            changed = True
    return changed


def _schedules_ensure(report: LoadReport, records: tuple[SubscriptionRecord, ...]) -> None:
    zones = {record.time_zone for record in records if record.frequency != Frequency.IMMEDIATE}
    created = digest_schedules_ensure(time_zones=zones)
    for index in range(len(zones) * len(DIGEST_SCHEDULES)):
        report.add(SCHEDULES, Outcome.CREATED if index < created else Outcome.UNCHANGED)
