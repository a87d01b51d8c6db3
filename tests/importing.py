"""What the importer tests share: running an import command, reading its summary, and seeing
what it wrote to the database."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from incidents.models import Actor, Incident, IncidentActor


class Terminal(io.StringIO):
    """A stream that says it is a terminal, so that a command draws its progress bar on it."""

    def isatty(self) -> bool:
        return True


def run_import(command: str, path: Path, *, stderr: io.StringIO | None = None, **options: Any) -> tuple[str, str]:
    """The command's stdout and stderr."""
    out, err = io.StringIO(), stderr or io.StringIO()
    call_command(command, str(path), stdout=out, stderr=err, **options)
    return out.getvalue(), err.getvalue()


def rewrite_csv(
    source: Path,
    target: Path,
    change: Callable[[dict[str, str]], dict[str, str]] | None = None,
    drop: tuple[str, ...] = (),
) -> Path:
    """Copy a sample CSV to `target`, changing rows with change(row) and leaving out the columns `drop`."""
    with source.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    columns = [c for c in rows[0] if c not in drop]
    with target.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, columns, extrasaction="ignore")
        writer.writeheader()
        for row in rows:
            writer.writerow(change(row) if change else row)
    return target


def count(output: str, label: str) -> int:
    """The number on the summary line `label: N`."""
    match = re.search(rf"^{re.escape(label)}: (\d+)$", output, re.MULTILINE)
    assert match, f"no {label!r} line in:\n{output}"
    return int(match.group(1))


def counts(output: str) -> tuple[int, ...]:
    return tuple(count(output, label) for label in ("Created", "Updated", "Unchanged", "Rejected"))


def writes(queries: list[dict[str, Any]]) -> list[str]:
    return [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))]


def incidents_snapshot() -> tuple[list[Any], ...]:
    """Every row an incident import can write."""
    return (
        list(Incident.objects.order_by("pk").values()),
        list(IncidentActor.objects.order_by("pk").values()),
        list(Incident.target_types.through.objects.order_by("pk").values()),
        list(Actor.objects.order_by("pk").values()),
    )


def assert_it_writes_nothing_again(command: str, path: Path, expected_counts: tuple[int, ...]) -> None:
    """Importing a file already imported reads, reports `expected_counts`, and writes not one row."""
    before = incidents_snapshot()
    with CaptureQueriesContext(connection) as queries:
        out, _err = run_import(command, path)
    assert counts(out) == expected_counts
    assert writes(queries.captured_queries) == []
    assert incidents_snapshot() == before
