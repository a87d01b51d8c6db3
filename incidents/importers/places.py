"""Countries and regions as import files name them, looked up once per run.

A file of thousands of rows names a few dozen countries and a few hundred regions: each
distinct name is matched once, and each country's boundaries are prepared once.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import pycountry
from django.utils.translation import gettext as _

from advisories.geo import PointOutsideCountry, RegionLocator, country_outline
from advisories.models import Country, Region
from advisories.regions import RegionMatcher, normalize_name

from .base import Reading, coordinate_readings, parse_coordinates

Point = tuple[Reading, Reading]


class CountryIndex:
    """Every country of our table by ISO alpha-2, alpha-3, numeric code and name."""

    def __init__(self) -> None:
        countries = list(Country.objects.all())
        self.by_code = {country.code: country for country in countries}
        self.by_alpha3 = {country.alpha3: country for country in countries}
        self.by_numeric = {country.numeric.zfill(3): country for country in countries if country.numeric}
        self.by_name: dict[str, Country] = {}
        for country in countries:
            for name in (country.name, country.official_name):
                if name:
                    self.by_name.setdefault(normalize_name(name), country)
        for entry in pycountry.countries:
            country_or_none = self.by_code.get(entry.alpha_2)
            if country_or_none is None:
                continue
            for attribute in ("name", "common_name", "official_name"):
                iso_name = getattr(entry, attribute, None)
                if iso_name:
                    self.by_name.setdefault(normalize_name(iso_name), country_or_none)

    def code(self, code: str) -> Country | None:
        return self.by_code.get(code.strip().upper())

    def numeric(self, code: str) -> Country | None:
        code = code.strip()
        return self.by_numeric.get(code.zfill(3)) if code.isdigit() else None

    def alpha3(self, code: str) -> Country | None:
        return self.by_alpha3.get(code.strip().upper())

    def name(self, name: str) -> Country | None:
        return self.by_name.get(normalize_name(name)) if name.strip() else None


class RegionFinder:
    """A country's regions by the name a file gives, or by coordinates where boundaries are mapped."""

    def __init__(self, country: Country, *, source: str = "") -> None:
        self.country = country
        self._matcher = RegionMatcher(country, source=source)
        self._locator: RegionLocator | None = None

    @property
    def locator(self) -> RegionLocator:
        if self._locator is None:
            self._locator = RegionLocator(self.country)
        return self._locator

    def by_name(self, name: str) -> Region | None:
        """The region the name designates, with its spelling variants; None if none or several."""
        name = name.strip()
        return self._matcher.match(name) if name else None

    def at(self, latitude: Decimal, longitude: Decimal) -> tuple[Region | None, str]:
        """The region the point is in (None where the country has no boundaries), or a reason."""
        try:
            return self.locator.region_at(latitude=latitude, longitude=longitude), ""
        except PointOutsideCountry:
            return None, _("the point %(lat)s, %(lon)s is not in %(country)s; check the coordinates or the country") % {
                "lat": latitude,
                "lon": longitude,
                "country": self.country.name,
            }

    def likely(self, points: list[Point]) -> list[Point]:
        """The points that fall in the country: in its regions' boundaries where it has some, else
        near its outline, else in the outline's box; all of them for a country without an outline."""

        def in_regions(point: Point) -> bool:
            try:
                self.locator.region_at(latitude=point[0].value, longitude=point[1].value)
            except PointOutsideCountry:
                return False
            return True

        if self.locator.has_boundaries:
            return [point for point in points if in_regions(point)]
        outline = country_outline(self.country.code)
        if outline is None:
            return points
        near = [point for point in points if outline.near(latitude=point[0].value, longitude=point[1].value)]
        return near or [point for point in points if outline.in_box(latitude=point[0].value, longitude=point[1].value)]


@dataclass(frozen=True)
class Coordinates:
    """A row's coordinates as imported and the repairs they needed (sentences and their kinds),
    or the reason they are unusable."""

    latitude: Decimal | None = None
    longitude: Decimal | None = None
    repairs: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    reason: str = ""


@dataclass(frozen=True)
class Location:
    """Where a row happened: its region if known, the file's region name that designates none of ours, or a reason."""

    region: Region | None = None
    unknown_region: str = ""
    reason: str = ""


class Places:
    """One RegionFinder per country, made when a file first names the country.

    `source` names the data set ("awsd"): its own region aliases decide first.
    """

    def __init__(self, *, source: str = "") -> None:
        self.countries = CountryIndex()
        self.source = source
        self._finders: dict[int, RegionFinder] = {}

    def finder(self, country: Country) -> RegionFinder:
        if country.pk not in self._finders:
            self._finders[country.pk] = RegionFinder(country, source=self.source)
        return self._finders[country.pk]

    def coordinates(self, country: Country | None, latitude: str, longitude: str) -> Coordinates:
        """The coordinates, repaired where a spreadsheet wrote them with digit-group separators or a
        decimal comma and exactly one placement of the decimal point falls in the country.

        Valid coordinates outside their country that such a spreadsheet may have written ("3.887"
        for 38.87) are repaired the same way when exactly one placement falls in the country, and
        kept as they are otherwise.
        """
        lat, lon, reason = parse_coordinates(latitude, longitude)
        if country is None or (lat is None and not reason):
            return Coordinates(lat, lon, reason=reason)
        finder = self.finder(country)
        if lat is not None and lon is not None:
            if finder.likely([(Reading(lat, latitude), Reading(lon, longitude))]):
                return Coordinates(lat, lon)
            repaired = self._repaired(finder, latitude, longitude)
            return repaired if repaired is not None and not repaired.reason else Coordinates(lat, lon)
        return self._repaired(finder, latitude, longitude) or Coordinates(reason=reason)

    @staticmethod
    def _repaired(finder: RegionFinder, latitude: str, longitude: str) -> Coordinates | None:
        """The one reading of the coordinates in the country, the reason there is none or several,
        or None when they are not written in a way this can repair."""
        likely: list[Point] = []
        # Readings that lost a leading "0." are tried only if no other reading is in the country:
        # near the equator they would make most rows ambiguous.
        for lost_zero in (False, True):
            lat_readings = coordinate_readings(latitude, 90, lost_zero=lost_zero)
            lon_readings = coordinate_readings(longitude, 180, lost_zero=lost_zero)
            if not any(reading.repair for reading in (*lat_readings, *lon_readings)):
                return None
            likely = finder.likely([(a, b) for a in lat_readings for b in lon_readings])
            if likely:
                break
        if len(likely) != 1:
            return Coordinates(reason=_unplaced(finder.country, latitude, longitude, likely))
        repairs, kinds = [], set()
        for name, raw, reading in (("latitude", latitude, likely[0][0]), ("longitude", longitude, likely[0][1])):
            if reading.repair:
                repairs.append(f"{name} {raw} read as {reading.text}")
                kinds.add(reading.repair)
        return Coordinates(likely[0][0].value, likely[0][1].value, tuple(repairs), tuple(sorted(kinds)))

    def locate(
        self, country: Country, *, region_name: str, latitude: Decimal | None, longitude: Decimal | None
    ) -> Location:
        """Like `place`, but a region name that designates none of the country's regions does not
        lose the row: the coordinates place it, else it stays at country level, and the name is kept."""
        finder = self.finder(country)
        region = finder.by_name(region_name)
        if region is not None:
            return Location(region)
        if latitude is None or longitude is None:
            return Location(None, region_name, "" if region_name else _("neither a region nor coordinates"))
        region, reason = finder.at(latitude, longitude)
        return Location(region, region_name, reason)

    def place(
        self, country: Country, *, region_name: str, latitude: Decimal | None, longitude: Decimal | None
    ) -> tuple[Region | None, str]:
        """The region by name, else by coordinates; a reason when the row cannot be placed at all.

        The same rules as `incident_clean`: a region or coordinates are required, and
        coordinates outside the country (where its boundaries are mapped) are refused.
        """
        finder = self.finder(country)
        region = finder.by_name(region_name)
        if region is not None:
            return region, ""
        if latitude is None or longitude is None:
            if region_name:
                return None, _("%(name)r is not a region of %(country)s, and the row has no coordinates") % {
                    "name": region_name,
                    "country": country.name,
                }
            return None, _("neither a region nor coordinates")
        return finder.at(latitude, longitude)


def _unplaced(country: Country, latitude: str, longitude: str, likely: list[Point]) -> str:
    values = {"lat": latitude, "lon": longitude, "country": country.name}
    if not likely:
        return (
            _("latitude %(lat)s, longitude %(lon)s: no placement of the decimal point gives a point in %(country)s")
            % values
        )
    points = "; ".join(f"{lat.text}, {lon.text}" for lat, lon in likely)
    return _(
        "latitude %(lat)s, longitude %(lon)s: %(count)s placements of the decimal point give a point in "
        "%(country)s (%(points)s); cannot tell which"
    ) % {**values, "count": len(likely), "points": points}
