"""One digest of an organisation's subscription (in English) goes, through a real worker and SMTP
server, to a member who reads French and a member who reads English: each message arrives in
its recipient's own language."""

from __future__ import annotations

from email.message import EmailMessage

import pytest

from alerts.models import Delivery, DeliveryStatus
from alerts.tasks import digest_start
from incidents.models import AccountSettings, IncidentType

pytestmark = pytest.mark.integration

BAMAKO = "Africa/Bamako"
TITLE = "Aid worker taken near Gao"


def _bodies(message: EmailMessage) -> tuple[str, str]:
    text, html = message.get_body(("plain",)), message.get_body(("html",))
    assert text is not None and html is not None
    return text.get_content(), html.get_content()


def test_one_digest_reaches_a_french_and_an_english_member_each_in_their_language(
    celery_worker, smtp_sink, celery_broker, people, subscribe, incident_during, run_at, wait_for
):
    AccountSettings.objects.create(user=people.reader_a, language="fr")
    subscribe(organisation=people.org_a, frequency="daily", time_zone=BAMAKO, language="en")
    incident_during(title=TITLE, incident_type=IncidentType.objects.get(slug="kidnapping"))

    digest_start.delay("daily", BAMAKO, run_at.isoformat())

    smtp_sink.wait_for_messages(2, timeout=40)
    wait_for(
        lambda: not Delivery.objects.filter(status=DeliveryStatus.PENDING).exists(), what="no delivery to be pending"
    )
    celery_broker.wait_until_idle()
    by_recipient = {str(m.message["To"]).lower(): m.message for m in smtp_sink.messages}
    assert sorted(by_recipient) == sorted([people.officer_a.email.lower(), people.reader_a.email.lower()])

    french = by_recipient[people.reader_a.email.lower()]
    text, html = _bodies(french)
    assert french["Content-Language"] == "fr"
    assert '<html lang="fr">' in html
    assert TITLE in text and "Enlèvement" in text and "Enlèvement" in html
    assert "22 nov. 2026 07:00" in text and "17 sept. 2024" in html

    english = by_recipient[people.officer_a.email.lower()]
    text, html = _bodies(english)
    assert english["Content-Language"] == "en"
    assert '<html lang="en">' in html
    assert TITLE in text and "Kidnapping" in text and "Enlèvement" not in text
    assert "22 Nov 2026, 07:00" in text and "17 Sep 2024" in html

    # The delivery log keeps the subject each recipient was sent.
    subjects = dict(Delivery.objects.values_list("email", "subject"))
    assert subjects[people.reader_a.email] == str(french["Subject"])
    assert subjects[people.officer_a.email] == str(english["Subject"])
