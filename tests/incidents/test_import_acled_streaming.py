"""ACLED imports read, match and write a chunk of events at a time: the outcome does not depend on
the chunk size, the rows of a dyadic event far apart in the file still make one incident, and
no chunk reads back the ids of the incidents it has just inserted."""

import csv
import io
import math
import re
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from config.importing.report import FileRefused, ImportAborted, OnError
from incidents.importers import sync
from incidents.importers.acled import acled_import
from incidents.models import Actor, Incident, IncidentActor
from tests.factories import IncidentFactory
from tests.importing import incidents_snapshot, writes

pytestmark = pytest.mark.django_db

# A statement on the incidents table itself (not its actor or target type links).
INCIDENT_TABLE = re.compile(r"[\"']incidents_incident[\"']")

SAMPLES = Path(__file__).parent / "samples"
DYADIC = SAMPLES / "acled_mali_sample.csv"
CURRENT = SAMPLES / "acled_current_sample.csv"


def events_in(path: Path) -> int:
    with path.open(encoding="utf-8", newline="") as f:
        return len({row["event_id_cnty"] for row in csv.DictReader(f)})


def rows_in(path: Path) -> int:
    with path.open(encoding="utf-8", newline="") as f:
        return sum(1 for _row in csv.DictReader(f))


def scattered(path: Path) -> Path:
    """The dyadic sample with the second row of MLI9001 moved to the end of the file (the
    sample's MLI9007 notes span lines, so it is rewritten rather than cut by lines)."""
    with DYADIC.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    first = next(n for n, row in enumerate(rows) if row["event_id_cnty"] == "MLI9001")
    second = next(n for n, row in enumerate(rows) if row["event_id_cnty"] == "MLI9001" and n != first)
    rows.append(rows.pop(second))
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


def imported() -> dict[str, tuple]:
    """Every imported incident by external id: its imported values, actors and target types."""
    actors: dict[str, set[tuple[str, str, str]]] = {}
    for link in IncidentActor.objects.select_related("actor", "incident"):
        actors.setdefault(link.incident.external_id, set()).add((link.actor.name, link.actor.kind, link.role))
    return {
        incident.external_id: (
            incident.title,
            incident.incident_type_id,
            incident.region_id,
            incident.killed,
            incident.description,
            incident.sources,
            incident.import_repairs,
            incident.source_terms,
            frozenset(actors.get(incident.external_id, ())),
            frozenset(incident.target_types.values_list("slug", flat=True)),
        )
        for incident in Incident.objects.all()
    }


def rejected(report):
    return [(problem.line, problem.subject, problem.reason) for problem in report.rejected]


def test_a_file_bigger_than_a_chunk_imports_the_same_incidents_as_in_one_chunk(tmp_path):
    path = scattered(tmp_path / "scattered.csv")
    whole = acled_import(path=path, chunk_rows=10_000)
    in_one = imported()
    Incident.objects.all().delete()
    Actor.objects.all().delete()

    chunked = acled_import(path=path, chunk_rows=3)

    assert imported() == in_one
    assert len(chunked.created) == len(whole.created) == 12
    assert rejected(chunked) == rejected(whole)


def test_a_dyadic_event_whose_rows_are_in_different_chunks_is_one_incident_with_all_its_actors(tmp_path):
    path = scattered(tmp_path / "scattered.csv")

    report = acled_import(path=path, chunk_rows=2)

    assert Incident.objects.filter(external_id="MLI9001").count() == 1
    names = set(Incident.objects.get(external_id="MLI9001").actors.values_list("name", flat=True))
    assert names == {
        "JNIM: Group for Support of Islam and Muslims",
        "Katiba Macina",
        "Military Forces of Mali (2013-2020)",
    }
    assert "MLI9001" in report.created
    assert not report.updated


def test_running_a_file_again_in_small_chunks_writes_nothing(tmp_path):
    path = scattered(tmp_path / "scattered.csv")
    first = acled_import(path=path, chunk_rows=2)
    before = incidents_snapshot()

    with CaptureQueriesContext(connection) as queries:
        report = acled_import(path=path, chunk_rows=2)

    assert (len(report.created), len(report.updated), len(report.unchanged)) == (0, 0, len(first.created))
    assert writes(queries.captured_queries) == []
    assert incidents_snapshot() == before


def test_no_chunk_selects_the_incidents_it_has_just_inserted(tmp_path):
    acled_import(path=CURRENT)  # the actors exist: every chunk then runs the same statements
    Incident.objects.all().delete()

    with CaptureQueriesContext(connection) as queries:
        acled_import(path=CURRENT, chunk_rows=1)

    statements = [query["sql"] for query in queries.captured_queries]
    reads_of_incidents = [sql for sql in statements if sql.startswith("SELECT") and "incidents_incident" in sql]
    # One look-up of what exists per chunk of one event, before anything is inserted.
    assert len([sql for sql in reads_of_incidents if '"external_id" IN' in sql]) == events_in(CURRENT)
    looked_up = [n for n, sql in enumerate(statements) if '"external_id" IN' in sql]
    inserted = [n for n, sql in enumerate(statements) if "INSERT" in sql or "nextval" in sql]
    # The look-up of a chunk comes before its insert, never after the last insert.
    assert max(looked_up) < max(inserted)
    assert all(any(insert > lookup for insert in inserted) for lookup in looked_up)


def test_each_chunk_reads_and_inserts_incidents_with_the_same_two_statements():
    acled_import(path=CURRENT)
    runs = {}
    assert rows_in(CURRENT) == events_in(CURRENT)  # one row per event: a chunk of n rows is n events
    sizes = (10_000, 2, 1)
    for chunk_rows in sizes:
        Incident.objects.all().delete()
        with CaptureQueriesContext(connection) as queries:
            acled_import(path=CURRENT, chunk_rows=chunk_rows)
        runs[chunk_rows] = [query["sql"] for query in queries.captured_queries if INCIDENT_TABLE.search(query["sql"])]

    chunks = [math.ceil(events_in(CURRENT) / size) for size in sizes]
    assert [len(statements) for statements in runs.values()] == [2 * count for count in chunks]
    # What exists with these external ids, then the insert (or the ids it takes from the sequence).
    assert all(sql.startswith("SELECT") and '"external_id" IN' in sql for sql in runs[1][::2])
    assert all("INSERT" in sql or "nextval" in sql for sql in runs[1][1::2])


def test_on_error_abort_writes_nothing_even_when_earlier_chunks_were_good(tmp_path):
    with CURRENT.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    rows[-1]["event_date"] = "31 Febuary 2018"
    path = tmp_path / "last_bad.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)

    with pytest.raises(ImportAborted) as aborted:
        acled_import(path=path, on_error=OnError.ABORT, chunk_rows=1)

    assert [problem.line for problem in aborted.value.report.rejected] == [len(rows) + 1]
    assert not Incident.objects.exists()
    assert not Actor.objects.exists()


def test_the_command_imports_a_latin_1_export_read_as_a_stream(tmp_path):
    text = (
        DYADIC.read_text(encoding="utf-8")
        .replace("Koulikouro", "Koulikouro\u00e9")
        .replace("Sebete", "S\u00e9b\u00e9t\u00e9")
    )
    path = tmp_path / "latin1.csv"
    path.write_bytes(text.encode("cp1252"))

    out = io.StringIO()
    call_command("import_acled", str(path), stdout=out)

    assert "(Latin-1 (Windows-1252))" in out.getvalue()
    assert Incident.objects.get(external_id="MLI9008").place_name == "S\u00e9b\u00e9t\u00e9"


def test_an_imported_event_is_on_the_same_map_grid_cell_as_one_logged_at_the_same_place():
    acled_import(path=CURRENT)
    placed = Incident.objects.exclude(latitude=None).exclude(longitude=None)
    assert placed.count() == events_in(CURRENT)
    for imported in placed:
        logged = IncidentFactory.create(latitude=imported.latitude, longitude=imported.longitude)
        logged.refresh_from_db()
        assert imported.grid_cell is not None
        assert imported.grid_cell == logged.grid_cell


def test_an_import_that_meets_the_rows_of_another_at_the_same_time_is_refused_and_writes_nothing(monkeypatch):
    """Another import of the same file committed its incidents after this one looked them up."""
    acled_import(path=CURRENT)
    before = incidents_snapshot()
    monkeypatch.setattr(sync, "_load_existing", lambda source, external_ids: {})

    with pytest.raises(FileRefused, match="run this one again"):
        acled_import(path=CURRENT)

    assert incidents_snapshot() == before


def test_an_import_has_the_database_count_its_rows_once_after_the_first_ones(monkeypatch):
    monkeypatch.setattr(sync, "_ANALYZE_AFTER", 2)
    counted: list[int] = []
    real = sync._analyze_incidents

    def analyze() -> None:
        counted.append(1)
        real()

    monkeypatch.setattr(sync, "_analyze_incidents", analyze)

    report = acled_import(path=CURRENT, chunk_rows=1)

    assert len(report.created) == events_in(CURRENT)
    assert counted == ([1] if connection.vendor == "postgresql" else [])


def test_an_import_keeps_at_most_so_many_worked_out_places_and_imports_the_same(monkeypatch):
    from incidents.importers.acled import matching

    whole = acled_import(path=CURRENT)
    imported_once = imported()
    Incident.objects.all().delete()
    monkeypatch.setattr(matching, "DISTINCT_KEPT", 1)

    again = acled_import(path=CURRENT, chunk_rows=1)

    assert len(again.created) == len(whole.created)
    assert imported() == imported_once
