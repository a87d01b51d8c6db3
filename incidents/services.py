"""Writes to the incidents app: logging, editing and reviewing incidents, and API tokens.

Each function runs in one transaction and checks the caller's rights itself, so no page,
API endpoint or command can skip a rule. Other apps hear about publications through the
`incident_published` signal, sent after the transaction commits.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, fields, replace
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from advisories.geo import PointOutsideCountry, RegionLocator
from advisories.models import Country, Region

from .access import is_analyst, officer_organisations, viewer_for, visibility_filter
from .api_tokens import NAME_MAX_LENGTH, ApiToken, TokenRefused, key_digest, key_hint, new_key
from .corrections import IncidentCorrection, changed_fields
from .local_time import latest_local_time
from .models import (
    DESCRIPTION_MAX_LENGTH,
    RETRACTION_REASON_MAX_LENGTH,
    SOURCES_MAX_LENGTH,
    AccountSettings,
    Actor,
    DatePrecision,
    Incident,
    IncidentType,
    LocationPrecision,
    Organisation,
    ReviewStatus,
    SharingLevel,
    TargetType,
)
from .page_versions import incidents_changed
from .signals import incident_published, incident_submitted
from .tasks import schedule_risk_recompute

# Anywhere on Earth it is at most 14 hours ahead of UTC: a date later than that is in the future.
MAX_UTC_OFFSET = dt.timedelta(hours=14)
# An API token lasts at most this long; its last use is recorded to the minute.
MAX_TOKEN_DAYS = 365
LAST_USED_PRECISION = dt.timedelta(minutes=1)


@dataclass
class IncidentFields:
    """What an officer says about an incident: everything but who reports it and its review."""

    title: str
    incident_type: IncidentType
    occurred_on: dt.date
    country: Country
    severity: int
    sharing_level: str = SharingLevel.AMBER
    occurred_at_time: dt.time | None = None
    date_precision: str = DatePrecision.DAY
    region: Region | None = None
    place_name: str = ""
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    location_precision: str = LocationPrecision.EXACT
    # None: not known, which is not 0.
    killed: int | None = None
    injured: int | None = None
    abducted: int | None = None
    description: str = ""
    sources: str = ""
    actors: Iterable[Actor] = field(default_factory=list)
    target_types: Iterable[TargetType] = field(default_factory=list)


SCALAR_FIELDS = tuple(f.name for f in fields(IncidentFields) if f.name not in ("actors", "target_types"))


def incident_clean(data: IncidentFields) -> IncidentFields:
    """Check what no form or API can be trusted to have checked; place the point in a region.

    Raises ValidationError with a message per field, each one a person can act on. A null
    character, which PostgreSQL cannot store, never reaches it: the text fields of the form,
    the admin and the API (Django's and DRF's CharField) refuse it.
    """
    errors: dict[str, list[str]] = {}

    def error(name: str, message: str) -> None:
        errors.setdefault(name, []).append(message)

    data.title = data.title.strip()
    if not data.title:
        error("title", _("Give the incident a short title."))
    if len(data.description) > DESCRIPTION_MAX_LENGTH:
        error(
            "description",
            _("The description is %(length)s characters long; shorten it to %(max)s at most.")
            % {"length": f"{len(data.description):,}", "max": f"{DESCRIPTION_MAX_LENGTH:,}"},
        )
    if len(data.sources) > SOURCES_MAX_LENGTH:
        error(
            "sources",
            _("The sources are %(length)s characters long; keep them to %(max)s, one short line each.")
            % {"length": f"{len(data.sources):,}", "max": f"{SOURCES_MAX_LENGTH:,}"},
        )
    if not 1 <= data.severity <= 5:
        error("severity", _("Severity goes from 1 (minor) to 5 (critical)."))
    if data.sharing_level not in SharingLevel.values:
        error("sharing_level", _("Choose a sharing level: TLP:CLEAR, GREEN, AMBER, AMBER+STRICT or RED."))
    _clean_when(data, error)
    for name in ("killed", "injured", "abducted"):
        count = getattr(data, name)
        if count is not None and count < 0:
            error(name, _("A number of people cannot be negative."))
    _clean_place(data, error)
    if errors:
        raise ValidationError(errors)
    return data


def _clean_when(data: IncidentFields, error: Any) -> None:
    """Refuse a date, or a time today, that has not come yet where the incident happened."""
    now = timezone.now()
    local_now = latest_local_time(data.country.code, now)
    # A country of no known time zone is at most 14 hours ahead of UTC.
    latest_day = local_now.date() if local_now else (now + MAX_UTC_OFFSET).date()
    if data.occurred_on > latest_day:
        error("occurred_on", _("The date %(date)s is in the future.") % {"date": data.occurred_on.isoformat()})
    elif (
        local_now
        and data.occurred_on == latest_day
        and data.occurred_at_time
        and data.occurred_at_time > local_now.time()
    ):
        error(
            "occurred_at_time",
            _("It is %(now)s in %(country)s now: %(time)s today has not come yet.")
            % {"now": f"{local_now:%H:%M}", "country": data.country.name, "time": f"{data.occurred_at_time:%H:%M}"},
        )


def _clean_place(data: IncidentFields, error: Any) -> None:
    has_lat, has_lon = data.latitude is not None, data.longitude is not None
    if data.latitude is not None and not -90 <= data.latitude <= 90:
        error("latitude", _("Latitude %(value)s is out of range: it goes from -90 to 90.") % {"value": data.latitude})
        return
    if data.longitude is not None and not -180 <= data.longitude <= 180:
        error(
            "longitude",
            _("Longitude %(value)s is out of range: it goes from -180 to 180.") % {"value": data.longitude},
        )
        return
    if has_lat != has_lon:
        error("longitude" if has_lat else "latitude", _("Give both latitude and longitude, or neither."))
        return
    if data.region is not None and data.region.country_id != data.country.pk:
        error(
            "region",
            _("%(region)s is not a region of %(country)s.")
            % {"region": data.region.name, "country": data.country.name},
        )
        return
    if data.region is None and not has_lat:
        error("region", _("Pick the region, or give the coordinates so the region can be found from them."))
        return
    if not has_lat:
        return
    assert data.latitude is not None and data.longitude is not None
    locator = RegionLocator(data.country)
    try:
        found = locator.region_at(latitude=data.latitude, longitude=data.longitude)
    except PointOutsideCountry:
        error(
            "latitude",
            _("The point %(lat)s, %(lon)s is not in %(country)s; check the coordinates or the country.")
            % {"lat": data.latitude, "lon": data.longitude, "country": data.country.name},
        )
        return
    if data.region is None:
        data.region = found
    elif found is not None and locator.is_near(data.region, latitude=data.latitude, longitude=data.longitude) is False:
        error(
            "region",
            _("The point %(lat)s, %(lon)s is in %(found)s, not in %(region)s; check the coordinates or the region.")
            % {"lat": data.latitude, "lon": data.longitude, "found": found.name, "region": data.region.name},
        )


def _require_officer(user: User, organisation: Organisation) -> None:
    if not officer_organisations(user).filter(pk=organisation.pk).exists():
        raise PermissionDenied(_("Only the organisation's security officers may log or edit its incidents."))


def _apply(incident: Incident, data: IncidentFields) -> None:
    for name in SCALAR_FIELDS:
        setattr(incident, name, getattr(data, name))


def incident_submit(*, reporter: User, organisation: Organisation, data: IncidentFields) -> Incident:
    """An officer logs an incident for their organisation. It waits for an analyst's review."""
    return incident_submit_once(reporter=reporter, organisation=organisation, data=data, key="").incident


@dataclass(frozen=True)
class Submission:
    incident: Incident
    replayed: bool  # the same submission was saved before, and nothing new was written


class SubmissionKeyReused(ValidationError):
    """A submission key sent again with other values: it names `incident`, saved before."""

    def __init__(self, incident: Incident) -> None:
        super().__init__(
            {
                "submission_key": _(
                    "This submission key was used for incident %(id)s, with other values. Send a new key to log "
                    "another incident, or edit incident %(id)s to change it."
                )
                % {"id": incident.pk}
            },
            code="key_reused",
        )
        self.incident = incident


SUBMISSION_KEY = re.compile(r"[A-Za-z0-9._:-]{8,100}")


def incident_submit_once(*, reporter: User, organisation: Organisation, data: IncidentFields, key: str) -> Submission:
    """incident_submit, at most once per `key` (a form's token, an API client's Idempotency-Key).

    A submission sent again, because its answer was lost or slow, gets the incident the first
    one created. The same key with other values is a ValidationError: it names another
    submission. Two at once create one incident (the database's unique constraint decides).
    """
    _require_officer(reporter, organisation)
    if key and not SUBMISSION_KEY.fullmatch(key):
        raise ValidationError(
            {"submission_key": _("A submission key is 8 to 100 letters, digits and . _ : - characters.")},
            code="invalid",
        )
    data = incident_clean(data)
    data = replace(data, actors=list(data.actors), target_types=list(data.target_types))
    digest = _submission_digest(organisation, data) if key else ""
    if key:
        earlier = _earlier_submission(reporter, key, digest)
        if earlier is not None:
            return Submission(incident=earlier, replayed=True)
    try:
        with transaction.atomic():
            incident = Incident(
                organisation=organisation,
                reporter=reporter,
                status=ReviewStatus.SUBMITTED,
                submission_key=key,
                submission_digest=digest,
            )
            _apply(incident, data)
            incident.save()
            incident.actors.set(list(data.actors))
            incident.target_types.set(list(data.target_types))
    except IntegrityError:
        earlier = _earlier_submission(reporter, key, digest) if key else None
        if earlier is None:
            raise
        return Submission(incident=earlier, replayed=True)
    incident_id = incident.pk
    transaction.on_commit(lambda: incident_submitted.send(sender=Incident, incident_id=incident_id))
    return Submission(incident=incident, replayed=False)


def _earlier_submission(reporter: User, key: str, digest: str) -> Incident | None:
    earlier = Incident.objects.filter(reporter=reporter, submission_key=key).first()
    if earlier is not None and earlier.submission_digest != digest:
        raise SubmissionKeyReused(earlier)
    return earlier


def _submission_digest(organisation: Organisation, data: IncidentFields) -> str:
    """A fingerprint of what was submitted: the cleaned values, related objects by id."""
    values: dict[str, object] = {name: getattr(data, name) for name in SCALAR_FIELDS}
    values = {name: getattr(value, "pk", value) for name, value in values.items()}
    values["organisation"] = organisation.pk
    values["actors"] = sorted(actor.pk for actor in data.actors)
    values["target_types"] = sorted(target.pk for target in data.target_types)
    canonical = json.dumps(values, sort_keys=True, default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def incident_update(*, incident: Incident, editor: User, data: IncidentFields) -> Incident:
    """An officer of the reporting organisation corrects an incident. Its review status is kept;
    a change to a published incident is recorded as a correction (incidents/corrections.py)."""
    if incident.organisation is None:
        raise PermissionDenied(_("Imported incidents are corrected at their source and imported again."))
    _require_officer(editor, incident.organisation)
    data = incident_clean(data)
    data = replace(data, actors=list(data.actors), target_types=list(data.target_types))
    with transaction.atomic():
        locked = Incident.objects.select_for_update().get(pk=incident.pk)
        before = (locked.country_id, locked.sharing_level)
        if locked.status == ReviewStatus.PUBLISHED:
            _record_correction(locked, editor=editor, data=data)
        _apply(locked, data)
        locked.save()
        locked.actors.set(list(data.actors))
        locked.target_types.set(list(data.target_types))
        if locked.status == ReviewStatus.PUBLISHED:
            # A correction moves the index of the country it left and of the one it is in now.
            _risk_changed_on_commit(before, (locked.country_id, locked.sharing_level))
    incident.refresh_from_db()
    return incident


def _field_values(source: Any, *, actors: Iterable[Actor], target_types: Iterable[TargetType]) -> dict[str, Any]:
    values = {name: getattr(source, name) for name in SCALAR_FIELDS}
    return values | {"actors": list(actors), "target_types": list(target_types)}


def _record_correction(incident: Incident, *, editor: User, data: IncidentFields) -> None:
    before = _field_values(incident, actors=incident.actors.all(), target_types=incident.target_types.all())
    after = _field_values(data, actors=data.actors, target_types=data.target_types)
    changes = changed_fields(before, after)
    if changes:
        IncidentCorrection.objects.create(incident=incident, editor=editor, changes=changes)


def _require_analyst(user: User) -> None:
    if not is_analyst(user):
        raise PermissionDenied(_("Only analysts may verify, publish or retract incidents."))


def _transition(
    *, incident: Incident, analyst: User, allowed_from: Iterable[str], changes: dict[str, Any], refusal: str
) -> Incident:
    """Move an incident between review states if, and only if, it is in one of `allowed_from`.

    The conditional UPDATE is the claim: two analysts clicking at once cannot both succeed.
    An analyst acts only on incidents the sharing rules let them see.
    """
    with transaction.atomic():
        visible = Incident.objects.filter(visibility_filter(viewer_for(analyst)))
        if not visible.filter(pk=incident.pk).exists():
            raise PermissionDenied(_("This incident's sharing level does not let analysts review it."))
        claimed = visible.filter(pk=incident.pk, status__in=list(allowed_from)).update(
            **changes, updated_at=timezone.now()
        )
    if claimed != 1:
        raise ValidationError(refusal)
    incidents_changed([incident.country_id])
    incident.refresh_from_db()
    return incident


def incident_verify(*, incident: Incident, analyst: User) -> Incident:
    _require_analyst(analyst)
    return _transition(
        incident=incident,
        analyst=analyst,
        allowed_from=[ReviewStatus.SUBMITTED],
        changes={"status": ReviewStatus.VERIFIED, "verified_at": timezone.now(), "verified_by": analyst},
        refusal=_("Only a submitted incident can be verified."),
    )


def incident_publish(*, incident: Incident, analyst: User) -> Incident:
    _require_analyst(analyst)
    now = timezone.now()
    changes: dict[str, Any] = {"status": ReviewStatus.PUBLISHED, "published_at": now, "published_by": analyst}
    if incident.verified_at is None:
        changes |= {"verified_at": now, "verified_by": analyst}
    incident = _transition(
        incident=incident,
        analyst=analyst,
        allowed_from=[ReviewStatus.SUBMITTED, ReviewStatus.VERIFIED],
        changes=changes,
        refusal=_("Only a submitted or verified incident can be published."),
    )
    incident_id = incident.pk
    transaction.on_commit(lambda: incident_published.send(sender=Incident, incident_id=incident_id))
    _risk_changed_on_commit((incident.country_id, incident.sharing_level))
    return incident


def _risk_changed_on_commit(*places: tuple[int, str]) -> None:
    """Recompute, once the transaction commits, the risk index of the countries of these
    (country id, sharing level) pairs: only public incidents move it (incidents/risk/)."""
    for country_id in sorted({country_id for country_id, level in places if level == SharingLevel.CLEAR}):
        transaction.on_commit(lambda country_id=country_id: schedule_risk_recompute(country_id))  # type: ignore[misc]


def incident_retract(*, incident: Incident, analyst: User, reason: str) -> Incident:
    _require_analyst(analyst)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the incident is retracted; readers will see it.")})
    if len(reason) > RETRACTION_REASON_MAX_LENGTH:
        raise ValidationError(
            {
                "reason": _("The reason is %(length)s characters long; say it in %(max)s at most.")
                % {"length": f"{len(reason):,}", "max": f"{RETRACTION_REASON_MAX_LENGTH:,}"}
            }
        )
    incident = _transition(
        incident=incident,
        analyst=analyst,
        allowed_from=[ReviewStatus.SUBMITTED, ReviewStatus.VERIFIED, ReviewStatus.PUBLISHED],
        changes={
            "status": ReviewStatus.RETRACTED,
            "retracted_at": timezone.now(),
            "retracted_by": analyst,
            "retraction_reason": reason,
        },
        refusal=_("This incident is already retracted."),
    )
    # Whether or not it had been published: a recomputation that changes nothing writes nothing.
    _risk_changed_on_commit((incident.country_id, incident.sharing_level))
    return incident


def api_token_create(*, user: User, name: str = "", days: int | None = None) -> tuple[ApiToken, str]:
    """Give an active user a new named API token and return it with its key, the only time anyone
    sees the key. The user's other tokens keep working. `days` defaults to API_TOKEN_DEFAULT_DAYS.

    The user's row is locked so that a deactivation at the same moment cannot slip between the
    check and the creation.
    """
    name = name.strip() or _("API token")
    days = settings.API_TOKEN_DEFAULT_DAYS if days is None else days
    if len(name) > NAME_MAX_LENGTH:
        raise ValidationError({"name": _("Keep the name under %(max)d characters.") % {"max": NAME_MAX_LENGTH}})
    if not 1 <= days <= MAX_TOKEN_DAYS:
        raise ValidationError({"days": _("A token lasts 1 to %(max)d days.") % {"max": MAX_TOKEN_DAYS}})
    key = new_key()
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        if not locked.is_active:
            raise PermissionDenied(_("This account is deactivated, so it cannot have an API token."))
        now = timezone.now()
        token = ApiToken.objects.create(
            user=locked,
            name=name,
            digest=key_digest(key),
            hint=key_hint(key),
            created=now,
            expires_at=now + dt.timedelta(days=days),
        )
    return token, key


def api_token_revoke(*, user: User, token_id: int) -> bool:
    """Delete one of the user's API tokens; True if it was theirs. Inactive users too: revoking only takes away."""
    deleted, _per_model = ApiToken.objects.filter(user_id=user.pk, pk=token_id).delete()
    return deleted > 0


def api_token_authenticate(*, key: str) -> User:
    """The active user whose unexpired token has this key, or TokenRefused with the reason.

    Records the token's use at most once a LAST_USED_PRECISION, so that a busy program does not
    cost a write per request.
    """
    token = ApiToken.objects.select_related("user").filter(digest=key_digest(key)).first()
    if token is None:
        raise TokenRefused(_("Invalid token."))
    now = timezone.now()
    if token.expires_at <= now:
        raise TokenRefused(
            _("This token expired on %(date)s UTC.") % {"date": token.expires_at.strftime("%Y-%m-%d %H:%M")}
        )
    if not token.user.is_active:
        raise TokenRefused(_("User inactive or deleted."))
    if token.last_used_at is None or token.last_used_at <= now - LAST_USED_PRECISION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


def account_language_set(*, user: User, language: str) -> AccountSettings:
    """Remember `language` (one of settings.LANGUAGES) for the person's pages and e-mails."""
    if language not in dict(settings.LANGUAGES):
        raise ValidationError(_("Vigil has no language %(code)s.") % {"code": language})
    account, _created = AccountSettings.objects.update_or_create(user=user, defaults={"language": language})
    return account
