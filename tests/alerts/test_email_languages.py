"""Each alert e-mail is written in its recipient's language: the one a member chose for their
account, else the subscription's. And the digest speaks plainly: indicators spelled out, levels
named (in their colour in HTML), the TLP warning only for those who may see TLP:AMBER or RED.

The assertions rest on what exists without Vigil's French catalogue: the Content-Language
header, <html lang>, the analysts' French fields and Django's own French dates.
"""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.utils import translation

from advisories.models import Country
from advisories.services import advisory_set
from alerts.emails import confirmation_message, delivery_message
from alerts.models import Delivery, DigestRun, ImmediateAlert, Subscription
from incidents.casualties import casualty_text
from incidents.models import AccountSettings, IncidentType, Role
from tests.alerts.makers import subscribe
from tests.factories import IncidentFactory, MembershipFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

RUN_AT = dt.datetime(2026, 11, 23, 7, 0, tzinfo=dt.UTC)
SINCE = dt.datetime(2026, 11, 22, 7, 0, tzinfo=dt.UTC)
DURING = dt.datetime(2026, 11, 22, 15, 0, tzinfo=dt.UTC)
BEFORE = dt.datetime(2026, 11, 21, 15, 0, tzinfo=dt.UTC)
TLP_WARNING = "do not forward them further"
SUMMARY = "Extremist groups strike across the north and centre, and Bamako in September 2024."
SUMMARY_FR = "Des groupes extrémistes frappent dans le nord et le centre, et à Bamako en septembre 2024."


@pytest.fixture
def news():
    """In the day before the 23 November 2026 digest: a kidnapping in Mali, and Mali's advisory
    raised from level 3 to 4 with the kidnapping indicator added."""
    mali = Country.objects.get(code="ML")
    with time_machine.travel(BEFORE, tick=False):
        advisory_set(country=mali, level=3, indicators="CT", issued_on=dt.date(2026, 11, 1))
    with time_machine.travel(DURING, tick=False):
        IncidentFactory.create(
            title="Aid worker taken near Gao", incident_type=IncidentType.objects.get(slug="kidnapping")
        )
        advisory_set(country=mali, level=4, indicators="CTK", issued_on=dt.date(2026, 11, 22))


def digest_delivery(subscription: Subscription, email: str, user=None) -> Delivery:
    run, _new = DigestRun.objects.get_or_create(
        frequency="daily", time_zone="Africa/Bamako", period="2026-11-23", defaults={"window_end": RUN_AT}
    )
    return Delivery.objects.create(
        subscription=subscription,
        email=email,
        user=user,
        run=run,
        window_start=SINCE,
        message_id=f"<{email}-{run.pk}@vigil.test>",
    )


def parts(message) -> tuple[str, str]:
    return message.body, message.alternatives[0][0]


def test_a_traveler_who_chose_french_gets_the_digest_in_french(news):
    subscription = subscribe(email="voyageur@example.net", frequency="daily", language="fr")

    message = delivery_message(digest_delivery(subscription, "voyageur@example.net"))

    text, html = parts(message)
    assert message.extra_headers["Content-Language"] == "fr"
    assert '<html lang="fr">' in html
    # Django's own French dates, and the incident type's French name.
    assert "22 nov. 2026 07:00" in text and "23 nov. 2026 07:00" in html
    assert "Enlèvement" in text and "Enlèvement" in html
    assert "17 sept. 2024" in text and "17 sept. 2024" in html


def test_a_traveler_who_chose_english_gets_the_digest_in_english(news):
    subscription = subscribe(email="traveler@example.net", frequency="daily", language="en")

    message = delivery_message(digest_delivery(subscription, "traveler@example.net"))

    text, html = parts(message)
    assert message.extra_headers["Content-Language"] == "en"
    assert '<html lang="en">' in html
    assert "22 Nov 2026, 07:00" in text
    assert "Kidnapping" in text and "Enlèvement" not in text


def test_an_existing_subscription_writes_in_english():
    subscription = subscribe(email="old@example.net")

    assert Subscription.objects.get(pk=subscription.pk).language == "en"


def test_a_member_who_chose_french_gets_french_while_another_member_gets_the_subscription_english(news):
    organisation = OrganisationFactory.create(name="Kora Test Aid")
    french = MembershipFactory.create(organisation=organisation, role=Role.READER, user=UserFactory.create()).user
    english = MembershipFactory.create(organisation=organisation, role=Role.READER, user=UserFactory.create()).user
    AccountSettings.objects.create(user=french, language="fr")
    subscription = subscribe(organisation=organisation, frequency="daily", language="en")

    to_french = delivery_message(digest_delivery(subscription, french.email, user=french))
    to_english = delivery_message(digest_delivery(subscription, english.email, user=english))

    assert to_french.extra_headers["Content-Language"] == "fr"
    assert "nov. 2026" in to_french.body and "Enlèvement" in to_french.body
    assert to_english.extra_headers["Content-Language"] == "en"
    assert "22 Nov 2026" in to_english.body and "Kidnapping" in to_english.body


def test_a_member_without_a_chosen_language_gets_the_subscription_language(news):
    organisation = OrganisationFactory.create()
    member = MembershipFactory.create(organisation=organisation, role=Role.READER, user=UserFactory.create()).user
    subscription = subscribe(organisation=organisation, frequency="daily", language="fr")

    message = delivery_message(digest_delivery(subscription, member.email, user=member))

    assert message.extra_headers["Content-Language"] == "fr"
    assert '<html lang="fr">' in parts(message)[1]


def test_the_language_of_the_message_does_not_leak_into_what_runs_after_it(news):
    subscription = subscribe(email="voyageur@example.net", frequency="daily", language="fr")

    with translation.override("en"):
        delivery_message(digest_delivery(subscription, "voyageur@example.net"))
        assert translation.get_language() == "en"


def test_an_advisory_alert_in_french_gives_the_french_summary_and_level_in_colour():
    mali = Country.objects.get(code="ML")
    with time_machine.travel(BEFORE, tick=False):
        advisory_set(country=mali, level=3, indicators="CT", issued_on=dt.date(2024, 11, 1))
    advisory, _outcome = advisory_set(
        country=mali, level=4, indicators="CTK", summary=SUMMARY, summary_fr=SUMMARY_FR, issued_on=dt.date(2024, 11, 29)
    )
    alert = ImmediateAlert.objects.create(kind=ImmediateAlert.Kind.ADVISORY, advisory=advisory)
    subscription = subscribe(email="voyageur@example.net", language="fr")
    delivery = Delivery.objects.create(
        subscription=subscription, email="voyageur@example.net", alert=alert, message_id="<advisory-fr@vigil.test>"
    )

    message = delivery_message(delivery)

    text, html = parts(message)
    assert message.extra_headers["Content-Language"] == "fr"
    assert SUMMARY_FR in text and SUMMARY_FR in html and SUMMARY not in text
    assert "29 novembre 2024" in text
    assert "background:#a3150f;color:#ffffff;" in html
    assert "CTK" not in text and "CTK" not in html


def test_the_digest_spells_out_the_risk_indicators_and_names_the_level_in_its_colour(news):
    subscription = subscribe(email="traveler@example.net", frequency="daily")

    text, html = parts(delivery_message(digest_delivery(subscription, "traveler@example.net")))

    spelled_out = "C Crime, T Terrorism, K Kidnapping or hostage taking"
    assert spelled_out in text and spelled_out in html
    assert "CTK" not in text and "CTK" not in html
    assert "Mali: Level 4: Do Not Travel (was Level 3: Reconsider Travel)" in text
    assert "background:#a3150f;color:#ffffff;" in html and "Level 4: Do Not Travel</span>" in html


def test_a_travelers_digest_has_no_warning_about_forwarding_amber_and_red(news):
    subscription = subscribe(email="traveler@example.net", frequency="daily")

    text, html = parts(delivery_message(digest_delivery(subscription, "traveler@example.net")))

    assert TLP_WARNING not in text and TLP_WARNING not in html


def test_an_organisations_digest_warns_about_forwarding_amber_and_red(news):
    organisation = OrganisationFactory.create()
    member = MembershipFactory.create(organisation=organisation, role=Role.READER, user=UserFactory.create()).user
    subscription = subscribe(organisation=organisation, frequency="daily", addresses=["desk@kora.example"])

    to_member = delivery_message(digest_delivery(subscription, member.email, user=member))
    to_desk = delivery_message(digest_delivery(subscription, "desk@kora.example"))

    for message in (to_member, to_desk):
        text, html = parts(message)
        assert TLP_WARNING in text and TLP_WARNING in html


def test_the_confirmation_is_written_in_the_subscriptions_language():
    french = subscribe(email="voyageur@example.net", confirmed_at=None, language="fr")
    english = subscribe(email="traveler@example.net", confirmed_at=None, language="en")

    to_french, to_english = confirmation_message(french), confirmation_message(english)

    assert to_french.extra_headers["Content-Language"] == "fr"
    assert '<html lang="fr">' in parts(to_french)[1]
    assert to_english.extra_headers["Content-Language"] == "en"
    assert '<html lang="en">' in parts(to_english)[1]


def test_casualty_counts_are_plural_forms():
    assert casualty_text(killed=1, injured=3, abducted=0) == "1 killed, 3 injured, 0 abducted"
    assert casualty_text(killed=70, injured=None, abducted=None) == "70 killed; injured and abducted not known"
