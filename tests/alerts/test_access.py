"""Who manages an organisation's alerts and who may end a subscription, decided in one place
(alerts.access), in the same matrix as who sees and edits incidents (tests/incidents/test_access.py).
The people are those of tests/factories.py `make_cast`."""

import pytest

from alerts.access import can_manage_alerts, managed_organisations, may_end_subscription
from tests.alerts.factories import SubscriptionFactory
from tests.factories import PEOPLE

pytestmark = pytest.mark.django_db

# Organisation A's alerts are managed by its security managers and administrators; B's by its own.
WHO_MANAGES = {"a": {"manager_a", "admin_a"}, "b": {"manager_b"}}
# Vigil's staff may also end any subscription (an analyst is staff).
WHO_ENDS = {"a": WHO_MANAGES["a"] | {"analyst"}, "b": WHO_MANAGES["b"] | {"analyst"}}


def _people(cast, rule) -> set[str]:
    return {person for person in PEOPLE if rule(getattr(cast, person))}


@pytest.mark.parametrize("org", ["a", "b"])
def test_only_an_organisations_managers_manage_its_alerts(cast, org):
    organisation = getattr(cast, f"org_{org}")
    assert _people(cast, lambda user: can_manage_alerts(user, organisation.pk)) == WHO_MANAGES[org]
    assert _people(cast, lambda user: organisation in managed_organisations(user)) == WHO_MANAGES[org]


@pytest.mark.parametrize("org", ["a", "b"])
def test_an_organisations_subscription_is_ended_by_its_managers_and_by_staff(cast, org):
    subscription = SubscriptionFactory.create(organisation=getattr(cast, f"org_{org}"))
    assert _people(cast, lambda user: may_end_subscription(user, subscription)) == WHO_ENDS[org]


def test_a_travelers_subscription_is_ended_by_its_owner_and_by_staff(cast):
    subscription = SubscriptionFactory.create(organisation=None, email="reader_a@example.org", user=cast.reader_a)
    assert _people(cast, lambda user: may_end_subscription(user, subscription)) == {"reader_a", "analyst"}


def test_nobody_manages_the_alerts_of_a_deactivated_organisation(cast):
    cast.org_a.is_active = False
    cast.org_a.save()
    assert not _people(cast, lambda user: can_manage_alerts(user, cast.org_a.pk))
    subscription = SubscriptionFactory.create(organisation=cast.org_a)
    assert _people(cast, lambda user: may_end_subscription(user, subscription)) == {"analyst"}


def test_an_inactive_manager_manages_nothing(cast):
    cast.manager_a.is_active = False
    cast.manager_a.save()
    assert not managed_organisations(cast.manager_a).exists()
