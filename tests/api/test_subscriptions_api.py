"""/api/v1/subscriptions/ through HTTP: what a security manager reads and creates, with the same
rules and messages as the alerts pages; what everyone else is told."""

from __future__ import annotations

import pytest

from advisories.models import Region, ThreatCategory
from alerts.models import Frequency, OptOut, Subscription
from alerts.services import MAX_ADDRESSES
from incidents.models import Role
from tests.alerts.factories import SubscriptionFactory, a_subscription
from tests.api.alerts_api import SUBSCRIPTIONS, a_desk_subscription, as_who, detail, errors, ids, iso, payload
from tests.api.clients import client_of
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db

# Reading subscriptions -----------------------------------------------------------------------


def test_a_subscription_reads_back_with_brief_places_and_categories(cast):
    subscription = a_desk_subscription(cast, min_severity=3)
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
        "language": "en",
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
    assert (subscription.min_severity, subscription.frequency, str(subscription.time_zone)) == (
        3,
        "daily",
        "Africa/Bamako",
    )
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
    assert str(subscription.time_zone) == "Europe/Paris"
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
    "a null character": ({"name": "Sahel\x00desk"}, "name", "Null characters are not allowed."),
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
