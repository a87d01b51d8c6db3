"""The cast of the sharing-rule tests: two organisations (A and B), A's partner P, their
members in each role, an analyst, a signed-in user of no organisation, and an anonymous visitor."""

from types import SimpleNamespace

import pytest
from django.contrib.auth.models import AnonymousUser

from incidents.models import Role
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory


@pytest.fixture
def cast(db):
    org_a = OrganisationFactory.create(name="Sahel Relief", slug="sahel-relief")
    org_b = OrganisationFactory.create(name="Niger Valley Aid", slug="niger-valley-aid")
    partner = OrganisationFactory.create(name="Partner of Sahel Relief", slug="partner")
    org_a.partners.add(partner)

    def member(username: str, organisation, role: str):
        return MembershipFactory.create(
            user=UserFactory.create(username=username), organisation=organisation, role=role
        ).user

    return SimpleNamespace(
        org_a=org_a,
        org_b=org_b,
        partner=partner,
        officer_a=member("officer_a", org_a, Role.OFFICER),
        second_officer_a=member("second_officer_a", org_a, Role.OFFICER),
        manager_a=member("manager_a", org_a, Role.SECURITY_MANAGER),
        reader_a=member("reader_a", org_a, Role.READER),
        officer_b=member("officer_b", org_b, Role.OFFICER),
        partner_reader=member("partner_reader", partner, Role.READER),
        analyst=UserFactory.create(username="analyst", is_staff=True),
        outsider=UserFactory.create(username="outsider"),
        anonymous=AnonymousUser(),
    )
