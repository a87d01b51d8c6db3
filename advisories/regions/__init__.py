"""Region names as other data sets write them, matched to our regions.

ACLED, the Aid Worker Security Database and geoBoundaries each spell Mali's regions their own
way: "Koulikouro", "Segou", "Timbuktu", "Taoudenni", "Bamako, Capital District"... Matching goes
in three steps, the first that gives an answer wins:

1. the ISO 3166-2 code itself ("ML-6");
2. the name folded by `normalize_name` (case, accents, punctuation and words such as "Region"
   or "District" do not count; an apostrophe may be a space or nothing: "Sa'dah" = ISO's "Sa\u02bbdah"),
   compared with each region's folded name and with the other names the alias table
   (aliases.csv beside this module, `region_aliases`) lists for it. An alias whose `only_for`
   names a data set ("awsd") is that data set's own meaning of a name others read differently
   (the AWSD's "Sana'a" is the capital, ACLED's "Sanaa" the governorate around it): it applies
   only when that data set is read, and before every other name;
3. if that finds nothing, a small edit-distance fallback for a missing or doubled letter, used
   only when exactly one region is that close.

A name that designates two regions (Mozambique's "Maputo" is both a province and a city) matches
none: an importer should report it rather than guess.
"""

from __future__ import annotations

import csv
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Final

from ..models import Country, Region

# Other names that data sets use for a region: one row per spelling, with the source it comes
# from. Case, accents, punctuation and generic words are folded anyway ("Ségou" = "Segou",
# "Bamako District" = "Bamako"), so only genuinely different spellings belong there.
ALIASES_FILE: Final = Path(__file__).resolve().parent / "aliases.csv"


@dataclass(frozen=True)
class Alias:
    code: str
    name: str
    source: str  # where the spelling comes from: a data set, ISO's change notes, English usage
    only_for: str  # the data set whose own meaning it is, or "" for every reader


@cache
def region_aliases() -> dict[str, tuple[Alias, ...]]:
    """The alias table by country code, read once."""
    by_country: dict[str, list[Alias]] = defaultdict(list)
    with ALIASES_FILE.open(encoding="utf-8", newline="") as file:
        for row in csv.DictReader(file):
            code = row["code"].strip().upper()
            alias = Alias(code, row["alias"].strip(), row["source"].strip(), row["only_for"].strip().casefold())
            by_country[code.split("-")[0]].append(alias)
    return {country: tuple(aliases) for country, aliases in by_country.items()}


# Words that say what kind of subdivision a name is, not which one.
_GENERIC_WORDS: Final = frozenset(
    {
        "region",
        "district",
        "province",
        "state",
        "capital",
        "prefecture",
        "city",
        "oblast",
        "governorate",
        "county",
        "respublika",
    }
)
# Apostrophes, and the modifier letters that transliterate ayn and hamza ("Ma\u2019rib", "Sa\u02bbdah").
_APOSTROPHES: Final = str.maketrans("", "", "'`\u2018\u2019\u00b4\u02bb\u02bc\u02be\u02bf")
_LINKING_WORDS: Final = frozenset({"de", "du", "des", "d", "of", "la", "le"})


def normalize_name(name: str) -> str:
    """Lower-case, without accents or punctuation, without generic words around the name.

    "Région de Ségou", "Segou Region" and "SÉGOU" all give "segou"; "Bamako, Capital District"
    gives "bamako". A name made only of generic words is kept as it is, folded.
    """
    decomposed = unicodedata.normalize("NFKD", name)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()
    words = "".join(ch if ch.isalnum() else " " for ch in plain).split()
    while len(words) > 1 and words[-1] in _GENERIC_WORDS:
        words.pop()
    while len(words) > 1 and words[0] in _GENERIC_WORDS:
        words.pop(0)
        if len(words) > 1 and words[0] in _LINKING_WORDS:
            words.pop(0)
    return " ".join(words)


def name_keys(name: str) -> list[str]:
    """The folded forms of a name: an apostrophe read as a space, then as nothing."""
    keys = [normalize_name(name), normalize_name(name.translate(_APOSTROPHES))]
    return keys[:1] if keys[0] == keys[1] else keys


def edit_distance(a: str, b: str, *, limit: int) -> int:
    """Levenshtein distance between a and b, or limit + 1 as soon as it is known to exceed limit."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, start=1):
        current = [i]
        for j, char_b in enumerate(b, start=1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (char_a != char_b)))
        if min(current) > limit:
            return limit + 1
        previous = current
    return min(previous[-1], limit + 1)


def _allowed_typos(key: str) -> int:
    # Short names are too close to each other for a typo to say which one was meant ("Gao").
    letters = len(key.replace(" ", ""))
    if letters >= 9:
        return 2
    if letters >= 5:
        return 1
    return 0


class NameIndex:
    """Which region codes a name designates, built from (code, name) pairs without the database.

    The loader of boundaries uses it in a data migration, where only historical models exist;
    `RegionMatcher` wraps it for the live models.
    """

    def __init__(self, country_code: str, regions: Iterable[tuple[str, str]], *, source: str = "") -> None:
        self._codes: dict[str, str] = {}
        self._keys: dict[str, set[str]] = defaultdict(set)
        # The aliases only the data set being read uses: they decide before every other name.
        self._own: dict[str, set[str]] = defaultdict(set)
        for code, name in regions:
            self._codes[code.upper()] = code
            for key in name_keys(name):
                self._keys[key].add(code)
        for alias in region_aliases().get(country_code.upper(), ()):
            if alias.code not in self._codes:
                continue
            if alias.only_for and alias.only_for != source.casefold():
                continue
            table = self._own if alias.only_for else self._keys
            for key in name_keys(alias.name):
                table[key].add(self._codes[alias.code])

    def candidates(self, name: str) -> list[str]:
        """The codes `name` may designate, best first: none, exactly one, or several if ambiguous."""
        stripped = name.strip()
        if stripped.upper() in self._codes:
            return [self._codes[stripped.upper()]]
        keys = [key for key in name_keys(stripped) if key]
        for table in (self._own, self._keys):
            for key in keys:
                if key in table:
                    return sorted(table[key])
        return self._near(keys[-1]) if keys else []

    def code_for(self, name: str) -> str | None:
        """The one code `name` designates, or None when it designates none or several."""
        found = self.candidates(name)
        return found[0] if len(found) == 1 else None

    def _near(self, key: str) -> list[str]:
        allowed = _allowed_typos(key)
        if not allowed:
            return []
        best: dict[str, int] = {}
        for other, codes in self._keys.items():
            distance = edit_distance(key, other, limit=allowed)
            if distance <= allowed:
                for code in codes:
                    best[code] = min(distance, best.get(code, distance))
        if not best:
            return []
        closest = min(best.values())
        return sorted(code for code, distance in best.items() if distance == closest)


class RegionMatcher:
    """Matches names to the regions of one country; loads them once, remembers each answer.

    An importer makes one per country and calls `match` for every row.
    """

    def __init__(self, country: Country, *, source: str = "") -> None:
        self.country = country
        self._regions = {region.code: region for region in Region.objects.filter(country=country).defer("boundary")}
        names = ((code, region.name) for code, region in self._regions.items())
        self._index = NameIndex(country.code, names, source=source)
        self._answers: dict[str, list[Region]] = {}

    def candidates(self, name: str) -> list[Region]:
        """The regions `name` may designate: empty when unknown, several when ambiguous."""
        if name not in self._answers:
            self._answers[name] = [self._regions[code] for code in self._index.candidates(name)]
        return self._answers[name]

    def match(self, name: str) -> Region | None:
        """The region `name` designates, or None when it designates none or more than one."""
        found = self.candidates(name)
        return found[0] if len(found) == 1 else None


def match_region(country: Country, name: str) -> Region | None:
    """The region of `country` that `name` designates, or None. For many names use RegionMatcher."""
    return RegionMatcher(country).match(name)
