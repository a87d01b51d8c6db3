"""What the alerts tests make again and again: subscriptions to places, and the incidents that
alert them. Used by the unit tests and by the integration harness alike."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from advisories.models import Country, Region, ThreatCategory
from alerts.models import Frequency, Subscription
from incidents.models import Incident, IncidentType, ReviewStatus, Role, SharingLevel
from incidents.services import IncidentFields
from tests.factories import IncidentFactory, MembershipFactory, OrganisationFactory, UserFactory

CONFIRMED = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)


def subscribe(
    *,
    organisation: Any = None,
    email: str = "",
    countries: Sequence[str] = ("ML",),
    regions: Sequence[str] = (),
    categories: Sequence[str] = (),
    frequency: str = Frequency.IMMEDIATE,
    time_zone: str = "Africa/Bamako",
    confirmed_at: dt.datetime | None = CONFIRMED,
    **fields: Any,
) -> Subscription:
    """A subscription of an organisation or of one address to these places (codes) and
    categories (slugs), confirmed on 1 November 2026 unless told otherwise. An unconfirmed
    address was sent its confirmation link then (else the sweeper would send it one)."""
    if confirmed_at is None and organisation is None:
        fields.setdefault("confirmation_sent_at", CONFIRMED)
    recipient = {"organisation": organisation, "email": email}
    when = {"frequency": frequency, "time_zone": time_zone, "confirmed_at": confirmed_at}
    subscription = Subscription.objects.create(**recipient, **when, **fields)
    subscription.countries.set(Country.objects.filter(code__in=countries))
    subscription.regions.set(Region.objects.filter(code__in=regions))
    subscription.categories.set(ThreatCategory.objects.filter(slug__in=categories))
    return subscription


def convoy_attack() -> Incident:
    """A verified attack of severity 4 in Mopti (ML-5), of the terrorism category."""
    return IncidentFactory.create(
        title="Attack on a convoy near Sévaré",
        incident_type=IncidentType.objects.filter(category__slug="terrorism").order_by("position")[0],
        region=Region.objects.get(code="ML-5"),
        severity=4,
        status=ReviewStatus.VERIFIED,
    )


def kidnapping(title: str, level: SharingLevel) -> IncidentFields:
    """An incident to submit: a kidnapping of severity 5 in Mopti (ML-5), at this sharing level."""
    return IncidentFields(
        title=title,
        incident_type=IncidentType.objects.get(slug="kidnapping"),
        occurred_on=dt.date(2026, 11, 20),
        country=Country.objects.get(code="ML"),
        region=Region.objects.get(code="ML-5"),
        severity=5,
        sharing_level=level,
    )


def two_organisations(role_b: str) -> tuple[Any, ...]:
    """Organisation A with an officer and a reader, and organisation B with one member in `role_b`:
    (org_a, org_b, officer_a, reader_a, member_b)."""
    org_a = OrganisationFactory.create(name="Kora Test Aid")
    org_b = OrganisationFactory.create(name="Other Test Relief")
    officer_a = MembershipFactory.create(organisation=org_a, role=Role.OFFICER, user=UserFactory.create()).user
    reader_a = MembershipFactory.create(organisation=org_a, role=Role.READER, user=UserFactory.create()).user
    member_b = MembershipFactory.create(organisation=org_b, role=role_b, user=UserFactory.create()).user
    return org_a, org_b, officer_a, reader_a, member_b
