"""Every e-mail the alerts send, each from three templates rendered by `make_message`:
templates/alerts/email/<name>-subject.txt, <name>-body.txt and <name>-body.html.

A delivery's e-mail (a digest, an incident alert, an advisory change) carries one-click
unsubscribe headers; the confirmation of a traveler's address is `confirmation_message`.

Each message is written in its recipient's language (`delivery_language`): subject, both bodies,
dates and the analysts' content, with a Content-Language header that says which.

What a message shows is decided when it is sent, for the recipient's sharing rights as they
are then: an incident retracted or reclassified since it was planned is left out.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.text import Truncator
from django.utils.translation import gettext

# Lazy: why a delivery is not sent is put into words for the delivery log, not in the recipient's language.
from django.utils.translation import gettext_lazy as _

from advisories.models import Advisory
from config.translation import supported_language
from incidents.access import ANONYMOUS, Viewer, organisation_viewer, viewer_for
from incidents.models import SharingLevel
from incidents.selectors import account_language, incidents_visible_to

from .content import Follows, advisory_change, digest_for
from .models import Delivery, Frequency, Subscription
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


def make_message(
    name: str,
    *,
    to: str,
    context: Mapping[str, Any],
    headers: Mapping[str, str] | None = None,
    language: str | None = None,
) -> EmailMultiAlternatives:
    """The e-mail `name`, plain text with an HTML alternative, from its three templates, written in
    `language` (default: the active language) and saying so in its Content-Language header.

    The subject is rendered, put on one line and cut to SUBJECT_MAX characters; the bodies see
    it as `subject`."""
    language = language or translation.get_language() or settings.LANGUAGE_CODE
    with translation.override(language):
        subject = Truncator(one_line(render_to_string(f"{TEMPLATES}/{name}-subject.txt", context))).chars(SUBJECT_MAX)
        context = {**context, "subject": subject}
        message = EmailMultiAlternatives(
            subject=subject,
            body=render_to_string(f"{TEMPLATES}/{name}-body.txt", context),
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[one_line(to)],
            headers={**AUTOMATIC, "Content-Language": language, **(headers or {})},
        )
        message.attach_alternative(render_to_string(f"{TEMPLATES}/{name}-body.html", context), "text/html")
    return message


def delivery_language(delivery: Delivery) -> str:
    """The language a delivery is written in: the one its recipient chose for their account, else
    the subscription's (an organisation's members may each read a different one)."""
    chosen = account_language(delivery.user_id) if delivery.user_id is not None else None
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


def delivery_viewer(delivery: Delivery) -> Viewer:
    subscription = delivery.subscription
    if delivery.user_id is not None:
        return viewer_for(delivery.user)
    if subscription.organisation is not None:
        return organisation_viewer(subscription.organisation)
    return ANONYMOUS


def _still_wanted(delivery: Delivery) -> None:
    subscription = delivery.subscription
    if not subscription.is_active:
        raise NothingToSend(_("The subscription ended before this was sent."))
    if subscription.organisation is not None:
        if not subscription.organisation.is_active:
            raise NothingToSend(_("The organisation is no longer active."))
        if subscription.opt_outs.filter(email__iexact=delivery.email).exists():
            raise NothingToSend(_("The recipient unsubscribed before this was sent."))


def delivery_message(delivery: Delivery) -> EmailMultiAlternatives:
    """Build the message in the recipient's language, or raise NothingToSend if it should not go out any more."""
    _still_wanted(delivery)
    viewer = delivery_viewer(delivery)
    language = delivery_language(delivery)
    # Everything the templates show is computed in the recipient's language: the digest's kind,
    # choice labels, localized content fields and dates.
    with translation.override(language):
        return _delivery_message(delivery, viewer, language)


def _delivery_message(delivery: Delivery, viewer: Viewer, language: str) -> EmailMultiAlternatives:
    if delivery.run_id is not None:
        name, context = "digest", _digest(delivery, viewer)
    elif delivery.alert is not None and delivery.alert.incident_id is not None:
        name, context = "incident", _incident_alert(delivery, viewer)
    elif delivery.alert is not None and delivery.alert.advisory is not None:
        name, context = "advisory", _advisory_alert(delivery.alert.advisory)
    else:
        raise NothingToSend(_("What this alert was about no longer exists."))

    unsubscribe = unsubscribe_url(subscription_id=delivery.subscription_id, email=delivery.email)
    subscription = delivery.subscription
    context |= {
        "delivery": delivery,
        "subscription": subscription,
        "recipient": delivery.email,
        "unsubscribe_url": unsubscribe,
        "site_url": absolute_url("/"),
        "base_url": settings.VIGIL_PUBLIC_URL.rstrip("/"),
        "manage_url": absolute_url("/alerts/") if subscription.organisation_id else "",
        "tlp": SharingLevel,
        # A traveler only ever sees TLP:CLEAR: the warning about forwarding AMBER and RED is not for them.
        "tlp_warning": not sees_only_public(viewer),
    }
    headers = {
        "Message-ID": delivery.message_id,
        "List-Unsubscribe": f"<{unsubscribe}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        "List-Id": f"Vigil alerts <alerts.{_list_domain()}>",
    }
    return make_message(name, to=delivery.email, context=context, headers=headers, language=language)


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


def _digest(delivery: Delivery, viewer: Viewer) -> dict[str, Any]:
    run = delivery.run
    assert run is not None
    since = delivery.window_start or run.window_end
    digest = digest_for(viewer=viewer, follows=Follows.of(delivery.subscription), since=since, until=run.window_end)
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


def _incident_alert(delivery: Delivery, viewer: Viewer) -> dict[str, Any]:
    assert delivery.alert is not None and delivery.alert.incident_id is not None
    incident = (
        incidents_visible_to(viewer)
        .select_related("reporter", "source_document")
        .filter(pk=delivery.alert.incident_id)
        .first()
    )
    if incident is None:
        raise NothingToSend(_("The recipient may no longer see this incident."))
    if not Follows.of(delivery.subscription).covers_incident(incident):
        raise NothingToSend(_("The incident no longer matches the subscription."))
    return {"incident": incident, "incident_url": absolute_url(incident.get_absolute_url())}


def _advisory_alert(advisory: Advisory) -> dict[str, Any]:
    change = advisory_change(advisory)
    place_url = advisory.region.get_absolute_url() if advisory.region else advisory.country.get_absolute_url()
    return {"change": change, "advisory": advisory, "place_url": absolute_url(place_url)}
