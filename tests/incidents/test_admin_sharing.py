"""The admin in the permission matrix: every admin page that names incidents (the list, the change
page, delete confirmations, the alerts' deliveries and immediate alerts) follows the sharing
rules of incidents/access.py. Being a superuser opens nothing more; the platform operator's
role (the permission incidents.view_all_incidents, given to a user or a group) opens every
incident.

The incident is organisation A's, still submitted, so only the sharing rule decides who sees it."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.contrib.auth.models import Group, Permission
from django.test import Client
from django.urls import reverse

from alerts.models import Delivery, ImmediateAlert
from incidents.models import Incident, IncidentType, ReviewStatus, SharingLevel
from tests.alerts.factories import DeliveryFactory, SubscriptionFactory
from tests.factories import IncidentFactory, SourceFactory, UserFactory

pytestmark = pytest.mark.django_db

TITLE = "Staff safe house in Mopti"
# Who reads the admin: a superuser of no organisation, a superuser who is officer_b (another
# organisation), a plain analyst with the view permissions, and two platform operators.
ADMIN_USERS = ["superuser", "superuser_of_b", "analyst", "operator", "operator_by_group"]
OPERATORS = {"operator", "operator_by_group"}
COMMUNITY = {SharingLevel.CLEAR, SharingLevel.GREEN}


def _operator_permission() -> Permission:
    return Permission.objects.get(content_type__app_label="incidents", codename="view_all_incidents")


def _admin_user(cast: SimpleNamespace, who: str):
    if who == "superuser_of_b":
        user = cast.officer_b
        user.is_staff = user.is_superuser = True
        user.save()
        return user
    user = UserFactory.create(username=who, is_staff=True, is_superuser=who == "superuser")
    if who == "analyst":
        user.user_permissions.add(
            *Permission.objects.filter(codename__in=["view_incident", "view_delivery", "view_immediatealert"])
        )
    if who == "operator":
        user.is_superuser = True
        user.save()
        user.user_permissions.add(_operator_permission())
    if who == "operator_by_group":
        user.is_superuser = True
        user.save()
        group = Group.objects.create(name="Platform operators")
        group.permissions.add(_operator_permission())
        user.groups.add(group)
    return user


def _pages(incident: Incident, delivery: Delivery) -> dict[str, str]:
    assert delivery.alert is not None
    return {
        "list": reverse("admin:incidents_incident_changelist"),
        "search": reverse("admin:incidents_incident_changelist") + "?q=Mopti",
        "change": reverse("admin:incidents_incident_change", args=[incident.pk]),
        "type delete": reverse("admin:incidents_incidenttype_delete", args=[incident.incident_type_id]),
        "source delete": reverse("admin:advisories_source_delete", args=[incident.source_document_id]),
        "deliveries": reverse("admin:alerts_delivery_changelist"),
        "delivery": reverse("admin:alerts_delivery_change", args=[delivery.pk]),
    }


@pytest.mark.parametrize("level", [level.value for level in SharingLevel])
@pytest.mark.parametrize("who", ADMIN_USERS)
def test_each_admin_page_names_an_incident_only_to_those_the_sharing_rules_allow(cast, who, level):
    incident = IncidentFactory.create(
        title=TITLE,
        sharing_level=level,
        status=ReviewStatus.SUBMITTED,
        organisation=cast.org_a,
        reporter=cast.officer_a,
        source_document=SourceFactory.create(),
    )
    alert = ImmediateAlert.objects.create(kind=ImmediateAlert.Kind.INCIDENT, incident=incident)
    delivery = DeliveryFactory.create(
        subscription=SubscriptionFactory.create(organisation=cast.org_a),
        run=None,
        alert=alert,
        subject=f"Vigil alert: {TITLE}",
    )
    client = Client()
    client.force_login(_admin_user(cast, who))
    sees = who in OPERATORS or level in COMMUNITY

    for page, url in _pages(incident, delivery).items():
        if who == "analyst" and "delete" in page:
            continue  # no delete permission: no page at all
        response = client.get(url, follow=True)
        assert response.status_code == 200, (page, url)
        content = response.content.decode()
        assert (TITLE in content) == sees, page
    immediate = client.get(reverse("admin:alerts_immediatealert_changelist")).content.decode()
    assert (f"Incident #{incident.pk}" in immediate) == sees


def test_a_hidden_incident_s_change_page_says_it_does_not_exist(cast):
    incident = IncidentFactory.create(title=TITLE, sharing_level=SharingLevel.RED, organisation=cast.org_a)
    client = Client()
    client.force_login(_admin_user(cast, "superuser"))

    response = client.get(reverse("admin:incidents_incident_change", args=[incident.pk]), follow=True)

    assert TITLE not in response.content.decode()
    assert "Perhaps it was deleted?" in response.content.decode()


def test_a_delete_page_counts_the_hidden_incidents_without_naming_them(cast):
    IncidentFactory.create(title=TITLE, sharing_level=SharingLevel.AMBER, organisation=cast.org_a)
    IncidentFactory.create(title="Roadblock at Sévaré", sharing_level=SharingLevel.CLEAR)
    client = Client()
    client.force_login(_admin_user(cast, "superuser"))
    banditry = IncidentType.objects.get(slug="banditry-roadblock")

    content = client.get(reverse("admin:incidents_incidenttype_delete", args=[banditry.pk])).content.decode()

    assert "Roadblock at Sévaré" in content
    assert TITLE not in content
    assert "Incident: one you may not see" in content


def test_the_operator_s_delete_page_names_every_incident(cast):
    source = SourceFactory.create()
    IncidentFactory.create(title=TITLE, sharing_level=SharingLevel.RED, organisation=cast.org_a, source_document=source)
    client = Client()
    client.force_login(_admin_user(cast, "operator"))

    assert TITLE in client.get(reverse("admin:advisories_source_delete", args=[source.pk])).content.decode()
