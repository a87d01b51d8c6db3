"""Mali: its country advisory, every region's advisory, Bamako's threat ratings, contacts.

All text is our own summary of the documents named in `sources.py`. Each region's summary
says which document supports it. The U.S. advisory puts the whole country at Level 4 and
names no safer region, so every region is Level 4 with the country's indicators; what
differs from region to region is the reason, taken from the OSAC report (29 Nov 2024), the
GI-TOC 2025 profile and the UNU-CPR blog post on Kayes (16 Nov 2024).
"""

from __future__ import annotations

import datetime as dt

from advisories.models import AdvisoryLevel, ContactPoint, ThreatLevel

from .records import AdvisoryRecord, CityRecord, ContactRecord, ThreatRatingRecord
from .sources import OSAC_2024

COUNTRY_CODE = "ML"
OSAC_DATE = dt.date(2024, 11, 29)
LEVEL_4 = AdvisoryLevel.DO_NOT_TRAVEL
# Crime, terrorism, kidnapping: the indicators of the U.S. advisory, restated by OSAC.
INDICATORS = "CTK"

# Every region is at the country's level 4: the U.S. advisory of 31 July 2023 exempts no region,
# and OSAC (29 November 2024) confirms it. A region's summary gives only its own reasons.

COUNTRY_ADVISORY = AdvisoryRecord(
    level=LEVEL_4,
    indicators=INDICATORS,
    source=OSAC_2024,
    issued_on=OSAC_DATE,
    summary=(
        "Extremist groups, above all JNIM and the Islamic State's Sahel branch, strike soldiers and "
        "civilians throughout the north and centre, more and more in the south, and in September 2024 "
        "inside Bamako itself. Foreigners, NGO staff and faith-based groups are "
        "targets for kidnapping. Armed robbery, carjacking and bandit roadblocks are common, and outside "
        "the capital the police can offer little help. Source: OSAC Country Security Report of "
        "29 November 2024, which restates the State Department's Level 4 with indicators C (crime), "
        "T (terrorism) and K (kidnapping)."
    ),
)

REGION_ADVISORIES: tuple[AdvisoryRecord, ...] = tuple(
    AdvisoryRecord(
        region_code=code,
        level=LEVEL_4,
        indicators=INDICATORS,
        source=OSAC_2024,
        issued_on=OSAC_DATE,
        summary=reason,
    )
    for code, reason in (
        (
            "ML-BKO",
            "OSAC rates Bamako CRITICAL for crime, terrorism and political violence. On 17 September 2024 "
            "JNIM fighters stormed the Faladié gendarmerie school and Air Base 101 at the airport and reportedly "
            "held the airport for several hours; media put the dead at about 70. A German priest was abducted "
            "outside his home in the city in November 2022. Armed robbery, home invasion and carjacking are "
            "the violent crimes reported most often (OSAC report, 29 November 2024).",
        ),
        (
            "ML-1",
            "The south-west is no longer spared. OSAC counts more JNIM-claimed attacks in Kayes during 2023 "
            "and 2024, and the GI-TOC Organized Crime Index 2025 says JNIM now has a foothold in the region. "
            "A UNU-CPR blog post of 16 November 2024 reports highway robberies of people carrying gold or "
            "cash near the artisanal gold mines, and children made to work at mining sites.",
        ),
        (
            "ML-2",
            "OSAC reports that JNIM grew more active across Koulikoro during 2024, before its attack on "
            "Bamako, and that its claimed attacks here kept rising through 2023 and 2024. The GI-TOC "
            "Organized Crime Index 2025 counts Koulikoro among the southern regions where JNIM has taken "
            "hold, and notes illegal rosewood logging in the region.",
        ),
        (
            # Koutiala is in ML-3: the centre of its cercle in geoBoundaries ADM2 falls inside the
            # Sikasso polygon of geoBoundaries ADM1 (../shared/data/geo), checked when writing this.
            "ML-3",
            "OSAC records rising JNIM-claimed attacks in Sikasso in 2023 and 2024, and the kidnapping by "
            "JNIM of an Italian couple and their son at their home in Koutiala, a town of this region, in "
            "May 2022. The GI-TOC Organized Crime Index 2025 says JNIM has spread into Sikasso, where gold "
            "is dug by artisanal miners and cannabis is grown.",
        ),
        (
            "ML-4",
            "Ségou lies in central Mali, where OSAC says the state has lost control of large areas and "
            "intercommunal violence has risen sharply. ACLED figures quoted by OSAC put attacks by JNIM and "
            "ISIS in the Greater Sahara at 887 in 2023, most of them in Mopti and Ségou (OSAC report, "
            "29 November 2024).",
        ),
        (
            "ML-5",
            "Mopti is at the heart of the conflict in central Mali: ACLED figures quoted by OSAC put attacks "
            "by JNIM and ISIS in the Greater Sahara at 887 in 2023, most of them in Mopti and Ségou. OSAC "
            "also notes that NGOs have had to stop work in parts of the centre because of crime, and that "
            "thieves and carjackers go after their vehicles (OSAC report, 29 November 2024).",
        ),
        (
            "ML-6",
            "OSAC tells travelers to keep out of the north because of terrorism, crime, kidnapping and "
            "military operations, and calls much of it ungoverned. In 2018 attackers used a stolen NGO "
            "vehicle as a car bomb against the UN camp in Timbuktu (OSAC report, 29 November 2024).",
        ),
        (
            "ML-7",
            "OSAC advises against all travel to the north and reports that a French journalist was taken "
            "hostage in Gao in May 2021. The GI-TOC Organized Crime Index 2025 says rebel and extremist "
            "groups control and tax some gold mines in the Gao and Kidal regions.",
        ),
        (
            "ML-8",
            "OSAC advises against all travel to the north. According to the GI-TOC Organized Crime Index "
            "2025, the army and its foreign partners have retaken northern towns such as Kidal since 2023, "
            "but their presence ends at the town limits, and the fighting has cost rebel groups control of "
            "the region's gold mines.",
        ),
        (
            "ML-9",
            "OSAC advises against all travel to the north. The GI-TOC Organized Crime Index 2025 reports "
            "that IS Sahel has widened its territorial hold over the Ménaka region and the wider "
            "Liptako-Gourma area.",
        ),
        (
            "ML-10",
            "OSAC advises against all travel to the north, much of which it describes as beyond any state "
            "control. The GI-TOC Organized Crime Index 2025 reports hereditary slavery around the Taoudeni "
            "salt mines.",
        ),
    )
)

BAMAKO = CityRecord(name="Bamako", region_code="ML-BKO")

# OSAC states only these three ratings for Bamako; it rates no other category or place.
THREAT_RATINGS: tuple[ThreatRatingRecord, ...] = (
    ThreatRatingRecord(
        city="Bamako",
        category="crime",
        level=ThreatLevel.CRITICAL,
        source=OSAC_2024,
        assessed_on=OSAC_DATE,
        note=(
            "Rated by the State Department for crime aimed at or affecting official U.S. interests. Most "
            "crime in the city is opportunistic, but offenders are often armed (OSAC report, 29 November 2024)."
        ),
    ),
    ThreatRatingRecord(
        city="Bamako",
        category="terrorism",
        level=ThreatLevel.CRITICAL,
        source=OSAC_2024,
        assessed_on=OSAC_DATE,
        note=(
            "Rated by the State Department for terrorism aimed at or affecting official U.S. interests. JNIM "
            "attacked the gendarmerie school and Air Base 101 on 17 September 2024, the first attack in the "
            "city since the Radisson Blu hotel in 2015 (OSAC report, 29 November 2024)."
        ),
    ),
    ThreatRatingRecord(
        city="Bamako",
        category="political-violence",
        level=ThreatLevel.CRITICAL,
        source=OSAC_2024,
        assessed_on=OSAC_DATE,
        note=(
            "Rated by the State Department for political violence aimed at or affecting official U.S. "
            "interests. Coups in 2020 and 2021; protests can flare up without warning (OSAC report, "
            "29 November 2024)."
        ),
    ),
)

_VERIFIED = "Details as printed in the OSAC Country Security Report of 29 November 2024, and checked on that date."

CONTACTS: tuple[ContactRecord, ...] = (
    ContactRecord(
        kind=ContactPoint.Kind.EMBASSY,
        name="U.S. Embassy Bamako",
        region_code="ML-BKO",
        address="ACI 2000, Rue 243, Porte 297, Bamako",
        phones=("+223-2070-2300",),
        hours="Monday-Thursday 0730 - 1700; Friday 0730 \u2013 1130",
        source=OSAC_2024,
        last_verified_on=OSAC_DATE,
        position=1,
        notes=_VERIFIED,
    ),
    ContactRecord(
        kind=ContactPoint.Kind.POLICE,
        name="Police emergency",
        phones=("8000-1115",),
        languages="Bambara, French",
        source=OSAC_2024,
        last_verified_on=OSAC_DATE,
        position=2,
        notes="The national police emergency number. OSAC warns that operators may speak only Bambara or "
        "French. " + _VERIFIED,
    ),
    ContactRecord(
        kind=ContactPoint.Kind.COUNTRY_COUNCIL,
        name="OSAC Mali Country Council",
        email="OSACBamako@state.gov",
        source=OSAC_2024,
        last_verified_on=OSAC_DATE,
        position=3,
        notes="An OSAC country chapter is active in Mali; the Embassy's Regional Security Officer can meet "
        "U.S. private-sector representatives to brief them. " + _VERIFIED,
    ),
)
