"""The analysts' admin for what is known about places.

Two rules shape it. Publishing a new advisory for a place goes through `advisory_publish`, so the
previous one stays as history instead of being overwritten or tripping the database's
"one current advisory per place" constraint. And every constraint the database enforces is
checked in the forms first, with a message an analyst can act on, so a save never ends in a 500.

Importing the package registers every model admin, as the admin's autodiscovery expects.
"""

from . import crime_profiles, places, reports, risk

__all__ = ["crime_profiles", "places", "reports", "risk"]
