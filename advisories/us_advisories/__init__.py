"""Import the U.S. State Department's travel advisory summary table (CSV or JSON).

The table lists one destination per row: its name as the State Department spells it, its
level (1-4; -1 where the Department gives no single level, empty on rows that only carry
country-information dates) and the date the advisory was last updated. Each good row sets
the country's advisory through `advisory_set`, so indicators and summaries that another
source gave are kept, and an advisory issued later than the row is never overridden.

`us_advisories_import` reads and checks the whole file first (`reading.py`, `matching.py`),
then writes every advisory in one transaction (`writing.py`): a refused file or an aborted
import leaves the database as it was.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from config.importing.report import OnError, Progress, no_progress

from .matching import CountryMatcher, match_records, resolve_duplicates
from .reading import read_records
from .writing import SOURCE_SLUG, ImportReport, advisories_write

__all__ = ("SOURCE_SLUG", "CountryMatcher", "ImportReport", "us_advisories_import")


def us_advisories_import(
    *,
    path: Path,
    dry_run: bool = False,
    on_error: OnError = OnError.SKIP,
    progress: Progress[Any] = no_progress,
) -> ImportReport:
    """Set each destination's advisory level from the summary table at `path`.

    Raises FileRefused if the file cannot be read as the table, and ImportAborted (after
    writing nothing) if `on_error` is abort and any row is bad. A dry run does all the work
    in a transaction and rolls it back, so its report is the one a real run would give.
    """
    file_format, records = read_records(path)
    report = ImportReport(path=path, file_format=file_format, records=len(records), dry_run=dry_run)
    rows, report.rejected = match_records(records)
    report.stop_if_rejected(on_error)
    plan, report.duplicates = resolve_duplicates(rows)
    advisories_write(plan, report=report, dry_run=dry_run, progress=progress)
    return report
