"""How fast `manage.py import_acled` imports an ACLED export into an empty PostgreSQL database,
and how much memory it needs, against COPY of the same rows.

    DJANGO_SETTINGS_MODULE=config.settings DJANGO_SECRET_KEY=bench \\
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/vigil_bench_import .venv/bin/python bench/imports.py

Creates the database if it does not exist and migrates it. Writes an ACLED export of --rows rows
(default 50,000) to var/bench/: Mali's places (admin1, location, coordinates) as the real export
in ../shared/data/acled names them (the test samples' when it is absent), the (event type,
sub-event type) pairs of the taxonomy, 40 actors with their inter codes and associates, about
nine events in ten on two rows (a dyadic export), one in ten of those with its second row a few
rows later and one in a thousand thousands of rows later, notes of 80 to 600 characters, and
messy values the importer repairs or keeps: admin1 spelling variants and unknown names, ISO and
"31-December-2018" dates, inter codes as names, unknown sub-event types, event types of before
2019, and a few bad rows it refuses.

Each round empties the tables an import writes (TRUNCATE), runs the command in a child process
(`--no-progress`), and reads the child's events/s and the growth of its peak RSS during the
import; then the ceiling: the rows the import wrote (incidents, actors, actor links, target type
links) are dumped with COPY TO, the tables emptied, and the dump loaded back with COPY FROM into
the same tables with the same indexes, timed. Median of --rounds rounds (default 3). Then one
import of a file of --memory-rows rows (default 4x --rows; 0 for none), to compare memory per
row at two sizes. --profile runs one import under cProfile and prints where the time goes.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import ensure_database  # noqa: E402 - after the path is set

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

GOAL = 0.3
# What an import writes, in an order COPY FROM can load them in.
TABLES = ("incidents_actor", "incidents_incident", "incidents_incidentactor", "incidents_incident_target_types")
COLUMNS = [
    "data_id",
    "iso",
    "event_id_cnty",
    "event_id_no_cnty",
    "event_date",
    "year",
    "time_precision",
    "event_type",
    "sub_event_type",
    "actor1",
    "assoc_actor_1",
    "inter1",
    "interaction",
    "region",
    "country",
    "admin1",
    "admin2",
    "admin3",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "source_scale",
    "notes",
    "fatalities",
    "timestamp",
    "iso3",
]
ACTORS = [
    ("Civilians (Mali)", 7),
    ("Unidentified Armed Group (Mali)", 3),
    ("JNIM: Group for Support of Islam and Muslims", 2),
    ("Military Forces of Mali (2013-2020)", 1),
    ("MINUSMA: United Nations Multidimensional Integrated Stabilization Mission in Mali (2013-2020)", 8),
    ("Protesters (Mali)", 6),
    ("Military Forces of France (2017-)", 8),
    ("Islamic State (Greater Sahara)", 2),
    ("Dozo Communal Militia (Mali)", 4),
    ("GATIA: Imghad Tuareg and Allies Self-Defense Group", 3),
    ("Police Forces of Mali (2013-2020) Gendarmerie", 1),
    ("Islamist Militia (Mali)", 3),
    ("Fulani Ethnic Militia (Mali)", 4),
    ("Rioters (Mali)", 5),
    ("Dogon Ethnic Militia (Mali)", 4),
    ("MSA: Movement for Azawad Salvation", 3),
    ("Police Forces of Mali (2013-2020)", 1),
    ("CMA: Coordination of Movements of the Azawad", 2),
    ("Ansar Dine", 2),
    ("Dan Na Ambassagou", 4),
    ("Ansaroul Islam", 2),
    ("Alliance for the Salvation of the Sahel", 4),
    ("Civilians (International)", 7),
    ("Platform of June 14th 2014 movements", 3),
    *[(f"Communal Militia (Mali) - cercle {n}", 4) for n in range(1, 17)],
]
ASSOCIATES = ["Katiba Macina", "Fulani Ethnic Group (Mali)", "Government of Mali (2013-2020)", "Pastoralists (Mali)"]
INTER_NAMES = {1: "State forces", 2: "Rebel group", 3: "Political militia", 4: "Identity militia", 5: "Rioters"}
ADMIN1_VARIANTS = {"Koulikoro": "Koulikouro", "Menaka": "Ménaka", "Segou": "Ségou", "Tombouctou": "Timbuktu"}
MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
WORDS = [
    "armed",
    "men",
    "on",
    "motorbikes",
    "attacked",
    "the",
    "village",
    "near",
    "the",
    "market",
    "and",
    "the",
    "weekly",
    "fair;",
    "soldiers",
    "of",
    "the",
    "army",
    "patrol",
    "returned",
    "fire",
    "before",
    "the",
    "assailants",
    "fled",
    "towards",
    "the",
    "border,",
    "local",
    "sources",
    "said,",
    "while",
    "several",
    "houses",
    "and",
    "granaries",
    "were",
    "burned",
    "and",
    "cattle",
    "were",
    "taken",
    "by",
    "the",
    "group",
]


# The file ---------------------------------------------------------------------------------


def places() -> list[tuple[str, str, str, str, str]]:
    """(admin1, admin2, location, latitude, longitude) of real Mali events."""
    from django.conf import settings

    shared = Path(settings.BASE_DIR).parent / "shared" / "data" / "acled" / "acled_mali_2017-2018.csv"
    path = shared if shared.exists() else ROOT / "tests" / "incidents" / "samples" / "acled_mali_sample.csv"
    with path.open(encoding="utf-8", newline="") as f:
        found = {
            (row["admin1"], row["admin2"], row["location"], row["latitude"], row["longitude"])
            for row in csv.DictReader(f)
            if row["admin1"] and row["latitude"] and abs(float(row["latitude"])) < 90
        }
    return sorted(found)


def pairs() -> list[tuple[str, str]]:
    from incidents.models import IncidentType

    return sorted(
        IncidentType.objects.filter(acled_default=True).values_list("acled_event_type", "acled_sub_event_type")
    )


def write_export(path: Path, rows: int, seed: int = 2026) -> int:
    """An ACLED export of exactly `rows` rows; the number of distinct events in it."""
    rng = random.Random(seed)
    where, what = places(), pairs()
    delayed: list[tuple[int, list[str]]] = []  # (row number to write it at, row)
    written = events = 0
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(COLUMNS)
        while written < rows:
            due = [row for at, row in delayed if at <= written]
            delayed = [(at, row) for at, row in delayed if at > written]
            for row in due[: rows - written]:
                writer.writerow(row)
                written += 1
            if written >= rows:
                break
            events += 1
            event_rows = _event(rng, events, where, what)
            if len(event_rows) == 2 and written + len(delayed) + 2 <= rows:
                first, second = event_rows
                writer.writerow(first)
                written += 1
                if rng.random() < 0.1:
                    gap = rng.randint(2, 40) if rng.random() > 0.01 else rng.randint(2_000, 20_000)
                    delayed.append((min(written + gap, rows - 1 - len(delayed)), second))
                else:
                    writer.writerow(second)
                    written += 1
            else:
                writer.writerow(event_rows[0])
                written += 1
        for _at, row in delayed:  # none is left unless the file is tiny
            writer.writerow(row)
    return events


def _event(rng: random.Random, number: int, where: list[Any], what: list[tuple[str, str]]) -> list[list[str]]:
    admin1, admin2, location, latitude, longitude = rng.choice(where)
    event_type, sub_event_type = rng.choice(what)
    day = rng.randint(1, 28)
    month, year = rng.randint(1, 12), rng.randint(2015, 2024)
    date = f"{day} {MONTHS[month - 1]} {year}"
    roll = rng.random()
    if roll < 0.01:
        date = f"{year}-{month:02}-{day:02}"
    elif roll < 0.02:
        date = f"{day:02}-{MONTHS[month - 1]}-{year}"
    roll = rng.random()
    if roll < 0.02:
        admin1 = ADMIN1_VARIANTS.get(admin1, admin1)
    elif roll < 0.022:
        admin1 = "Cercle de " + location  # names no region: the coordinates place the event
    roll = rng.random()
    if roll < 0.005:
        sub_event_type = "Drone swarm"  # unknown: the generic type of its event type
    elif roll < 0.008:
        event_type, sub_event_type = "Remote violence", ""  # of before 2019: mapped
    elif roll < 0.009:
        latitude = "95.1"  # refused
    elif roll < 0.010:
        date = f"31 Febuary {year}"  # refused
    notes = " ".join(rng.choice(WORDS) for _ in range(rng.randint(14, 100)))
    event_id = f"MLI{number}"
    fatalities = str(rng.choice([0, 0, 0, 1, 2, 3, 5, 12]))
    common = {
        "iso": "466",
        "event_id_cnty": event_id,
        "event_id_no_cnty": str(number),
        "event_date": date,
        "year": str(year),
        "time_precision": rng.choice("1112"),
        "event_type": event_type,
        "sub_event_type": sub_event_type,
        "region": "Western Africa",
        "country": "Mali",
        "admin1": admin1,
        "admin2": admin2,
        "location": location,
        "latitude": latitude,
        "longitude": longitude,
        "geo_precision": rng.choice("1123"),
        "source": rng.choice(["AMAP", "Studio Tamani", "RFI; AFP", "MINUSMA; Twitter"]),
        "source_scale": "National",
        "notes": notes,
        "fatalities": fatalities,
        "timestamp": "1622068133",
        "iso3": "MLI",
    }
    sides = rng.sample(ACTORS, 2)
    rows = []
    for index, (actor, inter) in enumerate(sides[: 1 if rng.random() < 0.08 else 2]):
        inter_text = INTER_NAMES[inter] if inter in INTER_NAMES and rng.random() < 0.02 else str(inter)
        assoc = rng.choice(ASSOCIATES) if rng.random() < 0.2 else ""
        values = common | {
            "data_id": str(number * 2 + index),
            "actor1": actor,
            "assoc_actor_1": assoc,
            "inter1": inter_text,
            "interaction": f"{min(s[1] for s in sides)}{max(s[1] for s in sides)}",
        }
        rows.append([values.get(column, "") for column in COLUMNS])
    return rows


# The child: one import ----------------------------------------------------------------------


def _status_kb(field: str) -> int:
    """VmRSS (now) or VmHWM (the peak since the last reset) of this process, in kB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise LookupError(field)


def _reset_peak() -> None:
    """Start VmHWM again from the current RSS (Linux 4.0 and later), so the peak measured is the import's."""
    Path("/proc/self/clear_refs").write_text("5")


def child(path: Path, profile: bool) -> None:
    import django

    django.setup()
    from django.core.management import call_command

    from advisories.models import Country
    from incidents.importers.places import Places
    from incidents.models import Incident

    # What every import loads before its first row (Django, numpy, GEOS, Mali's region boundaries),
    # so that the growth measured is the import's own.
    assert Places().finder(Country.objects.get(code="ML")).locator.has_boundaries is not None
    _reset_peak()
    before = _status_kb("VmRSS")
    out = io.StringIO()
    started = time.perf_counter()
    if profile:
        import cProfile
        import pstats

        profiler = cProfile.Profile()
        profiler.runcall(call_command, "import_acled", str(path), "--no-progress", stdout=out)
        seconds = time.perf_counter() - started
        stats = pstats.Stats(profiler, stream=sys.stderr)
        stats.sort_stats("tottime").print_stats(25)
        stats.sort_stats("cumulative").print_stats(40)
    else:
        call_command("import_acled", str(path), "--no-progress", stdout=out)
        seconds = time.perf_counter() - started
    summary = out.getvalue()
    print(
        json.dumps(
            {
                "seconds": seconds,
                "events": Incident.objects.count(),
                "peak_growth_kb": _status_kb("VmHWM") - before,
                "summary": summary.split("\nRejected")[0],
            }
        )
    )


def run_child(path: Path, *, profile: bool = False) -> dict[str, Any]:
    command = [sys.executable, __file__, "--child", str(path)] + (["--profile"] if profile else [])
    # This script run again with its own arguments.
    result = subprocess.run(command, check=True, text=True, stdout=subprocess.PIPE)  # nosec B603
    return json.loads(result.stdout.strip().splitlines()[-1])


# The parent ---------------------------------------------------------------------------------


def empty(conn: Any) -> None:
    conn.execute(f"TRUNCATE {', '.join(TABLES)} CASCADE")  # nosec B608 - the script's own table names
    conn.commit()


def copy_ceiling(conn: Any) -> float:
    """Seconds to COPY back the rows the import wrote, after dumping them and emptying the tables."""
    dumps = {}
    for table in TABLES:
        buffer = io.BytesIO()
        with conn.cursor() as cursor, cursor.copy(f"COPY {table} TO STDOUT (FORMAT binary)") as copy:
            for data in copy:
                buffer.write(data)
        dumps[table] = buffer.getvalue()
    empty(conn)
    started = time.perf_counter()
    with conn.cursor() as cursor:
        for table in TABLES:
            with cursor.copy(f"COPY {table} FROM STDIN (FORMAT binary)") as copy:
                copy.write(dumps[table])
    conn.commit()
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--memory-rows", type=int, default=None, help="the second file size (default 4x --rows)")
    parser.add_argument("--profile", action="store_true", help="one import under cProfile, printed on stderr")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.profile)
        return

    import django

    django.setup()
    import psycopg
    from django.core.management import call_command

    params = ensure_database()
    call_command("migrate", verbosity=0)
    files = ROOT / "var" / "bench"

    def export(rows: int) -> tuple[Path, int]:
        path = files / f"acled_{rows}.csv"
        started = time.perf_counter()
        events = write_export(path, rows)
        size = path.stat().st_size / 1e6
        print(
            f"Wrote {path.relative_to(ROOT)}: {rows:,} rows, {events:,} events, {size:.0f} MB "
            f"({time.perf_counter() - started:.0f} s).",
            flush=True,
        )
        return path, events

    path, _events = export(args.rows)
    conn = psycopg.connect(**params)
    if args.profile:
        empty(conn)
        run_child(path, profile=True)
        return
    imports, ceilings, growths = [], [], []
    for number in range(1, args.rounds + 1):
        empty(conn)
        result = run_child(path)
        ceiling = copy_ceiling(conn)
        imports.append(result["events"] / result["seconds"])
        ceilings.append(result["events"] / ceiling)
        growths.append(result["peak_growth_kb"])
        print(
            f"  round {number}: {result['events']:,} events in {result['seconds']:.1f} s "
            f"({imports[-1]:,.0f}/s); COPY {ceiling:.2f} s ({ceilings[-1]:,.0f}/s); "
            f"peak RSS +{result['peak_growth_kb'] / 1024:.0f} MB",
            flush=True,
        )
    print(result["summary"])
    speed, ceiling_speed = statistics.median(imports), statistics.median(ceilings)
    ratio = speed / ceiling_speed
    print(f"\nimport_acled, {args.rows:,} rows, median of {args.rounds} rounds: {speed:,.0f} events/s")
    print(f"ceiling, COPY of the same rows into the same tables: {ceiling_speed:,.0f} events/s")
    print(f"ratio {ratio:.2f} ({'within' if ratio >= GOAL else 'BELOW'} the goal of {GOAL})")
    sizes = [(args.rows, statistics.median(growths))]
    memory_rows = 4 * args.rows if args.memory_rows is None else args.memory_rows
    if memory_rows:
        path, _events = export(memory_rows)
        empty(conn)
        result = run_child(path)
        print(
            f"  {memory_rows:,} rows: {result['events']:,} events in {result['seconds']:.1f} s "
            f"({result['events'] / result['seconds']:,.0f}/s)"
        )
        sizes.append((memory_rows, result["peak_growth_kb"]))
    for rows, growth in sorted(sizes):
        print(f"peak RSS growth, {rows:,} rows: {growth / 1024:.0f} MB, {growth * 1024 / rows:,.0f} bytes per row")
    empty(conn)
    conn.close()


if __name__ == "__main__":
    main()
