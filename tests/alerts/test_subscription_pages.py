"""The subscription pages of an organisation, through HTTP: its list and forms for its security
managers, and what everyone else is told. A traveler's pages: test_subscribe_pages.py."""

from html import unescape

import pytest
from django.urls import reverse

from advisories.models import Country, Region, ThreatCategory
from alerts.models import EndReason, Frequency, Subscription
from alerts.services import subscription_end
from tests.alerts.factories import SubscriptionFactory, a_subscription
from tests.alerts.pages import form_data, signed_in

pytestmark = pytest.mark.django_db

LIST = reverse("alerts:list")
CREATE = reverse("alerts:create")
SUBSCRIBE = reverse("alerts:subscribe")

# Who may see the pages ---------------------------------------------------------------------


@pytest.mark.parametrize("name", ["alerts:list", "alerts:create", "alerts:deliveries"])
def test_an_anonymous_visitor_is_sent_to_sign_in(client, name):
    response = client.get(reverse(name))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login") + "?next=")


def test_an_anonymous_visitor_is_sent_to_sign_in_from_a_subscription_s_pages(cast, client):
    subscription = a_subscription(cast)

    for name in ("alerts:edit", "alerts:end"):
        response = client.get(reverse(name, kwargs={"pk": subscription.pk}))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("who", ["officer_a", "reader_a"])
def test_a_member_who_is_not_a_manager_is_told_who_manages_alerts(cast, who):
    for url in (LIST, CREATE, reverse("alerts:deliveries")):
        response = signed_in(getattr(cast, who)).get(url)

        assert response.status_code == 403
        content = response.content.decode()
        assert "Only security managers manage their organisation&#x27;s alerts" in content
        assert "Ask one of them to add your address to a subscription" in content
        assert f'href="{SUBSCRIBE}"' in content


def test_a_user_of_no_organisation_is_pointed_to_the_personal_subscription(cast):
    response = signed_in(cast.outsider).get(LIST)

    assert response.status_code == 403
    assert "You are not a member of any organisation" in response.content.decode()
    assert f'href="{SUBSCRIBE}"' in response.content.decode()


def test_a_manager_of_another_organisation_gets_a_404_for_its_subscription(cast):
    subscription = a_subscription(cast)

    for name in ("alerts:edit", "alerts:end"):
        url = reverse(name, kwargs={"pk": subscription.pk})
        assert signed_in(cast.manager_b).get(url).status_code == 404
        assert signed_in(cast.manager_b).post(url, form_data()).status_code == 404

    subscription.refresh_from_db()
    assert subscription.ended_at is None
    assert subscription.name == ""


def test_the_navigation_links_managers_to_their_alerts_and_visitors_to_subscribing(cast, client):
    assert f'href="{LIST}"' in signed_in(cast.manager_a).get(reverse("advisories:home")).content.decode()
    assert f'href="{LIST}"' not in signed_in(cast.officer_a).get(reverse("advisories:home")).content.decode()
    assert f'href="{SUBSCRIBE}"' in client.get(reverse("advisories:home")).content.decode()


# The list ------------------------------------------------------------------------------------


def test_a_manager_sees_the_organisation_s_subscriptions_active_and_ended(cast):
    active = a_subscription(cast, name="Sahel desk", addresses=["desk@sahel.example"])
    ended = subscription_end(by=cast.manager_a, subscription=a_subscription(cast, name="Old Gao desk"))
    SubscriptionFactory.create(organisation=cast.org_b, name="Niger Valley's own")

    response = signed_in(cast.manager_a).get(LIST)

    assert response.status_code == 200
    content = response.content.decode()
    assert "Sahel desk" in content
    assert "desk@sahel.example" in content
    assert "Old Gao desk" in content
    assert str(EndReason.ENDED_BY_MANAGER.label).replace("'", "&#x27;") in content
    assert f"{ended.ended_at:%-d %b %Y}" in content
    assert "Niger Valley" not in content
    assert reverse("alerts:edit", kwargs={"pk": active.pk}) in content
    assert reverse("alerts:end", kwargs={"pk": active.pk}) in content
    assert reverse("alerts:edit", kwargs={"pk": ended.pk}) not in content
    assert reverse("alerts:deliveries") in content


def test_a_name_with_markup_is_shown_as_text(cast):
    a_subscription(cast, name="<script>alert('x')</script>")

    content = signed_in(cast.manager_a).get(LIST).content.decode()

    assert "<script>alert(" not in content
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in content


def test_the_list_reads_a_constant_number_of_queries(cast, django_assert_num_queries):
    client = signed_in(cast.manager_a)
    a_subscription(cast)
    client.get(LIST)  # the session and the templates, loaded once
    # The session, the user, the managed organisations, the navigation's memberships, the
    # subscriptions, and their countries, regions and categories.
    with django_assert_num_queries(8) as few:
        client.get(LIST)
    for _ in range(6):
        a_subscription(cast, regions=[Region.objects.get(code="ML-4")], categories=[ThreatCategory.objects.first()])
    with django_assert_num_queries(len(few.captured_queries)):
        client.get(LIST)


# Creating, changing, ending -------------------------------------------------------------------


def test_a_manager_creates_a_subscription_with_the_form(cast):
    client = signed_in(cast.manager_a)
    assert client.get(CREATE).status_code == 200

    response = client.post(CREATE, form_data())

    assert response.status_code == 302
    assert response["Location"] == LIST
    subscription = Subscription.objects.get()
    assert subscription.organisation == cast.org_a
    assert subscription.name == "Sahel desk"
    assert subscription.addresses == ["desk@sahel.example", "ops@sahel.example"]
    assert subscription.min_severity == 3
    assert str(subscription.time_zone) == "Africa/Bamako"
    assert subscription.is_active
    assert "Subscription created." in client.get(LIST).content.decode()


def test_the_form_starts_with_the_organisation_s_time_zone(cast):
    content = signed_in(cast.manager_b).get(CREATE).content.decode()

    assert '<option value="Europe/Paris" selected>Paris</option>' in content


def test_a_time_zone_that_is_not_in_the_list_can_be_written(cast):
    response = signed_in(cast.manager_a).post(CREATE, form_data(time_zone_other="Asia/Ulaanbaatar"))

    assert response.status_code == 302
    assert str(Subscription.objects.get().time_zone) == "Asia/Ulaanbaatar"


def test_the_form_shows_each_problem_next_to_its_field_and_keeps_what_was_typed(cast):
    response = signed_in(cast.manager_a).post(
        CREATE,
        form_data(countries=None, addresses="desk@sahel.example\nnot-an-address", time_zone_other="Mars/Olympus"),
    )

    assert response.status_code == 400
    content = unescape(response.content.decode())
    assert "Please correct the following; nothing has been saved yet." in content
    assert "Mars/Olympus is not a time zone name" in content
    assert not Subscription.objects.exists()
    # The form's own checks pass the time zone on to the service's, which names the rest.
    response = signed_in(cast.manager_a).post(CREATE, form_data(countries=None, addresses="not-an-address"))
    content = unescape(response.content.decode())
    assert "Choose at least one country or region to follow." in content
    assert "“not-an-address” is not an e-mail address." in content
    assert "not-an-address</textarea>" in content
    assert not Subscription.objects.exists()


def test_a_null_character_in_the_name_is_refused_with_a_message(cast):
    response = signed_in(cast.manager_a).post(CREATE, form_data(name="Sahel\x00desk"))

    assert response.status_code == 400
    assert "Null characters are not allowed." in response.content.decode()
    assert not Subscription.objects.exists()


def test_a_subscription_with_nobody_to_send_to_is_refused_with_a_message(cast):
    response = signed_in(cast.manager_a).post(CREATE, form_data(include_members=None, addresses=""))

    assert response.status_code == 400
    assert "Send to the organisation&#x27;s members, or give at least one address" in response.content.decode()


def test_the_regions_offered_are_those_of_the_countries_chosen(cast):
    client = signed_in(cast.manager_a)
    first = client.get(CREATE).content.decode()
    assert "Ségou" not in first

    response = client.post(CREATE, form_data(show_regions="1"))

    content = response.content.decode()
    assert response.status_code == 200
    assert '<p class="choice-group-label">Mali</p>' in content
    assert "Ségou" in content
    assert not Subscription.objects.exists()


def test_a_region_alone_can_be_followed(cast):
    segou = Region.objects.get(code="ML-4")

    response = signed_in(cast.manager_a).post(CREATE, form_data(countries=None, regions=[segou.pk]))

    assert response.status_code == 302
    assert list(Subscription.objects.get().regions.all()) == [segou]


def test_a_manager_changes_a_subscription(cast):
    subscription = a_subscription(cast, name="Sahel desk", time_zone="Asia/Ulaanbaatar")
    url = reverse("alerts:edit", kwargs={"pk": subscription.pk})
    client = signed_in(cast.admin_a)

    page = client.get(url).content.decode()
    assert 'value="Sahel desk"' in page
    assert 'value="Asia/Ulaanbaatar"' in page
    response = client.post(
        url,
        form_data(
            name="Mali and Niger",
            frequency="weekly",
            countries=[
                Country.objects.get(code="ML").pk,
                Country.objects.get(code="NE").pk,
            ],
        ),
    )

    assert response.status_code == 302
    subscription.refresh_from_db()
    assert subscription.name == "Mali and Niger"
    assert subscription.frequency == Frequency.WEEKLY
    assert sorted(subscription.countries.values_list("code", flat=True)) == ["ML", "NE"]


def test_ending_asks_first_then_ends_on_post(cast):
    subscription = a_subscription(cast, name="Sahel desk")
    url = reverse("alerts:end", kwargs={"pk": subscription.pk})
    client = signed_in(cast.manager_a)

    page = client.get(url)
    subscription.refresh_from_db()
    assert page.status_code == 200
    assert "Nothing more will be sent under this subscription" in page.content.decode()
    assert subscription.ended_at is None

    response = client.post(url)

    assert response.status_code == 302
    subscription.refresh_from_db()
    assert subscription.end_reason == EndReason.ENDED_BY_MANAGER
    assert subscription.ended_by == cast.manager_a
    # An ended subscription cannot be changed any more.
    edit = client.get(reverse("alerts:edit", kwargs={"pk": subscription.pk}), follow=True)
    assert "can no longer be changed" in edit.content.decode()


def test_every_post_needs_the_csrf_token(cast):
    subscription = a_subscription(cast)
    client = signed_in(cast.manager_a, enforce_csrf_checks=True)

    assert client.post(CREATE, form_data()).status_code == 403
    assert client.post(reverse("alerts:end", kwargs={"pk": subscription.pk})).status_code == 403
    assert client.post(SUBSCRIBE, {"email": "traveler@example.net"}).status_code == 403
    subscription.refresh_from_db()
    assert subscription.ended_at is None
    assert Subscription.objects.count() == 1
