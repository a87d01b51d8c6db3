"""Import ACLED exports (Armed Conflict Location & Event Data, acleddata.com) as incidents.

What is accepted:
- The current column set, with or without actor2/assoc_actor_2/inter2, disorder_type,
  civilian_targeting, tags, event_id_no_cnty or data_id; columns in any order and case.
  Columns this importer needs are required (see REQUIRED_COLUMNS); others are ignored.
- Monadic exports (one row per event, actor1 against actor2) and dyadic ones (one row per
  actor, sharing the event_id_cnty): an event becomes ONE incident with all its actors.
  The first row of an event gives its sides; an actor first named on a later row is on the
  other side from the one it is named on there (a dyadic row puts its own actor in actor1).
- Dates as ACLED writes them ("31 December 2018", "31-December-2018") and ISO ("2018-12-31").
- inter codes as numbers (1-8) or as the names newer exports use ("State forces"...).

- Exports of before ACLED's 2019 taxonomy change (upper-case columns such as GWNO,
  EVENT_ID_CNTY, no sub_event_type, event types such as "Remote violence" or
  "Riots/Protests"): each old event type is mapped to the current pair ACLED gives it
  (`taxonomy.LEGACY_EVENT_TYPES`), and the mapping is recorded on the incident and in the report.

What is refused: a file lacking a needed column, with a message that says what is wrong.
A value the importer does not know (a new event or sub-event type, actor category or admin1
spelling) loses no event: the event gets the closest known type, or "other", and keeps the
source's word in `source_terms`; the report lists such values.

How fields map: (event_type, sub_event_type) to the incident type marked `acled_default`;
country by iso (numeric), iso3 or name; region by admin1 name, else by coordinates (the
country alone where it has no boundaries); geo_precision 1/2/3 to exact/near/region;
time_precision 1/2/3 to day/week/month; fatalities to killed (blank: not known; ACLED does not
count the injured or abducted, so they are not known); notes to the description; source to
sources (one per line); severity by `severity_for`. Actor roles: see `role_for`.

The file is read as a stream, twice: a first pass learns where each event's last row is (the rows
of a dyadic event need not be next to each other) and each actor's kind; the second reads,
matches and writes a chunk of events at a time (`..running.StreamingImporter`). Memory does not
grow with the file beyond four bytes a row.

Reading is `reading.py` (the columns `columns.py`), the taxonomy `taxonomy.py`, matching rows to
incidents `matching.py`, writing `..sync`.
"""

from __future__ import annotations

from ..base import ImportReport
from ..running import StreamingImporter
from .columns import REQUIRED_COLUMNS
from .matching import AcledImport
from .reading import AcledExport, open_export

SOURCE = "acled"

__all__ = ("REQUIRED_COLUMNS", "SOURCE", "acled_import")


def _matcher(export: AcledExport, report: ImportReport) -> AcledImport:
    return AcledImport(report, export.kinds)


acled_import = StreamingImporter(source=SOURCE, open=open_export, matcher=_matcher)
