"""The e-mail of one delivery: plain text and HTML, with one-click unsubscribe headers.

What a message shows is decided when it is sent, for the recipient's sharing rights as they
are then: an incident retracted or reclassified since it was planned is left out.
"""

from __future__ import annotations

import zoneinfo
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from advisories.models import Advisory
from incidents.access import ANONYMOUS, Viewer, organisation_viewer, viewer_for
from incidents.models import SharingLevel
from incidents.selectors import incidents_visible_to

from .content import Follows, advisory_change, digest_for
from .models import Delivery, Frequency
from .tokens import absolute_url, unsubscribe_url

SUBJECT_MAX = 180


class NothingToSend(Exception):
    """The delivery must not be sent (any more): why, in words for the delivery log."""


def one_line(text: str, limit: int = SUBJECT_MAX) -> str:
    """Header text: every run of whitespace (CR and LF included) becomes one space."""
    flat = " ".join(str(text).split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


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
    """Build the message, or raise NothingToSend if it should not go out any more."""
    _still_wanted(delivery)
    viewer = delivery_viewer(delivery)
    if delivery.run_id is not None:
        subject, template, context = _digest(delivery, viewer)
    elif delivery.alert is not None and delivery.alert.incident_id is not None:
        subject, template, context = _incident_alert(delivery, viewer)
    elif delivery.alert is not None and delivery.alert.advisory is not None:
        subject, template, context = _advisory_alert(delivery.alert.advisory)
    else:
        raise NothingToSend(_("What this alert was about no longer exists."))

    unsubscribe = unsubscribe_url(subscription_id=delivery.subscription_id, email=delivery.email)
    subscription = delivery.subscription
    context |= {
        "subject": subject,
        "delivery": delivery,
        "subscription": subscription,
        "recipient": delivery.email,
        "unsubscribe_url": unsubscribe,
        "site_url": absolute_url("/"),
        "base_url": settings.VIGIL_PUBLIC_URL.rstrip("/"),
        "manage_url": absolute_url("/alerts/") if subscription.organisation_id else "",
        "tlp": SharingLevel,
    }
    text = render_to_string(f"alerts/email/{template}.txt", context)
    html = render_to_string(f"alerts/email/{template}.html", context)
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[delivery.email],
        headers={
            "Message-ID": delivery.message_id,
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "List-Id": f"Vigil alerts <alerts.{_list_domain()}>",
            "Auto-Submitted": "auto-generated",
            "X-Auto-Response-Suppress": "All",
        },
    )
    message.attach_alternative(html, "text/html")
    return message


def _list_domain() -> str:
    return urlsplit(settings.VIGIL_PUBLIC_URL).hostname or "vigil.localhost"


def _digest(delivery: Delivery, viewer: Viewer) -> tuple[str, str, dict[str, Any]]:
    run = delivery.run
    assert run is not None
    since = delivery.window_start or run.window_end
    digest = digest_for(viewer=viewer, follows=Follows.of(delivery.subscription), since=since, until=run.window_end)
    if digest.is_empty:
        raise NothingToSend(_("Nothing this recipient may see changed in the period any more."))
    zone = zoneinfo.ZoneInfo(run.time_zone)
    kind = _("Daily digest") if run.frequency == Frequency.DAILY else _("Weekly digest")
    places = ", ".join(section.name for section in digest.sections)
    subject = one_line(
        _("Vigil %(kind)s %(period)s: %(places)s") % {"kind": kind.lower(), "period": run.period, "places": places}
    )
    return (
        subject,
        "digest",
        {
            "digest": digest,
            "kind": kind,
            "run": run,
            "since_local": timezone.localtime(digest.since, zone),
            "until_local": timezone.localtime(digest.until, zone),
            "time_zone": run.time_zone,
        },
    )


def _incident_alert(delivery: Delivery, viewer: Viewer) -> tuple[str, str, dict[str, Any]]:
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
    place = incident.region.name if incident.region else incident.country.name
    subject = one_line(
        _("Vigil alert: %(type)s in %(place)s, severity %(severity)s: %(title)s")
        % {"type": incident.incident_type.name, "place": place, "severity": incident.severity, "title": incident.title}
    )
    return subject, "incident", {"incident": incident, "incident_url": absolute_url(incident.get_absolute_url())}


def _advisory_alert(advisory: Advisory) -> tuple[str, str, dict[str, Any]]:
    change = advisory_change(advisory)
    if change.previous is not None and change.previous.level != advisory.level:
        what = _("level %(level)s, %(name)s (was %(previous)s)") % {
            "level": advisory.level,
            "name": advisory.get_level_display(),
            "previous": change.previous.level,
        }
    else:
        what = _("level %(level)s, %(name)s") % {"level": advisory.level, "name": advisory.get_level_display()}
    subject = one_line(_("Vigil advisory change: %(place)s: %(what)s") % {"place": change.place_name, "what": what})
    place_url = advisory.region.get_absolute_url() if advisory.region else advisory.country.get_absolute_url()
    return subject, "advisory", {"change": change, "advisory": advisory, "place_url": absolute_url(place_url)}
