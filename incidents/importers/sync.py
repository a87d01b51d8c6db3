"""Writing imported incidents: create the new, update what really changed, leave the rest.

An importer turns its file into `Planned` incidents, each with every value the source gives.
`incidents_sync` compares them with what the database holds under the same external
identity and writes in bulk, in one transaction: a second run of the same file reads but
writes nothing. A dry run does the same work and rolls it back, so its report is the one a
real run would give.

Imported incidents have no reporting organisation or reporter; they are published TLP:CLEAR
when first created. A re-import never touches their review fields, so an analyst's
retraction of an imported incident stands.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import operator
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, connection, models
from django.utils import timezone
from django.utils.translation import gettext as _
from psycopg import sql

from config.importing.report import FileRefused, Progress, no_progress
from config.importing.writing import import_transaction

from ..models import Actor, Incident, IncidentActor, ReviewStatus, SharingLevel, TargetType
from ..page_versions import incidents_changed
from .base import ImportReport

# The incident fields an import sets; compared one by one to tell "updated" from "unchanged".
IMPORTED_FIELDS = (
    "title",
    "incident_type_id",
    "description",
    "severity",
    "occurred_on",
    "date_precision",
    "country_id",
    "region_id",
    "place_name",
    "latitude",
    "longitude",
    "location_precision",
    "killed",
    "injured",
    "abducted",
    "sources",
    "import_repairs",
    "source_terms",
)
ACTOR_NAME_MAX_LENGTH = Actor._meta.get_field("name").max_length or 200
_CHUNK = 500


@dataclass(frozen=True)
class ActorPart:
    name: str
    kind: str
    role: str


@dataclass
class Planned:
    """One incident as the file describes it."""

    external_id: str
    line: int
    values: dict[str, Any]
    actors: list[ActorPart] = field(default_factory=list)
    target_types: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        # What the importer repaired in the row, and the values it did not know in the source's words.
        self.values.setdefault("import_repairs", [])
        self.values.setdefault("source_terms", {})


# A file names a few dozen actors, each on thousands of rows.
@functools.lru_cache(maxsize=4096)
def _key(name: str) -> str:
    return " ".join(name.casefold().split())


class ActorDirectory:
    """Actors by name or alias, ignoring case and spacing.

    An alias is looked up before a name: when an analyst has recorded an ACLED spelling as
    an alias of a curated actor, imports attach to that actor rather than to a look-alike.
    Actors that do not exist yet are created together, with the kind the file suggests; an
    existing actor's kind is the analysts' and is left alone.
    """

    def __init__(self) -> None:
        self._ids: dict[str, int] = {}
        by_name: dict[str, int] = {}
        for pk, name, aliases in Actor.objects.values_list("pk", "name", "aliases"):
            by_name.setdefault(_key(name), pk)
            for alias in aliases or []:
                if isinstance(alias, str) and alias.strip():
                    self._ids.setdefault(_key(alias), pk)
        for key, pk in by_name.items():
            self._ids.setdefault(key, pk)
        self.created: list[str] = []

    def resolve(self, parts: Iterable[ActorPart]) -> dict[str, int]:
        """The actor id of every name, creating the missing actors."""
        missing: dict[str, Actor] = {}
        for part in parts:
            key = _key(part.name)
            if key not in self._ids and key not in missing:
                missing[key] = Actor(name=part.name, kind=part.kind)
        if missing:
            actors = Actor.objects.bulk_create(missing.values(), batch_size=_CHUNK)
            names = [actor.name for actor in actors]
            if _returns_ids():
                self._ids.update((_key(actor.name), actor.pk) for actor in actors)
            else:
                for chunk in _chunks(names):
                    for pk, name in Actor.objects.filter(name__in=chunk).values_list("pk", "name"):
                        self._ids[_key(name)] = pk
            self.created.extend(names)
        return self._ids

    def id_of(self, name: str) -> int:
        return self._ids[_key(name)]


def _returns_ids() -> bool:
    """Whether a bulk insert gives the new rows' ids (PostgreSQL, SQLite 3.35 and later)."""
    return bool(connection.features.can_return_rows_from_bulk_insert)


def _chunks(items: Sequence[Any]) -> Iterable[Sequence[Any]]:
    for start in range(0, len(items), _CHUNK):
        yield items[start : start + _CHUNK]


def _load_existing(source: str, external_ids: list[str]) -> dict[str, dict[str, Any]]:
    existing: dict[str, dict[str, Any]] = {}
    for chunk in _chunks(external_ids):
        # `external_id <> ''` lets PostgreSQL use the partial index incident_unique_external_identity:
        # it cannot infer it from an IN list of more than 100 values, and read the whole table instead.
        rows = (
            Incident.objects.filter(external_source=source, external_id__in=chunk)
            .exclude(external_id="")
            .order_by()
            .values("pk", "external_id", *IMPORTED_FIELDS)
        )
        existing.update({row["external_id"]: row for row in rows})
    return existing


def _load_links(incident_ids: list[int]) -> tuple[dict[int, set[tuple[int, str]]], dict[int, set[int]]]:
    actors: dict[int, set[tuple[int, str]]] = defaultdict(set)
    targets: dict[int, set[int]] = defaultdict(set)
    through = Incident.target_types.through
    for chunk in _chunks(incident_ids):
        for incident_id, actor_id, role in IncidentActor.objects.filter(incident_id__in=chunk).values_list(
            "incident_id", "actor_id", "role"
        ):
            actors[incident_id].add((actor_id, role))
        for incident_id, target_id in through.objects.filter(incident_id__in=chunk).values_list(
            "incident_id", "targettype_id"
        ):
            targets[incident_id].add(target_id)
    return actors, targets


@dataclass
class _Changes:
    # The values of each incident to create (attribute names), external_id among them.
    create: list[dict[str, Any]] = field(default_factory=list)
    update: list[Incident] = field(default_factory=list)
    update_fields: set[str] = field(default_factory=set)
    # Links of incidents to create, by external id; links of existing incidents, by pk.
    new_actor_links: dict[str, set[tuple[int, str]]] = field(default_factory=dict)
    new_target_links: dict[str, set[int]] = field(default_factory=dict)
    add_actor_links: list[tuple[int, int, str]] = field(default_factory=list)
    remove_actor_links: list[tuple[int, int, str]] = field(default_factory=list)
    add_target_links: list[tuple[int, int]] = field(default_factory=list)
    remove_target_links: list[tuple[int, int]] = field(default_factory=list)


def incidents_sync(
    *,
    source: str,
    planned: list[Planned],
    report: ImportReport,
    dry_run: bool = False,
    progress: Progress[Planned] = no_progress,
) -> None:
    """Create, update or leave each planned incident; fill in the report's counts.

    Everything happens in one transaction. Raises FileRefused if the database refuses the
    writes (another import of the same file running at the same time, for instance).
    """
    with incidents_writing(source=source, dry_run=dry_run) as writer:
        writer.write(planned, report, progress)


@contextmanager
def incidents_writing(*, source: str, dry_run: bool = False) -> Iterator[IncidentWriter]:
    """A writer of planned incidents, chunk after chunk, all in one transaction (rolled back for a
    dry run, or if an exception leaves the block). Raises FileRefused if the database refuses the writes."""
    try:
        with import_transaction(dry_run=dry_run):
            writer = IncidentWriter(source)
            yield writer
            # The pages showing these countries are renewed once, when the import commits.
            incidents_changed(writer.countries)
    except IntegrityError as error:
        raise FileRefused(
            _(
                "The database refused the import, and nothing was written: %(reason)s. "
                "If another import was running, run this one again."
            )
            % {"reason": error}
        ) from None


class IncidentWriter:
    """Writes planned incidents a chunk at a time: what one import run knows once (the actors, the
    target types, the time it runs at) is read once; what the database holds is read per chunk."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.now = timezone.now()
        self.directory = ActorDirectory()
        self.target_ids = dict(TargetType.objects.values_list("slug", "pk"))
        # What every incident an import creates has.
        self.new_values = {
            "external_source": source,
            "organisation_id": None,
            "reporter_id": None,
            "sharing_level": SharingLevel.CLEAR,
            "status": ReviewStatus.PUBLISHED,
            "published_at": self.now,
        }
        self.countries: set[int] = set()  # of the incidents created or changed

    def write(self, planned: list[Planned], report: ImportReport, progress: Progress[Planned] = no_progress) -> None:
        """Create, update or leave each planned incident (no two of one external id); count them in the report."""
        directory, now = self.directory, self.now
        created_before = len(report.created)
        directory.resolve(part for plan in planned for part in plan.actors)
        existing = _load_existing(self.source, [plan.external_id for plan in planned])
        actor_links, target_links = _load_links([row["pk"] for row in existing.values()])
        changes = _Changes()
        for plan in progress(planned, len(planned), _("Comparing")):
            wanted_actors = {(directory.id_of(part.name), part.role) for part in plan.actors}
            wanted_targets = {self.target_ids[slug] for slug in plan.target_types}
            current = existing.get(plan.external_id)
            if current is None:
                changes.create.append({**plan.values, "external_id": plan.external_id})
                changes.new_actor_links[plan.external_id] = wanted_actors
                changes.new_target_links[plan.external_id] = wanted_targets
                report.created.append(plan.external_id)
                continue
            changed = _compare(plan, current, wanted_actors, wanted_targets, actor_links, target_links, changes, now)
            if changed:
                report.updated.append((plan.external_id, changed))
            else:
                report.unchanged.append(plan.external_id)
        self.countries |= _write(self.new_values, changes)
        if created_before < _ANALYZE_AFTER <= len(report.created) and connection.vendor == "postgresql":
            _analyze_incidents()


# How many incidents an import creates before it has PostgreSQL count them.
_ANALYZE_AFTER = 10_000


def _analyze_incidents() -> None:
    """Refresh the planner's statistics of the incidents table with the rows this transaction inserted.

    Autovacuum cannot see an import's rows before it commits: without this, the planner goes on
    believing that few incidents come from the import's source (none, in a new database), and looks
    up each chunk's external ids by reading every incident of that source so far, so that the
    lookups of a million-row import grow with the table. ANALYZE counts the transaction's own
    inserts; once they are counted, the planner looks each external id up in the index however
    large the table grows (the share of the source's incidents and the uniqueness of external ids
    do not change). The column statistics it writes are rolled back with the transaction, not the
    table's row and page counts (`pg_class`), which a dry run leaves as if its rows were there
    until autovacuum counts again. It holds a lock that keeps autovacuum, another ANALYZE and
    CREATE INDEX CONCURRENTLY off the table until the import ends; reads and writes go on.
    """
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE " + connection.ops.quote_name(Incident._meta.db_table))


def _compare(
    plan: Planned,
    current: dict[str, Any],
    wanted_actors: set[tuple[int, str]],
    wanted_targets: set[int],
    actor_links: dict[int, set[tuple[int, str]]],
    target_links: dict[int, set[int]],
    changes: _Changes,
    now: dt.datetime,
) -> list[str]:
    pk = current["pk"]
    changed = [name for name in IMPORTED_FIELDS if plan.values[name] != current[name]]
    if changed:
        values = {name: current[name] for name in IMPORTED_FIELDS} | plan.values
        changes.update.append(Incident(pk=pk, updated_at=now, **values))
        changes.update_fields.update(changed)
    had_actors, had_targets = actor_links.get(pk, set()), target_links.get(pk, set())
    if wanted_actors != had_actors:
        changed.append("actors")
        changes.add_actor_links += [(pk, actor, role) for actor, role in wanted_actors - had_actors]
        changes.remove_actor_links += [(pk, actor, role) for actor, role in had_actors - wanted_actors]
    if wanted_targets != had_targets:
        changed.append("target_types")
        changes.add_target_links += [(pk, target) for target in wanted_targets - had_targets]
        changes.remove_target_links += [(pk, target) for target in had_targets - wanted_targets]
    return [name.removesuffix("_id") for name in changed]


def _write(new_values: dict[str, Any], changes: _Changes) -> set[int]:
    """Write the changes; the countries of the incidents created or changed."""
    through = Incident.target_types.through
    if changes.create:
        insert = _copy_incidents if connection.vendor == "postgresql" else _create_incidents
        ids = insert(new_values, changes.create)
        for external_id, links in changes.new_actor_links.items():
            changes.add_actor_links += [(ids[external_id], actor, role) for actor, role in links]
        for external_id, targets in changes.new_target_links.items():
            changes.add_target_links += [(ids[external_id], target) for target in targets]
    if changes.update:
        fields = [*sorted(name.removesuffix("_id") for name in changes.update_fields), "updated_at"]
        Incident.objects.bulk_update(changes.update, fields, batch_size=_CHUNK)
    for incident_id, actor_id, role in changes.remove_actor_links:
        IncidentActor.objects.filter(incident_id=incident_id, actor_id=actor_id, role=role).delete()
    for incident_id, target_id in changes.remove_target_links:
        through.objects.filter(incident_id=incident_id, targettype_id=target_id).delete()
    _insert_links(IncidentActor, ("incident_id", "actor_id", "role"), changes.add_actor_links)
    _insert_links(through, ("incident_id", "targettype_id"), changes.add_target_links)
    return {values["country_id"] for values in changes.create} | {i.country_id for i in changes.update}


def _create_incidents(new_values: dict[str, Any], rows: list[dict[str, Any]]) -> dict[str, int]:
    """Insert the incidents through the ORM; their ids by external id."""
    created = Incident.objects.bulk_create([Incident(**new_values, **row) for row in rows], batch_size=_CHUNK)
    if _returns_ids():
        return {incident.external_id: incident.pk for incident in created}
    ids: dict[str, int] = {}  # older SQLite: ask for them
    for chunk in _chunks([row["external_id"] for row in rows]):
        ids.update(
            Incident.objects.filter(external_source=new_values["external_source"], external_id__in=chunk).values_list(
                "external_id", "pk"
            )
        )
    return ids


def _copy_incidents(new_values: dict[str, Any], rows: list[dict[str, Any]]) -> dict[str, int]:
    """Insert the incidents with PostgreSQL's COPY, their ids drawn from the table's sequence first;
    their ids by external id.

    Building a model instance per row and compiling a bulk INSERT of every value was most of an
    import's time; here each row is a tuple, and only the JSON values go through their field.
    """
    now = new_values["published_at"]
    # The database computes the generated columns (the map grid cell) itself.
    fields = [field for field in Incident._meta.concrete_fields if not field.primary_key and not field.generated]
    prototype = Incident(**new_values, **rows[0], created_at=now, updated_at=now)
    # The columns the rows give, then every other column as the ORM would write it (defaults,
    # auto_now, the import's own): the same for every row.
    given = [field for field in fields if field.attname in rows[0]]
    fixed = [field for field in fields if field.attname not in rows[0]]
    fixed_values = [field.get_db_prep_save(getattr(prototype, field.attname), connection) for field in fixed]
    row_values = operator.itemgetter(*(field.attname for field in given))
    # JSON values as the text COPY reads, the same text the field's adapter would send.
    json_fields = [
        (index, functools.partial(json.dumps, cls=field.encoder))
        for index, field in enumerate(given)
        if isinstance(field, models.JSONField)
    ]
    table = Incident._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)", [table, len(rows)]
        )
        ids = [pk for (pk,) in cursor.fetchall()]
        columns = ["id", *(field.column for field in given), *(field.column for field in fixed)]
        copy_sql = sql.SQL("COPY {} ({}) FROM STDIN").format(
            sql.Identifier(table), sql.SQL(", ").join(map(sql.Identifier, columns))
        )
        # psycopg's own cursor: its errors are turned into Django's (IntegrityError...) here.
        with connection.wrap_database_errors, cursor.cursor.copy(copy_sql) as copy:
            for pk, row in zip(ids, rows, strict=True):
                values = list(row_values(row))
                for index, dumps in json_fields:
                    values[index] = dumps(values[index])
                copy.write_row([pk, *values, *fixed_values])
    return {row["external_id"]: pk for pk, row in zip(ids, rows, strict=True)}


def _insert_links(model: type[models.Model], columns: tuple[str, ...], rows: list[tuple[Any, ...]]) -> None:
    """Insert link rows (incident-actor, incident-target type): COPY on PostgreSQL, the ORM elsewhere."""
    if not rows:
        return
    if connection.vendor != "postgresql":
        model._default_manager.bulk_create(
            [model(**dict(zip(columns, row, strict=True))) for row in rows], batch_size=_CHUNK
        )
        return
    copy_sql = sql.SQL("COPY {} ({}) FROM STDIN").format(
        sql.Identifier(model._meta.db_table), sql.SQL(", ").join(map(sql.Identifier, columns))
    )
    with connection.cursor() as cursor, connection.wrap_database_errors, cursor.cursor.copy(copy_sql) as copy:
        for row in rows:
            copy.write_row(row)
