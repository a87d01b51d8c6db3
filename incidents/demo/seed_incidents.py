"""The dated incidents of the seed documents, as published TLP:CLEAR incidents.

Each is written in our own words from one document (`source`), and only with what that
document says:

- Dates. When the document gives only a month or a year, the date is the first day of that
  period and `date_precision` says MONTH or YEAR.
- Places. The region is set when the document names it or names a town whose region is not
  in doubt; `location_precision` is EXACT for a named site (a school, a hotel, an airport),
  NEAR for a town, COUNTRY when the document does not say where in Mali it happened (the
  region is then left empty). No seed document gives coordinates, so none are set.
- Figures. killed, injured and abducted hold a document's figure, or nothing (not known) where
  the document gives none, and the description then says "not stated". A 0 is written only
  where the document vouches for it (the hostage rescue abducted nobody: it freed hostages).
- Actors and who was hit: only where the document says so.
- Severity, by one rule applied to what the document states (the organisations' demo
  incidents follow it too):
    5  ten or more people killed;
    4  an armed or explosive attack, or people abducted, without a stated toll of ten or more;
    3  armed crime against people or their vehicles (robbery, carjacking) with no stated
       casualties, or an operation in which lives were at stake and no harm is reported
       (a hostage rescue);
    2  threats and intimidation without violence;
    1  a seizure or an arrest by the authorities, with no violence reported.
"""

from __future__ import annotations

import datetime as dt

from advisories.demo.sources import OSAC_2024, UNODC_SAHEL
from incidents.models import DatePrecision, LocationPrecision

from . import actors
from .records import IncidentRecord

_OSAC = "OSAC, Mali Country Security Report, 29 November 2024"
_UNODC = "UNODC, Sahel Programme: Mali (web page, undated)"

INCIDENTS: tuple[IncidentRecord, ...] = (
    IncidentRecord(
        key="osac-2024-09-17-bamako-faladie-air-base-101",
        title="JNIM attack on the Faladié gendarmerie school and Air Base 101, Bamako",
        incident_type="armed-attack",
        occurred_on=dt.date(2024, 9, 17),
        occurred_at_time=dt.time(5, 0),
        date_precision=DatePrecision.DAY,
        region_code="ML-BKO",
        place_name="Faladié gendarmerie school and Air Base 101 (Modibo Keita International Airport), Bamako",
        location_precision=LocationPrecision.EXACT,
        killed=70,
        severity=5,
        perpetrators=(actors.JNIM,),
        targets=(actors.FAMA,),
        target_types=("security-forces",),
        source=OSAC_2024,
        sources=f"{_OSAC}, section Terrorism.",
        description=(
            "At five in the morning, local time, JNIM fighters struck two sites in Bamako at once: the "
            "gendarmerie training school in Faladié and the military Air Base 101 at the international "
            "airport. They fought mostly with direct-fire weapons and, by some accounts, kept hold of the airport for "
            "several hours until Malian forces drove them out. The toll of 70 dead is the figure given by "
            "international media; most of the dead were gendarme cadets and soldiers. Injured: not stated. "
            "OSAC calls it the first terrorist attack in the capital in almost ten years, and notes JNIM's "
            "growing activity in the Koulikoro region around Bamako during 2024."
        ),
    ),
    IncidentRecord(
        key="osac-2022-05-koutiala-italian-family",
        title="Italian couple and their son kidnapped in Koutiala",
        incident_type="kidnapping",
        occurred_on=dt.date(2022, 5, 1),
        date_precision=DatePrecision.MONTH,
        # Koutiala is a town of the Sikasso region (ML-3): the seed register says so, and the
        # Koutiala cercle lies inside the Sikasso polygon of geoBoundaries ADM1.
        region_code="ML-3",
        place_name="Koutiala",
        location_precision=LocationPrecision.NEAR,
        abducted=3,
        severity=4,
        perpetrators=(actors.JNIM,),
        target_types=("foreigners", "civilians"),
        source=OSAC_2024,
        sources=f"{_OSAC}, section Kidnapping Threat.",
        description=(
            "JNIM militants abducted an Italian man, his wife and their son from the family's home in "
            "Koutiala, south-east of Bamako, in May 2022; the exact day is not stated. Killed and injured: "
            "not stated."
        ),
    ),
    IncidentRecord(
        key="osac-2021-05-gao-french-journalist",
        title="French journalist taken hostage in Gao",
        incident_type="kidnapping",
        occurred_on=dt.date(2021, 5, 1),
        date_precision=DatePrecision.MONTH,
        region_code="ML-7",
        place_name="Gao",
        location_precision=LocationPrecision.NEAR,
        abducted=1,
        severity=4,
        target_types=("journalists", "foreigners"),
        source=OSAC_2024,
        sources=f"{_OSAC}, section Kidnapping Threat.",
        description=(
            "A journalist of French nationality was seized and held hostage in Gao in May 2021. The day, "
            "the kidnappers and any casualties are not stated."
        ),
    ),
    IncidentRecord(
        key="osac-2022-11-bamako-german-priest",
        title="German priest kidnapped outside his home in Bamako",
        incident_type="kidnapping",
        occurred_on=dt.date(2022, 11, 1),
        date_precision=DatePrecision.MONTH,
        region_code="ML-BKO",
        place_name="Bamako",
        location_precision=LocationPrecision.NEAR,
        abducted=1,
        severity=4,
        target_types=("religious-figures", "foreigners"),
        source=OSAC_2024,
        sources=f"{_OSAC}, section Kidnapping Threat.",
        description=(
            "A priest from Germany was abducted just outside the house where he lived in Bamako in "
            "November 2022. The day, the kidnappers and any casualties are not stated."
        ),
    ),
    IncidentRecord(
        key="osac-2019-05-border-hostage-rescue",
        title="French special forces free four hostages on the Mali-Burkina Faso border",
        incident_type="other",
        occurred_on=dt.date(2019, 5, 1),
        date_precision=DatePrecision.MONTH,
        # OSAC places the rescue only "on the border" with Burkina Faso: it names no region,
        # no town and no coordinates (several regions of Mali touch that border), so the
        # incident is only known to be in the country.
        region_code="",
        place_name="Border between Mali and Burkina Faso",
        location_precision=LocationPrecision.COUNTRY,
        abducted=0,
        severity=3,
        involved=(actors.FRENCH_FORCES,),
        target_types=("foreigners",),
        source=OSAC_2024,
        sources=f"{_OSAC}, section Kidnapping Threat.",
        description=(
            "In May 2019 French special forces freed four hostages, one of them a U.S. citizen, in an "
            "operation on the border between Mali and Burkina Faso. The report does not say who held them, "
            "where in the border area it happened, or whether anyone was killed or injured (not stated). "
            "The hostages were freed, not taken, in this event, so none are counted as abducted."
        ),
    ),
    IncidentRecord(
        key="osac-2018-timbuktu-un-camp-vbied",
        title="Stolen NGO vehicle used as a car bomb against the UN camp in Timbuktu",
        incident_type="vbied",
        occurred_on=dt.date(2018, 1, 1),
        date_precision=DatePrecision.YEAR,
        region_code="ML-6",
        place_name="UN camp, Timbuktu",
        location_precision=LocationPrecision.EXACT,
        severity=4,
        target_types=("un-staff",),
        source=OSAC_2024,
        sources=f"{_OSAC}, section Crime.",
        description=(
            "During an attack on the United Nations camp in Timbuktu in 2018, terrorists turned a vehicle "
            "stolen from an NGO into a car bomb. OSAC cites it to show how thefts of NGO vehicles feed "
            "attacks. The month, the group responsible and the casualties are not stated."
        ),
    ),
    IncidentRecord(
        key="osac-2015-bamako-radisson-blu",
        title="Attack on the Radisson Blu hotel, Bamako",
        incident_type="armed-attack",
        occurred_on=dt.date(2015, 1, 1),
        date_precision=DatePrecision.YEAR,
        region_code="ML-BKO",
        place_name="Radisson Blu hotel, Bamako",
        location_precision=LocationPrecision.EXACT,
        severity=4,
        perpetrators=(actors.JNIM,),
        source=OSAC_2024,
        sources=f"{_OSAC}, section Terrorism.",
        description=(
            "OSAC mentions a 2015 attack on the Radisson Blu hotel in Bamako, which it attributes to JNIM, "
            "as the last terrorist attack in the capital before September 2024. The report gives only the "
            "year; the victims and the numbers killed or injured are not stated."
        ),
    ),
    IncidentRecord(
        key="unodc-2018-02-28-bamako-airport-methamphetamine",
        title="Methamphetamine seized in air cargo at Bamako airport",
        incident_type="seizure",
        occurred_on=dt.date(2018, 2, 28),
        date_precision=DatePrecision.DAY,
        region_code="ML-BKO",
        place_name="Bamako airport, cargo",
        location_precision=LocationPrecision.EXACT,
        severity=1,
        source=UNODC_SAHEL,
        sources=f"{_UNODC}, list of results achieved with UNODC support.",
        description=(
            "The airport's cargo teams stopped a consignment of methamphetamine that a Nigerian national was "
            'sending to Malaysia by way of France. UNODC writes the amount as "4,650kg"; the comma may '
            "be a decimal separator, so the quantity is left as written. No violence reported; casualties "
            "not stated."
        ),
    ),
    IncidentRecord(
        key="unodc-2018-03-09-tramadol-70000-tablets",
        title="70,000 Tramadol tablets seized, Guinean national arrested",
        incident_type="seizure",
        occurred_on=dt.date(2018, 3, 9),
        date_precision=DatePrecision.DAY,
        # UNODC names the drug office that made the arrest but not the place.
        region_code="",
        place_name="",
        location_precision=LocationPrecision.COUNTRY,
        severity=1,
        source=UNODC_SAHEL,
        sources=f"{_UNODC}, list of results achieved with UNODC support.",
        description=(
            "Mali's central narcotics office (OCS) arrested a man from Guinea who was carrying 170 boxes "
            "holding 70,000 Tramadol tablets; three days later he was brought before the prosecutor on "
            "drug trafficking charges. Where the arrest took place is not stated. No violence reported."
        ),
    ),
    IncidentRecord(
        key="unodc-2017-06-bamako-airport-heroin",
        title="Over 10 kg of heroin seized from a passenger's luggage at Bamako airport",
        incident_type="seizure",
        occurred_on=dt.date(2017, 6, 1),
        date_precision=DatePrecision.MONTH,
        region_code="ML-BKO",
        place_name="Bamako airport",
        location_precision=LocationPrecision.EXACT,
        severity=1,
        source=UNODC_SAHEL,
        sources=f"{_UNODC}, list of results achieved with UNODC support.",
        description=(
            "The airport's Joint Airport Interdiction Task Force (JAITF), trained with UNODC support under "
            "the AIRCOP programme, found more than 10 kg of heroin hidden in two suitcases of a woman "
            "arriving in Bamako in June 2017; the day is not stated. No violence reported."
        ),
    ),
    IncidentRecord(
        key="unodc-2017-06-cannabis-in-wooden-doors",
        title="Over 100 kg of cannabis hidden in wooden doors seized",
        incident_type="seizure",
        occurred_on=dt.date(2017, 6, 1),
        date_precision=DatePrecision.MONTH,
        # The page does not say where the police found the doors.
        region_code="",
        place_name="",
        location_precision=LocationPrecision.COUNTRY,
        severity=1,
        source=UNODC_SAHEL,
        sources=f"{_UNODC}, list of results achieved with UNODC support.",
        description=(
            "Late in June 2017 the police drug squad (Brigade des Stupéfiants) seized more than 100 kg of "
            "cannabis concealed inside wooden doors that were about to leave for Dakar, Senegal. The place "
            "and the exact day are not stated. No violence reported."
        ),
    ),
    IncidentRecord(
        key="unodc-2016-10-trafficking-network-leader-arrested",
        title="Leader of an international drug trafficking network arrested",
        incident_type="arrest-detention",
        occurred_on=dt.date(2016, 10, 1),
        date_precision=DatePrecision.MONTH,
        region_code="",
        place_name="",
        location_precision=LocationPrecision.COUNTRY,
        severity=1,
        source=UNODC_SAHEL,
        sources=f"{_UNODC}, list of results achieved with UNODC support.",
        description=(
            "Late in October 2016 the Malian authorities arrested the head of an international drug "
            "network, a former imam, as he came out of a mosque after Friday morning prayers. UNODC credits "
            "information shared between the region's police forces and counts it among the first cases in "
            "Mali where such a network was taken apart. The town and the day are not stated. No violence "
            "reported."
        ),
    ),
)
