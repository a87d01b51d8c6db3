"""The OSAC Country Security Report for Mali (29 November 2024), section by section.

Each body is our own short summary of the report's section of the same name (source:
seeds/004_d44f7455e52f9264.txt); no sentence is copied. The report's links to the traveler
pages of the State Department ("Travelers with Special Considerations") carry no content of
their own and are left out.
"""

from __future__ import annotations

import datetime as dt

from advisories.models import ReportSection

from .records import ReportRecord, SectionRecord
from .sources import OSAC_2024

Kind = ReportSection.Kind

SECTIONS: tuple[SectionRecord, ...] = (
    SectionRecord(
        kind=Kind.CRIME,
        heading="Crime",
        heading_fr="Criminalité",
        body=(
            "The State Department rates Bamako CRITICAL for crime. In the capital most offences are "
            "opportunistic and non-violent, yet offenders often carry weapons; armed robbery, home "
            "invasion and carjacking top the list of violent crimes, usually against people alone very "
            "early or late in the day, and shops and restaurants are robbed at night more often before "
            "holidays. Outside Bamako bandits block main roads to rob drivers, some of whom have been "
            "killed, and there are very few police. In the centre and north, thieves and carjackers go "
            "after NGOs, whose staff have been beaten, tied up or held for ransom. Stay away from crowds "
            "that gather after a crime or road accident, since mob justice against suspects is common, and leave "
            "nothing of value in a hotel room."
        ),
        body_fr=(
            "Le Département d'État classe Bamako au niveau CRITIQUE pour la criminalité. Dans la capitale, la "
            "plupart des délits sont opportunistes et sans violence, mais leurs auteurs sont souvent armés ; les "
            "vols à main armée, les cambriolages avec violence et les car-jackings sont en tête des crimes violents, "
            "le plus souvent contre des personnes seules très tôt ou tard dans la journée, et les commerces et "
            "restaurants sont cambriolés la nuit, davantage avant les fêtes. Hors de Bamako, des bandits barrent "
            "les grands axes pour dévaliser les conducteurs, dont certains ont été tués, et les policiers sont très "
            "peu nombreux. Dans le centre et le nord, voleurs et car-jackers s'en prennent aux ONG, dont des membres "
            "du personnel ont été battus, ligotés ou retenus contre rançon. Éloignez-vous des attroupements qui se "
            "forment après un délit ou un accident de la route, car la justice populaire contre les suspects est "
            "courante, et ne laissez rien de valeur dans une chambre d'hôtel."
        ),
    ),
    SectionRecord(
        kind=Kind.KIDNAPPING,
        heading="Kidnapping Threat",
        heading_fr="Menace d'enlèvement",
        body=(
            "Kidnapping is a constant danger, worst in the north and centre, and extremist groups have "
            "recently singled out NGOs and faith-based organisations. Cases in the report: JNIM seized "
            "an Italian couple and their son at home in Koutiala in May 2022; a French journalist was "
            "abducted in Gao in May 2021; a German priest was taken outside his residence in Bamako in "
            "November 2022; and in May 2019 French special forces freed four hostages, a U.S. citizen "
            "among them, on the border with Burkina Faso."
        ),
        body_fr=(
            "Le risque d'enlèvement est permanent, surtout dans le nord et le centre, et les groupes extrémistes "
            "visent depuis peu les ONG et les organisations confessionnelles. Cas cités par le rapport : le JNIM a "
            "enlevé un couple italien et leur fils chez eux à Koutiala en mai 2022 ; un journaliste français a été "
            "enlevé à Gao en mai 2021 ; un prêtre allemand a été emmené devant sa résidence à Bamako en novembre "
            "2022 ; et en mai 2019, les forces spéciales françaises ont libéré quatre otages, dont un citoyen "
            "américain, à la frontière avec le Burkina Faso."
        ),
    ),
    SectionRecord(
        kind=Kind.TERRORISM,
        heading="Terrorism",
        heading_fr="Terrorisme",
        body=(
            "Bamako is rated CRITICAL for terrorism. JNIM, the alliance formed by AQIM's Sahara branch, "
            "al-Mourabitoun, Ansar al-Dine and the Macina Liberation Front, and ISIS in the Greater "
            "Sahara attack civilians, the Malian armed forces (FAMa) and foreign troops; ACLED counted "
            "887 of their attacks in 2023, mostly in Mopti and Ségou. On 17 September 2024 JNIM struck "
            "the Faladié gendarmerie school and Air Base 101 at Bamako's airport, with about 70 dead, "
            "the first attack in the capital since the Radisson Blu hotel in 2015. Since MINUSMA left in "
            "December 2023 and the junta ended the 2015 Algiers accord in January 2024, fighting has "
            "moved south into Sikasso, Kayes and Koulikoro. The Wagner Group, relied on since late 2021, "
            "has made no visible gains and stands accused, with FAMa, of grave abuses."
        ),
        body_fr=(
            "Bamako est classé au niveau CRITIQUE pour le terrorisme. Le JNIM, alliance formée par la branche "
            "saharienne d'AQMI, al-Mourabitoun, Ansar Dine et le Front de libération du Macina, et l'État islamique "
            "au Grand Sahara attaquent les civils, les Forces armées maliennes (FAMa) et les troupes étrangères ; "
            "ACLED a compté 887 de leurs attaques en 2023, surtout à Mopti et Ségou. Le 17 septembre 2024, le JNIM a "
            "frappé l'école de gendarmerie de Faladié et la base aérienne 101 à l'aéroport de Bamako, faisant "
            "environ 70 morts : la première attaque dans la capitale depuis celle de l'hôtel Radisson Blu en 2015. "
            "Depuis le départ de la MINUSMA en décembre 2023 et la fin de l'accord d'Alger de 2015, dénoncé par la "
            "junte en janvier 2024, les combats ont gagné le sud : Sikasso, Kayes et Koulikoro. Le groupe Wagner, "
            "sur lequel le pouvoir s'appuie depuis fin 2021, n'a obtenu aucun gain visible et est accusé, avec les "
            "FAMa, de graves exactions."
        ),
    ),
    SectionRecord(
        kind=Kind.POLITICAL_VIOLENCE,
        heading="Political Violence and Civil Unrest",
        heading_fr="Violence politique et troubles civils",
        body=(
            "Bamako is rated CRITICAL for political violence. Soldiers overthrew President Ibrahim Boubacar "
            "Keita in August 2020; in May 2021 forces loyal to Vice President Assimi Goïta arrested the "
            "transition president, Bah N'Daw, and Goïta was sworn in in his place that June. The promised "
            "February 2024 elections did not take place, all party political activity was suspended from "
            "April to July 2024, and the prime minister was dismissed in November 2024. Street protests can "
            "start without warning and turn violent; rallies for the junta or for Russia and against France "
            "are frequent. Hostility to France runs deep, and Americans may be lumped in with other "
            "Westerners."
        ),
    ),
    SectionRecord(
        kind=Kind.LAW_ENFORCEMENT,
        heading="Law Enforcement",
        heading_fr="Forces de l'ordre",
        body=(
            "Police emergency: 8000-1115; the operator will probably speak only Bambara or French. The "
            "National Police covers the towns and the National Gendarmerie the countryside, including a "
            "border unit; the National Guard and the army sometimes police areas where neither is present. "
            "The intelligence service may investigate any case and hold people at its director's "
            "discretion. Civilian control of the security forces is incomplete, and their members have "
            "been accused of many abuses."
        ),
    ),
    SectionRecord(
        kind=Kind.POLICE_RESPONSE,
        heading="Police Response",
        heading_fr="Réaction de la police",
        body=(
            "Officers mean well but are poorly trained, paid and equipped. Some ask for money to do "
            "routine work; urgent calls may be told that no one is free or that there is no fuel, and few "
            "officers can investigate a crime. Genuine checks, with at least two officers, stand at main "
            "crossroads and bridges. The government, with foreign donors, is reforming the police, "
            "gendarmerie and National Guard."
        ),
    ),
    SectionRecord(
        kind=Kind.RULE_OF_LAW,
        heading="Rule of Law",
        heading_fr="État de droit",
        body=(
            "Courts lack money, staff and professionalism, and corruption runs through the whole "
            "administration: officials, police and gendarmes often demand bribes and are seldom "
            "punished. Many people wait in custody before trial, in overcrowded prisons. The security "
            "forces, armed groups and terrorists have all been accused of arbitrary detention, yet the "
            "U.S. advisory carries no wrongful-detention (D) indicator for Mali."
        ),
    ),
    SectionRecord(
        kind=Kind.CYBERSECURITY,
        heading="Cybersecurity",
        heading_fr="Cybersécurité",
        body=(
            "Most cyber incidents are financial crimes, probably by criminals both in Mali and abroad, "
            "and the country has little means to counter even small-scale cybercrime."
        ),
        body_fr=(
            "La plupart des incidents cyber sont des délits financiers, probablement commis par des criminels "
            "installés au Mali comme à l'étranger, et le pays a peu de moyens pour lutter même contre la "
            "cybercriminalité à petite échelle."
        ),
    ),
    SectionRecord(
        kind=Kind.IMPORT_EXPORT,
        heading="Import/Export",
        heading_fr="Importation et exportation",
        body=(
            "Corruption, heavy bureaucracy and years of political turmoil blunt the laws meant to attract "
            "investment, and bribes are often expected. U.S. firms, bound by the Foreign Corrupt Practices "
            "Act, should build local contacts first and plan how to refuse bribes. A U.S. trade agency "
            "website lists the goods whose export to Mali is banned or restricted."
        ),
    ),
    SectionRecord(
        kind=Kind.OTHER,
        heading="U.S. Embassy staff restrictions",
        heading_fr="Restrictions imposées au personnel de l'ambassade des États-Unis",
        body=(
            "Embassy personnel may leave Bamako only for official business arranged in advance, and may "
            "not go to concerts, nightclubs, cinemas, sports events or places such as the Grand Marché; "
            "they may eat in restaurants after telling the Regional Security Office."
        ),
    ),
)

OSAC_REPORT = ReportRecord(
    title="Mali Country Security Report",
    title_fr="Rapport de sécurité pays sur le Mali",
    what_changed="First edition, from the OSAC report of 29 November 2024.",
    # The report gives a date only; midnight UTC stands for that day.
    published_at=dt.datetime(2024, 11, 29, tzinfo=dt.UTC),
    source=OSAC_2024,
    sections=SECTIONS,
)
