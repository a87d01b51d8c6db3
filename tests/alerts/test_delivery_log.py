"""The delivery log: a security manager reads what was sent under their organisation's
subscriptions, to whom, and what failed and why; never another organisation's."""

import datetime as dt

import pytest
from django.urls import reverse

from alerts.models import Delivery, DeliveryStatus
from tests.alerts.factories import (
    DeliveryFactory,
    SubscriptionFactory,
    a_day_of_deliveries,
    advisory_alert,
    alerts_to_a_member_of_two,
    incident_alert,
)
from tests.alerts.pages import signed_in

pytestmark = pytest.mark.django_db

LOG = reverse("alerts:deliveries")


def created_on(delivery: Delivery, moment: dt.datetime) -> Delivery:
    Delivery.objects.filter(pk=delivery.pk).update(created_at=moment)
    return delivery


def test_a_manager_sees_only_the_deliveries_of_their_own_organisation(cast):
    ours = SubscriptionFactory.create(organisation=cast.org_a, name="Sahel desk")
    theirs = SubscriptionFactory.create(organisation=cast.org_b, name="Niger desk")
    DeliveryFactory.create(subscription=ours, email="desk@sahel.example")
    DeliveryFactory.create(subscription=theirs, email="desk@niger-valley.example")

    content_a = signed_in(cast.manager_a).get(LOG).content.decode()
    content_b = signed_in(cast.manager_b).get(LOG).content.decode()

    assert "desk@sahel.example" in content_a
    assert "desk@niger-valley.example" not in content_a
    assert "desk@niger-valley.example" in content_b
    assert "desk@sahel.example" not in content_b


def test_traveler_deliveries_appear_in_no_organisation_s_log(cast):
    traveler = SubscriptionFactory.create(organisation=None, email="traveler@example.net")
    DeliveryFactory.create(subscription=traveler, email="traveler@example.net")

    assert "traveler@example.net" not in signed_in(cast.manager_a).get(LOG).content.decode()


def test_each_row_says_what_was_sent_to_whom_when_and_how_it_went(cast):
    subscription = SubscriptionFactory.create(organisation=cast.org_a, name="Sahel desk")
    _digest, failed, _pending = a_day_of_deliveries(subscription, subject="Vigil advisory change: Mali")
    assert failed.alert is not None
    sent_at = dt.datetime(2026, 11, 23, 7, 1, tzinfo=dt.UTC)
    Delivery.objects.filter(email="reader@sahel.example").update(sent_at=sent_at)

    response = signed_in(cast.manager_a).get(LOG)

    content = response.content.decode()
    assert response.status_code == 200
    shown = [
        "3 e-mails",
        "Daily digest 2026-11-23",
        "23 Nov 2026, 07:01",  # the organisation's time zone is Africa/Bamako, UTC+0
        reverse("incidents:detail", kwargs={"pk": failed.alert.incident_id}),
        "Vigil alert: roadblock near Sévaré",
        "550 5.1.1 &lt;desk@sahel.example&gt;: mailbox unavailable",
        "Advisory change: Mali",
        "451 4.3.0 try again later",
        "Failed",
        "Pending",
    ]
    assert [text for text in shown if text not in content] == []


def test_times_are_shown_in_the_organisation_s_time_zone(cast):
    subscription = SubscriptionFactory.create(organisation=cast.org_b)  # Europe/Paris
    delivery = DeliveryFactory.create(subscription=subscription)
    Delivery.objects.filter(pk=delivery.pk).update(sent_at=dt.datetime(2026, 7, 1, 5, 0, tzinfo=dt.UTC))

    content = signed_in(cast.manager_b).get(LOG).content.decode()

    assert "1 Jul 2026, 07:00" in content
    assert "Dates and times are in Europe/Paris." in content


def test_it_filters_by_status(cast):
    subscription = SubscriptionFactory.create(organisation=cast.org_a)
    DeliveryFactory.create(subscription=subscription, email="sent@sahel.example")
    DeliveryFactory.create(
        subscription=subscription, email="failed@sahel.example", status=DeliveryStatus.FAILED, last_error="550"
    )

    content = signed_in(cast.manager_a).get(LOG, {"status": "failed"}).content.decode()

    assert "failed@sahel.example" in content
    assert "sent@sahel.example" not in content


def test_it_filters_by_date_in_the_organisation_s_days(cast):
    subscription = SubscriptionFactory.create(organisation=cast.org_b)  # Europe/Paris, UTC+1 in November
    for email, moment in (
        ("before@nv.example", dt.datetime(2026, 11, 19, 22, 59, tzinfo=dt.UTC)),
        ("first@nv.example", dt.datetime(2026, 11, 19, 23, 0, tzinfo=dt.UTC)),
        ("last@nv.example", dt.datetime(2026, 11, 21, 22, 59, tzinfo=dt.UTC)),
        ("after@nv.example", dt.datetime(2026, 11, 21, 23, 0, tzinfo=dt.UTC)),
    ):
        created_on(DeliveryFactory.create(subscription=subscription, email=email), moment)

    content = signed_in(cast.manager_b).get(LOG, {"date_from": "2026-11-20", "date_to": "2026-11-21"}).content.decode()

    assert "first@nv.example" in content
    assert "last@nv.example" in content
    assert "before@nv.example" not in content
    assert "after@nv.example" not in content


def test_filters_that_do_not_make_sense_are_a_400_with_a_message(cast):
    DeliveryFactory.create(subscription=SubscriptionFactory.create(organisation=cast.org_a), email="x@sahel.example")

    backwards = signed_in(cast.manager_a).get(LOG, {"date_from": "2026-11-21", "date_to": "2026-11-20"})
    bad_status = signed_in(cast.manager_a).get(LOG, {"status": "lost"})

    assert backwards.status_code == 400
    assert "The end date is before the start date" in backwards.content.decode()
    assert "x@sahel.example" not in backwards.content.decode()
    assert bad_status.status_code == 400
    assert "Select a valid choice." in bad_status.content.decode()


def test_the_log_is_paginated(cast):
    subscription = SubscriptionFactory.create(organisation=cast.org_a)
    DeliveryFactory.create_batch(55, subscription=subscription)

    first = signed_in(cast.manager_a).get(LOG).content.decode()
    second = signed_in(cast.manager_a).get(LOG, {"page": "2", "status": "sent"}).content.decode()

    assert "55 e-mails" in first
    assert "Page 1 of 2" in first
    assert first.count("@example.org</th>") == 50
    assert second.count("@example.org</th>") == 5
    assert "?page=1&amp;status=sent" in second


def test_the_log_reads_a_constant_number_of_queries(cast, django_assert_num_queries):
    subscription = SubscriptionFactory.create(organisation=cast.org_a)
    DeliveryFactory.create(subscription=subscription)
    client = signed_in(cast.manager_a)
    client.get(LOG)
    # The session, the user, the managed organisations, the navigation's memberships, the
    # manager's sharing rights (memberships, partners), the count and the page.
    with django_assert_num_queries(8) as few:
        client.get(LOG)

    for n in range(10):
        DeliveryFactory.create(subscription=subscription)
        DeliveryFactory.create(subscription=subscription, run=None, alert=incident_alert(title=f"Incident {n}"))
        DeliveryFactory.create(
            subscription=SubscriptionFactory.create(organisation=cast.org_a),
            run=None,
            alert=advisory_alert(country__code="ML"),
            status=DeliveryStatus.FAILED,
            last_error="550",
        )
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(LOG)
    assert "31 e-mails" in response.content.decode()


def test_the_subject_of_an_incident_the_manager_may_not_see_is_hidden(cast):
    """A member of two organisations receives, under A's subscription, what they may see as a
    user, which includes B's strictly internal incidents: A's manager must not read their titles."""
    alerts_to_a_member_of_two(cast, SubscriptionFactory.create(organisation=cast.org_a))

    content = signed_in(cast.manager_a).get(LOG).content.decode()

    assert "Evacuation plan" not in content
    assert "An incident your account may not see" in content
    assert "Armed robbery on the Ségou road" in content


def test_members_who_are_not_managers_may_not_read_the_log(cast):
    DeliveryFactory.create(subscription=SubscriptionFactory.create(organisation=cast.org_a), email="x@sahel.example")

    for user in (cast.officer_a, cast.reader_a, cast.outsider):
        response = signed_in(user).get(LOG)
        assert response.status_code == 403
        assert "x@sahel.example" not in response.content.decode()


def test_an_alert_about_an_incident_the_manager_may_not_see_links_to_no_incident(cast):
    hidden, shown = alerts_to_a_member_of_two(cast, SubscriptionFactory.create(organisation=cast.org_a))
    assert hidden.alert is not None and shown.alert is not None

    content = signed_in(cast.manager_a).get(LOG).content.decode()

    assert reverse("incidents:detail", kwargs={"pk": shown.alert.incident_id}) in content
    assert reverse("incidents:detail", kwargs={"pk": hidden.alert.incident_id}) not in content
    assert content.count("Incident alert") == 2
