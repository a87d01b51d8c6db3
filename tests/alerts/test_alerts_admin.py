"""The alerts admin: lists that load in a constant number of queries, subscriptions ended and
never deleted, the engine's records read-only, and incident titles only for those who may see them."""

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from alerts.models import Delivery, DeliveryStatus, DigestRun, EndReason, ImmediateAlert, OptOut, Subscription
from incidents.models import SharingLevel
from tests.alerts.factories import DeliveryFactory, SubscriptionFactory
from tests.factories import IncidentFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client_(db) -> Client:
    client = Client()
    client.force_login(UserFactory.create(username="root", is_staff=True, is_superuser=True))
    return client


def changelist(model) -> str:
    return reverse(f"admin:alerts_{model._meta.model_name}_changelist")


def assert_lists(client: Client, model, cases) -> None:
    """Each (query, shown, hidden): the model's list for that query shows `shown` and not `hidden`."""
    for query, shown, hidden in cases:
        content = client.get(changelist(model), query).content.decode()
        assert (shown in content, hidden in content) == (True, False), query


def some_of_everything(n: int) -> None:
    for i in range(n):
        organisation = OrganisationFactory.create()
        subscription = SubscriptionFactory.create(organisation=organisation, name=f"Desk {i}")
        OptOut.objects.create(subscription=subscription, email=f"gone{i}@example.org")
        traveler = SubscriptionFactory.create(organisation=None, email=f"traveler{i}@example.net")
        DeliveryFactory.create(subscription=subscription)
        alert = ImmediateAlert.objects.create(kind=ImmediateAlert.Kind.INCIDENT, incident=IncidentFactory.create())
        DeliveryFactory.create(subscription=traveler, email=traveler.email, run=None, alert=alert)


@pytest.mark.parametrize("model", [Subscription, DigestRun, ImmediateAlert, Delivery])
def test_each_list_loads_in_a_constant_number_of_queries(admin_client_, model, django_assert_num_queries):
    some_of_everything(2)
    admin_client_.get(changelist(model))  # the session and the templates, loaded once
    with CaptureQueriesContext(connection) as few:
        response = admin_client_.get(changelist(model))
    assert response.status_code == 200

    some_of_everything(6)
    with django_assert_num_queries(len(few.captured_queries)):
        response = admin_client_.get(changelist(model))
    assert response.status_code == 200


def test_subscriptions_are_found_by_address_and_organisation_name(admin_client_):
    SubscriptionFactory.create(organisation=OrganisationFactory.create(name="Kora Aid"), name="Kora desk")
    SubscriptionFactory.create(organisation=None, email="amadou@example.net", name="Amadou's trip")

    by_organisation = ({"q": "kora"}, "Kora desk", "Amadou")
    by_address = ({"q": "amadou@"}, "Amadou&#x27;s trip", "Kora desk")
    assert_lists(admin_client_, Subscription, [by_organisation, by_address])


def test_subscriptions_filter_by_state(admin_client_):
    SubscriptionFactory.create(organisation=None, email="active@example.net", name="Still going")
    SubscriptionFactory.create(organisation=None, email="new@example.net", name="Waiting", confirmed_at=None)

    unconfirmed = admin_client_.get(changelist(Subscription), {"state": "unconfirmed"}).content.decode()

    assert "Waiting" in unconfirmed
    assert "Still going" not in unconfirmed


def test_subscriptions_filter_on_whether_an_organisation_receives_them(admin_client_):
    desk = SubscriptionFactory.create(organisation=OrganisationFactory.create())
    trip = SubscriptionFactory.create(organisation=None, email="amadou@example.net")

    def listed(empty: str) -> set[Subscription]:
        response = admin_client_.get(changelist(Subscription), {"organisation__isempty": empty})
        return set(response.context["cl"].result_list)

    assert (listed("1"), listed("0")) == ({trip}, {desk})


def test_a_subscription_is_ended_by_an_action_and_never_deleted(admin_client_):
    subscription = SubscriptionFactory.create(organisation=None, email="traveler@example.net")

    response = admin_client_.post(
        changelist(Subscription), {"action": "end_subscriptions", "_selected_action": [subscription.pk]}, follow=True
    )

    assert "1 subscription ended." in response.content.decode()
    subscription.refresh_from_db()
    assert subscription.end_reason == EndReason.ENDED_BY_STAFF
    delete = reverse("admin:alerts_subscription_delete", args=[subscription.pk])
    assert admin_client_.get(delete).status_code == 403


def test_the_change_page_lists_who_unsubscribed_and_checks_addresses(admin_client_):
    subscription = SubscriptionFactory.create(organisation=OrganisationFactory.create(), addresses=["desk@x.example"])
    OptOut.objects.create(subscription=subscription, email="gone@x.example")
    url = reverse("admin:alerts_subscription_change", args=[subscription.pk])

    page = admin_client_.get(url)

    def post(addresses: str):
        return admin_client_.post(
            url,
            {
                "name": "Desk",
                "organisation": subscription.organisation_id,
                "include_members": "on",
                "addresses": addresses,
                "countries": list(subscription.countries.values_list("pk", flat=True)),
                "min_severity": "1",
                "include_advisories": "on",
                "frequency": "daily",
                "time_zone": "Africa/Bamako",
                "language": "en",
                "opt_outs-TOTAL_FORMS": "1",
                "opt_outs-INITIAL_FORMS": "1",
                "opt_outs-0-id": OptOut.objects.get().pk,
                "opt_outs-0-subscription": subscription.pk,
                "opt_outs-0-email": "gone@x.example",
            },
        )

    assert page.status_code == 200
    assert "gone@x.example" in page.content.decode()
    refused = post('["desk@x.example", "not an address"]')
    assert refused.status_code == 200
    assert "“not an address” is not an e-mail address." in refused.content.decode()
    subscription.refresh_from_db()
    assert subscription.name == ""

    saved = post('["Ops@X.example", "desk@x.example", "ops@x.example"]')
    assert saved.status_code == 302
    subscription.refresh_from_db()
    assert subscription.name == "Desk"
    assert subscription.addresses == ["ops@x.example", "desk@x.example"]


def test_the_engine_s_records_cannot_be_added_changed_or_deleted(admin_client_):
    delivery = DeliveryFactory.create()
    run = DigestRun.objects.get()

    assert admin_client_.get(reverse("admin:alerts_delivery_add")).status_code == 403
    assert admin_client_.get(reverse("admin:alerts_digestrun_add")).status_code == 403
    assert admin_client_.get(reverse("admin:alerts_delivery_delete", args=[delivery.pk])).status_code == 403
    page = admin_client_.get(reverse("admin:alerts_delivery_change", args=[delivery.pk]))
    assert page.status_code == 200
    assert 'name="status"' not in page.content.decode()
    admin_client_.post(reverse("admin:alerts_digestrun_change", args=[run.pk]), {"period": "changed"})
    run.refresh_from_db()
    assert run.period != "changed"


def test_deliveries_filter_by_status_and_are_found_by_address(admin_client_):
    DeliveryFactory.create(email="ok@example.org")
    DeliveryFactory.create(email="bounced@example.org", status=DeliveryStatus.FAILED, last_error="550")

    failed = ({"status__exact": "failed"}, "bounced@example.org", "ok@example.org")
    found = ({"q": "ok@"}, "ok@example.org", "bounced@example.org")
    assert_lists(admin_client_, Delivery, [failed, found])


def test_staff_who_may_not_see_an_incident_do_not_read_its_title_in_a_delivery(db):
    analyst = UserFactory.create(username="analyst", is_staff=True)
    analyst.user_permissions.add(Permission.objects.get(codename="view_delivery"))
    organisation = OrganisationFactory.create()
    secret = IncidentFactory.create(
        title="Staff safe house in Mopti",
        organisation=organisation,
        sharing_level=SharingLevel.AMBER,
        status="submitted",
    )
    public = IncidentFactory.create(title="Armed robbery on the Ségou road")
    subscription = SubscriptionFactory.create(organisation=organisation)
    for incident in (secret, public):
        DeliveryFactory.create(
            subscription=subscription,
            run=None,
            alert=ImmediateAlert.objects.create(kind=ImmediateAlert.Kind.INCIDENT, incident=incident),
            subject=f"Vigil alert: {incident.title}",
        )
    client = Client()
    client.force_login(analyst)

    content = client.get(changelist(Delivery)).content.decode()
    detail = client.get(
        reverse("admin:alerts_delivery_change", args=[Delivery.objects.get(alert__incident=secret).pk])
    ).content.decode()

    assert "Armed robbery on the Ségou road" in content
    assert "Staff safe house" not in content
    assert "Staff safe house" not in detail
    assert "(about an incident you may not see)" in content
