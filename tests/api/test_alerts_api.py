"""/api/v1/subscriptions/ and /api/v1/deliveries/ through HTTP: what a security manager reads,
creates, changes and ends, with the same rules and messages as the alerts pages; what everyone
else gets (an empty list, a 404, a 403 that says why); each filter; and the query counts.

The people are those of tests/alerts/factories.py `make_cast`: organisation A (Sahel Relief,
Africa/Bamako) with its security manager, administrator, officer and reader; organisation B
(Niger Valley Aid, Europe/Paris) with its security manager; a signed-in user of no
organisation (outsider); and an anonymous client.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from rest_framework.test import APIClient

from advisories.models import Country, Region, ThreatCategory
from alerts.models import Delivery, DeliveryStatus, EndReason, Frequency, ImmediateAlert, OptOut, Subscription
from alerts.services import MAX_ADDRESSES, SubscriptionFields, subscription_create
from incidents.models import Role, SharingLevel
from tests.alerts.factories import DeliveryFactory, SubscriptionFactory, make_cast
from tests.api.clients import client_of
from tests.factories import AdvisoryFactory, IncidentFactory, MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

SUBSCRIPTIONS = "/api/v1/subscriptions/"
DELIVERIES = "/api/v1/deliveries/"
USERS = ["anonymous", "outsider", "reader_a", "officer_a", "manager_b", "manager_a", "admin_a"]
MANAGERS_OF_A = {"manager_a", "admin_a"}


@pytest.fixture
def cast(db):
    return make_cast()


def as_who(cast, who: str) -> APIClient:
    return client_of(None if who == "anonymous" else getattr(cast, who))


def detail(subscription: Subscription) -> str:
    return f"{SUBSCRIPTIONS}{subscription.pk}/"


def payload(**changes: Any) -> dict[str, Any]:
    """A daily digest of Mali and Gao for the desk, as a manager's tool sends it; `changes` replace or add."""
    data: dict[str, Any] = {
        "name": "Sahel desk",
        "countries": ["ml"],
        "regions": ["ne-1"],
        "categories": ["kidnapping", "terrorism"],
        "min_severity": 3,
        "include_advisories": True,
        "frequency": "daily",
        "time_zone": "Africa/Bamako",
        "include_members": True,
        "addresses": ["Desk@Sahel.example", "ops@sahel.example", "desk@sahel.example"],
    }
    data.update(changes)
    return {name: value for name, value in data.items() if value is not None}


def a_subscription(cast, organisation=None, **changes: Any) -> Subscription:
    """One made by the organisation's manager through the service, as the page makes it."""
    fields = SubscriptionFields(countries=[Country.objects.get(code="ML")], time_zone="Africa/Bamako")
    for name, value in changes.items():
        setattr(fields, name, value)
    organisation = organisation or cast.org_a
    manager = cast.manager_a if organisation == cast.org_a else cast.manager_b
    return subscription_create(by=manager, organisation=organisation, data=fields)


def ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


def errors(response) -> dict[str, list[str]]:
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["detail"] == "Some values are not valid; see errors for each field."
    return body["errors"]


def incident_alert(**incident_fields: Any) -> ImmediateAlert:
    return ImmediateAlert.objects.create(
        kind=ImmediateAlert.Kind.INCIDENT, incident=IncidentFactory.create(**incident_fields)
    )


def advisory_alert(**advisory_fields: Any) -> ImmediateAlert:
    # Past advisories, so that there can be many of one country.
    advisory = AdvisoryFactory.create(is_current=False, **advisory_fields)
    return ImmediateAlert.objects.create(kind=ImmediateAlert.Kind.ADVISORY, advisory=advisory)


def iso(moment: dt.datetime | None) -> str:
    assert moment is not None
    return moment.isoformat().replace("+00:00", "Z")


# Reading subscriptions -----------------------------------------------------------------------


def test_a_subscription_reads_back_with_brief_places_and_categories(cast):
    subscription = a_subscription(
        cast,
        name="Sahel desk",
        regions=[Region.objects.get(code="ML-7")],
        categories=[ThreatCategory.objects.get(slug="kidnapping")],
        min_severity=3,
        addresses=["desk@sahel.example"],
    )
    OptOut.objects.create(subscription=subscription, email="reader_a@example.org")

    response = client_of(cast.manager_a).get(SUBSCRIPTIONS)

    assert response.status_code == 200
    (row,) = response.json()["results"]
    subscription.refresh_from_db()
    assert row == {
        "id": subscription.pk,
        "organisation": {"slug": "sahel-relief", "name": "Sahel Relief"},
        "name": "Sahel desk",
        "countries": [{"code": "ML", "name": "Mali"}],
        "regions": [{"code": "ML-7", "name": "Gao"}],
        "categories": [{"slug": "kidnapping", "name": "Kidnapping"}],
        "min_severity": 3,
        "include_advisories": True,
        "frequency": "daily",
        "time_zone": "Africa/Bamako",
        "include_members": True,
        "addresses": ["desk@sahel.example"],
        "opted_out_count": 1,
        "active": True,
        "created_at": iso(subscription.created_at),
        "updated_at": iso(subscription.updated_at),
        "confirmed_at": iso(subscription.confirmed_at),
        "ended_at": None,
        "end_reason": "",
        "ended_by": None,
    }
    # A detail is the same as its list row.
    assert client_of(cast.manager_a).get(detail(subscription)).json() == row
    # Nothing about a person: the organisation's subscriptions have none.
    assert "email" not in row and "user" not in row and "created_by" not in row


def test_the_list_holds_the_subscriptions_of_every_organisation_the_user_manages_and_no_other(cast):
    ours = a_subscription(cast)
    theirs = a_subscription(cast, organisation=cast.org_b)
    SubscriptionFactory.create(organisation=None, email="traveler@example.net")
    MembershipFactory.create(user=cast.manager_a, organisation=cast.org_b, role=Role.ADMIN)

    assert ids(client_of(cast.admin_a).get(SUBSCRIPTIONS)) == [ours.pk]
    assert ids(client_of(cast.manager_b).get(SUBSCRIPTIONS)) == [theirs.pk]
    assert ids(client_of(cast.manager_a).get(SUBSCRIPTIONS)) == [theirs.pk, ours.pk]


def test_an_inactive_organisation_s_subscriptions_are_no_longer_managed(cast):
    subscription = a_subscription(cast)
    cast.org_a.is_active = False
    cast.org_a.save()

    assert ids(client_of(cast.manager_a).get(SUBSCRIPTIONS)) == []
    assert client_of(cast.manager_a).get(detail(subscription)).status_code == 404


def test_a_traveler_s_subscription_is_not_found_even_by_its_owner(cast):
    traveler = SubscriptionFactory.create(organisation=None, email="outsider@example.org", user=cast.outsider)

    for who in ("outsider", "manager_a"):
        response = as_who(cast, who).get(detail(traveler))
        assert response.status_code == 404
        assert response.json() == {"detail": "There is no such subscription among those you manage."}


def test_an_address_that_is_not_a_subscription_id_is_a_json_404(cast):
    client = client_of(cast.manager_a)

    assert client.get(f"{SUBSCRIPTIONS}abc/").status_code == 404
    assert "/api/v1/docs/" in client.get(f"{SUBSCRIPTIONS}abc/").json()["detail"]
    assert client.get(f"{SUBSCRIPTIONS}{10**30}/").status_code == 404
    assert client.patch(f"{SUBSCRIPTIONS}{10**30}/", {"name": "x"}, format="json").status_code == 404


def test_pages_follow_the_next_link_newest_first(cast):
    created = [a_subscription(cast, name=f"Desk {n}").pk for n in range(5)]
    client = client_of(cast.manager_a)

    first = client.get(SUBSCRIPTIONS, {"page_size": 2}).json()
    second = client.get(first["next"]).json()
    third = client.get(second["next"]).json()

    seen = [row["id"] for page in (first, second, third) for row in page["results"]]
    assert seen == sorted(created, reverse=True)
    assert third["next"] is None


def test_the_subscription_list_costs_the_same_number_of_queries_for_one_row_or_many(cast, django_assert_num_queries):
    categories = list(ThreatCategory.objects.all()[:3])
    regions = list(Region.objects.filter(country__code="ML")[:3])

    def make(count: int) -> None:
        for n in range(count):
            subscription = a_subscription(
                cast, name=f"Desk {n}", regions=regions[: n % 3 + 1], categories=categories[: n % 3]
            )
            OptOut.objects.create(subscription=subscription, email=f"gone{n}@example.org")

    client = client_of(cast.manager_a)
    make(1)
    # Token and user, the managed organisations, the page, its countries, regions and categories.
    with django_assert_num_queries(6):
        assert len(client.get(SUBSCRIPTIONS).json()["results"]) == 1
    make(12)
    with django_assert_num_queries(6):
        rows = client.get(SUBSCRIPTIONS).json()["results"]
    assert len(rows) == 13
    assert all(row["opted_out_count"] == 1 for row in rows)


# Creating ------------------------------------------------------------------------------------


def test_a_manager_creates_a_subscription_for_their_organisation(cast):
    response = client_of(cast.manager_a).post(SUBSCRIPTIONS, payload(), format="json")

    assert response.status_code == 201, response.json()
    subscription = Subscription.objects.get()
    assert response["Location"] == detail(subscription)
    assert (subscription.organisation, subscription.created_by) == (cast.org_a, cast.manager_a)
    assert subscription.is_active
    assert subscription.name == "Sahel desk"
    assert sorted(subscription.countries.values_list("code", flat=True)) == ["ML"]
    assert sorted(subscription.regions.values_list("code", flat=True)) == ["NE-1"]
    assert sorted(subscription.categories.values_list("slug", flat=True)) == ["kidnapping", "terrorism"]
    assert (subscription.min_severity, subscription.frequency, subscription.time_zone) == (3, "daily", "Africa/Bamako")
    # Tidied by the service as on the page: lower case, once each.
    assert subscription.addresses == ["desk@sahel.example", "ops@sahel.example"]
    body = response.json()
    assert body["id"] == subscription.pk
    assert body["regions"] == [{"code": "NE-1", "name": Region.objects.get(code="NE-1").name}]
    assert body["active"] is True


def test_an_administrator_creates_subscriptions_too(cast):
    response = client_of(cast.admin_a).post(SUBSCRIPTIONS, payload(), format="json")

    assert response.status_code == 201, response.json()
    assert Subscription.objects.get().organisation == cast.org_a


def test_fields_left_out_take_the_defaults_and_the_time_zone_is_the_organisation_s(cast):
    response = client_of(cast.manager_b).post(SUBSCRIPTIONS, {"countries": ["NE"]}, format="json")

    assert response.status_code == 201, response.json()
    subscription = Subscription.objects.get()
    assert subscription.organisation == cast.org_b
    assert subscription.time_zone == "Europe/Paris"
    assert (subscription.frequency, subscription.min_severity) == (Frequency.DAILY, 1)
    assert (subscription.include_members, subscription.include_advisories, subscription.addresses) == (
        True,
        True,
        [],
    )
    assert not subscription.categories.exists()


def test_a_manager_of_several_organisations_names_the_one_the_subscription_is_for(cast):
    MembershipFactory.create(user=cast.manager_a, organisation=cast.org_b, role=Role.SECURITY_MANAGER)
    client = client_of(cast.manager_a)

    unnamed = client.post(SUBSCRIPTIONS, payload(), format="json")
    named = client.post(SUBSCRIPTIONS, payload(organisation="niger-valley-aid"), format="json")

    assert errors(unnamed) == {
        "organisation": [
            "You manage the alerts of several organisations; say which one this subscription is for: "
            "niger-valley-aid, sahel-relief."
        ]
    }
    assert named.status_code == 201, named.json()
    assert Subscription.objects.get().organisation == cast.org_b
    assert named.json()["organisation"] == {"slug": "niger-valley-aid", "name": "Niger Valley Aid"}


def test_a_manager_cannot_create_a_subscription_for_an_organisation_they_do_not_manage(cast):
    MembershipFactory.create(user=cast.manager_a, organisation=cast.org_b, role=Role.OFFICER)

    response = client_of(cast.manager_a).post(SUBSCRIPTIONS, payload(organisation="niger-valley-aid"), format="json")

    assert errors(response) == {"organisation": ["You manage the alerts of these organisations only: sahel-relief."]}
    assert not Subscription.objects.exists()


@pytest.mark.parametrize("who", ["reader_a", "officer_a"])
def test_members_who_are_not_managers_are_told_who_sets_up_alerts(cast, who):
    response = as_who(cast, who).post(SUBSCRIPTIONS, payload(), format="json")

    assert response.status_code == 403
    assert response.json() == {
        "detail": "An organisation's alerts are set up by its security managers and administrators. Ask one of "
        "them to add your address to a subscription, or to give you one of these roles. You can also receive "
        "alerts for yourself: subscribe with your e-mail address at /alerts/subscribe/."
    }
    assert not Subscription.objects.exists()


def test_a_user_of_no_organisation_is_pointed_to_the_personal_subscription(cast):
    response = client_of(cast.outsider).post(SUBSCRIPTIONS, payload(), format="json")

    assert response.status_code == 403
    detail_text = response.json()["detail"]
    assert detail_text.startswith("You are not a member of any organisation")
    assert "/alerts/subscribe/" in detail_text


def test_anonymous_clients_cannot_create_subscriptions(cast):
    response = client_of().post(SUBSCRIPTIONS, payload(), format="json")

    assert response.status_code == 401
    assert "Authorization: Bearer" in response.json()["detail"]
    assert not Subscription.objects.exists()


def test_the_fields_a_client_may_not_write_are_ignored(cast):
    response = client_of(cast.manager_a).post(
        SUBSCRIPTIONS,
        payload(
            created_by=cast.manager_b.pk,
            confirmed_at=None,
            ended_at="2025-01-01T00:00:00Z",
            end_reason="unsubscribed",
            ended_by=cast.manager_b.pk,
            user=cast.outsider.pk,
            email="someone@example.net",
            opted_out_count=9,
            active=False,
            id=10**6,
        )
        | {"confirmed_at": None},
        format="json",
    )

    assert response.status_code == 201, response.json()
    subscription = Subscription.objects.get()
    assert subscription.pk != 10**6
    assert subscription.created_by == cast.manager_a
    assert subscription.confirmed_at is not None
    assert (subscription.ended_at, subscription.end_reason, subscription.ended_by) == (None, "", None)
    assert (subscription.user, subscription.email) == (None, "")


# What is refused, and with which message: the service's own, as the page shows them ------------

REFUSALS = {
    "no place": ({"countries": [], "regions": []}, "countries", "Choose at least one country or region to follow."),
    "nobody to send to": (
        {"include_members": False, "addresses": []},
        "addresses",
        "Send to the organisation's members, or give at least one address, or both.",
    ),
    "a bad address": ({"addresses": ["not-an-address"]}, "addresses", "“not-an-address” is not an e-mail address."),
    "too many addresses": (
        {"addresses": [f"desk{n}@sahel.example" for n in range(MAX_ADDRESSES + 1)]},
        "addresses",
        f"There are {MAX_ADDRESSES + 1} addresses; at most {MAX_ADDRESSES} are allowed.",
    ),
    "an unknown time zone": (
        {"time_zone": "Mars/Olympus"},
        "time_zone",
        "“Mars/Olympus” is not a time zone name; use one like Africa/Bamako or Europe/London.",
    ),
    "severity 9": ({"min_severity": 9}, "min_severity", "The minimum severity goes from 1 (minor) to 5 (critical)."),
    "severity 0": ({"min_severity": 0}, "min_severity", "The minimum severity goes from 1 (minor) to 5 (critical)."),
    "a long name": ({"name": "n" * 201}, "name", "The name is 201 characters long; shorten it to 200 at most."),
    "an unknown frequency": (
        {"frequency": "hourly"},
        "frequency",
        "“hourly” is not a frequency; choose immediate, daily or weekly.",
    ),
    "an unknown country": ({"countries": ["zz"]}, "countries", "There is no country with the code “ZZ”"),
    "an unknown region": ({"regions": ["ML-99"]}, "regions", "There is no region with the code “ML-99”"),
    "an unknown category": ({"categories": ["aliens"]}, "categories", "There is no threat category “aliens”."),
    "countries that are not a list": ({"countries": "ML"}, "countries", "Give the countries as a list of codes"),
    "addresses that are not a list": ({"addresses": "desk@sahel.example"}, "addresses", "as a list of strings"),
    "a severity that is not a number": ({"min_severity": "high"}, "min_severity", "A valid integer is required."),
    "a time zone too long": ({"time_zone": "x" * 65}, "time_zone", "no more than 64 characters"),
}


@pytest.mark.parametrize("changes, field, message", REFUSALS.values(), ids=REFUSALS.keys())
def test_it_refuses_bad_values_with_the_page_s_message_on_the_field(cast, changes, field, message):
    response = client_of(cast.manager_a).post(SUBSCRIPTIONS, payload(**changes), format="json")

    assert any(message in error for error in errors(response)[field]), response.json()
    assert not Subscription.objects.exists()


def test_every_problem_is_reported_at_once(cast):
    response = client_of(cast.manager_a).post(
        SUBSCRIPTIONS,
        {"countries": [], "time_zone": "Mars/Olympus", "include_members": False, "addresses": ["nope"]},
        format="json",
    )

    assert set(errors(response)) == {"countries", "time_zone", "addresses"}


def test_a_body_that_is_not_json_is_refused_with_a_message(cast):
    response = client_of(cast.manager_a).post(SUBSCRIPTIONS, "{not json", content_type="application/json")

    assert response.status_code == 400
    assert "JSON parse error" in str(response.json())


def test_lower_and_upper_case_codes_both_name_a_place(cast):
    response = client_of(cast.manager_a).post(
        SUBSCRIPTIONS, payload(countries=["Ml", "NE"], regions=["ml-bko"]), format="json"
    )

    assert response.status_code == 201, response.json()
    assert response.json()["countries"] == [{"code": "ML", "name": "Mali"}, {"code": "NE", "name": "Niger"}]
    assert response.json()["regions"] == [{"code": "ML-BKO", "name": "Bamako"}]


# Changing ------------------------------------------------------------------------------------


def test_a_patch_changes_only_the_fields_it_names(cast):
    subscription = a_subscription(
        cast,
        name="Sahel desk",
        regions=[Region.objects.get(code="ML-7")],
        categories=[ThreatCategory.objects.get(slug="kidnapping")],
        addresses=["desk@sahel.example"],
        time_zone="Asia/Ulaanbaatar",
        frequency=Frequency.IMMEDIATE,
    )

    response = client_of(cast.admin_a).patch(
        detail(subscription), {"name": "Mali and Niger", "countries": ["ML", "NE"]}, format="json"
    )

    assert response.status_code == 200, response.json()
    subscription.refresh_from_db()
    assert subscription.name == "Mali and Niger"
    assert sorted(subscription.countries.values_list("code", flat=True)) == ["ML", "NE"]
    # What the PATCH did not name is kept, relations included.
    assert list(subscription.regions.values_list("code", flat=True)) == ["ML-7"]
    assert list(subscription.categories.values_list("slug", flat=True)) == ["kidnapping"]
    assert subscription.addresses == ["desk@sahel.example"]
    assert (subscription.time_zone, subscription.frequency) == ("Asia/Ulaanbaatar", Frequency.IMMEDIATE)
    assert (subscription.organisation, subscription.created_by) == (cast.org_a, cast.manager_a)
    assert response.json()["name"] == "Mali and Niger"


def test_a_put_replaces_every_field(cast):
    subscription = a_subscription(
        cast,
        name="Sahel desk",
        regions=[Region.objects.get(code="ML-7")],
        categories=[ThreatCategory.objects.get(slug="kidnapping")],
        addresses=["desk@sahel.example"],
        time_zone="Asia/Ulaanbaatar",
        min_severity=4,
    )

    response = client_of(cast.manager_a).put(detail(subscription), {"countries": ["NE"]}, format="json")

    assert response.status_code == 200, response.json()
    subscription.refresh_from_db()
    assert list(subscription.countries.values_list("code", flat=True)) == ["NE"]
    assert not subscription.regions.exists() and not subscription.categories.exists()
    assert (subscription.name, subscription.addresses, subscription.min_severity) == ("", [], 1)
    # The time zone left out is the organisation's, as when it was created.
    assert subscription.time_zone == "Africa/Bamako"


def test_a_change_is_checked_like_a_new_subscription(cast):
    subscription = a_subscription(cast, addresses=["desk@sahel.example"])
    client = client_of(cast.manager_a)

    nowhere = client.patch(detail(subscription), {"countries": []}, format="json")
    nobody = client.patch(detail(subscription), {"include_members": False, "addresses": []}, format="json")
    empty_put = client.put(detail(subscription), {}, format="json")

    assert errors(nowhere) == {"countries": ["Choose at least one country or region to follow."]}
    assert errors(nobody) == {
        "addresses": ["Send to the organisation's members, or give at least one address, or both."]
    }
    assert errors(empty_put) == {"countries": ["Choose at least one country or region to follow."]}
    subscription.refresh_from_db()
    assert list(subscription.countries.values_list("code", flat=True)) == ["ML"]
    assert subscription.include_members is True


def test_the_organisation_and_the_other_fields_a_client_may_not_write_are_kept_on_a_change(cast):
    subscription = a_subscription(cast)
    confirmed_at = subscription.confirmed_at

    response = client_of(cast.manager_a).patch(
        detail(subscription),
        {
            "organisation": "niger-valley-aid",
            "created_by": cast.manager_b.pk,
            "confirmed_at": None,
            "ended_at": "2025-01-01T00:00:00Z",
            "end_reason": "unsubscribed",
            "ended_by": cast.manager_b.pk,
            "user": cast.outsider.pk,
            "email": "someone@example.net",
            "min_severity": 2,
        },
        format="json",
    )

    assert response.status_code == 200, response.json()
    subscription.refresh_from_db()
    assert subscription.min_severity == 2
    assert (subscription.organisation, subscription.created_by, subscription.confirmed_at) == (
        cast.org_a,
        cast.manager_a,
        confirmed_at,
    )
    assert (subscription.ended_at, subscription.end_reason, subscription.ended_by) == (None, "", None)
    assert (subscription.user, subscription.email) == (None, "")


def test_an_ended_subscription_cannot_be_changed(cast):
    subscription = a_subscription(cast, name="Old desk")
    client = client_of(cast.manager_a)
    client.delete(detail(subscription))
    subscription.refresh_from_db()

    response = client.patch(detail(subscription), {"name": "Revived"}, format="json")

    assert errors(response) == {
        "non_field_errors": [
            f"This subscription ended on {subscription.ended_at:%Y-%m-%d} and can no longer be changed. "
            "Create a new one instead."
        ]
    }
    subscription.refresh_from_db()
    assert subscription.name == "Old desk"


# Ending --------------------------------------------------------------------------------------


def test_delete_ends_the_subscription_and_answers_with_it(cast):
    subscription = a_subscription(cast, name="Sahel desk")
    DeliveryFactory.create(subscription=subscription)

    response = client_of(cast.admin_a).delete(detail(subscription))

    assert response.status_code == 200, response.content
    subscription.refresh_from_db()
    assert subscription.ended_at is not None
    assert (subscription.end_reason, subscription.ended_by) == (EndReason.ENDED_BY_MANAGER, cast.admin_a)
    body = response.json()
    assert body["ended_at"] == iso(subscription.ended_at)
    assert (body["end_reason"], body["ended_by"], body["active"]) == ("ended_by_manager", "admin_a", False)
    # Ended, not deleted: it stays in the list, and its deliveries in the log.
    assert ids(client_of(cast.manager_a).get(SUBSCRIPTIONS)) == [subscription.pk]
    assert len(client_of(cast.manager_a).get(DELIVERIES).json()["results"]) == 1


def test_ending_it_again_changes_nothing(cast):
    subscription = a_subscription(cast)
    first = client_of(cast.admin_a).delete(detail(subscription))

    again = client_of(cast.manager_a).delete(detail(subscription))

    assert again.status_code == 200
    assert again.json() == first.json()
    subscription.refresh_from_db()
    assert subscription.ended_by == cast.admin_a


# Who may do what: every endpoint and method, for each kind of user -----------------------------


@pytest.mark.parametrize("who", USERS)
def test_the_list_shows_only_the_subscriptions_the_user_manages(cast, who):
    of_a = a_subscription(cast)
    of_b = a_subscription(cast, organisation=cast.org_b)
    SubscriptionFactory.create(organisation=None, email="traveler@example.net")

    response = as_who(cast, who).get(SUBSCRIPTIONS)

    if who == "anonymous":
        assert response.status_code == 401
        return
    expected = {"manager_a": [of_a.pk], "admin_a": [of_a.pk], "manager_b": [of_b.pk]}.get(who, [])
    assert ids(response) == expected


@pytest.mark.parametrize("who", USERS)
def test_a_subscription_is_found_only_by_those_who_manage_it(cast, who):
    subscription = a_subscription(cast, name="Sahel desk")

    response = as_who(cast, who).get(detail(subscription))

    if who in MANAGERS_OF_A:
        assert response.status_code == 200
    else:
        assert response.status_code == (401 if who == "anonymous" else 404)
        assert "Sahel desk" not in response.content.decode()
        if who != "anonymous":
            assert response.json() == {"detail": "There is no such subscription among those you manage."}


@pytest.mark.parametrize("who", USERS)
@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_only_the_managers_of_its_organisation_change_or_end_a_subscription(cast, who, method):
    subscription = a_subscription(cast, name="Sahel desk")
    client = as_who(cast, who)

    if method == "delete":
        response = client.delete(detail(subscription))
    else:
        response = getattr(client, method)(detail(subscription), payload(name="Changed"), format="json")

    subscription.refresh_from_db()
    if who in MANAGERS_OF_A:
        assert response.status_code == 200, response.content
        assert (subscription.ended_at is not None) if method == "delete" else (subscription.name == "Changed")
        return
    if who == "anonymous":
        assert response.status_code == 401
        assert "Authorization: Bearer" in response.json()["detail"]
    else:
        assert response.status_code == 404
        assert response.json() == {"detail": "There is no such subscription among those you manage."}
    assert (subscription.name, subscription.ended_at) == ("Sahel desk", None)


@pytest.mark.parametrize("who", USERS)
def test_only_managers_create_subscriptions_and_only_for_their_own_organisation(cast, who):
    response = as_who(cast, who).post(SUBSCRIPTIONS, payload(organisation="sahel-relief"), format="json")

    created = Subscription.objects.first()
    if who in MANAGERS_OF_A:
        assert response.status_code == 201, response.json()
        assert created is not None and created.organisation == cast.org_a
    elif who == "manager_b":
        assert errors(response) == {
            "organisation": ["You manage the alerts of these organisations only: niger-valley-aid."]
        }
        assert created is None
    else:
        assert response.status_code == (401 if who == "anonymous" else 403)
        assert response.json()["detail"]
        assert created is None


@pytest.mark.parametrize("who", USERS)
def test_the_delivery_log_shows_only_the_deliveries_of_the_organisations_the_user_manages(cast, who):
    of_a = DeliveryFactory.create(subscription=a_subscription(cast), email="desk@sahel.example")
    of_b = DeliveryFactory.create(
        subscription=a_subscription(cast, organisation=cast.org_b), email="desk@niger-valley.example"
    )
    DeliveryFactory.create(
        subscription=SubscriptionFactory.create(organisation=None, email="traveler@example.net"),
        email="traveler@example.net",
    )

    response = as_who(cast, who).get(DELIVERIES)

    if who == "anonymous":
        assert response.status_code == 401
        assert "@" not in response.content.decode()
        return
    expected = {"manager_a": [of_a.pk], "admin_a": [of_a.pk], "manager_b": [of_b.pk]}.get(who, [])
    assert ids(response) == expected
    if not expected:
        assert "@" not in response.content.decode()


@pytest.mark.parametrize("who", USERS)
@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_the_delivery_log_is_read_only(cast, who, method):
    delivery = DeliveryFactory.create(subscription=a_subscription(cast))
    client = as_who(cast, who)

    on_list = getattr(client, method)(DELIVERIES, {}, format="json")
    on_row = getattr(client, method)(f"{DELIVERIES}{delivery.pk}/", {}, format="json")

    # Anonymous writers are turned away before anything else; the rest are told it cannot be done.
    assert on_list.status_code == (401 if who == "anonymous" else 405)
    assert on_row.status_code == 404
    assert Delivery.objects.get(pk=delivery.pk).status == DeliveryStatus.SENT


# The delivery log ----------------------------------------------------------------------------


def test_each_delivery_says_what_was_sent_to_whom_and_how_it_went(cast):
    subscription = a_subscription(cast, name="Sahel desk")
    digest = DeliveryFactory.create(subscription=subscription, email="reader@sahel.example", run__period="2026-11-23")
    alert = incident_alert(title="Roadblock near Sévaré")
    failed = DeliveryFactory.create(
        subscription=subscription,
        email="desk@sahel.example",
        run=None,
        alert=alert,
        subject="Vigil alert: roadblock near Sévaré",
        status=DeliveryStatus.FAILED,
        attempts=1,
        last_error="550 5.1.1 <desk@sahel.example>: mailbox unavailable",
    )
    change = advisory_alert(country__code="ML", region=Region.objects.get(code="ML-7"))
    pending = DeliveryFactory.create(
        subscription=subscription,
        email="ops@sahel.example",
        run=None,
        alert=change,
        subject="",
        status=DeliveryStatus.PENDING,
        attempts=2,
        last_error="451 4.3.0 try again later",
        next_attempt_at=dt.datetime(2026, 11, 23, 7, 5, tzinfo=dt.UTC),
    )

    rows = {row["id"]: row for row in client_of(cast.manager_a).get(DELIVERIES).json()["results"]}

    brief = {
        "id": subscription.pk,
        "name": "Sahel desk",
        "organisation": {"slug": "sahel-relief", "name": "Sahel Relief"},
    }
    digest.refresh_from_db()
    assert rows[digest.pk] == {
        "id": digest.pk,
        "subscription": brief,
        "email": "reader@sahel.example",
        "digest": {"frequency": "daily", "period": "2026-11-23"},
        "incident": None,
        "advisory": None,
        "subject": "Vigil daily digest 2026-11-23: Mali",
        "subject_hidden": False,
        "status": "sent",
        "attempts": 1,
        "last_error": "",
        "next_attempt_at": None,
        "sent_at": iso(digest.sent_at),
        "created_at": iso(digest.created_at),
    }
    assert (rows[failed.pk]["digest"], rows[failed.pk]["incident"], rows[failed.pk]["advisory"]) == (
        None,
        alert.incident_id,
        None,
    )
    assert rows[failed.pk]["subject"] == "Vigil alert: roadblock near Sévaré"
    assert rows[failed.pk]["last_error"] == "550 5.1.1 <desk@sahel.example>: mailbox unavailable"
    assert rows[pending.pk]["advisory"] == {
        "id": change.advisory_id,
        "country": {"code": "ML", "name": "Mali"},
        "region": {"code": "ML-7", "name": "Gao"},
    }
    assert (rows[pending.pk]["status"], rows[pending.pk]["attempts"], rows[pending.pk]["subject"]) == ("pending", 2, "")
    assert rows[pending.pk]["next_attempt_at"] == "2026-11-23T07:05:00Z"


def test_the_subject_of_an_incident_the_manager_may_not_see_is_null(cast):
    """A member of two organisations receives, under A's subscription, what they may see as a
    user, which includes a third organisation's strictly internal incidents: A's manager must
    not read their titles."""
    other = OrganisationFactory.create(name="Third Organisation")
    both = MembershipFactory.create(organisation=cast.org_a, role=Role.READER).user
    MembershipFactory.create(user=both, organisation=other, role=Role.READER)
    secret = incident_alert(
        title="Evacuation plan of the Mopti office",
        organisation=other,
        sharing_level=SharingLevel.AMBER_STRICT,
        status="submitted",
    )
    public = incident_alert(title="Armed robbery on the Ségou road")
    subscription = a_subscription(cast)
    hidden = DeliveryFactory.create(
        subscription=subscription,
        email=both.email,
        run=None,
        alert=secret,
        subject="Vigil alert: Evacuation plan of the Mopti office",
    )
    shown = DeliveryFactory.create(
        subscription=subscription,
        email=both.email,
        run=None,
        alert=public,
        subject="Vigil alert: Armed robbery on the Ségou road",
    )

    response = client_of(cast.manager_a).get(DELIVERIES)

    rows = {row["id"]: row for row in response.json()["results"]}
    assert (rows[hidden.pk]["subject"], rows[hidden.pk]["subject_hidden"]) == (None, True)
    assert (rows[shown.pk]["subject"], rows[shown.pk]["subject_hidden"]) == (
        "Vigil alert: Armed robbery on the Ségou road",
        False,
    )
    assert "Evacuation plan" not in response.content.decode()


def test_the_delivery_log_costs_the_same_number_of_queries_for_one_row_or_many(cast, django_assert_num_queries):
    subscription = a_subscription(cast)
    client = client_of(cast.manager_a)
    DeliveryFactory.create(subscription=subscription)
    # Token and user, the managed organisations, the manager's sharing rights (memberships,
    # partners), the page.
    with django_assert_num_queries(5):
        assert len(client.get(DELIVERIES).json()["results"]) == 1

    for n in range(6):
        DeliveryFactory.create(subscription=subscription)
        DeliveryFactory.create(subscription=subscription, run=None, alert=incident_alert(title=f"Incident {n}"))
        DeliveryFactory.create(
            subscription=a_subscription(cast, name=f"Desk {n}"),
            run=None,
            alert=advisory_alert(country__code="ML", region=Region.objects.get(code="ML-7")),
            status=DeliveryStatus.FAILED,
            last_error="550",
        )
    with django_assert_num_queries(5):
        assert len(client.get(DELIVERIES).json()["results"]) == 19


def test_the_delivery_log_is_paginated_newest_first(cast):
    subscription = a_subscription(cast)
    created = [delivery.pk for delivery in DeliveryFactory.create_batch(5, subscription=subscription)]
    client = client_of(cast.manager_a)

    first = client.get(DELIVERIES, {"page_size": 3}).json()
    second = client.get(first["next"]).json()

    assert [row["id"] for row in first["results"] + second["results"]] == sorted(created, reverse=True)
    assert second["next"] is None


# Filters: one test each, and a 400 naming the parameter for a value that does not parse ------


def test_subscriptions_are_filtered_by_frequency(cast):
    daily = a_subscription(cast, frequency=Frequency.DAILY)
    immediate = a_subscription(cast, frequency=Frequency.IMMEDIATE)
    client = client_of(cast.manager_a)

    assert ids(client.get(SUBSCRIPTIONS, {"frequency": "immediate"})) == [immediate.pk]
    assert ids(client.get(SUBSCRIPTIONS, {"frequency": "daily"})) == [daily.pk]
    assert ids(client.get(SUBSCRIPTIONS, {"frequency": "weekly"})) == []


def test_subscriptions_are_filtered_by_the_country_they_follow(cast):
    mali = a_subscription(cast)
    niger = a_subscription(cast, countries=[Country.objects.get(code="NE")])
    both = a_subscription(cast, countries=list(Country.objects.filter(code__in=["ML", "NE"])))
    client = client_of(cast.manager_a)

    assert ids(client.get(SUBSCRIPTIONS, {"country": "ne"})) == [both.pk, niger.pk]
    assert ids(client.get(SUBSCRIPTIONS, {"country": "ML"})) == [both.pk, mali.pk]


def test_subscriptions_are_filtered_by_the_region_they_follow(cast):
    a_subscription(cast)
    gao = a_subscription(cast, countries=[], regions=[Region.objects.get(code="ML-7")])

    assert ids(client_of(cast.manager_a).get(SUBSCRIPTIONS, {"region": "ml-7"})) == [gao.pk]


def test_subscriptions_are_filtered_by_category(cast):
    a_subscription(cast)
    kidnapping = a_subscription(cast, categories=list(ThreatCategory.objects.filter(slug__in=["kidnapping", "crime"])))
    a_subscription(cast, categories=[ThreatCategory.objects.get(slug="crime")])

    assert ids(client_of(cast.manager_a).get(SUBSCRIPTIONS, {"category": "kidnapping"})) == [kidnapping.pk]


def test_subscriptions_are_filtered_by_whether_they_are_active(cast):
    active = a_subscription(cast)
    ended = a_subscription(cast)
    client = client_of(cast.manager_a)
    client.delete(detail(ended))

    assert ids(client.get(SUBSCRIPTIONS, {"active": "true"})) == [active.pk]
    assert ids(client.get(SUBSCRIPTIONS, {"active": "false"})) == [ended.pk]
    assert ids(client.get(SUBSCRIPTIONS, {"active": "1"})) == [active.pk]
    assert ids(client.get(SUBSCRIPTIONS)) == [ended.pk, active.pk]


def test_filters_never_widen_what_a_user_manages(cast):
    a_subscription(cast, organisation=cast.org_b, frequency=Frequency.IMMEDIATE)

    for query in ({"frequency": "immediate"}, {"country": "ML"}, {"active": "true"}, {"active": "false"}):
        assert ids(client_of(cast.manager_a).get(SUBSCRIPTIONS, query)) == []
        assert ids(client_of(cast.officer_a).get(SUBSCRIPTIONS, query)) == []


SUBSCRIPTION_FILTER_REFUSALS = {
    "frequency": ("hourly", "There is no frequency “hourly”; use immediate, daily or weekly."),
    "country": ("zz", "There is no country with the code ZZ."),
    "region": ("ml-99", "There is no region with the code ML-99."),
    "category": ("aliens", "There is no threat category aliens."),
    "active": ("maybe", "Write true or false, not “maybe”."),
}


@pytest.mark.parametrize(
    "name, value, message",
    [(name, value, message) for name, (value, message) in SUBSCRIPTION_FILTER_REFUSALS.items()],
    ids=SUBSCRIPTION_FILTER_REFUSALS.keys(),
)
def test_a_subscription_filter_that_does_not_parse_is_a_400_naming_it(cast, name, value, message):
    a_subscription(cast)

    response = client_of(cast.manager_a).get(SUBSCRIPTIONS, {name: value})

    assert errors(response) == {name: [message]}


def test_deliveries_are_filtered_by_status(cast):
    subscription = a_subscription(cast)
    sent = DeliveryFactory.create(subscription=subscription)
    failed = DeliveryFactory.create(subscription=subscription, status=DeliveryStatus.FAILED, last_error="550")
    client = client_of(cast.manager_a)

    assert ids(client.get(DELIVERIES, {"status": "failed"})) == [failed.pk]
    assert ids(client.get(DELIVERIES, {"status": "sent"})) == [sent.pk]
    assert ids(client.get(DELIVERIES, {"status": "cancelled"})) == []


def test_deliveries_are_filtered_by_subscription(cast):
    desk = a_subscription(cast, name="Desk")
    director = a_subscription(cast, name="Director")
    of_desk = DeliveryFactory.create(subscription=desk)
    DeliveryFactory.create(subscription=director)

    assert ids(client_of(cast.manager_a).get(DELIVERIES, {"subscription": desk.pk})) == [of_desk.pk]


def test_a_subscription_the_user_does_not_manage_cannot_be_named_in_the_filter(cast):
    of_b = a_subscription(cast, organisation=cast.org_b)
    DeliveryFactory.create(subscription=of_b, email="desk@niger-valley.example")
    message = "among those you manage; see /api/v1/subscriptions/."

    for user in (cast.manager_a, cast.officer_a):
        response = client_of(user).get(DELIVERIES, {"subscription": of_b.pk})
        assert errors(response) == {"subscription": [f"There is no subscription with the id {of_b.pk} {message}"]}
        assert "niger-valley" not in response.content.decode()
    # The same answer as for a subscription that does not exist at all.
    missing = client_of(cast.manager_a).get(DELIVERIES, {"subscription": of_b.pk + 1000})
    assert errors(missing) == {"subscription": [f"There is no subscription with the id {of_b.pk + 1000} {message}"]}


def test_deliveries_are_filtered_by_since_and_before(cast):
    subscription = a_subscription(cast)

    def written_at(moment: dt.datetime) -> Delivery:
        delivery = DeliveryFactory.create(subscription=subscription)
        Delivery.objects.filter(pk=delivery.pk).update(created_at=moment)
        return delivery

    early = written_at(dt.datetime(2026, 11, 20, 6, 59, tzinfo=dt.UTC))
    on_time = written_at(dt.datetime(2026, 11, 20, 7, 0, tzinfo=dt.UTC))
    late = written_at(dt.datetime(2026, 11, 21, 7, 0, tzinfo=dt.UTC))
    client = client_of(cast.manager_a)

    assert ids(client.get(DELIVERIES, {"since": "2026-11-20T07:00:00Z"})) == [late.pk, on_time.pk]
    # `before` is exclusive, so that one period's `before` is the next one's `since`.
    assert ids(client.get(DELIVERIES, {"before": "2026-11-21T07:00:00Z"})) == [on_time.pk, early.pk]
    assert ids(client.get(DELIVERIES, {"since": "2026-11-20T08:00:00+01:00", "before": "2026-11-21T00:00Z"})) == [
        on_time.pk
    ]


DELIVERY_FILTER_REFUSALS = {
    "status": ({"status": "lost"}, "There is no status “lost”; use pending, sent, failed or cancelled."),
    "subscription": ({"subscription": "desk"}, None),
    "since": (
        {"since": "yesterday"},
        "Write an ISO 8601 date and time, e.g. 2026-11-23T07:00:00Z (URL-encode the + of an offset such as +01:00).",
    ),
    "before": (
        {"before": "2026-13-01T00:00:00Z"},
        "Write an ISO 8601 date and time, e.g. 2026-11-23T07:00:00Z (URL-encode the + of an offset such as +01:00).",
    ),
}


@pytest.mark.parametrize("query, message", DELIVERY_FILTER_REFUSALS.values(), ids=DELIVERY_FILTER_REFUSALS.keys())
def test_a_delivery_filter_that_does_not_parse_is_a_400_naming_it(cast, query, message):
    DeliveryFactory.create(subscription=a_subscription(cast), email="desk@sahel.example")

    response = client_of(cast.manager_a).get(DELIVERIES, query)

    (name,) = query
    found = errors(response)
    assert list(found) == [name]
    if message is not None:
        assert found[name] == [message]
    assert "desk@sahel.example" not in response.content.decode()


def test_a_since_later_than_before_is_a_400_that_says_so(cast):
    response = client_of(cast.manager_a).get(
        DELIVERIES, {"since": "2026-11-21T00:00:00Z", "before": "2026-11-20T00:00:00Z"}
    )

    assert errors(response) == {
        "before": [
            "before (2026-11-20T00:00:00+00:00) is earlier than since (2026-11-21T00:00:00+00:00); "
            "swap them or change one."
        ]
    }
