"""Write the incidents demo data: run by `manage.py load_demo` inside its one transaction.

`incidents.apps` registers `load` with advisories' demo registry; load_demo calls it after
the advisories data, so the source documents and Mali's regions exist by then.

Every record is found again by a stable key (an actor's name, an organisation's slug, an
incident's external id with external_source "demo"), so a second run changes nothing, and
a record someone edited is put back and counted as updated. The review state of an incident
(published for the seed incidents, submitted for the organisations') is set when it is
created and then left to the analysts: the loader does not undo a retraction. No
`incident_published` signal is sent: loading demo data must not alert anyone.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from advisories.demo.accounts import demo_account_ensure
from advisories.demo.loader import DemoContext, DemoDataError, LoadReport
from advisories.models import Country, Region, Source
from advisories.services import Outcome
from advisories.services.common import apply, save_changes
from incidents.memberships import membership_save
from incidents.models import (
    Actor,
    Incident,
    IncidentActor,
    IncidentType,
    LocationPrecision,
    Membership,
    Organisation,
    ReviewStatus,
    TargetType,
)
from incidents.risk.services import risk_recompute
from incidents.services import SCALAR_FIELDS, IncidentFields, incident_clean

from . import actors, organisations, seed_incidents
from .records import IncidentRecord

EXTERNAL_SOURCE = "demo"

ACTORS = "actors"
INCIDENTS = "incidents"
ORGANISATIONS = "organisations"
MEMBERSHIPS = "memberships"
ORGANISATION_INCIDENTS = "organisation_incidents"


def load(context: DemoContext) -> None:
    _load_incidents(context)
    # The risk index of each country with incidents, as of today, from what was just loaded.
    for country in Country.objects.filter(pk__in=Incident.objects.values("country_id")):
        risk_recompute(country=country)


def _load_incidents(context: DemoContext) -> None:
    report = context.report
    report.declare(ACTORS, gettext_lazy("Actors"))
    report.declare(INCIDENTS, gettext_lazy("Incidents of the seed documents"))
    lookups = _Lookups(context, _load_actors(report))
    for record in seed_incidents.INCIDENTS:
        report.add(INCIDENTS, _incident_ensure(record, lookups))
    if not context.with_accounts:
        # The demo NGOs, their users and their incidents belong together: without the
        # accounts there is nobody to log or read those incidents.
        report.skipped_accounts.extend(account.username for account in organisations.ACCOUNTS)
        return
    report.declare(ORGANISATIONS, gettext_lazy("Demo organisations"))
    report.declare(MEMBERSHIPS, gettext_lazy("Demo memberships"))
    report.declare(ORGANISATION_INCIDENTS, gettext_lazy("Demo organisations' incidents"))
    lookups.organisations = _load_organisations(report)
    lookups.users = _load_accounts(report)
    _load_memberships(report, lookups)
    for record in organisations.INCIDENTS:
        report.add(ORGANISATION_INCIDENTS, _incident_ensure(record, lookups))


class _Lookups:
    """The rows the incident records refer to by slug, code or name, loaded once."""

    def __init__(self, context: DemoContext, actor_rows: dict[str, Actor]) -> None:
        self.context = context
        self.actors = actor_rows
        self.regions = {r.code: r for r in Region.objects.filter(country=context.country)}
        self.incident_types = {t.slug: t for t in IncidentType.objects.all()}
        self.target_types = {t.slug: t for t in TargetType.objects.all()}
        self.organisations: dict[str, Organisation] = {}
        self.users: dict[str, User] = {}

    def get(self, table: dict[str, Any], key: str, what: str) -> Any:
        if key not in table:
            raise DemoDataError(
                gettext("%(what)s %(key)s is missing; run `manage.py migrate` first.") % {"what": what, "key": key}
            )
        return table[key]

    def source(self, slug: str) -> Source:
        return self.get(self.context.sources, slug, gettext("Source document"))


def _load_actors(report: LoadReport) -> dict[str, Actor]:
    rows = {}
    for record in actors.ACTORS:
        values = {"kind": record.kind, "aliases": list(record.aliases), "description": record.description}
        actor = Actor.objects.select_for_update().filter(name=record.name).first()
        if actor is None:
            actor = Actor(name=record.name, **values)
            actor.full_clean(validate_unique=False, validate_constraints=False)
            actor.save()
            outcome = Outcome.CREATED
        else:
            outcome = save_changes(actor, apply(actor, values))
        rows[record.name] = actor
        report.add(ACTORS, outcome)
    return rows


def _load_organisations(report: LoadReport) -> dict[str, Organisation]:
    rows, outcomes = {}, {}
    for record in organisations.ORGANISATIONS:
        values = {"name": record.name, "kind": record.kind, "time_zone": record.time_zone, "is_active": True}
        organisation = Organisation.objects.select_for_update().filter(slug=record.slug).first()
        if organisation is None:
            organisation = Organisation(slug=record.slug, **values)
            organisation.full_clean(validate_unique=False, validate_constraints=False)
            organisation.save()
            outcomes[record.slug] = Outcome.CREATED
        else:
            outcomes[record.slug] = save_changes(organisation, apply(organisation, values))
        rows[record.slug] = organisation
    # The demo NGOs are not partners (see `organisations`): a partnership added since is undone.
    for slug, organisation in rows.items():
        others = [other for other in rows.values() if other.pk != organisation.pk]
        if organisation.partners.filter(pk__in=[other.pk for other in others]).exists():
            organisation.partners.remove(*others)
            organisation.save(update_fields=["updated_at"])
            outcomes[slug] = Outcome.UPDATED
    for outcome in outcomes.values():
        report.add(ORGANISATIONS, outcome)
    return rows


def _load_accounts(report: LoadReport) -> dict[str, User]:
    for account in organisations.ACCOUNTS:
        report.add_account(demo_account_ensure(account=account))
    usernames = [account.username for account in organisations.ACCOUNTS]
    return {user.username: user for user in get_user_model().objects.filter(username__in=usernames)}


def _load_memberships(report: LoadReport, lookups: _Lookups) -> None:
    for record in organisations.MEMBERS:
        user = lookups.users[record.username]
        organisation = lookups.organisations[record.organisation]
        membership = Membership.objects.select_for_update().filter(user=user, organisation=organisation).first()
        if membership is None:
            membership_save(by=None, membership=Membership(user=user, organisation=organisation, role=record.role))
            outcome = Outcome.CREATED
        elif membership.role != record.role:
            membership.role = record.role
            membership_save(by=None, membership=membership)
            outcome = Outcome.UPDATED
        else:
            outcome = Outcome.UNCHANGED
        report.add(MEMBERSHIPS, outcome)


def _incident_ensure(record: IncidentRecord, lookups: _Lookups) -> Outcome:
    values = _incident_values(record, lookups)
    links: set[tuple[int, str]] = {
        (lookups.get(lookups.actors, name, gettext("Actor")).pk, role.value)
        for names, role in (
            (record.perpetrators, IncidentActor.Role.PERPETRATOR),
            (record.targets, IncidentActor.Role.TARGET),
            (record.involved, IncidentActor.Role.INVOLVED),
        )
        for name in names
    }
    target_type_ids = {
        lookups.get(lookups.target_types, slug, gettext("Target type")).pk for slug in record.target_types
    }

    incident = (
        Incident.objects.select_for_update().filter(external_source=EXTERNAL_SOURCE, external_id=record.key).first()
    )
    if incident is None:
        now = timezone.now()
        review: dict[str, Any] = {"status": ReviewStatus.SUBMITTED}
        if not record.organisation:
            review = {"status": ReviewStatus.PUBLISHED, "verified_at": now, "published_at": now}
        incident = Incident(external_source=EXTERNAL_SOURCE, external_id=record.key, **values, **review)
        _validate(record, incident)
        incident.save()
        _set_links(incident, links, target_type_ids)
        return Outcome.CREATED

    changed = apply(incident, values)
    if changed:
        _validate(record, incident)
    links_changed = _set_links(incident, links, target_type_ids)
    if changed:
        incident.save(update_fields=[*changed, "updated_at"])
    elif links_changed:
        incident.save(update_fields=["updated_at"])
    return Outcome.UPDATED if changed or links_changed else Outcome.UNCHANGED


def _incident_values(record: IncidentRecord, lookups: _Lookups) -> dict[str, Any]:
    region = lookups.get(lookups.regions, record.region_code, gettext("Region")) if record.region_code else None
    organisation = lookups.organisations[record.organisation] if record.organisation else None
    reporter = lookups.users[record.reporter] if record.reporter else None
    return {
        "title": record.title,
        "incident_type_id": lookups.get(lookups.incident_types, record.incident_type, gettext("Incident type")).pk,
        "description": record.description,
        "severity": record.severity,
        "occurred_on": record.occurred_on,
        "occurred_at_time": record.occurred_at_time,
        "date_precision": record.date_precision,
        "country_id": lookups.context.country.pk,
        "region_id": region.pk if region else None,
        "place_name": record.place_name,
        "latitude": None,
        "longitude": None,
        "location_precision": record.location_precision,
        "killed": record.killed,
        "injured": record.injured,
        "abducted": record.abducted,
        "sources": record.sources,
        "source_document_id": lookups.source(record.source).pk,
        "organisation_id": organisation.pk if organisation else None,
        "reporter_id": reporter.pk if reporter else None,
        "sharing_level": record.sharing_level,
    }


def _validate(record: IncidentRecord, incident: Incident) -> None:
    """The checks an officer's incident goes through, and the model's own.

    `incident_clean` insists on a region or coordinates, as a form should. A document that
    says only "in Mali" gives neither; for such a record (LocationPrecision.COUNTRY) that one
    complaint is expected and set aside, and every other check still applies.
    """
    errors: dict[str, list[str]] = {}
    try:
        incident_clean(IncidentFields(**{name: getattr(incident, name) for name in SCALAR_FIELDS}))
    except ValidationError as error:
        errors = dict(error.message_dict)
    if incident.region_id is None and record.location_precision == LocationPrecision.COUNTRY:
        errors.pop("region", None)
    try:
        incident.full_clean(validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            errors.setdefault(name, []).extend(messages)
    if errors:
        raise DemoDataError(
            gettext("Demo incident %(key)s is not valid: %(errors)s")
            % {"key": record.key, "errors": " ".join(m for messages in errors.values() for m in messages)}
        )


def _set_links(incident: Incident, links: set[tuple[int, str]], target_type_ids: set[int]) -> bool:
    """Make the incident's actors and target types these; say whether anything changed."""
    changed = False
    current_links = set(IncidentActor.objects.filter(incident=incident).values_list("actor_id", "role"))
    if current_links != links:
        IncidentActor.objects.filter(incident=incident).delete()
        IncidentActor.objects.bulk_create(
            IncidentActor(incident=incident, actor_id=actor_id, role=role) for actor_id, role in sorted(links)
        )
        changed = True
    if set(incident.target_types.values_list("pk", flat=True)) != target_type_ids:
        incident.target_types.set(target_type_ids)
        changed = True
    return changed
