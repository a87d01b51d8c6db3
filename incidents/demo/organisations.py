"""Two made-up NGOs, their demo users, and three incidents they logged, one per restricted level.

The organisations are fictional (their names say "demo"), so no real NGO is implied. They
are not partners of each other: that is the usual case between two NGOs, and it is what
lets the demo show the difference between TLP:GREEN (the other NGO sees it) and TLP:AMBER
(it does not). The passwords are fixed and printed by load_demo, so all of this is created
only with DEBUG on or `--with-accounts`, like the analyst account; on a real server these
made-up NGOs and their incidents would mislead real members.

The three incidents are each NGO's own record of a threat a seed document describes; the
document gives no precise date or place for them, so each is dated to the year of the
document (DatePrecision.YEAR) and filed under one region (LocationPrecision.REGION), and
its description says which part is the demo's choice. Severity follows the rule in
`seed_incidents`. Who sees what, signed in as:

- kora_officer, kora_manager: Kora's GREEN and RED incidents, and the public ones;
- kora_reader: Kora's GREEN incident (not the RED one), the public ones;
- tamarind_officer, tamarind_reader: Kora's GREEN and Tamarind's AMBER incidents, the public ones;
- analyst: the GREEN incident (in the review queue) and the public ones;
- anonymous: the public (published TLP:CLEAR) ones only.
"""

from __future__ import annotations

import datetime as dt

from advisories.demo.accounts import DemoAccount
from advisories.demo.sources import OSAC_2024, UNU_CPR_2024
from incidents.models import DatePrecision, LocationPrecision, Organisation, Role, SharingLevel

from .records import IncidentRecord, MemberRecord, OrganisationRecord

KORA = "demo-kora-aid"
TAMARIND = "demo-tamarind-relief"

ORGANISATIONS: tuple[OrganisationRecord, ...] = (
    OrganisationRecord(slug=KORA, name="Kora Aid (demo organisation)", kind=Organisation.Kind.INGO),
    OrganisationRecord(slug=TAMARIND, name="Tamarind Relief (demo organisation)", kind=Organisation.Kind.NNGO),
)


def _account(username: str, can: str) -> DemoAccount:
    return DemoAccount(
        username=username,
        password=f"vigil-demo-{username.replace('_', '-')}",
        email=f"{username.replace('_', '-')}@vigil.localhost",
        is_staff=False,
        is_superuser=False,
        can=can,
    )


KORA_OFFICER = _account(
    "kora_officer",
    "security officer, Kora Aid (demo): logs and edits Kora's incidents; sees all of Kora's, TLP:RED "
    "included, and every organisation's TLP:GREEN ones",
)
KORA_MANAGER = _account(
    "kora_manager",
    "security manager, Kora Aid (demo): the same rights as Kora's security officer",
)
KORA_READER = _account(
    "kora_reader",
    "reader, Kora Aid (demo): sees Kora's incidents except TLP:RED ones, and every organisation's TLP:GREEN "
    "ones; logs nothing",
)
TAMARIND_OFFICER = _account(
    "tamarind_officer",
    "security officer, Tamarind Relief (demo): logs and edits Tamarind's incidents; sees them and every "
    "organisation's TLP:GREEN ones, but not Kora's TLP:AMBER or TLP:RED ones (the two are not partners)",
)
TAMARIND_READER = _account(
    "tamarind_reader",
    "reader, Tamarind Relief (demo): sees Tamarind's incidents except TLP:RED ones, and every organisation's "
    "TLP:GREEN ones; logs nothing",
)

ACCOUNTS: tuple[DemoAccount, ...] = (KORA_OFFICER, KORA_MANAGER, KORA_READER, TAMARIND_OFFICER, TAMARIND_READER)

MEMBERS: tuple[MemberRecord, ...] = (
    MemberRecord(username=KORA_OFFICER.username, organisation=KORA, role=Role.OFFICER),
    MemberRecord(username=KORA_MANAGER.username, organisation=KORA, role=Role.SECURITY_MANAGER),
    MemberRecord(username=KORA_READER.username, organisation=KORA, role=Role.READER),
    MemberRecord(username=TAMARIND_OFFICER.username, organisation=TAMARIND, role=Role.OFFICER),
    MemberRecord(username=TAMARIND_READER.username, organisation=TAMARIND, role=Role.READER),
)

_DEMO_NOTE = "Demo record of a fictional NGO. "

INCIDENTS: tuple[IncidentRecord, ...] = (
    IncidentRecord(
        key="demo-kora-2024-central-mali-vehicle-thefts",
        organisation=KORA,
        reporter=KORA_OFFICER.username,
        sharing_level=SharingLevel.GREEN,
        title="Thieves and carjackers going after NGO vehicles in central Mali",
        incident_type="carjacking",
        occurred_on=dt.date(2024, 1, 1),
        date_precision=DatePrecision.YEAR,
        region_code="ML-5",
        place_name="Central Mali",
        location_precision=LocationPrecision.REGION,
        severity=3,
        target_types=("ngo-staff",),
        source=OSAC_2024,
        sources="OSAC, Mali Country Security Report, 29 November 2024, section Crime.",
        description=(
            _DEMO_NOTE + "Kora shares with every organisation OSAC's warning that vehicle thieves and "
            "carjackers regularly target NGOs in the centre and north of Mali, and that crime there rose after "
            "French forces left in 2022. OSAC names no region or date: filing it under Mopti, in the centre, "
            "and under 2024, the year of the report, is the demo's choice. Killed, injured and abducted: not "
            "stated."
        ),
    ),
    IncidentRecord(
        key="demo-tamarind-2024-kayes-highway-robberies",
        organisation=TAMARIND,
        reporter=TAMARIND_OFFICER.username,
        sharing_level=SharingLevel.AMBER,
        title="More highway robberies of people carrying gold or cash in the Kayes region",
        incident_type="banditry-roadblock",
        occurred_on=dt.date(2024, 1, 1),
        date_precision=DatePrecision.YEAR,
        region_code="ML-1",
        place_name="Roads of the Kayes gold-mining area",
        location_precision=LocationPrecision.REGION,
        severity=3,
        target_types=("civilians",),
        source=UNU_CPR_2024,
        sources="UNU-CPR blog, Local perspectives should shape multilateral responses to transnational "
        "organized crime, 16 November 2024.",
        description=(
            _DEMO_NOTE + "Tamarind keeps for itself and its partners a note from the UNU-CPR post of "
            "November 2024: a senior gendarme in the Kayes region reported a rise in roadside robberies of "
            "travellers known to carry gold or cash, along with frequent assaults. The post gives no date or "
            "place for any single robbery; 2024 is the year of the post. Killed, injured and abducted: not "
            "stated."
        ),
    ),
    IncidentRecord(
        key="demo-kora-2024-ngo-warned-off-villages",
        organisation=KORA,
        reporter=KORA_OFFICER.username,
        sharing_level=SharingLevel.RED,
        title="NGO warned to keep out of villages; donated supplies stolen",
        incident_type="threat-intimidation",
        occurred_on=dt.date(2024, 1, 1),
        date_precision=DatePrecision.YEAR,
        region_code="ML-4",
        place_name="Central Mali",
        location_precision=LocationPrecision.REGION,
        severity=2,
        target_types=("ngo-staff",),
        source=OSAC_2024,
        sources="OSAC, Mali Country Security Report, 29 November 2024, section Crime.",
        description=(
            _DEMO_NOTE + "Kora's officer records, for Kora's security staff only, the pattern OSAC describes: "
            "armed extremists and bandits tell NGOs to stay away from some villages and take the aid meant "
            "for the people living there. OSAC names no place or date: Ségou, a central region, and 2024, "
            "the year of the report, are the demo's choice. Killed, injured and abducted: not stated."
        ),
    ),
)
