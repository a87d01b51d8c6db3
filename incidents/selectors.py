"""Reads shared by pages, exports, feeds, the API and e-mails. The access rules of incidents/access.py
are applied here."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, time
from itertools import islice
from types import SimpleNamespace
from typing import Any, TypeVar

from django.db.models import QuerySet
from django.http import Http404

from advisories.models import Country, Region
from config.translation import CONTENT_LANGUAGES

from .access import AnyUser, Viewer, reporter_shown, viewer_for, visibility_filter
from .api_tokens import ApiToken
from .export import EXPORT_FIELDS
from .models import AccountSettings, Incident, IncidentActor, Membership


def incidents_visible_to(user: AnyUser | Viewer | None) -> QuerySet[Incident]:
    """Every incident the user may see, with what list pages need loaded alongside."""
    viewer = user if isinstance(user, Viewer) else viewer_for(user)
    return (
        Incident.objects.filter(visibility_filter(viewer))
        .select_related("country", "region", "incident_type__category", "organisation")
        .prefetch_related("actors", "target_types")
    )


def incident_for_viewer(user: AnyUser | Viewer | None, pk: int) -> Incident:
    """One incident the user may see; a 404 otherwise, so its existence is not revealed."""
    try:
        return incidents_visible_to(user).select_related("reporter", "source_document").get(pk=pk)
    except Incident.DoesNotExist:
        raise Http404("No such incident.") from None


def memberships_of(user: AnyUser | None) -> QuerySet[Membership]:
    if user is None or not user.is_authenticated:
        return Membership.objects.none()
    return Membership.objects.filter(user_id=user.pk, organisation__is_active=True).select_related("organisation")


# An incident as a queryset reads it: a model instance, or a row of values.
_Row = TypeVar("_Row", Incident, dict[str, Any])


def in_order_of(incidents: QuerySet[Incident, _Row], ids: Sequence[int]) -> list[_Row]:
    """The incidents of `incidents` with these ids, in their order: the second query of a page
    whose ids were picked first from a narrow index. One that left the queryset in between
    (retracted, shared less, moved) is left out, not an error. The incidents are read as the
    queryset reads them: model instances, or rows of values with their "id"."""
    found = {row["id"] if isinstance(row, dict) else row.pk: row for row in incidents.filter(pk__in=ids).order_by()}
    return [found[pk] for pk in ids if pk in found]


# Incident lists, the CSV export and the public pages' recent incidents ---------------------

# Columns of an incident that no list shows (the pages' rows, the API's rows and GeoJSON features):
# the long texts, read only by the incident's own page.
LONG_TEXTS = (
    "description",
    "sources",
    "import_repairs",
    "source_terms",
    "retraction_reason",
    "submission_key",
    "submission_digest",
)

# Most recent public incidents shown on a country or region advisory page.
RECENT_PUBLIC_INCIDENTS = 10
# Rows the CSV export reads per query; each batch loads its actors and target types in two more.
EXPORT_BATCH_SIZE = 2000


# What a row of the API's list shows of an incident, read as plain values: its type, category and
# place are named by their joined columns. Building model instances through select_related and
# serializing them field by field cost more than the query itself (bench/lists_at_scale.py); the
# rows are written by incidents.api.serializers.brief_rows, which keeps IncidentBriefSerializer's form.
ROW_COLUMNS = (
    "id",
    "title",
    "incident_type__slug",
    "incident_type__name",
    "incident_type__category__slug",
    "incident_type__category__name",
    "severity",
    "occurred_on",
    "date_precision",
    "country__code",
    "country__name",
    "region__code",
    "region__name",
    "sharing_level",
    "status",
    "killed",
    "injured",
    "abducted",
    "updated_at",
)
# A GeoJSON feature's columns: a row's, and where it is.
FEATURE_COLUMNS = (*ROW_COLUMNS, "latitude", "longitude")


def incident_rows_for(user: AnyUser | Viewer | None) -> QuerySet[Incident]:
    """What the user may see, for the API's list rows and GeoJSON features, to be read with
    incident_row_values once filtered: nothing joined yet, so that a page's ids (IncidentPagination)
    are read from the incidents alone."""
    return incidents_visible_to(user).prefetch_related(None).select_related(None)


def incident_row_values(
    incidents: QuerySet[Incident], *, coordinates: bool = False
) -> QuerySet[Incident, dict[str, Any]]:
    """The incidents of an (already filtered, access-checked) queryset as rows of ROW_COLUMNS
    (with `coordinates`, FEATURE_COLUMNS)."""
    return incidents.values(*(FEATURE_COLUMNS if coordinates else ROW_COLUMNS))


def incident_list_for(
    user: AnyUser | Viewer | None,
    *,
    country: Country | None = None,
    region: Region | None = None,
    organisation_ids: Iterable[int] | None = None,
) -> QuerySet[Incident]:
    """The incidents of a list page, newest first: what the user may see, in a place or of some
    organisations. Loads the actors that a row names, and no long text; filters are applied on top
    by the caller."""
    incidents = incidents_visible_to(user).prefetch_related(None).prefetch_related("actors").defer(*LONG_TEXTS)
    if country is not None:
        incidents = incidents.filter(country=country)
    if region is not None:
        incidents = incidents.filter(region=region)
    if organisation_ids is not None:
        incidents = incidents.filter(organisation_id__in=list(organisation_ids))
    return incidents.order_by("-occurred_on", "-id")


@dataclass(frozen=True, slots=True)
class IncidentRow:
    """What a list page's row shows of an incident, as plain values. `incident_type` has the
    type's name in each content language (`name`, `name_fr`), for `localized`; `reporter` is the
    reporting organisation's name, or None where the viewer may not learn it."""

    pk: int
    title: str
    occurred_on: date
    occurred_at_time: time | None
    date_precision: str
    incident_type: SimpleNamespace
    actors: list[str]
    place_name: str
    region: str | None
    country: str
    severity: int
    killed: int | None
    injured: int | None
    abducted: int | None
    sharing_level: str
    status: str
    reporter: str | None


# The columns a row shows: the type's name in each content language, and what decides whether the
# reporter may be named.
_TYPE_NAMES = tuple(f"name{suffix}" for suffix in CONTENT_LANGUAGES.values())
_ROW_FIELDS = (
    *("id", "title", "occurred_on", "occurred_at_time", "date_precision", "place_name", "severity"),
    *("killed", "injured", "abducted", "sharing_level", "status", "organisation_id"),
    *("region__name", "country__name", "organisation__name", "organisation__named_publicly"),
    *(f"incident_type__{name}" for name in _TYPE_NAMES),
)


def incident_rows(incidents: QuerySet[Incident], ids: Sequence[int], *, viewer: Viewer) -> list[IncidentRow]:
    """The rows of a list page: the incidents of `incidents` (already access-checked and filtered)
    with these ids, in their order, read as values of the columns shown, in two queries (the rows,
    their actors). One that left the queryset after its id was picked is left out (`in_order_of`).
    Building model instances with their five related objects cost more than the query."""
    rows = in_order_of(incidents.select_related(None).prefetch_related(None).values(*_ROW_FIELDS), ids)
    actors: dict[int, list[str]] = defaultdict(list)
    # As the incident's `actors` relation lists them: by name, once for each role.
    links = IncidentActor.objects.filter(incident_id__in=[row["id"] for row in rows]).order_by("actor__name")
    for incident_id, name in links.values_list("incident_id", "actor__name"):
        actors[incident_id].append(name)
    return [_row(row, actors[row["id"]], viewer) for row in rows]


def _row(values: dict[str, Any], actors: list[str], viewer: Viewer) -> IncidentRow:
    shown = reporter_shown(
        viewer,
        organisation_id=values["organisation_id"],
        sharing_level=values["sharing_level"],
        named_publicly=bool(values["organisation__named_publicly"]),
    )
    return IncidentRow(
        pk=values["id"],
        title=values["title"],
        occurred_on=values["occurred_on"],
        occurred_at_time=values["occurred_at_time"],
        date_precision=values["date_precision"],
        incident_type=SimpleNamespace(**{name: values[f"incident_type__{name}"] for name in _TYPE_NAMES}),
        actors=actors,
        place_name=values["place_name"],
        region=values["region__name"],
        country=values["country__name"],
        severity=values["severity"],
        killed=values["killed"],
        injured=values["injured"],
        abducted=values["abducted"],
        sharing_level=values["sharing_level"],
        status=values["status"],
        reporter=values["organisation__name"] if shown else None,
    )


# What the CSV export reads of each incident, as plain values (incidents.export.EXPORT_FIELDS):
# building 100,000 model instances with their related objects cost ten times more than writing
# the CSV (bench/incident_lists.py).


def incident_export_rows(incidents: QuerySet[Incident]) -> Iterator[dict[str, Any]]:
    """The incidents of an (already filtered, access-checked) queryset as dicts of EXPORT_FIELDS,
    plus "actors" [(name, role)] and "target_types" [name], read in batches so that an export
    of 100,000 rows never holds them all in memory: one query for the rows, two per batch."""
    rows = incidents.select_related(None).prefetch_related(None).values(*EXPORT_FIELDS)
    stream = rows.iterator(chunk_size=EXPORT_BATCH_SIZE)
    while batch := list(islice(stream, EXPORT_BATCH_SIZE)):
        ids = [row["id"] for row in batch]
        actors: dict[int, list[tuple[str, str]]] = defaultdict(list)
        links = IncidentActor.objects.filter(incident_id__in=ids).order_by("role", "actor__name")
        for incident_id, name, role in links.values_list("incident_id", "actor__name", "role"):
            actors[incident_id].append((name, role))
        targets: dict[int, list[str]] = defaultdict(list)
        hits = Incident.target_types.through.objects.filter(incident_id__in=ids)
        for incident_id, name in hits.order_by("targettype__position", "targettype__name").values_list(
            "incident_id", "targettype__name"
        ):
            targets[incident_id].append(name)
        for row in batch:
            row["actors"] = actors.get(row["id"], [])
            row["target_types"] = targets.get(row["id"], [])
            yield row


def recent_public_incidents(
    *, country: Country | None = None, region: Region | None = None, limit: int = RECENT_PUBLIC_INCIDENTS
) -> list[Incident]:
    """The latest published TLP:CLEAR incidents of a country or region, as anyone sees them,
    whoever is signed in: the advisory pages that show them are the same for everyone. One query."""
    incidents = incidents_visible_to(None).prefetch_related(None)
    if region is not None:
        incidents = incidents.filter(region=region)
    elif country is not None:
        incidents = incidents.filter(country=country)
    return list(incidents.order_by("-occurred_on", "-id")[:limit])


def api_tokens_of(user: AnyUser) -> QuerySet[ApiToken]:
    """The user's API tokens, newest first (none for an anonymous visitor)."""
    if not user.is_authenticated:
        return ApiToken.objects.none()
    return ApiToken.objects.filter(user_id=user.pk).order_by("-created", "-id")


def account_language(user_id: int | None) -> str | None:
    """The language a person chose for their account, or None when they never chose one."""
    if user_id is None:
        return None
    return AccountSettings.objects.filter(user_id=user_id).values_list("language", flat=True).first()


def account_languages(user_ids: Iterable[int]) -> dict[int, str]:
    """The language each of these people chose for their account, for those who chose one: one query."""
    ids = set(user_ids)
    if not ids:
        return {}
    return dict(AccountSettings.objects.filter(user_id__in=ids).values_list("user_id", "language"))
