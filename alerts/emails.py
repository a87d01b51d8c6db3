"""Every e-mail the alerts send, each from three templates rendered by `make_message`:
templates/alerts/email/<name>-subject.txt, <name>-body.txt and <name>-body.html.

A delivery's e-mail (a digest, an incident alert, an advisory change) carries one-click
unsubscribe headers; the confirmation of a traveler's address is `confirmation_message`.

Each message is written in its recipient's language (`delivery_language`): subject, both bodies,
dates and the analysts' content, with a Content-Language header that says which.

What a message shows is decided when it is sent, for the recipient's sharing rights as they
are then: an incident retracted or reclassified since it was planned is left out. Recipients
who would read the same e-mail share one computation and rendering (`DeliveryMessages`).
"""

from __future__ import annotations

import functools
import secrets
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db.models import prefetch_related_objects
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.text import Truncator
from django.utils.translation import gettext

# Lazy: why a delivery is not sent is put into words for the delivery log, not in the recipient's language.
from django.utils.translation import gettext_lazy as _

from advisories.models import Advisory
from config.translation import supported_language
from incidents.access import (
    ANONYMOUS,
    Viewer,
    alike_viewer,
    organisation_viewer,
    red_incident_reporters,
    viewers_for,
)
from incidents.models import SharingLevel
from incidents.selectors import account_languages, incidents_visible_to

from .content import Follows, advisory_change, digest_for, follows_prefetch
from .models import Delivery, Frequency, OptOut, Subscription
from .prepared import Prepared, PreparedEmail
from .tokens import absolute_url, confirmation_url, unsubscribe_url

SUBJECT_MAX = 180
TEMPLATES = "alerts/email"
# Machine-made mail: no out-of-office replies, please.
AUTOMATIC = {"Auto-Submitted": "auto-generated", "X-Auto-Response-Suppress": "All"}


class NothingToSend(Exception):
    """The delivery must not be sent (any more): why, in words for the delivery log."""


def one_line(text: object) -> str:
    """Text that may go into an e-mail header: every run of whitespace, CR and LF included, is one space."""
    return " ".join(str(text).split())


@dataclass(frozen=True)
class _Rendered:
    subject: str
    text: str
    html: str


def _render_templates(name: str, context: Mapping[str, Any]) -> _Rendered:
    """The e-mail `name` from its three templates, in the active language. The subject is rendered,
    put on one line and cut to SUBJECT_MAX characters; the bodies see it as `subject`."""
    subject = Truncator(one_line(render_to_string(f"{TEMPLATES}/{name}-subject.txt", context))).chars(SUBJECT_MAX)
    context = {**context, "subject": subject}
    return _Rendered(
        subject=subject,
        text=render_to_string(f"{TEMPLATES}/{name}-body.txt", context),
        html=render_to_string(f"{TEMPLATES}/{name}-body.html", context),
    )


def _email(
    rendered: _Rendered,
    *,
    to: str,
    language: str,
    headers: Mapping[str, str] | None = None,
    kind: Callable[..., EmailMultiAlternatives] = EmailMultiAlternatives,
) -> EmailMultiAlternatives:
    message = kind(
        subject=rendered.subject,
        body=rendered.text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[one_line(to)],
        headers={**AUTOMATIC, "Content-Language": language, **(headers or {})},
    )
    message.attach_alternative(rendered.html, "text/html")
    return message


def make_message(
    name: str,
    *,
    to: str,
    context: Mapping[str, Any],
    headers: Mapping[str, str] | None = None,
    language: str | None = None,
) -> EmailMultiAlternatives:
    """The e-mail `name`, plain text with an HTML alternative, from its three templates, written in
    `language` (default: the active language) and saying so in its Content-Language header."""
    language = language or translation.get_language() or settings.LANGUAGE_CODE
    with translation.override(language):
        return _email(_render_templates(name, context), to=to, language=language, headers=headers)


def delivery_language(delivery: Delivery, chosen: str | None) -> str:
    """The language a delivery is written in: the one its recipient chose for their account
    (`chosen`), else the subscription's (an organisation's members may each read a different one)."""
    return supported_language(chosen) or supported_language(delivery.subscription.language) or settings.LANGUAGE_CODE


def sees_only_public(viewer: Viewer) -> bool:
    """Whether this viewer is shown published TLP:CLEAR incidents only (a traveler), so that no
    e-mail to them needs to say how TLP:AMBER and TLP:RED may be shared."""
    return not (
        viewer.is_operator
        or viewer.is_analyst
        or viewer.organisation_ids
        or viewer.partner_organisation_ids
        or viewer.officer_organisation_ids
    )


def delivery_message(delivery: Delivery) -> EmailMultiAlternatives:
    """Build the message in the recipient's language, or raise NothingToSend if it should not go out any more."""
    return DeliveryMessages([delivery], shared=False).message(delivery)


# Stand-ins for what differs between the recipients of one rendering: each message gets its own
# in their place (escaped in the HTML part, as the template would have escaped it). The prepared
# message of a rendering (alerts.prepared) has the HTML part's own, and one for the Message-ID.
_RECIPIENT = f"vigil{secrets.token_hex(8)}recipient"
_UNSUBSCRIBE = f"vigil{secrets.token_hex(8)}unsubscribe"
_HTML_RECIPIENT = f"vigil{secrets.token_hex(8)}recipient"
_HTML_UNSUBSCRIBE = f"vigil{secrets.token_hex(8)}unsubscribe"
_MESSAGE_ID = f"<vigil{secrets.token_hex(8)}@message.id>"


class DeliveryMessages:
    """The messages of a batch of deliveries, each distinct content computed and rendered once.

    Recipients who would read the same e-mail but for their address (the same digest of the same
    places for the same sharing rights, in the same language, from the same organisation, or the
    same alert) share one rendering: ten thousand travelers following Mali get one digest
    computed and rendered per language, not ten thousand. What the batch needs to know about its
    recipients (their sharing rights, languages, opt-outs, what they follow) is read once, in a
    constant number of queries, when the first message is asked for: what a message shows is
    decided when its batch is sent, for the rights its recipients have then.

    A shared rendering's MIME message is also built and encoded once (`alerts.prepared`): each
    recipient's bytes are that encoding with their address, Message-ID and unsubscribe link in it.

    `shared=False` renders each message on its own, with its recipient's own rights: the
    reference that the shared renderings are tested against.
    """

    def __init__(self, deliveries: Sequence[Delivery], *, shared: bool = True) -> None:
        self.deliveries = list(deliveries)
        self.shared = shared
        self._loaded = False
        self._renderings: dict[tuple[object, ...], _Rendered | NothingToSend] = {}
        self._prepared: dict[tuple[object, ...], Prepared] = {}

    def _load(self) -> None:
        if self._loaded:
            return
        self._loaded = True
        deliveries = self.deliveries
        users = [d.user for d in deliveries if d.user_id is not None and d.user is not None]
        self._viewers = viewers_for(users)
        self._red_reporters = red_incident_reporters(self._viewers)
        self._languages = account_languages(self._viewers)
        # An organisation's addresses that are no member's own read what a reader of it reads.
        organisations = {
            d.subscription.organisation_id: d.subscription.organisation
            for d in deliveries
            if d.user_id is None and d.subscription.organisation is not None
        }
        self._organisation_viewers = {pk: organisation_viewer(org) for pk, org in organisations.items()}
        self._opted_out = {
            (subscription_id, email.lower())
            for subscription_id, email in OptOut.objects.filter(
                subscription_id__in={d.subscription_id for d in deliveries if d.subscription.organisation_id}
            ).values_list("subscription_id", "email")
        }
        subscriptions = list({d.subscription_id: d.subscription for d in deliveries}.values())
        prefetch_related_objects(subscriptions, *follows_prefetch())
        self._follows = {subscription.pk: Follows.of(subscription) for subscription in subscriptions}

    def message(self, delivery: Delivery) -> EmailMultiAlternatives:
        """The delivery's message in its recipient's language; NothingToSend if it should not go out any more."""
        self._load()
        self._still_wanted(delivery)
        viewer = self._viewer(delivery)
        language = delivery_language(delivery, self._languages.get(delivery.user_id) if delivery.user_id else None)
        subscription = delivery.subscription
        alike = alike_viewer(viewer, red_reporter_ids=self._red_reporters)
        key: tuple[object, ...] = (
            delivery.run_id,
            delivery.window_start,
            delivery.alert_id,
            self._follows[subscription.pk].key,
            alike,
            language,
            subscription.organisation_id,
        )
        if not self.shared:
            key = (*key, delivery.pk)
        rendering = self._renderings.get(key)
        if rendering is None:
            # Computed for this recipient's own rights; `alike` only says who else it is good for.
            with translation.override(language):
                try:
                    rendering = self._render(delivery, viewer)
                except NothingToSend as reason:
                    rendering = reason
            self._renderings[key] = rendering
        if isinstance(rendering, NothingToSend):
            raise rendering
        return self._addressed(rendering, key, delivery, language)

    def _viewer(self, delivery: Delivery) -> Viewer:
        if delivery.user_id is not None:
            return self._viewers.get(delivery.user_id, ANONYMOUS)
        organisation_id = delivery.subscription.organisation_id
        if organisation_id is not None:
            return self._organisation_viewers.get(organisation_id, ANONYMOUS)
        return ANONYMOUS

    def _still_wanted(self, delivery: Delivery) -> None:
        subscription = delivery.subscription
        if not subscription.is_active:
            raise NothingToSend(_("The subscription ended before this was sent."))
        if subscription.organisation is not None:
            if not subscription.organisation.is_active:
                raise NothingToSend(_("The organisation is no longer active."))
            if (subscription.pk, delivery.email.lower()) in self._opted_out:
                raise NothingToSend(_("The recipient unsubscribed before this was sent."))

    def _render(self, delivery: Delivery, viewer: Viewer) -> _Rendered:
        follows = self._follows[delivery.subscription_id]
        if delivery.run_id is not None:
            name, context = "digest", _digest(delivery, viewer, follows)
        elif delivery.alert is not None and delivery.alert.incident_id is not None:
            name, context = "incident", _incident_alert(delivery, viewer, follows)
        elif delivery.alert is not None and delivery.alert.advisory is not None:
            name, context = "advisory", _advisory_alert(delivery.alert.advisory)
        else:
            raise NothingToSend(_("What this alert was about no longer exists."))
        subscription = delivery.subscription
        recipient, unsubscribe = (_RECIPIENT, _UNSUBSCRIBE) if self.shared else _addresses(delivery)
        context |= {
            "subscription": subscription,
            "recipient": recipient,
            "unsubscribe_url": unsubscribe,
            "site_url": absolute_url("/"),
            "base_url": settings.VIGIL_PUBLIC_URL.rstrip("/"),
            "manage_url": absolute_url("/alerts/") if subscription.organisation_id else "",
            "tlp": SharingLevel,
            # A traveler only ever sees TLP:CLEAR: the warning about forwarding AMBER and RED is not for them.
            "tlp_warning": not sees_only_public(viewer),
        }
        return _render_templates(name, context)

    def _addressed(
        self, rendering: _Rendered, key: tuple[object, ...], delivery: Delivery, language: str
    ) -> EmailMultiAlternatives:
        recipient, unsubscribe = _addresses(delivery)
        headers = _delivery_headers(message_id=delivery.message_id, unsubscribe=unsubscribe)
        if not self.shared:
            return _email(rendering, to=delivery.email, language=language, headers=headers)
        own = {
            _RECIPIENT: recipient,
            _UNSUBSCRIBE: unsubscribe,
            _HTML_RECIPIENT: escape(recipient),
            _HTML_UNSUBSCRIBE: escape(unsubscribe),
            _MESSAGE_ID: delivery.message_id,
        }
        text = rendering.text.replace(_RECIPIENT, own[_RECIPIENT]).replace(_UNSUBSCRIBE, own[_UNSUBSCRIBE])
        html = rendering.html.replace(_RECIPIENT, own[_HTML_RECIPIENT]).replace(_UNSUBSCRIBE, own[_HTML_UNSUBSCRIBE])
        prepared = self._prepared.get(key)
        if prepared is None:
            prepared = self._prepared[key] = _prepare(rendering, language)
        return _email(
            _Rendered(rendering.subject, text, html),
            to=delivery.email,
            language=language,
            headers=headers,
            kind=functools.partial(PreparedEmail, prepared, own),
        )


def _prepare(rendering: _Rendered, language: str) -> Prepared:
    """The rendering's message, built and encoded once with a stand-in for each recipient's own."""
    html = rendering.html.replace(_RECIPIENT, _HTML_RECIPIENT).replace(_UNSUBSCRIBE, _HTML_UNSUBSCRIBE)
    email = _email(
        _Rendered(rendering.subject, rendering.text, html),
        to=_RECIPIENT,
        language=language,
        headers=_delivery_headers(message_id=_MESSAGE_ID, unsubscribe=_UNSUBSCRIBE),
    )
    return Prepared(email, (_RECIPIENT, _UNSUBSCRIBE, _HTML_RECIPIENT, _HTML_UNSUBSCRIBE, _MESSAGE_ID))


def _delivery_headers(*, message_id: str, unsubscribe: str) -> dict[str, str]:
    """A delivery's own headers: its Message-ID (the same at every attempt) and one-click unsubscribing."""
    return {
        "Message-ID": message_id,
        "List-Unsubscribe": f"<{unsubscribe}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        "List-Id": f"Vigil alerts <alerts.{_list_domain()}>",
    }


def _addresses(delivery: Delivery) -> tuple[str, str]:
    return delivery.email, unsubscribe_url(subscription_id=delivery.subscription_id, email=delivery.email)


def confirmation_message(subscription: Subscription) -> EmailMultiAlternatives:
    """The e-mail that asks the owner of a traveler's address to confirm it, in the subscription's language."""
    language = supported_language(subscription.language) or settings.LANGUAGE_CODE
    context = {
        "subscription": subscription,
        "confirm_url": confirmation_url(subscription_id=subscription.pk, email=subscription.email),
        "countries": list(subscription.countries.order_by("name")),
        "regions": list(subscription.regions.select_related("country").order_by("country__name", "name")),
        "categories": list(subscription.categories.all()),
        "days": settings.ALERTS_CONFIRMATION_DAYS,
        "site_url": settings.VIGIL_PUBLIC_URL.rstrip("/") + "/",
    }
    return make_message("confirm", to=subscription.email, context=context, language=language)


def _list_domain() -> str:
    return urlsplit(settings.VIGIL_PUBLIC_URL).hostname or "vigil.localhost"


def _digest(delivery: Delivery, viewer: Viewer, follows: Follows) -> dict[str, Any]:
    run = delivery.run
    assert run is not None
    since = delivery.window_start or run.window_end
    digest = digest_for(viewer=viewer, follows=follows, since=since, until=run.window_end)
    if digest.is_empty:
        raise NothingToSend(_("Nothing this recipient may see changed in the period any more."))
    zone = run.time_zone
    return {
        "digest": digest,
        "kind": gettext("Daily digest") if run.frequency == Frequency.DAILY else gettext("Weekly digest"),
        "run": run,
        "since_local": timezone.localtime(digest.since, zone),
        "until_local": timezone.localtime(digest.until, zone),
        "time_zone": run.time_zone,
    }


def _incident_alert(delivery: Delivery, viewer: Viewer, follows: Follows) -> dict[str, Any]:
    assert delivery.alert is not None and delivery.alert.incident_id is not None
    incident = (
        incidents_visible_to(viewer)
        .select_related("reporter", "source_document")
        .filter(pk=delivery.alert.incident_id)
        .first()
    )
    if incident is None:
        raise NothingToSend(_("The recipient may no longer see this incident."))
    if not follows.covers_incident(incident):
        raise NothingToSend(_("The incident no longer matches the subscription."))
    return {"incident": incident, "incident_url": absolute_url(incident.get_absolute_url())}


def _advisory_alert(advisory: Advisory) -> dict[str, Any]:
    change = advisory_change(advisory)
    place_url = advisory.region.get_absolute_url() if advisory.region else advisory.country.get_absolute_url()
    return {"change": change, "advisory": advisory, "place_url": absolute_url(place_url)}
