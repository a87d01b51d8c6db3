"""The permission matrix of the whole API: every operation of the live schema, for each kind of
user, and for the operations on incidents at each sharing level, with the status code each gets
and, for lists, whether organisation A's object is among the rows.

The table below must name every operation of the schema: an endpoint added without deciding
who may use it fails `test_the_table_names_every_operation_of_the_schema`. Who may see an
incident is written out here (VISIBLE), not asked of the code under test; the selector's own
rules are tested in tests/incidents/.

Two more rows: a superuser of no organisation, who gets what an analyst gets (being a superuser
grants no right to read incidents), and a platform operator (incidents.view_all_incidents), who
sees every incident. The admin's own rows, for the same people, are in
tests/incidents/test_admin_sharing.py.

Organisation A's objects: an incident reported by officer_a (still submitted, so nobody outside
the sharing level sees it), an alert subscription made by manager_a and a delivery under it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

import pytest
from django.contrib.auth.models import Permission
from django.db import transaction
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

from advisories.models import Country, Region, SecurityReport, ThreatCategory
from alerts.models import Delivery, Subscription
from alerts.services import SubscriptionFields, subscription_create
from incidents.models import Incident, IncidentType, ReviewStatus, SharingLevel
from tests.alerts.factories import DeliveryFactory
from tests.factories import (
    ActorFactory,
    ContactPointFactory,
    IncidentFactory,
    ReportSectionFactory,
    SecurityReportRevisionFactory,
    ThreatRatingFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

USERS = ["anonymous", "reader_a", "officer_a", "manager_a", "officer_b", "analyst", "superuser", "operator"]
LEVELS = [level.value for level in SharingLevel]
MEMBERS = {"reader_a", "officer_a", "manager_a", "officer_b"}
STAFF = {"analyst", "superuser", "operator"}
# Who sees a submitted incident of A reported by officer_a (B is not A's partner).
VISIBLE: dict[str, set[str]] = {
    "clear": MEMBERS | STAFF,
    "green": MEMBERS | STAFF,
    "amber": {"reader_a", "officer_a", "manager_a", "operator"},
    "amber_strict": {"reader_a", "officer_a", "manager_a", "operator"},
    "red": {"officer_a", "manager_a", "operator"},
}
OFFICERS = {"officer_a", "manager_a", "officer_b"}  # who may log incidents
A_OFFICERS = {"officer_a", "manager_a"}  # who may correct A's incidents


@dataclass
class World:
    cast: SimpleNamespace
    incident: Incident
    subscription: Subscription
    delivery: Delivery
    ids: dict[str, Any]


def incident_body(level: str) -> dict[str, Any]:
    return {
        "title": "Checkpoint",
        "type": "theft",
        "occurred_on": "2025-01-05",
        "country": "ml",
        "region": "ml-5",
        "severity": 2,
        "sharing_level": level,
    }


def subscription_body(level: str) -> dict[str, Any]:
    return {"name": "Desk", "countries": ["ml"], "frequency": "daily", "time_zone": "Africa/Bamako"}


# What each user gets, by operation: a function of the user and the incident's sharing level.
Expect = Callable[[str, str], int]


def everyone(status: int) -> Expect:
    return lambda who, level: status


def signed_in(status: int) -> Expect:
    return lambda who, level: 401 if who == "anonymous" else status


def by_incident_visibility(allowed: set[str], status: int) -> Expect:
    """`status` for the allowed who may see the incident; 403 for those who see it but may not act;
    404 for those who may not see it at all (nothing says it exists)."""

    def expect(who: str, level: str) -> int:
        if who == "anonymous":
            return 401
        if who not in VISIBLE[level]:
            return 404
        return status if who in allowed else 403

    return expect


def managers_of_a(status: int, others: int) -> Expect:
    return lambda who, level: 401 if who == "anonymous" else (status if who == "manager_a" else others)


# (method, path) -> (what each gets, the body to send, a list key whose rows name A's object).
TABLE: dict[tuple[str, str], tuple[Expect, Callable[[str], dict[str, Any]] | None]] = {
    ("GET", "/api/v1/countries/"): (everyone(200), None),
    ("GET", "/api/v1/countries/{code}/"): (everyone(200), None),
    ("GET", "/api/v1/countries/{code}/risk/"): (everyone(200), None),
    ("GET", "/api/v1/regions/"): (everyone(200), None),
    ("GET", "/api/v1/regions/{code}/"): (everyone(200), None),
    ("GET", "/api/v1/regions/{code}/risk/"): (everyone(200), None),
    ("GET", "/api/v1/threat-categories/"): (everyone(200), None),
    ("GET", "/api/v1/threat-categories/{slug}/"): (everyone(200), None),
    ("GET", "/api/v1/threat-ratings/"): (everyone(200), None),
    ("GET", "/api/v1/threat-ratings/{id}/"): (everyone(200), None),
    ("GET", "/api/v1/security-reports/"): (everyone(200), None),
    ("GET", "/api/v1/security-reports/{id}/"): (everyone(200), None),
    ("GET", "/api/v1/security-reports/{id}/revisions/"): (everyone(200), None),
    ("GET", "/api/v1/contact-points/"): (everyone(200), None),
    ("GET", "/api/v1/contact-points/{id}/"): (everyone(200), None),
    ("GET", "/api/v1/actors/"): (everyone(200), None),
    ("GET", "/api/v1/actors/{id}/"): (everyone(200), None),
    ("GET", "/api/v1/incident-types/"): (everyone(200), None),
    ("GET", "/api/v1/incident-types/{slug}/"): (everyone(200), None),
    ("GET", "/api/v1/organisations/"): (signed_in(200), None),
    ("GET", "/api/v1/incidents/"): (everyone(200), None),
    ("GET", "/api/v1/incidents/geojson/"): (everyone(200), None),
    ("POST", "/api/v1/incidents/"): (
        lambda who, level: 401 if who == "anonymous" else (201 if who in OFFICERS else 403),
        incident_body,
    ),
    ("GET", "/api/v1/incidents/{id}/"): (lambda who, level: 200 if who in VISIBLE[level] else 404, None),
    ("PUT", "/api/v1/incidents/{id}/"): (by_incident_visibility(A_OFFICERS, 200), incident_body),
    ("PATCH", "/api/v1/incidents/{id}/"): (by_incident_visibility(A_OFFICERS, 200), lambda level: {"severity": 4}),
    ("POST", "/api/v1/incidents/{id}/verify/"): (by_incident_visibility(STAFF, 200), None),
    ("POST", "/api/v1/incidents/{id}/publish/"): (by_incident_visibility(STAFF, 200), None),
    ("POST", "/api/v1/incidents/{id}/retract/"): (
        by_incident_visibility(STAFF, 200),
        lambda level: {"reason": "A duplicate."},
    ),
    ("GET", "/api/v1/subscriptions/"): (signed_in(200), None),
    ("POST", "/api/v1/subscriptions/"): (managers_of_a(201, 403), subscription_body),
    ("GET", "/api/v1/subscriptions/{id}/"): (managers_of_a(200, 404), None),
    ("PUT", "/api/v1/subscriptions/{id}/"): (managers_of_a(200, 404), subscription_body),
    ("PATCH", "/api/v1/subscriptions/{id}/"): (managers_of_a(200, 404), lambda level: {"min_severity": 4}),
    ("DELETE", "/api/v1/subscriptions/{id}/"): (managers_of_a(200, 404), None),
    ("GET", "/api/v1/deliveries/"): (signed_in(200), None),
}

# List endpoints whose rows can name A's objects, and who may find them there.
LISTED: dict[str, tuple[str, Callable[[str, str], bool]]] = {
    "/api/v1/incidents/": ("incident", lambda who, level: who in VISIBLE[level]),
    "/api/v1/incidents/geojson/": ("incident", lambda who, level: who in VISIBLE[level]),
    "/api/v1/subscriptions/": ("subscription", lambda who, level: who == "manager_a"),
    "/api/v1/deliveries/": ("delivery", lambda who, level: who == "manager_a"),
}


def schema_operations() -> set[tuple[str, str]]:
    schema = SchemaGenerator().get_schema(request=None, public=True)
    methods = {"get", "post", "put", "patch", "delete"}
    return {(method.upper(), path) for path, item in schema["paths"].items() for method in item if method in methods}


def test_the_table_names_every_operation_of_the_schema():
    assert schema_operations() == set(TABLE)


@pytest.fixture
def cast(cast: SimpleNamespace) -> SimpleNamespace:
    cast.superuser = UserFactory.create(username="superuser", is_staff=True, is_superuser=True)
    cast.operator = UserFactory.create(username="operator", is_staff=True)
    cast.operator.user_permissions.add(Permission.objects.get(codename="view_all_incidents"))
    return cast


def make_world(cast: SimpleNamespace, level: str) -> World:
    incident = IncidentFactory.create(
        title=f"Sahel Relief's {level} report",
        organisation=cast.org_a,
        reporter=cast.officer_a,
        sharing_level=level,
        status=ReviewStatus.SUBMITTED,
        latitude="14.5",
        longitude="-4.2",
        region=Region.objects.get(code="ML-5"),
    )
    mali = Country.objects.get(code="ML")
    subscription = subscription_create(
        by=cast.manager_a,
        organisation=cast.org_a,
        data=SubscriptionFields(countries=[mali], time_zone="Africa/Bamako", name="Sahel desk"),
    )
    delivery = DeliveryFactory.create(subscription=subscription, email="desk@sahel.example")
    report = SecurityReport.objects.create(country=mali, title="Mali report")
    revision = SecurityReportRevisionFactory.create(
        report=report, published_at=dt.datetime(2024, 11, 29, tzinfo=dt.UTC)
    )
    ReportSectionFactory.create(revision=revision)
    region = Region.objects.filter(country=mali).order_by("code").first()
    assert region is not None
    ids = {
        "code": {"countries": "ml", "regions": region.code.lower()},
        "slug": {
            "threat-categories": ThreatCategory.objects.order_by("pk").values_list("slug", flat=True)[0],
            "incident-types": IncidentType.objects.order_by("pk").values_list("slug", flat=True)[0],
        },
        "id": {
            "threat-ratings": ThreatRatingFactory.create(country=mali).pk,
            "security-reports": report.pk,
            "contact-points": ContactPointFactory.create(country=mali).pk,
            "actors": ActorFactory.create().pk,
            "incidents": incident.pk,
            "subscriptions": subscription.pk,
        },
    }
    return World(cast=cast, incident=incident, subscription=subscription, delivery=delivery, ids=ids)


def address(world: World, path: str) -> str:
    resource = path.split("/")[3]
    for name in ("code", "slug", "id"):
        path = path.replace(f"{{{name}}}", str(world.ids[name].get(resource, "")))
    return path


def client_for(world: World, who: str) -> APIClient:
    client = APIClient()
    if who != "anonymous":
        client.force_authenticate(getattr(world.cast, who))
    return client


def row_ids(body: dict[str, Any]) -> set[int]:
    rows = body.get("results", body.get("features", []))
    return {row["id"] for row in rows}


def operations_with_levels() -> list[tuple[str, str, str]]:
    """Operations on incidents at every sharing level; the rest once (their answer cannot depend on it)."""
    cases = []
    for method, path in sorted(TABLE):
        levels = LEVELS if "/incidents/" in path else ["amber"]
        cases += [(method, path, level) for level in levels]
    return cases


@pytest.mark.parametrize(("method", "path", "level"), operations_with_levels())
def test_each_user_gets_what_the_table_says_and_lists_leak_nothing(cast, method, path, level):
    expect, body = TABLE[(method, path)]
    failures = []
    for who in USERS:
        # A fresh world per user, rolled back after: a write by one must not change what the next meets.
        with transaction.atomic():
            failures += check(who, method, path, level, expect, body, make_world(cast, level))
            transaction.set_rollback(True)
    assert not failures, "\n".join(failures)


def check(who: str, method: str, path: str, level: str, expect: Expect, body: Any, world: World) -> list[str]:
    before = Incident.objects.filter(pk=world.incident.pk).values().get()
    response = getattr(client_for(world, who), method.lower())(
        address(world, path), body(level) if body else None, format="json"
    )
    wanted = expect(who, level)
    if response.status_code != wanted:
        return [f"{who}: {response.status_code} (wanted {wanted}) {response.content[:200]!r}"]
    if response.status_code >= 400:
        assert response["Content-Type"] == "application/json"
        assert response.json()["detail"]
        assert world.incident.title not in response.content.decode(), who
        assert Incident.objects.filter(pk=world.incident.pk).values().get() == before, who
    if method == "GET" and path in LISTED:
        kind, may_see = LISTED[path]
        listed = getattr(world, kind).pk in row_ids(response.json())
        if listed != may_see(who, level):
            return [f"{who}: A's {kind} {'listed' if listed else 'not listed'}"]
    return []
