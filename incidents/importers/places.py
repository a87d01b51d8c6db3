"""Countries and regions as import files name them, looked up once per run.

A file of thousands of rows names a few dozen countries and a few hundred regions: each
distinct name is matched once, and each country's boundaries are prepared once.
"""

from __future__ import annotations

from decimal import Decimal

import pycountry
from django.utils.translation import gettext as _

from advisories.geo import PointOutsideCountry, RegionLocator
from advisories.models import Country, Region
from advisories.regions import RegionMatcher, normalize_name


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

    def __init__(self, country: Country) -> None:
        self.country = country
        self._matcher = RegionMatcher(country)
        self._locator: RegionLocator | None = None

    def by_name(self, name: str) -> Region | None:
        """The region the name designates, with its spelling variants; None if none or several."""
        name = name.strip()
        return self._matcher.match(name) if name else None

    def at(self, latitude: Decimal, longitude: Decimal) -> tuple[Region | None, str]:
        """The region the point is in (None where the country has no boundaries), or a reason."""
        if self._locator is None:
            self._locator = RegionLocator(self.country)
        try:
            return self._locator.region_at(latitude=latitude, longitude=longitude), ""
        except PointOutsideCountry:
            return None, _("the point %(lat)s, %(lon)s is not in %(country)s; check the coordinates or the country") % {
                "lat": latitude,
                "lon": longitude,
                "country": self.country.name,
            }


class Places:
    """One RegionFinder per country, made when a file first names the country."""

    def __init__(self) -> None:
        self.countries = CountryIndex()
        self._finders: dict[int, RegionFinder] = {}

    def finder(self, country: Country) -> RegionFinder:
        if country.pk not in self._finders:
            self._finders[country.pk] = RegionFinder(country)
        return self._finders[country.pk]

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
