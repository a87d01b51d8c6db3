"""A digest read by many is built and encoded once; each recipient's bytes are that encoding with
their own address, Message-ID and unsubscribe link put in, and they are byte for byte what
Django builds for that recipient alone (but for the Date and the random MIME boundary).

The reference is `delivery_message`, which renders one delivery on its own and lets Django
build and encode its MIME message as it always does.
"""

import datetime as dt
import email
import re
from email.message import Message
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.core.mail import EmailMultiAlternatives

from alerts import sending
from alerts.dispatch import digest_run_start
from alerts.emails import DeliveryMessages, delivery_message
from alerts.models import Delivery, DeliveryStatus, Frequency
from alerts.prepared import Prepared, PreparedEmail, PreparedMessage
from incidents.models import Role
from tests.alerts.makers import subscribe
from tests.alerts.smtp_sink import SmtpSink
from tests.factories import IncidentFactory, MembershipFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

RUN_AT = dt.datetime(2026, 11, 23, 7, 0, tzinfo=dt.UTC)
DURING = dt.datetime(2026, 11, 22, 15, 0, tzinfo=dt.UTC)
BEFORE = dt.datetime(2026, 11, 21, 15, 0, tzinfo=dt.UTC)

# Addresses Django writes as they are, one whose To header Django folds, one the HTML part escapes.
PLAIN = [
    "traveler@example.net",
    "o'hara+mali&niger@example.net",
    "a.traveler.with.a.very.long.address.that.does.not.fit.on.one.header.line@example.net",
]
# Addresses Django encodes (RFC 2047, punycode): built as usual.
ENCODED = ["zoë@example.net", "reader@exämple.net"]


def _normalised(raw: bytes) -> bytes:
    """The message without its Date line, its MIME boundary written BOUNDARY."""
    boundary = email.message_from_bytes(raw).get_boundary()
    assert boundary
    return re.sub(rb"^Date: [^\r\n]*\r?\n", b"", raw.replace(boundary.encode(), b"BOUNDARY"), flags=re.MULTILINE)


def _read(raw: bytes) -> tuple[list[tuple[str, str]], list[tuple[str, str, object]]]:
    """The headers but the Date and the Content-Type (which holds the boundary), and each part's
    type, encoding and decoded body."""
    parsed = email.message_from_bytes(raw)
    headers = [(name, str(value)) for name, value in parsed.items() if name not in ("Date", "Content-Type")]
    parts: list[Message] = [part for part in parsed.walk() if not part.is_multipart()]
    return headers, [
        (p.get_content_type(), str(p["Content-Transfer-Encoding"]), p.get_payload(decode=True)) for p in parts
    ]


@pytest.fixture
def deliveries(cast, django_capture_on_commit_callbacks) -> list[Delivery]:
    """A daily digest's deliveries: travelers in English and French with every kind of address,
    and the members of an organisation, planned and left pending."""
    with time_machine.travel(DURING, tick=False):
        for number in range(3):
            IncidentFactory.create(title=f"Incident {number} in Mali, with accents: Sévaré, Ségou")
    daily: dict[str, Any] = {"frequency": Frequency.DAILY, "confirmed_at": BEFORE}
    for address in (*PLAIN, *ENCODED):
        for language in ("en", "fr"):
            local, domain = address.split("@")
            subscribe(email=f"{local}@{language}.{domain}", language=language, **daily)
    organisation = OrganisationFactory.create(name="Sahel Relief & Partners")
    MembershipFactory.create(organisation=organisation, role=Role.READER, user=UserFactory.create(username="member"))
    subscribe(organisation=organisation, addresses=["desk@sahel-relief.example"], **daily)
    with time_machine.travel(RUN_AT, tick=False), django_capture_on_commit_callbacks(execute=False):
        digest_run_start(frequency="daily", time_zone="Africa/Bamako", now=RUN_AT)
    planned = list(
        Delivery.objects.filter(run__isnull=False)
        .select_related("subscription__organisation", "user", "run", "alert")
        .order_by("pk")
    )
    assert len(planned) == 2 * len(PLAIN + ENCODED) + 2
    return planned


def _ascii(address: str) -> bool:
    return address.isascii()


def test_each_recipient_s_prepared_digest_is_the_message_django_builds_for_them_alone(deliveries):
    with time_machine.travel(RUN_AT, tick=False):
        together = DeliveryMessages(deliveries)
        for delivery in deliveries:
            shared = together.message(delivery)
            built = shared.message()
            alone = delivery_message(delivery).message()
            for linesep in ("\r\n", "\n"):
                raw = built.as_bytes(linesep=linesep)
                assert _normalised(raw) == _normalised(alone.as_bytes(linesep=linesep)), delivery.email
            assert _read(raw) == _read(alone.as_bytes()), delivery.email
            # Only what Django writes as it is gets put in; an encoded address is built as usual.
            assert isinstance(built, PreparedMessage) is _ascii(delivery.email), delivery.email


def test_a_prepared_message_says_everything_else_as_the_message_django_builds(deliveries):
    with time_machine.travel(RUN_AT, tick=False):
        message = DeliveryMessages(deliveries).message(deliveries[0]).message()
        assert isinstance(message, PreparedMessage)
        raw = message.as_bytes()

        # Anything but its bytes is asked of the message Django builds, with the same Date.
        assert message["Message-ID"] == deliveries[0].message_id
        assert message["To"] == deliveries[0].email
        assert "List-Unsubscribe" in message
        assert f"Date: {message['Date']}".encode() in raw
        assert message.get_charset() is None
        assert _read(message.as_string().encode()) == _read(raw)


def _mail(body: str, html: str, to: str) -> EmailMultiAlternatives:
    mail = EmailMultiAlternatives("A subject", body, "alerts@vigil.example", [to], headers={"Message-ID": "<a@b>"})
    mail.attach_alternative(html, "text/html")
    return mail


STAND_INS = ("standinrecipient", "standinhtml")


def _prepared_for(body: str, html: str, recipient: str) -> tuple[PreparedEmail, EmailMultiAlternatives]:
    prepared = Prepared(_mail(body, html, STAND_INS[0]), STAND_INS)
    own = {STAND_INS[0]: recipient, STAND_INS[1]: recipient.replace("&", "&amp;")}
    mail = PreparedEmail(
        prepared,
        own,
        subject="A subject",
        body=body.replace(STAND_INS[0], recipient),
        from_email="alerts@vigil.example",
        to=[recipient],
        headers={"Message-ID": "<a@b>"},
    )
    mail.attach_alternative(html.replace(STAND_INS[1], own[STAND_INS[1]]), "text/html")
    return mail, _mail(str(mail.body), str(mail.alternatives[0][0]), recipient)


def test_a_line_a_recipient_s_address_would_push_past_998_bytes_is_encoded_as_django_encodes_it():
    body = "x" * 950 + " standinrecipient\nUnsubscribe.\n"
    short, _reference = _prepared_for(body, "<p>standinhtml</p>", "a@example.net")
    long, reference = _prepared_for(body, "<p>standinhtml</p>", "a" * 60 + "@example.net")

    assert isinstance(short.message(), PreparedMessage)
    assert not isinstance(long.message(), PreparedMessage)
    assert _normalised(long.message().as_bytes()) == _normalised(reference.message().as_bytes())
    assert b"quoted-printable" in long.message().as_bytes()


def test_when_django_encodes_a_part_of_the_shared_message_no_recipient_s_message_is_prepared():
    body = "y" * 1200 + "\nYou receive this at standinrecipient.\n"
    mail, reference = _prepared_for(body, "<p>standinhtml</p>", "a@example.net")

    assert not isinstance(mail.message(), PreparedMessage)
    assert _normalised(mail.message().as_bytes()) == _normalised(reference.message().as_bytes())


def test_a_value_that_would_bring_the_mime_boundary_into_the_text_is_built_as_usual():
    mail, _reference = _prepared_for("At standinrecipient.\n", "<p>standinhtml</p>", "a@example.net")
    boundary = mail.prepared._message.get_boundary()
    mail.values = {STAND_INS[0]: f"{boundary}@example.net", STAND_INS[1]: "a@example.net"}
    message = mail.message()

    assert isinstance(message, PreparedMessage)
    raw = message.as_bytes()
    assert email.message_from_bytes(raw).get_boundary() != boundary
    assert len(email.message_from_bytes(raw).get_payload()) == 2


def test_the_smtp_server_and_the_mail_files_receive_the_message_django_builds(deliveries, settings, tmp_path: Path):
    ascii_ones = [d for d in deliveries if _ascii(d.email)]
    with time_machine.travel(RUN_AT, tick=False):
        expected = {
            d.message_id: _normalised(delivery_message(d).message().as_bytes(linesep="\r\n")) for d in ascii_ones
        }
        with SmtpSink() as sink:
            settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
            settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", sink.port
            report = sending.deliveries_send([d.pk for d in ascii_ones])
            received = sink.wait_for_messages(len(ascii_ones))

    assert sorted(report.sent) == sorted(d.pk for d in ascii_ones)
    assert {m.message_id: _normalised(m.raw) for m in received} == expected
    assert Delivery.objects.filter(pk__in=report.sent, status=DeliveryStatus.SENT).count() == len(ascii_ones)

    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = str(tmp_path)
    with time_machine.travel(RUN_AT, tick=False):
        DeliveryMessages(ascii_ones).message(ascii_ones[0]).send()
    (written,) = tmp_path.iterdir()
    raw = written.read_bytes().rsplit(b"\n" + b"-" * 79, 1)[0]
    assert _normalised(raw.replace(b"\n", b"\r\n")) == expected[ascii_ones[0].message_id]
