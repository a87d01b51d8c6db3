"""The time it is now where an incident happened, from its country's time zones.

The IANA database (the tzdata package) lists each country's time zones in zone.tab. A country
with several (Mali has one, the United States many) is taken at its latest clock, so that
nothing that has already happened somewhere in it is refused as still to come.
"""

from __future__ import annotations

import datetime as dt
import functools
import zoneinfo
from importlib import resources


@functools.cache
def _zones_by_country() -> dict[str, tuple[zoneinfo.ZoneInfo, ...]]:
    table = resources.files("tzdata").joinpath("zoneinfo", "zone.tab").read_text(encoding="utf-8")
    zones: dict[str, list[zoneinfo.ZoneInfo]] = {}
    for line in table.splitlines():
        if not line or line.startswith("#"):
            continue
        code, _coordinates, name, *_comment = line.split("\t")
        zones.setdefault(code, []).append(zoneinfo.ZoneInfo(name))
    return {code: tuple(found) for code, found in zones.items()}


def country_time_zones(country_code: str) -> tuple[zoneinfo.ZoneInfo, ...]:
    """The time zones of a country by its ISO 3166-1 alpha-2 code; empty when none is listed."""
    return _zones_by_country().get(country_code.upper(), ())


def latest_local_time(country_code: str, now: dt.datetime) -> dt.datetime | None:
    """The wall-clock time (naive) in the country's zone that is furthest ahead at `now`, or None
    when the country's time zones are not known."""
    zones = country_time_zones(country_code)
    if not zones:
        return None
    return max(now.astimezone(zone).replace(tzinfo=None) for zone in zones)
