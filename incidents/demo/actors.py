"""The armed actors the seed documents name, with the spellings other sources use.

Only actors a seed document names are here. Aliases are the documents' own spellings plus
the exact names of the ACLED Mali 2017-2018 export in ../shared/data/acled (checked when
writing this), so that `import_acled` matches its actors to these rows instead of creating
look-alikes. Descriptions are our own summaries of the documents.
"""

from __future__ import annotations

from advisories.demo.sources import GITOC_2025, OSAC_2024, UNU_CPR_2024
from incidents.models import Actor

from .records import ActorRecord

JNIM = "JNIM"
IS_SAHEL = "IS Sahel"
WAGNER = "Wagner Group / Africa Corps"
FAMA = "FAMa"
FLA = "FLA"
AQIM = "AQIM"
AL_MOURABITOUN = "al-Mourabitoun"
ANSAR_AL_DINE = "Ansar al-Dine"
MACINA = "Macina Liberation Front"
CMA = "CMA"
FRENCH_FORCES = "French armed forces"
MINUSMA = "MINUSMA"

ACTORS: tuple[ActorRecord, ...] = (
    ActorRecord(
        name=JNIM,
        kind=Actor.Kind.VIOLENT_EXTREMIST,
        source=OSAC_2024,
        aliases=(
            "Jama'at Nusrat al-Islam wal-Muslimin",
            "Group for Support of Islam and Muslims",
            # ACLED's actor name.
            "JNIM: Group for Support of Islam and Muslims",
        ),
        description=(
            "An alliance of jihadist groups formed when AQIM's Sahara branch, al-Mourabitoun, Ansar al-Dine "
            "and the Macina Liberation Front merged (OSAC, 2024). The GI-TOC index of 2025 says it operates "
            "in most of Mali's regions, levies money on miners, loggers and smugglers, and has moved into "
            "Kayes and Sikasso."
        ),
    ),
    ActorRecord(
        name=IS_SAHEL,
        kind=Actor.Kind.VIOLENT_EXTREMIST,
        source=GITOC_2025,
        aliases=(
            "Islamic State Sahel Province",
            "ISIS-GS",
            "ISIS in the Greater Sahara",
            "Islamic State in the Greater Sahara",
            # ACLED's actor name.
            "Islamic State (Greater Sahara)",
        ),
        description=(
            "The Islamic State's branch in the Sahel, which OSAC (2024) calls ISIS in the Greater Sahara. "
            "According to the GI-TOC index of 2025 it has tightened its hold on the Ménaka region and the "
            "Liptako-Gourma border area."
        ),
    ),
    ActorRecord(
        name=WAGNER,
        kind=Actor.Kind.FOREIGN_FORCES,
        source=GITOC_2025,
        aliases=("Wagner Group", "Wagner", "Africa Corps"),
        description=(
            "A Russian private military company working for Mali's transition government since late 2021, "
            "now under the name Africa Corps. OSAC (2024) reports accusations of abuses against civilians "
            "together with FAMa troops; the GI-TOC index of 2025 links it to looting, extortion and cattle "
            "rustling."
        ),
    ),
    ActorRecord(
        name=FAMA,
        kind=Actor.Kind.STATE_FORCES,
        source=OSAC_2024,
        aliases=(
            "Malian Armed Forces",
            "Mali's Armed Forces",
            "Forces Armées Maliennes",
            # ACLED's actor name for the period of the reference export.
            "Military Forces of Mali (2013-2020)",
        ),
        description=(
            "Mali's army. OSAC (2024) names it as a frequent target of extremist attacks, including the "
            "assault on Bamako's Air Base 101 in September 2024."
        ),
    ),
    ActorRecord(
        name=FLA,
        kind=Actor.Kind.ARMED_GROUP,
        source=GITOC_2025,
        aliases=("Front National de Libération de l'Azawad",),
        description=("The main separatist armed group of northern Mali, according to the GI-TOC index of 2025."),
    ),
    ActorRecord(
        name=AQIM,
        kind=Actor.Kind.VIOLENT_EXTREMIST,
        source=OSAC_2024,
        aliases=("al-Qa'ida in the Islamic Maghreb", "AQIM: Al Qaeda in the Islamic Maghreb"),
        description="Its Sahara branch is one of the groups that merged into JNIM (OSAC, 2024).",
    ),
    ActorRecord(
        name=AL_MOURABITOUN,
        kind=Actor.Kind.VIOLENT_EXTREMIST,
        source=OSAC_2024,
        aliases=("Al Mourabitoune Battalion",),
        description="One of the groups that merged into JNIM (OSAC, 2024).",
    ),
    ActorRecord(
        name=ANSAR_AL_DINE,
        kind=Actor.Kind.VIOLENT_EXTREMIST,
        source=OSAC_2024,
        aliases=("Ansar Dine",),
        description="One of the groups that merged into JNIM (OSAC, 2024).",
    ),
    ActorRecord(
        name=MACINA,
        kind=Actor.Kind.VIOLENT_EXTREMIST,
        source=OSAC_2024,
        aliases=("Katiba Macina",),
        description="One of the groups that merged into JNIM (OSAC, 2024); ACLED calls it Katiba Macina.",
    ),
    ActorRecord(
        name=CMA,
        kind=Actor.Kind.ARMED_GROUP,
        source=UNU_CPR_2024,
        aliases=("Coalition des Mouvements de Azawad", "CMA: Coordination of Movements of the Azawad"),
        description=(
            "A coalition of northern armed movements. A UNU-CPR post of November 2024 cites reports that "
            "armed groups linked to it around Kidal turned to artisanal gold mining after 2017."
        ),
    ),
    ActorRecord(
        name=FRENCH_FORCES,
        kind=Actor.Kind.FOREIGN_FORCES,
        source=OSAC_2024,
        aliases=(
            "French Special Forces",
            "Operation Barkhane",
            "Military Forces of France (2012-2017)",
            "Military Forces of France (2017-)",
        ),
        description=(
            "France's troops in the Sahel. OSAC (2024) says they ended Operation Barkhane and left Mali in "
            "2022; the GI-TOC index of 2025 dates their expulsion to August 2022."
        ),
    ),
    ActorRecord(
        name=MINUSMA,
        kind=Actor.Kind.FOREIGN_FORCES,
        source=OSAC_2024,
        aliases=(
            "United Nations Multidimensional Integrated Stabilization Mission in Mali",
            "MINUSMA: United Nations Multidimensional Integrated Stabilization Mission in Mali (2013-2020)",
        ),
        description=(
            "The UN peacekeeping mission in Mali, deployed in 2013; its mandate ended and it left in December "
            "2023 (OSAC, 2024)."
        ),
    ),
)
