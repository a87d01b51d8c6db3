"""Write the Mali demonstration dataset through the services, in one transaction.

The advisories data is written first; then the demo data of the apps that registered a
loader in `registry` (incidents, ...), in the same transaction, so a failure anywhere leaves
nothing written.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils.module_loading import import_string
from django.utils.translation import gettext, gettext_lazy

from advisories import services
from advisories.models import Country, Region, Source, ThreatCategory
from advisories.services import AssessmentInput, Outcome, SectionInput

from . import accounts, crime_profiles, mali, osac_report, registry, sources
from .accounts import AccountResult

ACCOUNTS = "accounts"
# The advisories' kinds of record, in the order the summary lists them. Other apps declare
# theirs (`LoadReport.declare`) as they load; the demo accounts always come last.
KINDS = {
    "sources": gettext_lazy("Sources"),
    "advisories": gettext_lazy("Advisories"),
    "cities": gettext_lazy("Cities"),
    "threat_ratings": gettext_lazy("Threat ratings"),
    "contacts": gettext_lazy("Contact points"),
    "report_revisions": gettext_lazy("Security report revisions"),
    "crime_profiles": gettext_lazy("Organized-crime profiles"),
}
ACCOUNTS_LABEL = gettext_lazy("Demo accounts")


class DemoDataError(Exception):
    """The database is not ready for the demo data (e.g. migrations not run)."""


@dataclass
class LoadReport:
    # Label of each kind of record loaded in this run, in the order they were declared.
    labels: dict[str, Any] = field(default_factory=dict)
    counts: dict[str, Counter[Outcome]] = field(default_factory=dict)
    accounts: list[AccountResult] = field(default_factory=list)
    # Usernames of the demo accounts not created because accounts were not asked for.
    skipped_accounts: list[str] = field(default_factory=list)

    def declare(self, kind: str, label: Any) -> None:
        self.labels.setdefault(kind, label)
        self.counts.setdefault(kind, Counter())

    def add(self, kind: str, outcome: Outcome) -> None:
        # A kind nobody declared is a bug in a loader: fail loudly rather than drop the count.
        self.counts[kind][outcome] += 1

    def add_account(self, result: AccountResult) -> None:
        self.accounts.append(result)
        self.add(ACCOUNTS, result.outcome)

    def kinds(self) -> list[tuple[str, Any]]:
        """(kind, label) in summary order: as declared, the demo accounts last."""
        return sorted(self.labels.items(), key=lambda item: item[0] == ACCOUNTS)

    def changed_anything(self) -> bool:
        return any(c[Outcome.CREATED] or c[Outcome.UPDATED] for c in self.counts.values())


@dataclass
class DemoContext:
    """What a registered app's loader gets: the run's report and the rows it may refer to."""

    report: LoadReport
    with_accounts: bool
    country: Country
    sources: dict[str, Source]


def load_demo(*, with_accounts: bool) -> LoadReport:
    """Load every demo record; all of it is written, or (on any error) none of it."""
    report = LoadReport()
    for kind, label in KINDS.items():
        report.declare(kind, label)
    if with_accounts:
        report.declare(ACCOUNTS, ACCOUNTS_LABEL)
    with transaction.atomic():
        source_rows = _load_sources(report)
        country = _country(mali.COUNTRY_CODE)
        regions = {r.code: r for r in Region.objects.filter(country=country)}
        _load_advisories(report, country, regions, source_rows)
        _load_bamako(report, country, regions, source_rows)
        _load_contacts(report, country, regions, source_rows)
        _load_security_report(report, country, source_rows)
        _load_crime_profiles(report, country, source_rows)
        for account in accounts.DEMO_ACCOUNTS:
            if with_accounts:
                report.add_account(accounts.demo_account_ensure(account=account))
            else:
                report.skipped_accounts.append(account.username)
        context = DemoContext(report=report, with_accounts=with_accounts, country=country, sources=source_rows)
        for _label, loader_path in registry.registered_loaders():
            import_string(loader_path)(context)
    return report


def _country(code: str) -> Country:
    country = Country.objects.filter(code=code).first()
    if country is None:
        raise DemoDataError(gettext("Country %(code)s is missing; run `manage.py migrate` first.") % {"code": code})
    return country


def _region(regions: dict[str, Region], code: str) -> Region:
    if code not in regions:
        raise DemoDataError(
            gettext("Region %(code)s is missing; run `manage.py migrate` or `manage.py sync_countries` first.")
            % {"code": code}
        )
    return regions[code]


def _load_sources(report: LoadReport) -> dict[str, Source]:
    rows = {}
    for record in sources.SOURCES:
        source, outcome = services.source_upsert(
            slug=record.slug,
            title=record.title,
            publisher=record.publisher,
            kind=record.kind,
            url=record.url,
            published_on=record.published_on,
            notes=record.notes,
        )
        rows[record.slug] = source
        report.add("sources", outcome)
    return rows


def _load_advisories(
    report: LoadReport, country: Country, regions: dict[str, Region], source_rows: dict[str, Source]
) -> None:
    for record in (mali.COUNTRY_ADVISORY, *mali.REGION_ADVISORIES):
        _, outcome = services.advisory_set(
            country=country,
            region=_region(regions, record.region_code) if record.region_code else None,
            level=record.level,
            indicators=record.indicators,
            summary=record.summary,
            summary_fr=record.summary_fr,
            source=source_rows[record.source],
            issued_on=record.issued_on,
        )
        report.add("advisories", outcome)


def _load_bamako(
    report: LoadReport, country: Country, regions: dict[str, Region], source_rows: dict[str, Source]
) -> None:
    city, outcome = services.city_upsert(
        country=country,
        name=mali.BAMAKO.name,
        region=_region(regions, mali.BAMAKO.region_code),
        latitude=mali.BAMAKO.latitude,
        longitude=mali.BAMAKO.longitude,
    )
    report.add("cities", outcome)
    categories = {c.slug: c for c in ThreatCategory.objects.all()}
    for record in mali.THREAT_RATINGS:
        if record.category not in categories:
            raise DemoDataError(
                gettext("Threat category %(slug)s is missing; run `manage.py migrate` first.")
                % {"slug": record.category}
            )
        _, outcome = services.threat_rating_set(
            country=country,
            city=city,
            category=categories[record.category],
            level=record.level,
            assessed_on=record.assessed_on,
            source=source_rows[record.source],
            note=record.note,
            note_fr=record.note_fr,
        )
        report.add("threat_ratings", outcome)


def _load_contacts(
    report: LoadReport, country: Country, regions: dict[str, Region], source_rows: dict[str, Source]
) -> None:
    for record in mali.CONTACTS:
        _, outcome = services.contact_point_upsert(
            country=country,
            region=_region(regions, record.region_code) if record.region_code else None,
            kind=record.kind,
            name=record.name,
            address=record.address,
            phones=record.phones,
            email=record.email,
            hours=record.hours,
            languages=record.languages,
            notes=record.notes,
            last_verified_on=record.last_verified_on,
            source=source_rows[record.source],
            position=record.position,
            french={"name_fr": record.name_fr, "hours_fr": record.hours_fr, "notes_fr": record.notes_fr},
        )
        report.add("contacts", outcome)


def _load_security_report(report: LoadReport, country: Country, source_rows: dict[str, Source]) -> None:
    record = osac_report.OSAC_REPORT
    source = source_rows[record.source]
    _, outcome = services.security_report_revision_publish(
        country=country,
        title=record.title,
        title_fr=record.title_fr,
        what_changed=record.what_changed,
        published_at=record.published_at,
        source=source,
        sections=[
            SectionInput(
                kind=s.kind, heading=s.heading, body=s.body, source=source, heading_fr=s.heading_fr, body_fr=s.body_fr
            )
            for s in record.sections
        ],
    )
    report.add("report_revisions", outcome)


def _load_crime_profiles(report: LoadReport, country: Country, source_rows: dict[str, Source]) -> None:
    for record in crime_profiles.PROFILES:
        _, outcome = services.crime_profile_upsert(
            country=country,
            edition=record.edition,
            source=source_rows[record.source],
            summary=record.summary,
            resilience_score=record.resilience_score,
            assessments=[
                AssessmentInput(indicator=a.indicator, summary=a.summary, score=a.score) for a in record.assessments
            ],
        )
        report.add("crime_profiles", outcome)
