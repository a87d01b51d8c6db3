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

Reading is `reading.py`, the taxonomy `taxonomy.py`, matching rows to incidents `matching.py`,
writing `..sync`.
"""

from __future__ import annotations

from ..running import IncidentImporter
from .matching import match_events
from .reading import REQUIRED_COLUMNS, read_table

SOURCE = "acled"

__all__ = ("REQUIRED_COLUMNS", "SOURCE", "acled_import")

acled_import = IncidentImporter(source=SOURCE, read=read_table, match=match_events)
