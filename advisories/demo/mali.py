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
    summary_fr=(
        "Des groupes extrémistes, surtout le JNIM et la branche sahélienne de l'État islamique, frappent "
        "militaires et civils dans tout le nord et le centre, de plus en plus dans le sud, et en septembre 2024 "
        "jusque dans Bamako. Les étrangers, le personnel des ONG et les organisations confessionnelles sont "
        "des cibles d'enlèvement. Vols à main armée, car-jackings et barrages routiers de bandits sont "
        "fréquents, et hors de la capitale la police ne peut guère aider. Source : rapport de sécurité pays "
        "de l'OSAC du 29 novembre 2024, qui reprend le niveau 4 du Département d'État avec les indicateurs "
        "C (criminalité), T (terrorisme) et K (enlèvement)."
    ),
)

# The region reasons in French, sentence by sentence the same as the English below.
REGION_REASONS_FR: dict[str, str] = {
    "ML-BKO": (
        "L'OSAC classe Bamako au niveau CRITIQUE pour la criminalité, le terrorisme et la violence politique. "
        "Le 17 septembre 2024, des combattants du JNIM ont attaqué l'école de gendarmerie de Faladié et la base "
        "aérienne 101 à l'aéroport, qu'ils auraient tenu pendant plusieurs heures ; selon les médias, il y a eu "
        "environ 70 morts. Un prêtre allemand a été enlevé devant son domicile, en ville, en novembre 2022. Les "
        "vols à main armée, les cambriolages avec violence et les car-jackings sont les crimes violents les plus "
        "souvent signalés (rapport de l'OSAC, 29 novembre 2024)."
    ),
    "ML-1": (
        "Le sud-ouest n'est plus épargné. L'OSAC compte davantage d'attaques revendiquées par le JNIM à Kayes "
        "en 2023 et 2024, et l'Indice du crime organisé 2025 de la GI-TOC indique que le JNIM a désormais pris "
        "pied dans la région. Un billet de blog de l'UNU-CPR du 16 novembre 2024 fait état de vols sur les "
        "routes visant des personnes qui transportent de l'or ou de l'argent liquide près des mines d'or "
        "artisanales, et d'enfants contraints de travailler sur les sites miniers."
    ),
    "ML-2": (
        "Selon l'OSAC, le JNIM est devenu plus actif dans toute la région de Koulikoro en 2024, avant son "
        "attaque contre Bamako, et ses attaques revendiquées ici n'ont cessé d'augmenter en 2023 et 2024. "
        "L'Indice du crime organisé 2025 de la GI-TOC range Koulikoro parmi les régions du sud où le JNIM s'est "
        "implanté, et signale l'exploitation illégale du bois de rose dans la région."
    ),
    "ML-3": (
        "L'OSAC relève une hausse des attaques revendiquées par le JNIM à Sikasso en 2023 et 2024, ainsi que "
        "l'enlèvement par le JNIM d'un couple italien et de leur fils à leur domicile de Koutiala, une ville de "
        "cette région, en mai 2022. L'Indice du crime organisé 2025 de la GI-TOC indique que le JNIM s'est "
        "étendu à Sikasso, où l'or est extrait par des orpailleurs et où l'on cultive du cannabis."
    ),
    "ML-4": (
        "Ségou se trouve dans le centre du Mali, où, selon l'OSAC, l'État a perdu le contrôle de vastes zones "
        "et les violences intercommunautaires ont fortement augmenté. Les chiffres d'ACLED cités par l'OSAC "
        "font état de 887 attaques du JNIM et de l'État islamique au Grand Sahara en 2023, pour la plupart à "
        "Mopti et Ségou (rapport de l'OSAC, 29 novembre 2024)."
    ),
    "ML-5": (
        "Mopti est au cœur du conflit du centre du Mali : les chiffres d'ACLED cités par l'OSAC font état de "
        "887 attaques du JNIM et de l'État islamique au Grand Sahara en 2023, pour la plupart à Mopti et Ségou. "
        "L'OSAC note aussi que des ONG ont dû cesser leurs activités dans certaines parties du centre à cause "
        "de la criminalité, et que voleurs et car-jackers s'en prennent à leurs véhicules (rapport de l'OSAC, "
        "29 novembre 2024)."
    ),
    "ML-6": (
        "L'OSAC demande aux voyageurs de se tenir à l'écart du nord en raison du terrorisme, de la criminalité, "
        "des enlèvements et des opérations militaires, et décrit une grande partie de cette zone comme non "
        "gouvernée. En 2018, des assaillants ont utilisé un véhicule volé à une ONG comme voiture piégée contre "
        "le camp de l'ONU à Tombouctou (rapport de l'OSAC, 29 novembre 2024)."
    ),
    "ML-7": (
        "L'OSAC déconseille tout voyage dans le nord et rapporte qu'un journaliste français a été pris en otage "
        "à Gao en mai 2021. L'Indice du crime organisé 2025 de la GI-TOC indique que des groupes rebelles et "
        "extrémistes contrôlent et taxent certaines mines d'or dans les régions de Gao et de Kidal."
    ),
    "ML-8": (
        "L'OSAC déconseille tout voyage dans le nord. Selon l'Indice du crime organisé 2025 de la GI-TOC, "
        "l'armée et ses partenaires étrangers ont repris depuis 2023 des villes du nord comme Kidal, mais leur "
        "présence s'arrête aux limites de ces villes, et les combats ont fait perdre aux groupes rebelles le "
        "contrôle des mines d'or de la région."
    ),
    "ML-9": (
        "L'OSAC déconseille tout voyage dans le nord. L'Indice du crime organisé 2025 de la GI-TOC rapporte que "
        "l'État islamique au Sahel a étendu son emprise territoriale sur la région de Ménaka et sur l'ensemble "
        "de la zone du Liptako-Gourma."
    ),
    "ML-10": (
        "L'OSAC déconseille tout voyage dans le nord, dont une grande partie échappe selon lui à tout contrôle "
        "de l'État. L'Indice du crime organisé 2025 de la GI-TOC signale un esclavage héréditaire autour des "
        "mines de sel de Taoudeni."
    ),
}

REGION_ADVISORIES: tuple[AdvisoryRecord, ...] = tuple(
    AdvisoryRecord(
        region_code=code,
        level=LEVEL_4,
        indicators=INDICATORS,
        source=OSAC_2024,
        issued_on=OSAC_DATE,
        summary=reason,
        summary_fr=REGION_REASONS_FR[code],
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
        note_fr=(
            "Niveau fixé par le Département d'État pour la criminalité visant ou touchant les intérêts officiels "
            "américains. La plupart des délits en ville sont opportunistes, mais leurs auteurs sont souvent armés "
            "(rapport de l'OSAC, 29 novembre 2024)."
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
        note_fr=(
            "Niveau fixé par le Département d'État pour le terrorisme visant ou touchant les intérêts officiels "
            "américains. Le JNIM a attaqué l'école de gendarmerie et la base aérienne 101 le 17 septembre 2024, "
            "première attaque dans la ville depuis celle de l'hôtel Radisson Blu en 2015 (rapport de l'OSAC, "
            "29 novembre 2024)."
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
        note_fr=(
            "Niveau fixé par le Département d'État pour la violence politique visant ou touchant les intérêts "
            "officiels américains. Coups d'État en 2020 et 2021 ; des manifestations peuvent éclater sans "
            "prévenir (rapport de l'OSAC, 29 novembre 2024)."
        ),
    ),
)

_VERIFIED = "Details as printed in the OSAC Country Security Report of 29 November 2024, and checked on that date."
_VERIFIED_FR = (
    "Coordonnées telles qu'imprimées dans le rapport de sécurité pays de l'OSAC du 29 novembre 2024, et "
    "vérifiées à cette date."
)

CONTACTS: tuple[ContactRecord, ...] = (
    ContactRecord(
        kind=ContactPoint.Kind.EMBASSY,
        name="U.S. Embassy Bamako",
        name_fr="Ambassade des États-Unis à Bamako",
        region_code="ML-BKO",
        address="ACI 2000, Rue 243, Porte 297, Bamako",
        phones=("+223-2070-2300",),
        hours="Monday-Thursday 0730 - 1700; Friday 0730 \u2013 1130",
        hours_fr="Du lundi au jeudi, 7 h 30 - 17 h ; vendredi, 7 h 30 - 11 h 30",
        source=OSAC_2024,
        last_verified_on=OSAC_DATE,
        position=1,
        notes=_VERIFIED,
        notes_fr=_VERIFIED_FR,
    ),
    ContactRecord(
        kind=ContactPoint.Kind.POLICE,
        name="Police emergency",
        name_fr="Police secours",
        phones=("8000-1115",),
        languages="Bambara, French",
        source=OSAC_2024,
        last_verified_on=OSAC_DATE,
        position=2,
        notes="The national police emergency number. OSAC warns that operators may speak only Bambara or "
        "French. " + _VERIFIED,
        notes_fr="Le numéro d'urgence de la police nationale. L'OSAC prévient que les opérateurs peuvent ne "
        "parler que bambara ou français. " + _VERIFIED_FR,
    ),
    ContactRecord(
        kind=ContactPoint.Kind.COUNTRY_COUNCIL,
        name="OSAC Mali Country Council",
        name_fr="Conseil pays de l'OSAC pour le Mali",
        email="OSACBamako@state.gov",
        source=OSAC_2024,
        last_verified_on=OSAC_DATE,
        position=3,
        notes="An OSAC country chapter is active in Mali; the Embassy's Regional Security Officer can meet "
        "U.S. private-sector representatives to brief them. " + _VERIFIED,
        notes_fr="Une antenne pays de l'OSAC est active au Mali ; l'officier régional de sécurité de l'ambassade "
        "peut rencontrer les représentants du secteur privé américain pour les informer. " + _VERIFIED_FR,
    ),
)
