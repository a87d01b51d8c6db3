"""Mali's Global Organized Crime Index profiles, 2021 and 2025 editions, in our own words.

Scores appear only where the file gives them. The 2021 file (seeds/000_194245fa7116c7f1.txt)
has no score at all. The 2025 file (seeds/001_57f32ad5d193fb5f.txt) opens with a garbled
table: "2.08 0.29" beside "RESILIENCE SCORE" (the score, then what looks like its change
since the previous edition, direction unreadable), then one line per resilience indicator
with its name broken by tabs, its score, then a change figure. The lines read, score first:

    POLITICAL LEADERSHIP AND GOVERNANCE        2.0   (then "00 ≥0.5")
    GOVERNMENT ... TRANSPARENCY ... ACCOUNTABILITY 2.0   (then "00 ≥0.5")
    INTERNATIONAL COOPERATION                  3.0   (then "1. 0 ≥1.0")
    NATIONAL POLICIES AND LAWS                 2.5
    JUDICIAL SYSTEM AND DETENTION              2.0
    LAW ENFORCEMENT                            2.0
    TERRITORIAL INTEGRITY                      1.5
    ANTI-MONEY LAUNDERING                      2.5
    ECONOMIC REGULATORY CAPACITY               2.0
    VICTIM AND WITNESS SUPPORT                 1.5
    PREVENTION                                 2.0

International cooperation is the one line where a stray "1." sits between the score and the
change; we read 3.0 as its score because every line puts the score first, and because the
eleven scores as read sum to 23.0, which with a twelfth indicator of 1.5 to 3.0 gives the
stated mean of 2.08 (25.0 / 12) only if that twelfth is 2.0 - a plausible value; reading the
"1." as the score would need a twelfth of 4.0, above every other score in the table.

The twelfth indicator, non-state actors, has no line in the file, so it gets no score, even
though the arithmetic above suggests 2.0: a figure the source does not print is not ours to
add. The file gives no criminality, criminal-markets or criminal-actors score, nor any market
or actor score, so those stay empty. The change figures are not stored (no field for them).
"""

from __future__ import annotations

from decimal import Decimal

from advisories.models import CrimeIndicator as I

from .records import AssessmentRecord as A
from .records import CrimeProfileRecord
from .sources import GITOC_2021, GITOC_2025

EDITION_2021 = CrimeProfileRecord(
    edition=2021,
    source=GITOC_2021,
    summary=(
        "The 2021 profile shows Mali as a crossroads for drugs, arms and people, with armed groups in the "
        "north living off trafficking and a state still weakened by the 2012 coup and the 2020 crisis in "
        "Bamako. This edition's file gives no scores."
    ),
    assessments=(
        A(
            I.HUMAN_TRAFFICKING,
            "Mali sends, receives and passes on trafficking victims, though most exploitation happens inside "
            "the country. Armed groups in the north have recruited boys as fighters since 2012; Malian women "
            "and girls are exploited abroad, from Gabon to the Middle East.",
        ),
        A(
            I.HUMAN_SMUGGLING,
            "Loose but long-standing networks, some Tuareg groups among them, move migrants across the borders;"
            " in the north armed groups protect the trade, and forged travel papers are easy to obtain.",
        ),
        A(
            I.ARMS_TRAFFICKING,
            "Weapons reach armed groups from Libya, including heavy machine guns on pick-ups, and from looted "
            "or diverted army stocks in the centre; the trade grows as the conflict spreads.",
        ),
        A(
            I.FLORA_CRIMES,
            "Rosewood is felled and smuggled to neighbouring countries and Asia despite a ban on exporting raw timber.",
        ),
        A(
            I.FAUNA_CRIMES,
            "Poaching and wildlife trade endanger many species, elephants and Dama gazelles among them; the "
            "COVID-19 border closures slowed cross-border trade.",
        ),
        A(
            I.NON_RENEWABLE_RESOURCES,
            "Much gold goes illicitly to refineries in the UAE with officials involved, and armed groups profit"
            " from artisanal mines in the north.",
        ),
        A(
            I.HEROIN,
            "Heroin comes in mostly by air, carried by couriers; the COVID-19 airport closures cut this trade sharply.",
        ),
        A(
            I.COCAINE,
            "The north, on the borders with Algeria and Niger, is a transit route for Latin American cocaine "
            "bound for Europe and the Middle East. Armed groups fight over it, and seizures are so rare that "
            "officials are suspected of complicity.",
        ),
        A(
            I.CANNABIS,
            "Some cannabis is grown for local use, but Mali matters more as a transit point for resin heading "
            "to Europe, which armed groups fight over.",
        ),
        A(
            I.SYNTHETIC_DRUGS,
            "Tramadol and methamphetamine from Nigeria pass through for foreign markets, and local use is "
            "rising; there is no firm evidence of local production.",
        ),
        A(
            I.MAFIA_STYLE_GROUPS,
            "The profile sees no mafia-style groups in the strict sense, only some small organisations with "
            "such hierarchies.",
        ),
        A(
            I.CRIMINAL_NETWORKS,
            "Criminal networks operate nationwide and fund most armed groups, through direct involvement, taxes"
            " or protection; in the north trafficking networks merge with armed political groups.",
        ),
        A(
            I.STATE_EMBEDDED_ACTORS,
            "Corruption and misuse of state funds reach every level of government; traffickers sway elections "
            "in the north and some have gone into politics.",
        ),
        A(
            I.FOREIGN_ACTORS,
            "Arab and Tuareg groups run the narcotics networks, and foreigners from across the Sahel have "
            "joined to dominate artisanal gold mining in the north.",
        ),
        A(
            I.POLITICAL_LEADERSHIP,
            "The 2012 coup left the state unable to serve much of the country, and the 2020 unrest in Bamako "
            "opened a new political crisis. Organized crime is not discussed in the peace process.",
        ),
        A(
            I.GOVERNMENT_TRANSPARENCY,
            "Fraud and misuse of public money are widespread, and formal anti-corruption bodies have been slow "
            "to start working.",
        ),
        A(
            I.INTERNATIONAL_COOPERATION,
            "Mali has ratified the main treaties but chiefly receives international aid, and most of the "
            "frameworks set up with it are badly implemented.",
        ),
        A(
            I.NATIONAL_POLICIES,
            "The law does not define organized crime, relying on offences of criminal association or terrorism;"
            " corruption is an offence, but the laws are weakly applied.",
        ),
        A(
            I.JUDICIAL_SYSTEM,
            "Insecurity drove many judicial staff from the north and centre in 2018, corruption is rife, and "
            "organized crime is rarely prosecuted.",
        ),
        A(
            I.LAW_ENFORCEMENT,
            "The security forces are underpaid, undertrained, penetrated by corrupt networks and now hardly "
            "present in central Mali.",
        ),
        A(I.TERRITORIAL_INTEGRITY, "Large parts of the country are outside government control and remain violent."),
        A(
            I.ANTI_MONEY_LAUNDERING,
            "A largely cash economy hides illicit flows; the regional AML/CFT frameworks of the West African "
            "Economic and Monetary Union apply.",
        ),
        A(
            I.ECONOMIC_REGULATORY_CAPACITY,
            "Smuggling of licit and illicit goods is woven into the economy, and extremist groups in the north "
            "raise money from smuggling and ransom.",
        ),
        A(
            I.VICTIM_WITNESS_SUPPORT,
            "There is no witness protection and little help for people leaving slavery; identified trafficking "
            "victims are sent to NGOs funded by donors.",
        ),
        A(
            I.PREVENTION,
            "UN intelligence-analysis and peacekeeping units support the government in preventing organized "
            "crime and terrorism.",
        ),
        A(
            I.NON_STATE_ACTORS,
            "Civil society is active and consulted on security policy, and the press is relatively free for the"
            " region, though growing insecurity and fragile media freedom limit both.",
        ),
    ),
)

EDITION_2025 = CrimeProfileRecord(
    edition=2025,
    source=GITOC_2025,
    summary=(
        "The 2025 profile finds organized crime bound up with the conflict: armed groups, JNIM first, tax "
        "and protect gold mining, logging and smuggling across most regions, and corrupt officials let "
        "trafficking through. Its resilience score is 2.08 on the index scale of 1 to 10."
    ),
    resilience_score=Decimal("2.08"),
    assessments=(
        A(
            I.HUMAN_TRAFFICKING,
            "Victims, Malian and West African, are forced into gold mining, farming, domestic work and begging "
            "or exploited for sex, many Nigerian women in mining towns. Armed groups and even the army recruit "
            "children, and hereditary slavery persists around the Taoudeni salt mines.",
        ),
        A(
            I.HUMAN_SMUGGLING,
            "Smuggling remains well established. Since mid-2023 fighting in the north has blocked the way to "
            "Algeria, pushing traffic south-west towards Mauritania and Senegal; officials take bribes at the "
            "borders and armed groups run informal checkpoints.",
        ),
        A(
            I.EXTORTION,
            "JNIM and other extremist groups use kidnapping to extend their control, still hold wealthy "
            "Sahelians for ransom, and JNIM levies zakat on the people it controls.",
        ),
        A(
            I.ARMS_TRAFFICKING,
            "Most weapons come from the military: looted in attacks, diverted by soldiers or brought in from "
            "Libya and Guinea, plus local craft production. Northern hubs such as Ber closed after mid-2023, so"
            " the trade is more scattered.",
        ),
        A(
            I.COUNTERFEIT_GOODS,
            "Fake medicines from India and China, landed at West African ports, are stored and redistributed "
            "from Bamako; counterfeit cigarettes and food also circulate, and seizures change little.",
        ),
        A(
            I.ILLICIT_EXCISE_GOODS,
            "Mali is a transit hub for cigarettes landed in Guinea, Benin and Togo and carried north through "
            "Gao, Timbuktu, Kidal and Mopti, with armed groups taxing them on the way.",
        ),
        A(
            I.FLORA_CRIMES,
            "Rosewood (kosso) is logged illegally in Kayes, Koulikoro and Sikasso for Chinese buyers and "
            "shipped out via Mauritania and Senegal; armed groups sell access to the forests and forestry "
            "officers take bribes.",
        ),
        A(
            I.FAUNA_CRIMES,
            "Less documented: poaching of the Gourma's desert elephants, since curbed by an anti-poaching "
            "brigade, trade in sea turtles, and crocodile and kob skins traded across the border with Senegal.",
        ),
        A(
            I.NON_RENEWABLE_RESOURCES,
            "Illicit gold is one of the biggest markets: artisanal mining dominates in Kayes and Sikasso, armed"
            " groups tax mines in Kidal and Gao, and Bamako is the hub for gold flown to the UAE, Switzerland "
            "and Türkiye.",
        ),
        A(I.HEROIN, "A small market, mostly transit towards Europe, with some use in Bamako and mining areas."),
        A(
            I.COCAINE,
            "A consolidated transit trade from South America to Europe and Western Asia, increasingly overland "
            "through southern Mali; criminal networks and separatist groups lead it and extremists tax it.",
        ),
        A(
            I.CANNABIS,
            "The most used drug: Moroccan resin enters Kayes through Mauritania and plants are grown in "
            "Sikasso, with separatist-linked groups taxing shipments.",
        ),
        A(
            I.SYNTHETIC_DRUGS,
            "Tramadol and diazepam, shipped via Benin and Togo and through Niger, are widely used, above all by"
            " gold miners and fighters.",
        ),
        A(
            I.CYBER_DEPENDENT_CRIMES,
            "Ransomware and data theft are growing with digital services; a Malian financial institution was "
            "recently hit by ransomware.",
        ),
        A(
            I.FINANCIAL_CRIMES,
            "Officials are often accused of embezzlement and illicit enrichment; anti-corruption arrests are "
            "suspected of being political, and extremists' financial crimes fund the insurgency.",
        ),
        A(
            I.MAFIA_STYLE_GROUPS,
            "JNIM and IS Sahel now act like mafia-style groups, with clear hierarchies and territorial control."
            " JNIM taxes miners, loggers and traffickers in most regions and has moved into Kayes and Sikasso; "
            "IS Sahel has grown in Ménaka and Liptako-Gourma; the separatist FLA is active in the north.",
        ),
        A(
            I.CRIMINAL_NETWORKS,
            "Drug and arms networks are structured; gold, fuel and contraband networks are loose and "
            "opportunistic, often working with whichever armed group holds a route.",
        ),
        A(
            I.STATE_EMBEDDED_ACTORS,
            "Bribed border, forestry and airport officials let trafficking through; soldiers have sold army "
            "weapons to armed groups, and senior figures are implicated in embezzlement.",
        ),
        A(
            I.FOREIGN_ACTORS,
            "Nigerians traffic women, Burkinabè smuggle gold, mercury and cyanide, Chinese nationals log "
            "rosewood in Kayes, and the Wagner Group, now Africa Corps, is accused of looting and extortion.",
        ),
        A(
            I.PRIVATE_SECTOR_ACTORS,
            "Licensed mining firms work alongside gold smuggling, environmental crime and tax evasion.",
        ),
        A(
            I.POLITICAL_LEADERSHIP,
            "The military transition has overrun its deadlines, suspended political parties in April 2024 and "
            "arrested journalists and activists; where the state is absent, armed groups step in as providers.",
            Decimal("2.0"),
        ),
        A(
            I.GOVERNMENT_TRANSPARENCY,
            "Anti-corruption bodies achieve little, prosecutions are rare and selective, and access to public "
            "information has shrunk since the military took power.",
            Decimal("2.0"),
        ),
        A(
            I.INTERNATIONAL_COOPERATION,
            "French forces were expelled in 2022, MINUSMA left in 2023 and Mali quit ECOWAS in 2024, turning to"
            " Russia, Türkiye and the Alliance des Etats du Sahel.",
            Decimal("3.0"),
        ),
        A(
            I.NATIONAL_POLICIES,
            "Many offences are crimes in law, but organized crime is not a distinct offence and hereditary "
            "slavery is not defined as trafficking; a cybersecurity strategy followed in 2024.",
            Decimal("2.5"),
        ),
        A(
            I.JUDICIAL_SYSTEM,
            "The judiciary answers to the executive, arbitrary arrests and long pre-trial detention are "
            "growing, and prisons are overcrowded and unsafe.",
            Decimal("2.0"),
        ),
        A(
            I.LAW_ENFORCEMENT,
            "Specialised units exist but lack resources, skills and training, and staff rotation and collusion "
            "with traffickers weaken them further.",
            Decimal("2.0"),
        ),
        A(
            I.TERRITORIAL_INTEGRITY,
            "Much of the north and centre is outside state control and JNIM has a foothold in Kayes, Sikasso "
            "and Koulikoro; retaken northern towns such as Kidal are held only within their limits, and borders"
            " are porous.",
            Decimal("1.5"),
        ),
        A(
            I.ANTI_MONEY_LAUNDERING,
            "A 2023 draft decree brings asset-freezing rules closer to FATF standards, and WAEMU membership "
            "keeps shared financial-intelligence systems despite the exit from ECOWAS.",
            Decimal("2.5"),
        ),
        A(
            I.ECONOMIC_REGULATORY_CAPACITY,
            "Trafficking and instability disrupt legal trade; untaxed artisanal gold and reliance on aid and "
            "the informal economy leave Mali exposed to shocks.",
            Decimal("2.0"),
        ),
        A(
            I.VICTIM_WITNESS_SUPPORT,
            "The government identified far fewer trafficking victims than before; NGOs give most of the "
            "support, and shelters are scarce outside Bamako.",
            Decimal("1.5"),
        ),
        A(
            I.PREVENTION,
            "Some awareness campaigns and a new anti-trafficking plan, but Quranic schools and forced child "
            "begging go unregulated; a drug demand-reduction programme began in late 2024.",
            Decimal("2.0"),
        ),
        # No score: the file's table has no line for this indicator (see the module docstring).
        A(
            I.NON_STATE_ACTORS,
            "NGOs face threats and surveillance, those funded from France were banned and all foreign funding "
            "is now vetted; the media are censored and major foreign broadcasters barred.",
        ),
    ),
)

PROFILES: tuple[CrimeProfileRecord, ...] = (EDITION_2021, EDITION_2025)
