"""Signals other apps listen to. Sent after the transaction that caused them commits."""

from django.dispatch import Signal

# Sent with `incident_id` when an analyst publishes an incident.
incident_published = Signal()
