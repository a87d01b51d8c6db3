"""factory_boy factories for test data. Countries and regions of ISO 3166 exist from the
migrations; these factories make extra, made-up places in the user-assigned code range."""

import datetime as dt
import string
from types import SimpleNamespace

import factory
from django.contrib.auth.models import AnonymousUser, User

from advisories import models
from incidents import models as incident_models

TEST_PASSWORD = "correct horse battery staple"
_USER_ASSIGNED = [f"X{letter}" for letter in string.ascii_uppercase] + [f"Q{letter}" for letter in "MNOPQRSTUVWXYZ"]


class SourceFactory(factory.django.DjangoModelFactory[models.Source]):
    class Meta:
        model = models.Source

    slug = factory.Sequence(lambda n: f"source-{n}")
    title = factory.Sequence(lambda n: f"Field report {n}")
    publisher = "Test Publisher"
    kind = models.Source.Kind.REPORT
    published_on = dt.date(2024, 11, 29)


class CountryFactory(factory.django.DjangoModelFactory[models.Country]):
    class Meta:
        model = models.Country
        django_get_or_create = ("code",)

    code = factory.Iterator(_USER_ASSIGNED)
    alpha3 = factory.LazyAttribute(lambda o: f"{o.code}X")
    name = factory.LazyAttribute(lambda o: f"Testland {o.code}")


class RegionFactory(factory.django.DjangoModelFactory[models.Region]):
    class Meta:
        model = models.Region

    country = factory.SubFactory(CountryFactory)
    code = factory.LazyAttributeSequence(lambda o, n: f"{o.country.code}-T{n}")
    name = factory.Sequence(lambda n: f"Province {n}")
    kind = "Province"


class AdvisoryFactory(factory.django.DjangoModelFactory[models.Advisory]):
    class Meta:
        model = models.Advisory

    country = factory.SubFactory(CountryFactory)
    region = None
    level = models.AdvisoryLevel.RECONSIDER_TRAVEL
    indicators = "CT"
    summary = "Armed groups are active on the main roads."
    source = factory.SubFactory(SourceFactory)
    issued_on = dt.date(2024, 11, 29)


class ThreatCategoryFactory(factory.django.DjangoModelFactory[models.ThreatCategory]):
    class Meta:
        model = models.ThreatCategory
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"category-{n}")
    name = factory.Sequence(lambda n: f"Category {n}")
    position = factory.Sequence(int)


class CityFactory(factory.django.DjangoModelFactory[models.City]):
    class Meta:
        model = models.City

    country = factory.SubFactory(CountryFactory)
    name = factory.Sequence(lambda n: f"Town {n}")


class ThreatRatingFactory(factory.django.DjangoModelFactory[models.ThreatRating]):
    class Meta:
        model = models.ThreatRating

    country = factory.SubFactory(CountryFactory)
    category = factory.SubFactory(ThreatCategoryFactory)
    level = models.ThreatLevel.HIGH
    assessed_on = dt.date(2024, 11, 29)
    source = factory.SubFactory(SourceFactory)


class ContactPointFactory(factory.django.DjangoModelFactory[models.ContactPoint]):
    class Meta:
        model = models.ContactPoint

    country = factory.SubFactory(CountryFactory)
    kind = models.ContactPoint.Kind.POLICE
    name = factory.Sequence(lambda n: f"Police post {n}")
    phones = factory.LazyFunction(lambda: ["+000 1234"])
    last_verified_on = dt.date(2024, 11, 29)


class SecurityReportFactory(factory.django.DjangoModelFactory[models.SecurityReport]):
    class Meta:
        model = models.SecurityReport

    country = factory.SubFactory(CountryFactory)
    title = factory.Sequence(lambda n: f"Security report {n}")


class SecurityReportRevisionFactory(factory.django.DjangoModelFactory[models.SecurityReportRevision]):
    class Meta:
        model = models.SecurityReportRevision

    report = factory.SubFactory(SecurityReportFactory)
    number = factory.Sequence(lambda n: n + 1)
    published_at = factory.LazyFunction(lambda: dt.datetime(2024, 11, 29, tzinfo=dt.UTC))
    what_changed = "First edition."


class ReportSectionFactory(factory.django.DjangoModelFactory[models.ReportSection]):
    class Meta:
        model = models.ReportSection

    revision = factory.SubFactory(SecurityReportRevisionFactory)
    kind = models.ReportSection.Kind.CRIME
    heading = "Crime"
    position = factory.Sequence(int)
    body = "Robberies on the roads out of the capital are common at night."


class RiskAssessmentFactory(factory.django.DjangoModelFactory[models.RiskAssessment]):
    """One computation of a place's risk index; each one made later than the one before, so the
    current one made last is the newest. `by_category`: threat categories it counts one incident of."""

    class Meta:
        model = models.RiskAssessment
        exclude = ("by_category",)

    class Params:
        by_category: list[models.ThreatCategory] = []

    country = factory.SubFactory(CountryFactory)
    computed_at = factory.Sequence(
        lambda n: dt.datetime.now(dt.UTC).replace(microsecond=0) - dt.timedelta(days=300) + dt.timedelta(hours=n)
    )
    index = 30
    suggested_level = factory.LazyAttribute(lambda o: 1 + min(o.index // 25, 3))
    breakdown = factory.LazyAttribute(
        lambda o: {
            "version": 1,
            "window_days": 90,
            "incidents": len(o.by_category),
            "by_category": {category.slug: 1 for category in o.by_category},
        }
    )


# Incidents and the organisations that log them ---------------------------------------------


class UserFactory(factory.django.DjangoModelFactory[User]):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.org")
    password = factory.django.Password(TEST_PASSWORD)


class OrganisationFactory(factory.django.DjangoModelFactory[incident_models.Organisation]):
    class Meta:
        model = incident_models.Organisation

    name = factory.Sequence(lambda n: f"Relief Organisation {n}")
    slug = factory.Sequence(lambda n: f"relief-{n}")
    time_zone = "Africa/Bamako"


class MembershipFactory(factory.django.DjangoModelFactory[incident_models.Membership]):
    class Meta:
        model = incident_models.Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = incident_models.Role.OFFICER


class ActorFactory(factory.django.DjangoModelFactory[incident_models.Actor]):
    class Meta:
        model = incident_models.Actor
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Armed group {n}")
    kind = incident_models.Actor.Kind.ARMED_GROUP


class IncidentFactory(factory.django.DjangoModelFactory[incident_models.Incident]):
    class Meta:
        model = incident_models.Incident

    title = factory.Sequence(lambda n: f"Roadblock on the national road {n}")
    incident_type = factory.LazyFunction(lambda: incident_models.IncidentType.objects.get(slug="banditry-roadblock"))
    description = "Armed men stopped vehicles and took phones and cash."
    severity = 3
    occurred_on = dt.date(2024, 9, 17)
    country = factory.LazyFunction(lambda: models.Country.objects.get(code="ML"))
    region = factory.LazyAttribute(lambda o: o.country.regions.order_by("code").first())
    sharing_level = incident_models.SharingLevel.CLEAR
    status = incident_models.ReviewStatus.PUBLISHED
    organisation = None
    reporter = None


# The cast: the people every app's access tests are about ---------------------------------


# Everyone of the cast, by attribute name: the rows of every permission matrix.
PEOPLE = (
    "officer_a",
    "second_officer_a",
    "manager_a",
    "admin_a",
    "reader_a",
    "officer_b",
    "manager_b",
    "partner_reader",
    "analyst",
    "outsider",
    "anonymous",
)


def make_cast() -> SimpleNamespace:
    """Two organisations (A and B), A's partner P, their members in each role, an analyst, a
    signed-in user of no organisation, and an anonymous visitor."""
    org_a = OrganisationFactory.create(name="Sahel Relief", slug="sahel-relief", time_zone="Africa/Bamako")
    org_b = OrganisationFactory.create(name="Niger Valley Aid", slug="niger-valley-aid", time_zone="Europe/Paris")
    partner = OrganisationFactory.create(name="Partner of Sahel Relief", slug="partner")
    org_a.partners.add(partner)

    def member(username: str, organisation: incident_models.Organisation, role: str) -> User:
        user = UserFactory.create(username=username)
        MembershipFactory.create(user=user, organisation=organisation, role=role)
        return user

    Role = incident_models.Role
    return SimpleNamespace(
        org_a=org_a,
        org_b=org_b,
        partner=partner,
        officer_a=member("officer_a", org_a, Role.OFFICER),
        second_officer_a=member("second_officer_a", org_a, Role.OFFICER),
        manager_a=member("manager_a", org_a, Role.SECURITY_MANAGER),
        admin_a=member("admin_a", org_a, Role.ADMIN),
        reader_a=member("reader_a", org_a, Role.READER),
        officer_b=member("officer_b", org_b, Role.OFFICER),
        manager_b=member("manager_b", org_b, Role.SECURITY_MANAGER),
        partner_reader=member("partner_reader", partner, Role.READER),
        analyst=UserFactory.create(username="analyst", is_staff=True),
        outsider=UserFactory.create(username="outsider"),
        anonymous=AnonymousUser(),
    )
