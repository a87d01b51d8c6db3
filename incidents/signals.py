"""Signals other apps listen to. Sent after the transaction that caused them commits."""

from django.dispatch import Signal

# Sent with `incident_id` when an analyst publishes an incident.
incident_published = Signal()
# Sent with `incident_id` when an officer logs an incident. Alerts use it for the sharing
# levels that no analyst reviews (TLP:AMBER and above stay within their organisations).
incident_submitted = Signal()
# Sent after each new RiskAssessment row (advisories.models.risk) a recomputation writes, with
# `previous` (the place's row it replaces, or None) and `current` (the new row).
risk_assessed = Signal()
