"""Matching the summary table's records to countries, levels and dates.

A destination is found by the State Department's own spellings (ALIASES), then by the names
of our countries and of ISO 3166-1, then by a cautious fuzzy search; a record that names no
country, or gives no usable level or date, becomes a Problem. Of several rows for one
country, the latest-dated is used and the others are reported.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

import pycountry
from django.utils.translation import gettext as _

from config.importing.report import Problem

from ..models import Country
from .reading import DATE, DESTINATION, LEVEL, LEVEL_TEXT, Record

# The State Department's spellings that no ISO name matches, or that are worth pinning down
# rather than leaving to a fuzzy search. Keys are normalized (see `_normalize`).
# Places the table lists apart from their ISO entity, or together where ISO splits them:
# - Bonaire, Sint Eustatius and Saba have one ISO code, BQ. Each island's row maps to BQ, so
#   the three rows are duplicates of one another: the latest-dated one is used and the
#   others are reported (in the current table they agree on level and date).
# - "French West Indies" is one advisory covering four ISO entities: Guadeloupe, Martinique,
#   Saint Barthelemy and Saint Martin (French part). Its level is set on each of them.
# - "Israel, the West Bank and Gaza" is one advisory for Israel (IL) and Palestine (PS).
ALIASES: dict[str, tuple[str, ...]] = {
    "burma": ("MM",),
    "cote d'ivoire": ("CI",),
    "ivory coast": ("CI",),
    "bahamas": ("BS",),
    "gambia": ("GM",),
    "mainland china": ("CN",),
    "hong kong": ("HK",),
    "macau": ("MO",),
    "turkey": ("TR",),
    "turkiye": ("TR",),
    "russia": ("RU",),
    "laos": ("LA",),
    "vietnam": ("VN",),
    "north korea": ("KP",),
    "democratic people's republic of korea": ("KP",),
    "south korea": ("KR",),
    "republic of korea": ("KR",),
    "czechia": ("CZ",),
    "czech republic": ("CZ",),
    "eswatini": ("SZ",),
    "swaziland": ("SZ",),
    "timor-leste": ("TL",),
    "east timor": ("TL",),
    "cabo verde": ("CV",),
    "cape verde": ("CV",),
    "micronesia": ("FM",),
    "federated states of micronesia": ("FM",),
    "israel, the west bank and gaza": ("IL", "PS"),
    "israel, west bank and gaza": ("IL", "PS"),
    "west bank and gaza": ("PS",),
    "west bank": ("PS",),
    "gaza": ("PS",),
    "democratic republic of the congo": ("CD",),
    "d.r.c.": ("CD",),
    "republic of the congo": ("CG",),
    "kyrgyz republic": ("KG",),
    "solomon island": ("SB",),
    "brunei": ("BN",),
    "bonaire": ("BQ",),
    "sint eustatius": ("BQ",),
    "saba": ("BQ",),
    "sint maarten": ("SX",),
    "french west indies": ("GP", "MQ", "BL", "MF"),
    "curacao": ("CW",),
    "british virgin islands": ("VG",),
    "taiwan": ("TW",),
}

# Destinations that are not an ISO 3166-1 country: reported with this reason, never guessed
# (a fuzzy search would send Kosovo to Serbia, whose subdivision it is in pycountry).
NOT_COUNTRIES: dict[str, str] = {
    "kosovo": "Kosovo has no ISO 3166-1 code (XK is a user-assigned code that pycountry does not list), "
    "so there is no country to set it on",
}

_DATE_FORMATS_HELP = "YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS"
_LEVEL_IN_TEXT = re.compile(r"\blevel\s*(-?\d+)", re.IGNORECASE)
_PARENTHESIS = re.compile(r"^(.*?)\s*\((.*)\)\s*$")


@dataclass(frozen=True)
class Row:
    """A good record: a level and a date for one or more countries."""

    where: str
    position: int
    destination: str
    level: int
    issued_on: dt.date
    countries: tuple[Country, ...]


# Matching ------------------------------------------------------------------------------


def _normalize(name: str) -> str:
    """Case, accents, apostrophes, spacing and a leading "the" do not matter in a name."""
    name = unicodedata.normalize("NFKD", name.replace("\u2019", "'"))
    name = " ".join("".join(c for c in name if not unicodedata.combining(c)).casefold().split())
    return name.removeprefix("the ")


class CountryMatcher:
    """Find the countries a State Department destination name stands for."""

    def __init__(self) -> None:
        self.by_code = {country.code: country for country in Country.objects.all()}
        index: dict[str, set[str]] = {}
        for country in self.by_code.values():
            for name in (country.name, country.official_name):
                if name:
                    index.setdefault(_normalize(name), set()).add(country.code)
        for entry in pycountry.countries:
            for attribute in ("name", "common_name", "official_name"):
                iso_name = getattr(entry, attribute, None)
                if iso_name and entry.alpha_2 in self.by_code:
                    index.setdefault(_normalize(iso_name), set()).add(entry.alpha_2)
        # A name shared by two countries identifies neither.
        self.by_name = {name: codes.pop() for name, codes in index.items() if len(codes) == 1}

    def match(self, destination: str) -> tuple[tuple[Country, ...], str]:
        """The countries for a destination, or no country and the reason why."""
        candidates = [_normalize(destination)]
        if parts := _PARENTHESIS.match(candidates[0]):  # "Burma (Myanmar)": try both names
            candidates += [parts.group(1), parts.group(2).removeprefix("the ")]
        for name in candidates:
            if name in NOT_COUNTRIES:
                return (), NOT_COUNTRIES[name]
        for name in candidates:
            codes = ALIASES.get(name) or ((self.by_name[name],) if name in self.by_name else ())
            if codes:
                absent = [code for code in codes if code not in self.by_code]
                if absent:
                    return (), _("no country with code %(codes)s exists (run sync_countries)") % {
                        "codes": ", ".join(absent)
                    }
                return tuple(self.by_code[code] for code in codes), ""
        return self._fuzzy(destination, candidates[0])

    def _fuzzy(self, destination: str, normalized: str) -> tuple[tuple[Country, ...], str]:
        """Last resort: pycountry's fuzzy search, only if it finds one country by its own names.

        pycountry also matches subdivision names and returns their country, which would send
        a place to the wrong country; such a result is not accepted.
        """
        try:
            found = pycountry.countries.search_fuzzy(destination)
        except LookupError:
            found = []
        if len(found) == 1 and found[0].alpha_2 in self.by_code:
            entry = found[0]
            names = [_normalize(getattr(entry, a, "") or "") for a in ("name", "common_name", "official_name")]
            if any(name and (normalized in name or name in normalized) for name in names):
                return (self.by_code[entry.alpha_2],), ""
        if len(found) > 1:
            return (), _("matches no country by name, and a fuzzy search finds several (%(codes)s)") % {
                "codes": ", ".join(entry.alpha_2 for entry in found[:5])
            }
        return (), _("matches no country")


def parse_level(value: Any, text: Any) -> tuple[int | None, str]:
    """The advisory level of a record, or None and the reason it is not usable."""
    raw = "" if value is None else str(value).strip()
    if not raw:
        return None, _("no advisory level (%(field)s is empty)") % {"field": LEVEL}
    if isinstance(value, bool) or not re.fullmatch(r"-?\d+", raw):
        return None, _("advisory level %(value)r is not a number") % {"value": raw}
    level = int(raw)
    if level == -1:
        label = str(text).strip() if text else ""
        return None, _("level -1: the State Department gives no single level for this destination%(label)s") % {
            "label": f" ({label!r})" if label else ""
        }
    if level not in (1, 2, 3, 4):
        return None, _("advisory level %(level)s is not 1, 2, 3 or 4") % {"level": level}
    stated = _LEVEL_IN_TEXT.search(str(text or ""))
    if stated and int(stated.group(1)) != level:
        return None, _("%(field)s is %(level)s but %(text_field)s says %(text)r") % {
            "field": LEVEL,
            "level": level,
            "text_field": LEVEL_TEXT,
            "text": text,
        }
    return level, ""


def parse_date(value: Any) -> tuple[dt.date | None, str]:
    """The row's last-updated date: the file gives "2025-01-13T00:00:00"; a bare date is accepted too."""
    raw = "" if value is None else str(value).strip()
    if not raw:
        return None, _("no advisory date (%(field)s is empty)") % {"field": DATE}
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?", raw):
        try:
            return dt.datetime.fromisoformat(raw).date(), ""
        except ValueError:
            pass
    return None, _("%(field)s %(value)r is not a date (expected %(formats)s)") % {
        "field": DATE,
        "value": raw,
        "formats": _DATE_FORMATS_HELP,
    }


def check_record(record: Record, matcher: CountryMatcher) -> Row | Problem:
    destination = record.fields.get(DESTINATION)
    destination = destination.strip() if isinstance(destination, str) else ""
    if record.problem:
        return Problem(record.position, destination, record.problem, where=record.where)
    level, level_problem = parse_level(record.fields.get(LEVEL), record.fields.get(LEVEL_TEXT))
    issued_on, date_problem = parse_date(record.fields.get(DATE))
    countries: tuple[Country, ...] = ()
    if destination:
        countries, match_problem = matcher.match(destination)
    else:
        match_problem = _("no destination")
    reasons = [reason for reason in (level_problem, date_problem, match_problem) if reason]
    if reasons or level is None or issued_on is None:
        return Problem(record.position, destination, "; ".join(reasons), where=record.where)
    return Row(record.where, record.position, destination, level, issued_on, countries)


def match_records(records: list[Record]) -> tuple[list[Row], list[Problem]]:
    """The good records as rows, and the problem of each bad one."""
    matcher = CountryMatcher()
    rows, problems = [], []
    for record in records:
        checked = check_record(record, matcher)
        if isinstance(checked, Problem):
            problems.append(checked)
        else:
            rows.append(checked)
    return rows, problems


def resolve_duplicates(rows: list[Row]) -> tuple[list[tuple[Row, Country]], list[Problem]]:
    """One row per country: the latest-dated wins; on the same date the higher level wins
    (the cautious reading), then the first in the file. The other rows are reported."""
    best: dict[str, tuple[Row, Country]] = {}
    losers: list[tuple[Row, Country]] = []
    for row in rows:
        for country in row.countries:
            kept = best.get(country.code)
            if kept is None:
                best[country.code] = (row, country)
            elif (row.issued_on, row.level) > (kept[0].issued_on, kept[0].level):
                losers.append(kept)
                best[country.code] = (row, country)
            else:
                losers.append((row, country))
    duplicates = []
    for row, country in sorted(losers, key=lambda pair: pair[0].position):
        winner = best[country.code][0]
        duplicates.append(
            Problem(
                row.position,
                row.destination,
                _("another row for %(country)s (%(where)s: level %(level)s, %(date)s) is used instead")
                % {"country": country.name, "where": winner.where, "level": winner.level, "date": winner.issued_on},
                where=row.where,
            )
        )
    plan = sorted(best.values(), key=lambda pair: (pair[0].position, pair[1].name))
    return plan, duplicates
