"""The incidents admin: every page opens, an incident is checked by the same rules as the
officers' form, review goes through the services, and the sharing rules hold for analysts."""

from typing import Any

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.auth.models import Permission
from django.db import connection
from django.db.models import Model
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from advisories.models import Region, RiskAssessment
from incidents import services
from incidents.api_tokens import ApiToken
from incidents.models import (
    AccountSettings,
    Incident,
    IncidentActor,
    IncidentType,
    MembershipChange,
    OperatorRoleChange,
    ReviewStatus,
    RiskReview,
    SharingLevel,
    TargetType,
)
from tests.factories import ActorFactory, IncidentFactory, MembershipFactory, UserFactory
from tests.incidents.pages import incident_form

pytestmark = pytest.mark.django_db

INCIDENT_MODELS = list(apps.get_app_config("incidents").get_models())


def _url(model: type[Model], view: str, *args: Any) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


@pytest.fixture
def superuser_client(db) -> Client:
    """A superuser who is also a platform operator: being a superuser alone opens no incident
    and no organisation's memberships (tests/incidents/test_admin_sharing.py)."""
    client = Client()
    root = UserFactory.create(username="root", is_staff=True, is_superuser=True)
    root.user_permissions.add(Permission.objects.get(codename="view_all_incidents"))
    client.force_login(root)
    return client


@pytest.fixture
def one_of_each(db) -> dict[type[Model], Model]:
    membership = MembershipFactory.create()
    incident = IncidentFactory.create(organisation=membership.organisation, reporter=membership.user)
    link = IncidentActor.objects.create(incident=incident, actor=ActorFactory.create())
    change = MembershipChange.objects.create(
        organisation=membership.organisation, user=membership.user, username="someone", action="added"
    )
    return {
        MembershipChange: change,
        OperatorRoleChange: OperatorRoleChange.objects.create(user=membership.user, username="someone", granted=True),
        type(membership.organisation): membership.organisation,
        type(membership): membership,
        IncidentType: IncidentType.objects.get(slug="kidnapping"),
        type(link.actor): link.actor,
        TargetType: TargetType.objects.get(slug="ngo-staff"),
        Incident: incident,
        IncidentActor: link,
        ApiToken: services.api_token_create(user=membership.user, name="Relief desk")[0],
        AccountSettings: services.account_language_set(user=membership.user, language="fr"),
        RiskReview: RiskReview.objects.create(
            country=incident.country, to_level=3, index=60, assessment=_assessment(incident.country)
        ),
    }


def _assessment(country) -> RiskAssessment:
    return RiskAssessment.objects.create(country=country, computed_at=timezone.now(), index=60, suggested_level=3)


def test_every_incidents_model_is_in_the_admin_or_edited_inline():
    inlined = {inline.model for model_admin in admin.site._registry.values() for inline in model_admin.inlines}
    for model in INCIDENT_MODELS:
        assert admin.site.is_registered(model) or model in inlined, model


@pytest.mark.parametrize("model", [m for m in INCIDENT_MODELS if admin.site.is_registered(m)], ids=str)
def test_changelist_add_and_change_pages_open(superuser_client, one_of_each, model):
    obj = one_of_each[model]
    urls = [_url(model, "changelist"), _url(model, "change", obj.pk)]
    # Records are never written by hand; an API token is created by its owner only, on the token page;
    # a risk level review is raised by the recomputation.
    if model not in (MembershipChange, OperatorRoleChange, ApiToken, RiskReview):
        urls.append(_url(model, "add"))
    for url in urls:
        assert superuser_client.get(url).status_code == 200, url
    assert superuser_client.get(_url(model, "changelist"), {"q": "Relief"}).status_code == 200


def test_api_tokens_are_listed_and_revoked_in_the_admin_never_created_there(superuser_client, one_of_each):
    token = one_of_each[ApiToken]

    listed = superuser_client.get(_url(ApiToken, "changelist")).content.decode()
    refused = superuser_client.get(_url(ApiToken, "add"))
    revoked = superuser_client.post(_url(ApiToken, "delete", token.pk), {"post": "yes"})

    assert "Relief desk" in listed and token.hint in listed
    assert refused.status_code == 403
    assert revoked.status_code == 302
    assert not ApiToken.objects.filter(pk=token.pk).exists()


def _incident_post(**changes: Any) -> dict[str, Any]:
    left_empty: tuple[str, ...] = ("description", "occurred_at_time", "place_name", "latitude", "longitude")
    left_empty += ("sources", "source_document", "external_source", "external_id", "organisation", "reporter")
    data = incident_form(
        "carjacking",
        "ML-4",
        title="Carjacking on the Ségou road",
        occurred_on="2025-02-11",
        location_precision="exact",
        sharing_level="clear",
        **dict.fromkeys(left_empty, ""),
    )
    # The management form of the actors' formset, with no actor.
    formset = {"TOTAL": "0", "INITIAL": "0", "MIN_NUM": "0", "MAX_NUM": "1000"}
    data.update({f"actor_links-{name}_FORMS": value for name, value in formset.items()})
    data.update(changes)
    return data


def test_an_incident_saved_in_the_admin_is_checked_like_the_officers_form(superuser_client):
    niger_region = Region.objects.get(code="NE-1")

    response = superuser_client.post(_url(Incident, "add"), _incident_post(region=niger_region.pk))

    assert response.status_code == 200
    assert "Agadez is not a region of Mali." in response.content.decode()
    assert not Incident.objects.exists()


def test_an_incident_added_in_the_admin_with_coordinates_gets_its_region(superuser_client):
    response = superuser_client.post(
        _url(Incident, "add"), _incident_post(region="", latitude="13.4317", longitude="-6.2157")
    )

    assert response.status_code == 302
    assert Incident.objects.get().region == Region.objects.get(code="ML-4")


def test_a_count_left_empty_in_the_admin_is_not_known(superuser_client):
    response = superuser_client.post(_url(Incident, "add"), _incident_post(killed="", injured="1", abducted=""))

    assert response.status_code == 302
    incident = Incident.objects.get()
    assert (incident.killed, incident.injured, incident.abducted) == (None, 1, None)


def test_the_admin_refuses_coordinates_outside_the_region_named(superuser_client):
    response = superuser_client.post(_url(Incident, "add"), _incident_post(latitude="12.65", longitude="-8.0"))

    assert response.status_code == 200
    assert "is in Bamako, not in Ségou" in response.content.decode()
    assert not Incident.objects.exists()


def test_admin_actions_publish_through_the_service(superuser_client):
    submitted = IncidentFactory.create(status=ReviewStatus.SUBMITTED, sharing_level=SharingLevel.CLEAR)
    published = IncidentFactory.create(status=ReviewStatus.PUBLISHED, sharing_level=SharingLevel.CLEAR)

    response = superuser_client.post(
        _url(Incident, "changelist"),
        {"action": "publish_selected", "_selected_action": [submitted.pk, published.pk]},
        follow=True,
    )

    html = response.content.decode()
    assert "1 incident(s) updated." in html
    assert "Only a submitted or verified incident can be published." in html
    submitted.refresh_from_db()
    assert submitted.status == ReviewStatus.PUBLISHED and submitted.published_at is not None


def test_analysts_see_in_the_admin_only_what_the_sharing_rules_allow(db):
    analyst = UserFactory.create(username="analyst", is_staff=True)
    analyst.user_permissions.add(Permission.objects.get(codename="view_incident"))
    organisation = MembershipFactory.create().organisation
    green = IncidentFactory.create(title="Green roadblock", organisation=organisation, sharing_level="green")
    red = IncidentFactory.create(title="Red kidnapping", organisation=organisation, sharing_level="red")
    client = Client()
    client.force_login(analyst)

    html = client.get(_url(Incident, "changelist")).content.decode()

    assert "Green roadblock" in html and "Red kidnapping" not in html
    assert client.get(_url(Incident, "change", red.pk)).status_code == 302  # "does not exist": back to the list
    assert client.get(_url(Incident, "change", green.pk)).status_code == 200


def test_the_incident_changelist_runs_the_same_queries_for_3_or_30_incidents(superuser_client):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert superuser_client.get(_url(Incident, "changelist")).status_code == 200
        return len(queries)

    IncidentFactory.create_batch(3)
    few = count()
    IncidentFactory.create_batch(27)
    assert count() == few
