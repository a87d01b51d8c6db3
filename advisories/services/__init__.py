"""Writes to the advisories app. Every function runs in one transaction.

The upserts used by the demo loader and by importers write only when something differs, so
loading the same data twice changes no row (and no updated_at), and say what they did.
"""

from .common import Outcome
from .crime_profiles import AssessmentInput, crime_profile_upsert
from .places import (
    JUSTIFIED_GAP,
    SyncResult,
    advisory_publish,
    advisory_set,
    city_upsert,
    countries_sync,
    justification_missing,
    normalize_indicators,
    source_upsert,
)
from .reports import SectionInput, contact_point_upsert, security_report_revision_publish, threat_rating_set

__all__ = [
    "JUSTIFIED_GAP",
    "AssessmentInput",
    "Outcome",
    "SectionInput",
    "SyncResult",
    "advisory_publish",
    "advisory_set",
    "city_upsert",
    "contact_point_upsert",
    "countries_sync",
    "crime_profile_upsert",
    "justification_missing",
    "normalize_indicators",
    "security_report_revision_publish",
    "source_upsert",
    "threat_rating_set",
]
