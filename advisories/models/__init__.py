"""What is known about a place, as analysts publish it.

A *place* is a country, one of its first-level regions, or a city. Every published fact
(an advisory level, a threat rating, a contact, a report section, a crime score) names the
source document it comes from, so a reader can see who said it and when.

The models live in three modules (places and advisories; threats, reports and contacts;
organized-crime profiles) and are all importable from here.
"""

from .crime_profiles import (
    CrimeIndicator,
    CrimeIndicatorAssessment,
    CrimePillar,
    CrimeProfile,
    crime_indicator_pillar,
)
from .places import (
    RISK_INDICATOR_EXPLANATIONS,
    Advisory,
    AdvisoryLevel,
    AdvisoryQuerySet,
    City,
    Country,
    CountryQuerySet,
    Region,
    RegionBoundary,
    RegionQuerySet,
    RiskIndicator,
    Source,
    TimeStamped,
    indicators_validator,
    latitude_field,
    longitude_field,
)
from .reports import (
    ContactPoint,
    ReportSection,
    SecurityReport,
    SecurityReportRevision,
    ThreatCategory,
    ThreatLevel,
    ThreatRating,
)
from .risk import RiskAssessment, RiskAssessmentQuerySet

__all__ = [
    "RISK_INDICATOR_EXPLANATIONS",
    "Advisory",
    "AdvisoryLevel",
    "AdvisoryQuerySet",
    "City",
    "ContactPoint",
    "Country",
    "CountryQuerySet",
    "CrimeIndicator",
    "CrimeIndicatorAssessment",
    "CrimePillar",
    "CrimeProfile",
    "Region",
    "RegionBoundary",
    "RegionQuerySet",
    "ReportSection",
    "RiskAssessment",
    "RiskAssessmentQuerySet",
    "RiskIndicator",
    "SecurityReport",
    "SecurityReportRevision",
    "Source",
    "ThreatCategory",
    "ThreatLevel",
    "ThreatRating",
    "TimeStamped",
    "crime_indicator_pillar",
    "indicators_validator",
    "latitude_field",
    "longitude_field",
]
