"""Plain data shape for the alerts demo data: values only, no database objects."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SubscriptionRecord:
    # With its recipient (the organisation, or the person's address), the key a second run
    # finds the subscription by.
    name: str
    frequency: str
    # The recipient: an organisation's slug, or a person's address. Exactly one is set.
    organisation: str = ""
    email: str = ""
    include_members: bool = True
    addresses: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()  # ISO 3166-1 alpha-2 codes
    regions: tuple[str, ...] = ()  # ISO 3166-2 codes
    categories: tuple[str, ...] = ()  # ThreatCategory slugs; none: every category
    min_severity: int = 1
    include_advisories: bool = True
    time_zone: str = "Africa/Bamako"
    created_by: str = ""  # a username; only set when the subscription is created
