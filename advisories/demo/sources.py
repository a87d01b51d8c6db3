"""The documents the Mali demonstration dataset is summarised from.

Five are the seed documents of the project (their file names in ../shared/seeds are given
beside each one, for maintainers; the files are not shipped). The sixth is the U.S. State
Department's Mali Travel Advisory from the reference data, which states that its Level 4
covers the whole country. Dates and URLs are set only where the document itself gives them.
"""

from __future__ import annotations

import datetime as dt

from advisories.models import Source

from .records import SourceRecord

OSAC_2024 = "osac-mali-country-security-report-2024"
GITOC_2025 = "gitoc-organized-crime-index-mali-2025"
GITOC_2021 = "gitoc-organized-crime-index-mali-2021"
UNU_CPR_2024 = "unu-cpr-kayes-illicit-gold-2024"
UNODC_SAHEL = "unodc-sahel-programme-mali"
US_ADVISORY_2023 = "us-state-department-mali-advisory-2023"

SOURCES: tuple[SourceRecord, ...] = (
    # seeds/004_d44f7455e52f9264.txt. Its links are placeholders ("#"), so no URL.
    SourceRecord(
        slug=OSAC_2024,
        title="Mali Country Security Report",
        publisher="Overseas Security Advisory Council (OSAC), U.S. Department of State",
        kind=Source.Kind.REPORT,
        published_on=dt.date(2024, 11, 29),
        notes="Supplements the State Department's Mali Travel Advisory; dated 29 November 2024.",
    ),
    # seeds/001_57f32ad5d193fb5f.txt. The file states no publication date or URL; the edition
    # year is known from the seed register.
    SourceRecord(
        slug=GITOC_2025,
        title="Global Organized Crime Index: Mali country profile, 2025 edition",
        publisher="Global Initiative Against Transnational Organized Crime (GI-TOC)",
        kind=Source.Kind.PROFILE,
        notes="Edition 2025. The document gives no publication date.",
    ),
    # seeds/000_194245fa7116c7f1.txt. No date, no URL, no scores in the file.
    SourceRecord(
        slug=GITOC_2021,
        title="Organized Crime Index: Mali country profile, 2021 edition",
        publisher="Global Initiative Against Transnational Organized Crime (GI-TOC)",
        kind=Source.Kind.PROFILE,
        notes="Edition 2021. The document gives no publication date; it was funded in part by the "
        "U.S. Department of State.",
    ),
    # seeds/002_648cae50571e71c2.txt: the suggested citation at its end gives author, date and URL.
    SourceRecord(
        slug=UNU_CPR_2024,
        title="Local perspectives should shape multilateral responses to transnational organized crime",
        publisher="United Nations University Centre for Policy Research (UNU-CPR), blog; author Karimou Imane",
        kind=Source.Kind.ARTICLE,
        published_on=dt.date(2024, 11, 16),
        url="https://unu.edu/cpr/blog-post/local-perspectives-should-shape-multilateral-responses-transnational-organized-crime",
        notes="On illicit gold mining in the Kayes region.",
    ),
    # seeds/003_d291ee153d23c631.txt. No date or URL in the page text.
    SourceRecord(
        slug=UNODC_SAHEL,
        title="Sahel Programme: Mali",
        publisher="United Nations Office on Drugs and Crime (UNODC)",
        kind=Source.Kind.WEB_PAGE,
        notes="Seizures at Bamako airport (2017-2018) and World Bank figures for 2017. "
        "The page gives no publication date.",
    ),
    # ../shared/data/advisories/us_Mali_Advisory.md and us_state_dept_summary.csv (the URL).
    SourceRecord(
        slug=US_ADVISORY_2023,
        title="Mali Travel Advisory",
        publisher="U.S. Department of State",
        kind=Source.Kind.WEB_PAGE,
        published_on=dt.date(2023, 7, 31),
        url="https://travel.state.gov/content/travel/en/traveladvisories/traveladvisories/mali-travel-advisory.html",
        notes="Level 4, Do Not Travel, for the whole country, with indicators C, T and K. "
        "It names no region with a different level.",
    ),
)
