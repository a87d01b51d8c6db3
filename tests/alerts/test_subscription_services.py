"""The subscription services for an organisation: who may create, change and end its
subscriptions, and what they refuse with which message. A traveler's: test_traveler_services.py."""

import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from advisories.models import Country, Region, ThreatCategory
from alerts.models import EndReason, Frequency, Subscription
from alerts.services import (
    subscription_create,
    subscription_end,
    subscription_update,
)
from tests.alerts.factories import SubscriptionFactory, a_subscription, mali_fields
from tests.factories import RegionFactory, UserFactory

pytestmark = pytest.mark.django_db


# Who may manage an organisation's subscriptions ------------------------------------------------


def test_a_security_manager_creates_a_subscription_that_is_active_at_once(cast):
    subscription = a_subscription(cast, addresses=["Desk@Sahel.example"], frequency=Frequency.IMMEDIATE, min_severity=4)

    subscription.refresh_from_db()
    assert subscription.organisation == cast.org_a
    assert subscription.is_active
    assert subscription.created_by == cast.manager_a
    assert subscription.frequency == Frequency.IMMEDIATE
    assert subscription.min_severity == 4
    assert subscription.addresses == ["desk@sahel.example"]
    assert list(subscription.countries.values_list("code", flat=True)) == ["ML"]


def test_an_administrator_of_the_organisation_may_create_one_too(cast):
    subscription = subscription_create(by=cast.admin_a, organisation=cast.org_a, data=mali_fields())

    assert subscription.is_active


@pytest.mark.parametrize("who", ["officer_a", "reader_a", "outsider", "manager_b"])
def test_it_requires_the_security_manager_or_administrator_role_in_that_organisation(cast, who):
    with pytest.raises(PermissionDenied, match="security managers and administrators of Sahel Relief"):
        subscription_create(by=getattr(cast, who), organisation=cast.org_a, data=mali_fields())

    assert not Subscription.objects.exists()


def test_a_manager_of_an_inactive_organisation_cannot_create_one(cast):
    cast.org_a.is_active = False
    cast.org_a.save()

    with pytest.raises(PermissionDenied):
        a_subscription(cast)


def test_a_manager_of_another_organisation_cannot_change_or_end_its_subscription(cast):
    subscription = a_subscription(cast)

    with pytest.raises(PermissionDenied):
        subscription_update(by=cast.manager_b, subscription=subscription, data=mali_fields(min_severity=5))
    with pytest.raises(PermissionDenied):
        subscription_end(by=cast.manager_b, subscription=subscription)

    subscription.refresh_from_db()
    assert subscription.min_severity == 1
    assert subscription.ended_at is None


def test_an_officer_cannot_change_the_organisation_s_subscription(cast):
    subscription = a_subscription(cast)

    with pytest.raises(PermissionDenied):
        subscription_update(by=cast.officer_a, subscription=subscription, data=mali_fields(min_severity=5))


# What is checked -------------------------------------------------------------------------------


def test_it_requires_at_least_one_country_or_region(cast):
    with pytest.raises(ValidationError) as error:
        a_subscription(cast, countries=[])

    assert error.value.message_dict == {"countries": ["Choose at least one country or region to follow."]}


def test_a_region_alone_is_enough_and_a_region_of_a_followed_country_is_accepted(cast):
    segou = Region.objects.get(code="ML-4")
    only_region = a_subscription(cast, countries=[], regions=[segou])
    both = a_subscription(cast, regions=[segou])

    assert list(only_region.regions.all()) == [segou]
    assert list(both.countries.values_list("code", flat=True)) == ["ML"]
    assert list(both.regions.all()) == [segou]


def test_a_region_of_any_country_may_be_followed(cast):
    elsewhere = RegionFactory.create()

    subscription = a_subscription(cast, regions=[elsewhere])

    assert list(subscription.regions.all()) == [elsewhere]


def test_it_refuses_a_time_zone_that_does_not_exist_and_accepts_any_iana_name(cast):
    with pytest.raises(ValidationError) as error:
        a_subscription(cast, time_zone="Africa/Atlantis")
    assert error.value.message_dict == {
        "time_zone": ["“Africa/Atlantis” is not a time zone name; use one like Africa/Bamako or Europe/London."]
    }

    subscription = a_subscription(cast, time_zone="America/Argentina/Ushuaia")
    assert str(subscription.time_zone) == "America/Argentina/Ushuaia"


def test_addresses_are_lower_cased_and_kept_once_each(cast):
    subscription = a_subscription(
        cast, addresses=[" Desk@Sahel.example ", "desk@sahel.example", "", "ops@sahel.example"]
    )

    assert subscription.addresses == ["desk@sahel.example", "ops@sahel.example"]


def test_it_names_each_address_that_is_not_an_e_mail_address(cast):
    with pytest.raises(ValidationError) as error:
        a_subscription(cast, addresses=["desk@sahel.example", "desk at sahel", "ops@"])

    assert error.value.message_dict == {
        "addresses": ["“desk at sahel” is not an e-mail address.", "“ops@” is not an e-mail address."]
    }


def test_it_refuses_more_than_fifty_addresses(cast):
    addresses = [f"person{n}@sahel.example" for n in range(51)]

    with pytest.raises(ValidationError) as error:
        a_subscription(cast, addresses=addresses)

    assert "There are 51 addresses; at most 50 are allowed." in error.value.message_dict["addresses"][0]
    subscription = a_subscription(cast, addresses=addresses[:50])
    assert len(subscription.addresses) == 50


def test_it_needs_someone_to_send_to(cast):
    with pytest.raises(ValidationError) as error:
        a_subscription(cast, include_members=False, addresses=[])

    assert error.value.message_dict == {
        "addresses": ["Send to the organisation's members, or give at least one address, or both."]
    }


def test_it_reports_every_problem_at_once(cast):
    with pytest.raises(ValidationError) as error:
        a_subscription(cast, countries=[], time_zone="Mars/Olympus", min_severity=9, frequency="hourly")

    assert set(error.value.message_dict) == {"countries", "time_zone", "min_severity", "frequency"}


def test_a_name_with_line_breaks_is_kept_on_one_line(cast):
    subscription = a_subscription(cast, name="Sahel desk\r\nBcc: someone@evil.example")

    assert subscription.name == "Sahel desk Bcc: someone@evil.example"


# Changing and ending ----------------------------------------------------------------------------


def test_a_manager_changes_what_the_subscription_follows(cast):
    subscription = a_subscription(
        cast,
        categories=list(ThreatCategory.objects.all()[:2]),
    )
    kidnapping = ThreatCategory.objects.get(slug="kidnapping")

    subscription_update(
        by=cast.admin_a,
        subscription=subscription,
        data=mali_fields(
            countries=[Country.objects.get(code="NE")],
            categories=[kidnapping],
            frequency=Frequency.WEEKLY,
            addresses=["desk@sahel.example"],
            include_members=False,
        ),
    )

    subscription.refresh_from_db()
    assert list(subscription.countries.values_list("code", flat=True)) == ["NE"]
    assert list(subscription.categories.all()) == [kidnapping]
    assert subscription.frequency == Frequency.WEEKLY
    assert subscription.include_members is False
    assert subscription.created_by == cast.manager_a


def test_ending_keeps_the_subscription_with_its_reason_and_ending_again_changes_nothing(cast):
    subscription = a_subscription(cast)

    ended = subscription_end(by=cast.manager_a, subscription=subscription)
    first_end = ended.ended_at
    again = subscription_end(by=cast.admin_a, subscription=subscription)

    subscription.refresh_from_db()
    assert subscription.ended_at == first_end
    assert again.ended_at == first_end
    assert subscription.end_reason == EndReason.ENDED_BY_MANAGER
    assert subscription.ended_by == cast.manager_a
    assert not subscription.is_active
    assert Subscription.objects.filter(pk=subscription.pk).exists()


def test_an_ended_subscription_cannot_be_changed(cast):
    subscription = a_subscription(cast)
    subscription_end(by=cast.manager_a, subscription=subscription)

    with pytest.raises(ValidationError, match=re.escape("can no longer be changed. Create a new one instead.")):
        subscription_update(by=cast.manager_a, subscription=subscription, data=mali_fields(min_severity=3))


def test_a_traveler_s_subscription_is_not_changed_by_an_organisation_s_manager(cast):
    traveler = SubscriptionFactory.create(organisation=None, email="traveler@example.net")

    with pytest.raises(PermissionDenied):
        subscription_update(by=cast.manager_a, subscription=traveler, data=mali_fields())
    with pytest.raises(PermissionDenied):
        subscription_end(by=cast.manager_a, subscription=traveler)


def test_staff_may_end_any_subscription(cast):
    analyst = UserFactory.create(is_staff=True)
    subscription = SubscriptionFactory.create(organisation=cast.org_a)

    subscription_end(by=analyst, subscription=subscription, reason=EndReason.ENDED_BY_STAFF)

    subscription.refresh_from_db()
    assert subscription.end_reason == EndReason.ENDED_BY_STAFF
