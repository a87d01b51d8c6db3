"""What the incident importers share beyond the importer kit (`config.importing`): their
report, and the values every incident data set gives (coordinates, counts of people, a severity).
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass, field
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from config.importing import report

from ..models import DatePrecision


@dataclass(kw_only=True)
class ImportReport(report.ImportReport):
    encoding: str = ""
    rows: int = 0
    # Each updated incident's external id and the fields that changed.
    updated: list[tuple[str, list[str]]] = field(default_factory=list)

    @property
    def incidents(self) -> int:
        return len(self.created) + len(self.updated) + len(self.unchanged)


# Values ----------------------------------------------------------------------------------

# The model stores 5 decimal places (about a metre); finer input is rounded the same way the
# database would, so that a second import compares equal.
COORDINATE_PLACES = Decimal("0.00001")
_NUMBER = re.compile(r"-?\d+(\.\d+)?")


def parse_coordinates(latitude: str, longitude: str) -> tuple[Decimal | None, Decimal | None, str]:
    """Both coordinates, or neither, or the reason they are unusable."""
    if not latitude and not longitude:
        return None, None, ""
    if not latitude or not longitude:
        return None, None, _("give both latitude and longitude, or neither")
    values = []
    for name, raw, limit in (("latitude", latitude, 90), ("longitude", longitude, 180)):
        if not _NUMBER.fullmatch(raw):
            return None, None, _("%(name)s %(value)r is not a number") % {"name": name, "value": raw}
        try:
            value = Decimal(raw).quantize(COORDINATE_PLACES, rounding=ROUND_HALF_EVEN)
        except InvalidOperation:
            return None, None, _("%(name)s %(value)r is not a number") % {"name": name, "value": raw}
        if not -limit <= value <= limit:
            return (
                None,
                None,
                _("%(name)s %(value)s is out of range: it goes from -%(limit)s to %(limit)s")
                % {
                    "name": name,
                    "value": raw,
                    "limit": limit,
                },
            )
        values.append(value)
    return values[0], values[1], ""


# A coordinate a spreadsheet wrote with digit-group separators ("15.343.726", "3,887,058",
# "15 343 726") or a decimal comma ("15,343726"); the kinds of repair are translated when reported.
_SEPARATED = re.compile(r"-?\d+(?:[.,'\u00a0\u202f ]\d+)+")
_ONE_GROUP = re.compile(r"-?\d{1,3}\.\d{3}")
DIGIT_GROUPS = gettext_noop("coordinates written with digit-group separators")
DECIMAL_COMMA = gettext_noop("coordinates written with a decimal comma")


@dataclass(frozen=True)
class Reading:
    """One value a coordinate may stand for, and how it was read."""

    value: Decimal
    text: str  # the number read, before rounding
    repair: str = ""  # the kind of repair, "" when the coordinate was written plainly


def coordinate_readings(raw: str, limit: int, *, lost_zero: bool = False) -> list[Reading]:
    """Every value in range that `raw` may stand for, when a coordinate of its row is unusable.

    A number written with separators gives one value per place the decimal point may go (after
    the first, second or third digit; with `lost_zero`, before the first too: the integer a
    spreadsheet grouped had lost the leading "0.", 0.358216 written "358.216"). A plain number
    gives itself if in range, and, when it has exactly three digits after its point, those values
    too: a spreadsheet writes 3887 as "3.887" with the same separator. Anything else gives nothing.
    """
    plain = _NUMBER.fullmatch(raw)
    readings = []
    if plain and abs(Decimal(raw)) <= limit:
        readings.append(Reading(Decimal(raw).quantize(COORDINATE_PLACES, rounding=ROUND_HALF_EVEN), raw))
    if (plain and not _ONE_GROUP.fullmatch(raw)) or not _SEPARATED.fullmatch(raw):
        return readings
    sign = "-" if raw.startswith("-") else ""
    separators = {char for char in raw.lstrip("-") if not char.isdigit()}
    kind = DECIMAL_COMMA if separators == {","} and raw.count(",") == 1 else DIGIT_GROUPS
    digits = "".join(char for char in raw if char.isdigit())
    for whole in range(0 if lost_zero else 1, min(3, len(digits)) + 1):
        if digits[0] == "0" and whole != 1:
            continue
        text = f"{sign}{digits[:whole] or '0'}.{digits[whole:]}".rstrip(".")
        value = Decimal(text).quantize(COORDINATE_PLACES, rounding=ROUND_HALF_EVEN)
        if abs(value) <= limit and all(reading.value != value for reading in readings):
            readings.append(Reading(value, text, kind))
    return readings


def parse_count(raw: str, column: str, *, blank: int | None = None) -> tuple[int, str]:
    """A whole number of people, zero or more. `blank` is the value of an empty cell, if one is allowed."""
    if not raw and blank is not None:
        return blank, ""
    text = raw.removesuffix(".0")
    if not text.isdigit():
        return 0, _("%(column)s %(value)r is not a whole number of zero or more") % {"column": column, "value": raw}
    return int(text), ""


def parse_known_count(raw: str, column: str) -> tuple[int | None, str]:
    """A whole number of people, zero or more; None when the cell is blank (not known)."""
    return (None, "") if not raw.strip() else parse_count(raw, column)


def fit(text: str, length: int) -> str:
    """Shorten a generated label to a column's length, marking the cut."""
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


def severity_for(*, default: int, killed: int | None, injured: int | None, abducted: int | None) -> int:
    """An imported incident's severity, 1-5, from its type and what it did to people.

    The rule: start from the incident type's default severity; anyone injured, killed or
    abducted makes it at least 3 (serious); anyone killed or abducted at least 4 (severe);
    10 or more killed or abducted makes it 5 (critical: mass casualties or hostages). A count
    that is not known (None) raises nothing.
    """
    killed, injured, abducted = killed or 0, injured or 0, abducted or 0
    severity = default
    if killed or injured or abducted:
        severity = max(severity, 3)
    if killed or abducted:
        severity = max(severity, 4)
    if killed + abducted >= 10:
        severity = 5
    return min(max(severity, 1), 5)


# A file of a million rows spans a few thousand days.
@functools.lru_cache(maxsize=8192)
def date_label(occurred_on: dt.date, precision: str) -> str:
    """An imported incident's date as its title gives it: "30 Dec 2018", "week of 10 Dec 2018", "Oct 2018", "2014"."""
    day = f"{occurred_on.day} {occurred_on:%b %Y}"
    labels: dict[str, str] = {
        DatePrecision.DAY: day,
        DatePrecision.WEEK: f"week of {day}",
        DatePrecision.MONTH: f"{occurred_on:%b %Y}",
    }
    return labels.get(precision, str(occurred_on.year))
