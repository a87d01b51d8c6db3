"""Factories for subscriptions and what is sent under them, and subscriptions made as the services make them."""

import datetime as dt
from types import SimpleNamespace
from typing import Any

import factory
from django.utils import timezone

from advisories.models import Country
from alerts import models
from alerts.models import Delivery, Subscription
from alerts.services import SubscriptionFields, subscription_create
from incidents.models import Organisation, Role, SharingLevel
from tests.factories import (
    AdvisoryFactory,
    IncidentFactory,
    MembershipFactory,
    OrganisationFactory,
    make_cast,  # noqa: F401  (the shared people)
)


class SubscriptionFactory(factory.django.DjangoModelFactory[models.Subscription]):
    """An organisation's active subscription to Mali, sent daily; pass `email=...` and
    `organisation=None` for a traveler's."""

    class Meta:
        model = models.Subscription
        skip_postgeneration_save = True

    organisation = factory.SubFactory(OrganisationFactory)
    frequency = models.Frequency.DAILY
    time_zone = "Africa/Bamako"
    confirmed_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def countries(self, create, extracted, **kwargs):
        if not create:
            return
        codes = ("ML",) if extracted is None else extracted
        self.countries.set(Country.objects.filter(code__in=codes))


class DigestRunFactory(factory.django.DjangoModelFactory[models.DigestRun]):
    class Meta:
        model = models.DigestRun

    frequency = models.Frequency.DAILY
    time_zone = "Africa/Bamako"
    period = factory.Sequence(lambda n: (dt.date(2026, 1, 1) + dt.timedelta(days=n)).isoformat())
    window_end = factory.LazyAttribute(lambda o: dt.datetime.fromisoformat(o.period).replace(hour=7, tzinfo=dt.UTC))


class DeliveryFactory(factory.django.DjangoModelFactory[models.Delivery]):
    """A sent digest e-mail; pass `alert=...` and `run=None` for an immediate alert's."""

    class Meta:
        model = models.Delivery

    subscription = factory.SubFactory(SubscriptionFactory)
    email = factory.Sequence(lambda n: f"recipient{n}@example.org")
    run = factory.SubFactory(DigestRunFactory)
    alert = None
    status = models.DeliveryStatus.SENT
    attempts = 1
    message_id = factory.Sequence(lambda n: f"<delivery-{n}@vigil.test>")
    subject = factory.LazyAttribute(lambda o: f"Vigil daily digest {o.run.period}: Mali" if o.run else "Vigil alert")
    sent_at = factory.LazyAttribute(lambda o: timezone.now() if o.status == models.DeliveryStatus.SENT else None)


def mali_fields(**changes: Any) -> SubscriptionFields:
    """What a subscriber chooses to follow Mali, in Bamako's time zone; `changes` replace fields."""
    fields = SubscriptionFields(countries=[Country.objects.get(code="ML")], time_zone="Africa/Bamako")
    for name, value in changes.items():
        setattr(fields, name, value)
    return fields


def a_subscription(cast: SimpleNamespace, organisation: Organisation | None = None, **changes: Any) -> Subscription:
    """One made by the organisation's manager through the service, as the page makes it (A's by default)."""
    organisation = organisation or cast.org_a
    manager = cast.manager_a if organisation == cast.org_a else cast.manager_b
    return subscription_create(by=manager, organisation=organisation, data=mali_fields(**changes))


def incident_alert(**incident_fields: Any) -> models.ImmediateAlert:
    return models.ImmediateAlert.objects.create(
        kind=models.ImmediateAlert.Kind.INCIDENT, incident=IncidentFactory.create(**incident_fields)
    )


def advisory_alert(**advisory_fields: Any) -> models.ImmediateAlert:
    # Past advisories, so that there can be many of one country.
    advisory = AdvisoryFactory.create(is_current=False, **advisory_fields)
    return models.ImmediateAlert.objects.create(kind=models.ImmediateAlert.Kind.ADVISORY, advisory=advisory)


def alerts_to_a_member_of_two(cast: SimpleNamespace, subscription: Subscription) -> tuple[Delivery, Delivery]:
    """A member of A and of a third organisation receives, under A's `subscription`, what they may
    see as a user: the third's strictly internal incident (hidden, its subject not for A's managers)
    and a public one (shown)."""
    other = OrganisationFactory.create(name="Third Organisation")
    both = MembershipFactory.create(organisation=cast.org_a, role=Role.READER).user
    MembershipFactory.create(user=both, organisation=other, role=Role.READER)
    secret = incident_alert(
        title="Evacuation plan of the Mopti office",
        organisation=other,
        sharing_level=SharingLevel.AMBER_STRICT,
        status="submitted",
    )
    public = incident_alert(title="Armed robbery on the Ségou road")
    hidden, shown = (
        DeliveryFactory.create(
            subscription=subscription, email=both.email, run=None, alert=alert, subject=f"Vigil alert: {title}"
        )
        for alert, title in (
            (secret, "Evacuation plan of the Mopti office"),
            (public, "Armed robbery on the Ségou road"),
        )
    )
    return hidden, shown


def a_day_of_deliveries(subscription: Subscription, **pending_fields: Any) -> tuple[Delivery, Delivery, Delivery]:
    """What a log holds after a day: a digest sent to reader@, an incident alert that failed for
    desk@, and an advisory change still pending for ops@ after two attempts (`pending_fields` change it)."""
    digest = DeliveryFactory.create(subscription=subscription, email="reader@sahel.example", run__period="2026-11-23")
    failed = DeliveryFactory.create(
        subscription=subscription,
        email="desk@sahel.example",
        run=None,
        alert=incident_alert(title="Roadblock near Sévaré"),
        subject="Vigil alert: roadblock near Sévaré",
        status=models.DeliveryStatus.FAILED,
        attempts=1,
        last_error="550 5.1.1 <desk@sahel.example>: mailbox unavailable",
    )
    pending: dict[str, Any] = {
        "email": "ops@sahel.example",
        "run": None,
        "status": models.DeliveryStatus.PENDING,
        "attempts": 2,
        "last_error": "451 4.3.0 try again later",
    }
    if "alert" not in pending_fields:
        pending["alert"] = advisory_alert(country__code="ML")
    return digest, failed, DeliveryFactory.create(subscription=subscription, **pending | pending_fields)
