"""The platform operator's role: an explicit permission (incidents.view_all_incidents) held by a
user or through a group, never implied by being a superuser (what its holders see:
tests/incidents/test_access.py); each grant and withdrawal in the admin is recorded, and the
record is read by operators only."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, Permission
from django.test import Client
from django.urls import reverse

from incidents.access import is_platform_operator
from incidents.models import OperatorRoleChange
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

RECORD = reverse("admin:incidents_operatorrolechange_changelist")


def operator_permission() -> Permission:
    return Permission.objects.get(content_type__app_label="incidents", codename="view_all_incidents")


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_role_needs_staff_status(cast):
    user = UserFactory.create(username="not_staff")
    user.user_permissions.add(operator_permission())
    assert not is_platform_operator(user)


def test_granting_and_withdrawing_the_role_in_the_admin_is_recorded(cast):
    root = UserFactory.create(username="root", is_staff=True, is_superuser=True)
    group = Group.objects.create(name="Platform operators")
    client = signed_in(root)
    page = reverse("admin:auth_group_change", args=[group.pk])

    response = client.post(page, {"name": group.name, "permissions": [operator_permission().pk]})
    assert response.status_code == 302
    assert not OperatorRoleChange.objects.exists()  # nobody is in the group yet

    cast.analyst.groups.add(group)  # outside the admin: not recorded here
    response = client.post(page, {"name": group.name, "permissions": []})
    assert response.status_code == 302

    change = OperatorRoleChange.objects.get()
    assert (change.username, change.granted, change.changed_by, change.changed_by_username) == (
        "analyst",
        False,
        root,
        "root",
    )


def test_giving_a_user_the_permission_in_the_admin_is_recorded(cast):
    root = UserFactory.create(username="root", is_staff=True, is_superuser=True)
    analyst = cast.analyst
    page = reverse("admin:auth_user_change", args=[analyst.pk])
    data = {
        "username": analyst.username,
        "email": analyst.email,
        "is_active": "on",
        "is_staff": "on",
        "user_permissions": [operator_permission().pk],
        "last_login_0": "",
        "last_login_1": "",
        "date_joined_0": "2026-01-01",
        "date_joined_1": "00:00:00",
    }

    response = signed_in(root).post(page, data)

    assert response.status_code == 302, response.content.decode()[:3000]
    assert list(OperatorRoleChange.objects.values_list("username", "granted", "changed_by_username")) == [
        ("analyst", True, "root")
    ]


def test_the_record_is_read_by_operators_only(cast):
    OperatorRoleChange.objects.create(user=cast.analyst, username="analyst", granted=True)
    root = UserFactory.create(username="root", is_staff=True, is_superuser=True)
    operator = UserFactory.create(username="operator", is_staff=True)
    operator.user_permissions.add(operator_permission())

    assert signed_in(root).get(RECORD).status_code == 403
    assert "analyst" in signed_in(operator).get(RECORD).content.decode()
