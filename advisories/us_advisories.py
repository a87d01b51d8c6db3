"""Import the U.S. State Department's travel advisory summary table (CSV or JSON).

The table lists one destination per row: its name as the State Department spells it, its
level (1-4; -1 where the Department gives no single level, empty on rows that only carry
country-information dates) and the date the advisory was last updated. Each good row sets
the country's advisory through `advisory_set`, so indicators and summaries that another
source gave are kept, and an advisory issued later than the row is never overridden.

`us_advisories_import` reads and checks the whole file first, then writes every advisory in
one transaction: a refused file or an aborted import leaves the database as it was.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

import pycountry
from django.db import transaction
from django.utils.translation import gettext as _

from .models import Advisory, Country, Source
from .services import Outcome, advisory_set

SOURCE_SLUG = "us-state-dept-travel-advisories"
SOURCE_DEFAULTS = {
    "title": "Travel Advisories",
    "publisher": "U.S. Department of State",
    "kind": Source.Kind.DATASET,
    "url": "https://travel.state.gov/content/travel/en/traveladvisories/traveladvisories.html",
    "notes": "Advisory levels by destination, from the Department's summary table. Each destination's "
    "own advisory page is linked from that table.",
}

DESTINATION, LEVEL, DATE = "destination", "risk_level_number", "last_updated_advisory"
LEVEL_TEXT = "risk_level"
REQUIRED_FIELDS = (DESTINATION, LEVEL, DATE)

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


class OnError(StrEnum):
    SKIP = "skip"
    ABORT = "abort"


class FileRefused(Exception):
    """The file cannot be imported at all: unreadable, empty, or not the expected shape."""


class ImportAborted(Exception):
    """--on-error=abort and some rows are bad; nothing was written."""

    def __init__(self, report: ImportReport) -> None:
        super().__init__(_("%(count)s rows have problems.") % {"count": len(report.rejected)})
        self.report = report


@dataclass(frozen=True)
class Problem:
    where: str
    destination: str
    reason: str

    def __str__(self) -> str:
        return f"{self.where} ({self.destination or '?'}): {self.reason}"


@dataclass(frozen=True)
class Record:
    """One row of the CSV or one object of the JSON list, with where it is in the file."""

    where: str
    position: int
    fields: dict[str, Any]
    problem: str = ""


@dataclass(frozen=True)
class Row:
    """A good record: a level and a date for one or more countries."""

    where: str
    position: int
    destination: str
    level: int
    issued_on: dt.date
    countries: tuple[Country, ...]


@dataclass
class ImportReport:
    path: Path
    file_format: str
    records: int = 0
    dry_run: bool = False
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    superseded: list[str] = field(default_factory=list)
    duplicates: list[Problem] = field(default_factory=list)
    rejected: list[Problem] = field(default_factory=list)


# Reading -------------------------------------------------------------------------------


def read_records(path: Path) -> tuple[str, list[Record]]:
    """Return the file's format ("CSV" or "JSON") and its records, or raise FileRefused."""
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise FileRefused(_("Cannot read %(path)s: %(reason)s.") % {"path": path, "reason": error.strerror}) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise FileRefused(
            _("%(path)s is not UTF-8 text (byte %(byte)s at position %(pos)s); save it as UTF-8 and try again.")
            % {"path": path, "byte": f"0x{raw[error.start]:02x}", "pos": error.start}
        ) from None
    if not text.strip():
        raise FileRefused(_("%(path)s is empty.") % {"path": path})
    suffix = path.suffix.lower()
    is_json = suffix == ".json" or (suffix != ".csv" and text.lstrip()[:1] in "[{")
    records = _json_records(path, text) if is_json else _csv_records(path, text)
    if not records:
        raise FileRefused(_("%(path)s has no destination rows.") % {"path": path})
    return ("JSON" if is_json else "CSV"), records


def _csv_records(path: Path, text: str) -> list[Record]:
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [name.strip().lower() for name in next(reader)]
        missing = [name for name in REQUIRED_FIELDS if name not in header]
        if missing:
            raise FileRefused(
                _("%(path)s is not the State Department summary: missing column(s) %(missing)s (found %(found)s).")
                % {"path": path, "missing": ", ".join(missing), "found": ", ".join(header)}
            )
        records, last_line = [], reader.line_num
        for values in reader:
            first_line, last_line = last_line + 1, reader.line_num
            if not any(value.strip() for value in values):
                continue
            where = _("line %(line)s") % {"line": first_line}
            problem = ""
            if len(values) != len(header):
                problem = _("%(found)s fields where the header has %(expected)s") % {
                    "found": len(values),
                    "expected": len(header),
                }
            records.append(Record(where, first_line, dict(zip(header, values, strict=False)), problem))
    except csv.Error as error:
        raise FileRefused(
            _("%(path)s is not valid CSV at line %(line)s: %(reason)s.")
            % {"path": path, "line": reader.line_num, "reason": error}
        ) from None
    return records


def _json_records(path: Path, text: str) -> list[Record]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise FileRefused(
            _("%(path)s is not valid JSON: %(reason)s at line %(line)s, column %(column)s.")
            % {"path": path, "reason": error.msg, "line": error.lineno, "column": error.colno}
        ) from None
    if not isinstance(data, list):
        raise FileRefused(
            _("%(path)s is not the State Department summary: expected a JSON list of records, found %(type)s.")
            % {"path": path, "type": type(data).__name__}
        )
    objects = [item for item in data if isinstance(item, dict)]
    missing = [name for name in REQUIRED_FIELDS if objects and not any(name in item for item in objects)]
    if missing or (data and not objects):
        raise FileRefused(
            _("%(path)s is not the State Department summary: its records lack the field(s) %(missing)s.")
            % {"path": path, "missing": ", ".join(missing or REQUIRED_FIELDS)}
        )
    records = []
    for index, (item, line) in enumerate(zip(data, _json_element_lines(text), strict=True), start=1):
        where = _("record %(index)s at line %(line)s") % {"index": index, "line": line}
        if not isinstance(item, dict):
            records.append(Record(where, index, {}, _("not a JSON object")))
            continue
        absent = [name for name in REQUIRED_FIELDS if name not in item]
        problem = _("missing field(s) %(missing)s") % {"missing": ", ".join(absent)} if absent else ""
        records.append(Record(where, index, {str(k).lower(): v for k, v in item.items()}, problem))
    return records


def _json_element_lines(text: str) -> list[int]:
    """The line on which each element of a top-level JSON list starts (the text is valid JSON)."""
    decoder, separators = json.JSONDecoder(), " \t\r\n,"
    position, line, counted_to = text.index("[") + 1, 1, 0
    lines: list[int] = []
    while True:
        while text[position] in separators:
            position += 1
        if text[position] == "]":
            return lines
        line += text.count("\n", counted_to, position)
        counted_to = position
        lines.append(line)
        _value, position = decoder.raw_decode(text, position)


# Checking ------------------------------------------------------------------------------


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
        return Problem(record.where, destination, record.problem)
    level, level_problem = parse_level(record.fields.get(LEVEL), record.fields.get(LEVEL_TEXT))
    issued_on, date_problem = parse_date(record.fields.get(DATE))
    countries: tuple[Country, ...] = ()
    if destination:
        countries, match_problem = matcher.match(destination)
    else:
        match_problem = _("no destination")
    reasons = [reason for reason in (level_problem, date_problem, match_problem) if reason]
    if reasons or level is None or issued_on is None:
        return Problem(record.where, destination, "; ".join(reasons))
    return Row(record.where, record.position, destination, level, issued_on, countries)


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
                row.where,
                row.destination,
                _("another row for %(country)s (%(where)s: level %(level)s, %(date)s) is used instead")
                % {"country": country.name, "where": winner.where, "level": winner.level, "date": winner.issued_on},
            )
        )
    plan = sorted(best.values(), key=lambda pair: (pair[0].position, pair[1].name))
    return plan, duplicates


# Writing -------------------------------------------------------------------------------


class _DryRun(Exception):
    pass


def us_advisories_import(
    *,
    path: Path,
    dry_run: bool = False,
    on_error: OnError = OnError.SKIP,
    progress: Callable[[list[tuple[Row, Country]]], Iterable[tuple[Row, Country]]] | None = None,
) -> ImportReport:
    """Set each destination's advisory level from the summary table at `path`.

    Raises FileRefused if the file cannot be read as the table, and ImportAborted (after
    writing nothing) if `on_error` is abort and any row is bad. A dry run does all the work
    in a transaction and rolls it back, so its report is the one a real run would give.
    """
    file_format, records = read_records(path)
    report = ImportReport(path=path, file_format=file_format, records=len(records), dry_run=dry_run)
    matcher = CountryMatcher()
    rows = []
    for record in records:
        checked = check_record(record, matcher)
        if isinstance(checked, Problem):
            report.rejected.append(checked)
        else:
            rows.append(checked)
    if report.rejected and on_error == OnError.ABORT:
        raise ImportAborted(report)
    plan, report.duplicates = resolve_duplicates(rows)
    outcomes = {
        Outcome.CREATED: report.created,
        Outcome.UPDATED: report.updated,
        Outcome.UNCHANGED: report.unchanged,
        Outcome.SUPERSEDED: report.superseded,
    }
    try:
        with transaction.atomic():
            source, _created = Source.objects.get_or_create(slug=SOURCE_SLUG, defaults=SOURCE_DEFAULTS)
            current = {
                advisory.country_id: (advisory.level, advisory.issued_on)
                for advisory in Advisory.objects.filter(region=None, is_current=True)
            }
            for row, country in progress(plan) if progress else plan:
                # The same level on the same date, from another source (such as the country's full
                # advisory, loaded with its indicators): this table only repeats it, so the richer
                # source stays named, and loading both in turn does not add a row each time.
                if current.get(country.pk) == (row.level, row.issued_on):
                    report.unchanged.append(country.name)
                    continue
                advisory, outcome = advisory_set(
                    country=country, level=row.level, source=source, issued_on=row.issued_on
                )
                label = country.name
                if outcome == Outcome.SUPERSEDED:
                    label = _("%(country)s (current advisory issued %(date)s)") % {
                        "country": country.name,
                        "date": advisory.issued_on,
                    }
                outcomes[outcome].append(label)
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    return report
