"""What alerts do when the apps below them announce a change (sent after commit)."""

from __future__ import annotations

import logging
from typing import Any

from django.dispatch import receiver

from advisories.signals import advisory_changed
from incidents.models import Incident, SharingLevel
from incidents.signals import incident_published, incident_submitted

from . import dispatch

logger = logging.getLogger(__name__)

# Incidents at these levels stay within their organisation (and its partners): no analyst
# reviews or publishes them, so their readers are alerted as soon as they are logged.
UNREVIEWED_LEVELS = (SharingLevel.AMBER, SharingLevel.AMBER_STRICT, SharingLevel.RED)


@receiver(incident_published, dispatch_uid="alerts.incident_published")
def on_incident_published(sender: Any, incident_id: int, **kwargs: Any) -> None:
    _queue(incident_id=incident_id)


@receiver(incident_submitted, dispatch_uid="alerts.incident_submitted")
def on_incident_submitted(sender: Any, incident_id: int, **kwargs: Any) -> None:
    if Incident.objects.filter(pk=incident_id, sharing_level__in=UNREVIEWED_LEVELS).exists():
        _queue(incident_id=incident_id)


@receiver(advisory_changed, dispatch_uid="alerts.advisory_changed")
def on_advisory_changed(sender: Any, advisory_id: int, previous_id: int | None, **kwargs: Any) -> None:
    _queue(advisory_id=advisory_id)


def _queue(*, incident_id: int | None = None, advisory_id: int | None = None) -> None:
    """Record the alert first, then queue its planning: if the broker cannot be reached now,
    the sweeper finds the unplanned alert and queues it later."""
    dispatch.immediate_alert_record(incident_id=incident_id, advisory_id=advisory_id)
    try:
        dispatch.immediate_alert_queue(incident_id=incident_id, advisory_id=advisory_id)
    except Exception:
        logger.exception("Could not queue the immediate alert; the sweeper will queue it.")
