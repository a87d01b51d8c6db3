"""ACLED imports read, match and write a chunk of events at a time: the outcome does not depend on
the chunk size, the rows of a dyadic event far apart in the file still make one incident, and
no chunk reads back the ids of the incidents it has just inserted."""

import csv
import io
import re
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from config.importing.report import ImportAborted, OnError
from incidents.importers.acled import acled_import
from incidents.models import Actor, Incident, IncidentActor
from tests.importing import incidents_snapshot, writes

pytestmark = pytest.mark.django_db

# A statement on the incidents table itself (not its actor or target type links).
INCIDENT_TABLE = re.compile(r"[\"']incidents_incident[\"']")

SAMPLES = Path(__file__).parent / "samples"
DYADIC = SAMPLES / "acled_mali_sample.csv"
CURRENT = SAMPLES / "acled_current_sample.csv"


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
    acled_import(path=path, chunk_rows=2)
    before = incidents_snapshot()

    with CaptureQueriesContext(connection) as queries:
        report = acled_import(path=path, chunk_rows=2)

    assert (len(report.created), len(report.updated), len(report.unchanged)) == (0, 0, 12)
    assert writes(queries.captured_queries) == []
    assert incidents_snapshot() == before


def test_no_chunk_selects_the_incidents_it_has_just_inserted(tmp_path):
    acled_import(path=CURRENT)  # the actors exist: every chunk then runs the same statements
    Incident.objects.all().delete()

    with CaptureQueriesContext(connection) as queries:
        acled_import(path=CURRENT, chunk_rows=1)

    statements = [query["sql"] for query in queries.captured_queries]
    reads_of_incidents = [sql for sql in statements if sql.startswith("SELECT") and "incidents_incident" in sql]
    # One look-up of what exists per chunk of the five events, before anything is inserted.
    assert len([sql for sql in reads_of_incidents if '"external_id" IN' in sql]) == 5
    looked_up = [n for n, sql in enumerate(statements) if '"external_id" IN' in sql]
    inserted = [n for n, sql in enumerate(statements) if "INSERT" in sql or "nextval" in sql]
    # The look-up of a chunk comes before its insert, never after the last insert.
    assert max(looked_up) < max(inserted)
    assert all(any(insert > lookup for insert in inserted) for lookup in looked_up)


def test_each_chunk_reads_and_inserts_incidents_with_the_same_two_statements():
    acled_import(path=CURRENT)
    runs = {}
    for chunk_rows in (10_000, 2, 1):  # the five events in 1, 3 and 5 chunks
        Incident.objects.all().delete()
        with CaptureQueriesContext(connection) as queries:
            acled_import(path=CURRENT, chunk_rows=chunk_rows)
        runs[chunk_rows] = [query["sql"] for query in queries.captured_queries if INCIDENT_TABLE.search(query["sql"])]

    assert [len(statements) for statements in runs.values()] == [2, 6, 10]
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
    text = DYADIC.read_text(encoding="utf-8").replace("Koulikouro", "Koulikouro\u00e9")
    path = tmp_path / "latin1.csv"
    path.write_bytes(text.encode("cp1252"))

    out = io.StringIO()
    call_command("import_acled", str(path), stdout=out)

    assert "(Latin-1 (Windows-1252))" in out.getvalue()
    assert Incident.objects.filter(external_id="MLI9008").exists()


def test_an_imported_event_is_on_the_map_grid_that_finds_it_by_a_box_around_it():
    acled_import(path=CURRENT)
    placed = Incident.objects.exclude(latitude=None).exclude(longitude=None)
    assert placed.exists()
    # The grid cell is the database's own computation, whichever way the rows were written.
    assert not placed.filter(grid_cell=None).exists()
    incident = placed.first()
    assert incident is not None and incident.latitude is not None and incident.longitude is not None
    box = Incident.objects.filter(
        grid_cell=incident.grid_cell,
        latitude__range=(incident.latitude - 1, incident.latitude + 1),
        longitude__range=(incident.longitude - 1, incident.longitude + 1),
    )
    assert incident in box
