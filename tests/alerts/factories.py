"""Factories for subscriptions and what is sent under them."""

import datetime as dt
from types import SimpleNamespace

import factory
from django.utils import timezone

from advisories.models import Country
from alerts import models
from incidents.models import Role
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory


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


def make_cast() -> SimpleNamespace:
    """Two organisations, A and B, with members in each role, and a signed-in user of no organisation."""
    org_a = OrganisationFactory.create(name="Sahel Relief", slug="sahel-relief", time_zone="Africa/Bamako")
    org_b = OrganisationFactory.create(name="Niger Valley Aid", slug="niger-valley-aid", time_zone="Europe/Paris")

    def member(username, organisation, role):
        user = UserFactory.create(username=username)
        MembershipFactory.create(user=user, organisation=organisation, role=role)
        return user

    return SimpleNamespace(
        org_a=org_a,
        org_b=org_b,
        manager_a=member("manager_a", org_a, Role.SECURITY_MANAGER),
        admin_a=member("admin_a", org_a, Role.ADMIN),
        officer_a=member("officer_a", org_a, Role.OFFICER),
        reader_a=member("reader_a", org_a, Role.READER),
        manager_b=member("manager_b", org_b, Role.SECURITY_MANAGER),
        outsider=UserFactory.create(username="outsider"),
    )
