"""Who may change an organisation's members and their roles, and the record of every change.

A membership opens an organisation's incidents (TLP:RED ones to its officers), so only the
organisation's administrators and platform operators change them, in the admin and through
incidents.memberships; each change writes one MembershipChange row, which the organisation's
administrators read in the admin and nobody edits."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from incidents.memberships import membership_remove, membership_save
from incidents.models import Membership, MembershipChange, Role, SharingLevel
from incidents.selectors import incidents_visible_to
from tests.factories import IncidentFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

MEMBERSHIP_PERMISSIONS = ["view_membership", "add_membership", "change_membership", "delete_membership"]
ADD = reverse("admin:incidents_membership_add")
CHANGES = reverse("admin:incidents_membershipchange_changelist")


def staff_client(user, *codenames: str) -> Client:
    user.is_staff = True
    user.save()
    user.user_permissions.add(*Permission.objects.filter(codename__in=codenames))
    client = Client()
    client.force_login(user)
    return client


def test_a_staff_user_who_may_add_memberships_cannot_make_themselves_officer_of_another_organisation(cast):
    red = IncidentFactory.create(title="Hostage negotiation", sharing_level=SharingLevel.RED, organisation=cast.org_b)
    client = staff_client(cast.admin_a, *MEMBERSHIP_PERMISSIONS)

    response = client.post(ADD, {"user": cast.admin_a.pk, "organisation": cast.org_b.pk, "role": Role.OFFICER})

    assert response.status_code == 200  # the form again: B is not among the organisations offered
    assert "Select a valid choice" in response.content.decode()
    assert not Membership.objects.filter(user=cast.admin_a, organisation=cast.org_b).exists()
    assert not incidents_visible_to(cast.admin_a).filter(pk=red.pk).exists()
    assert not MembershipChange.objects.exists()


def test_a_superuser_is_not_an_organisation_s_administrator(cast):
    root = UserFactory.create(username="root", is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(root)

    assert client.get(ADD).status_code == 403
    with pytest.raises(PermissionDenied):
        membership_save(by=root, membership=Membership(user=root, organisation=cast.org_b, role=Role.OFFICER))
    assert not Membership.objects.filter(user=root).exists()


def test_an_organisation_s_administrator_adds_a_member_to_it(cast):
    newcomer = UserFactory.create(username="newcomer")
    client = staff_client(cast.admin_a, *MEMBERSHIP_PERMISSIONS)

    response = client.post(ADD, {"user": newcomer.pk, "organisation": cast.org_a.pk, "role": Role.OFFICER})

    assert response.status_code == 302
    assert Membership.objects.get(user=newcomer).organisation == cast.org_a
    change = MembershipChange.objects.get()
    assert (change.organisation, change.user, change.action, change.old_role, change.new_role) == (
        cast.org_a,
        newcomer,
        MembershipChange.Action.ADDED,
        "",
        Role.OFFICER,
    )
    assert (change.changed_by, change.changed_by_username) == (cast.admin_a, "admin_a")
    assert change.changed_at is not None


def test_an_organisation_s_administrator_changes_members_on_the_organisation_page(cast):
    client = staff_client(cast.admin_a, "view_organisation", "change_organisation", *MEMBERSHIP_PERMISSIONS)
    members = list(Membership.objects.filter(organisation=cast.org_a).order_by("pk"))
    page = reverse("admin:incidents_organisation_change", args=[cast.org_a.pk])
    data = {
        "name": cast.org_a.name,
        "slug": cast.org_a.slug,
        "kind": cast.org_a.kind,
        "time_zone": cast.org_a.time_zone,
        "is_active": "on",
        "memberships-TOTAL_FORMS": len(members),
        "memberships-INITIAL_FORMS": len(members),
        "memberships-MIN_NUM_FORMS": 0,
        "memberships-MAX_NUM_FORMS": 1000,
    }
    for i, membership in enumerate(members):
        data |= {
            f"memberships-{i}-id": membership.pk,
            f"memberships-{i}-organisation": cast.org_a.pk,
            f"memberships-{i}-user": membership.user_id,
            f"memberships-{i}-role": Role.OFFICER if membership.user == cast.reader_a else membership.role,
        }
        if membership.user == cast.second_officer_a:
            data[f"memberships-{i}-DELETE"] = "on"

    response = client.post(page, data)

    assert response.status_code == 302, response.content.decode()[:2000]
    assert Membership.objects.get(user=cast.reader_a).role == Role.OFFICER
    assert not Membership.objects.filter(user=cast.second_officer_a).exists()
    changes = {(c.username, c.action, c.old_role, c.new_role) for c in MembershipChange.objects.all()}
    assert changes == {
        ("reader_a", MembershipChange.Action.ROLE_CHANGED, Role.READER, Role.OFFICER),
        ("second_officer_a", MembershipChange.Action.REMOVED, Role.OFFICER, ""),
    }


def test_another_organisation_s_page_offers_no_member_changes(cast):
    client = staff_client(cast.admin_a, "view_organisation", "change_organisation", *MEMBERSHIP_PERMISSIONS)

    content = client.get(reverse("admin:incidents_organisation_change", args=[cast.org_b.pk])).content.decode()

    assert "officer_b" not in content
    assert 'name="memberships-TOTAL_FORMS"' not in content


def test_each_change_of_membership_or_role_writes_one_record(cast):
    newcomer = UserFactory.create(username="newcomer")
    membership = membership_save(
        by=cast.admin_a, membership=Membership(user=newcomer, organisation=cast.org_a, role=Role.READER)
    )
    membership.role = Role.SECURITY_MANAGER
    membership_save(by=cast.admin_a, membership=membership)
    membership_save(by=cast.admin_a, membership=membership)  # nothing changed: nothing recorded
    membership_remove(by=cast.admin_a, membership=membership)

    actions = list(MembershipChange.objects.order_by("pk").values_list("action", "old_role", "new_role"))
    assert actions == [
        ("added", "", Role.READER),
        ("role_changed", Role.READER, Role.SECURITY_MANAGER),
        ("removed", Role.SECURITY_MANAGER, ""),
    ]


def test_an_officer_or_manager_may_not_change_members(cast):
    for user in (cast.officer_a, cast.manager_a):
        with pytest.raises(PermissionDenied):
            membership_save(by=user, membership=Membership(user=cast.outsider, organisation=cast.org_a))
    assert not MembershipChange.objects.exists()


def test_the_record_is_read_by_the_organisation_s_administrators_only(cast):
    membership_save(by=cast.admin_a, membership=Membership(user=cast.outsider, organisation=cast.org_a))
    b_admin = MembershipFactory.create(organisation=cast.org_b, role=Role.ADMIN).user
    membership_save(
        by=b_admin, membership=Membership(user=UserFactory.create(username="b_newcomer"), organisation=cast.org_b)
    )

    content_a = staff_client(cast.admin_a, "view_membershipchange").get(CHANGES).content.decode()
    assert "outsider" in content_a and "b_newcomer" not in content_a
    change = MembershipChange.objects.get(username="outsider")
    detail = reverse("admin:incidents_membershipchange_change", args=[change.pk])
    assert staff_client(cast.admin_a).post(detail, {"username": "someone else"}).status_code == 403
    assert MembershipChange.objects.get(pk=change.pk).username == "outsider"

    for user in (cast.manager_a, UserFactory.create(username="root", is_superuser=True)):
        response = staff_client(user, "view_membershipchange").get(CHANGES)
        assert response.status_code == 403
        assert "outsider" not in response.content.decode()


def test_a_platform_operator_reads_every_organisation_s_record(cast):
    membership_save(by=cast.admin_a, membership=Membership(user=cast.outsider, organisation=cast.org_a))
    operator = UserFactory.create(username="operator", is_superuser=True)
    client = staff_client(operator, "view_all_incidents")

    assert "outsider" in client.get(CHANGES).content.decode()
