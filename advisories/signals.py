"""Signals other apps listen to. Sent after the transaction that caused them commits."""

from django.dispatch import Signal

# Sent with `advisory_id` (the new current advisory) and `previous_id` (the one it replaced,
# or None) when a country's or region's level or risk indicators change.
advisory_changed = Signal()
