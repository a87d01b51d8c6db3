"""Region names as other data sets write them, matched to our regions.

ACLED, the Aid Worker Security Database and geoBoundaries each spell Mali's regions their own
way: "Koulikouro", "Segou", "Timbuktu", "Taoudenni", "Bamako, Capital District"... Matching goes
in three steps, the first that gives an answer wins:

1. the ISO 3166-2 code itself ("ML-6");
2. the name folded by `normalize_name` (case, accents, punctuation and words such as "Region"
   or "District" do not count), compared with each region's folded name and with the other
   names `REGION_ALIASES` lists for it;
3. if that finds nothing, a small edit-distance fallback for a missing or doubled letter, used
   only when exactly one region is that close.

A name that designates two regions (Mozambique's "Maputo" is both a province and a city) matches
none: an importer should report it rather than guess.
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from typing import Final

from .models import Country, Region

# Other names that data sets use for a region, by country and ISO 3166-2 code. Case, accents,
# punctuation and generic words are folded anyway ("Ségou" = "Segou", "Bamako District" =
# "Bamako"), so only genuinely different spellings belong here.
REGION_ALIASES: Final[dict[str, dict[str, tuple[str, ...]]]] = {
    "ML": {
        "ML-2": ("Koulikouro",),  # geoBoundaries
        "ML-6": ("Timbuktu", "Tombuctou"),  # English; a common misspelling
        "ML-10": ("Taoudeni", "Taoudenni"),  # Taoudénit, the region created in 2016; ACLED's spelling of the town
    },
}

# Words that say what kind of subdivision a name is, not which one.
_GENERIC_WORDS: Final = frozenset({"region", "district", "province", "state", "capital", "prefecture"})
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

    def __init__(self, country_code: str, regions: Iterable[tuple[str, str]]) -> None:
        self._codes: dict[str, str] = {}
        self._keys: dict[str, set[str]] = defaultdict(set)
        for code, name in regions:
            self._codes[code.upper()] = code
            self._keys[normalize_name(name)].add(code)
        for code, aliases in REGION_ALIASES.get(country_code.upper(), {}).items():
            if code.upper() in self._codes:
                for alias in aliases:
                    self._keys[normalize_name(alias)].add(code)

    def candidates(self, name: str) -> list[str]:
        """The codes `name` may designate, best first: none, exactly one, or several if ambiguous."""
        stripped = name.strip()
        if stripped.upper() in self._codes:
            return [self._codes[stripped.upper()]]
        key = normalize_name(stripped)
        if not key:
            return []
        if key in self._keys:
            return sorted(self._keys[key])
        return self._near(key)

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

    def __init__(self, country: Country) -> None:
        self.country = country
        self._regions = {region.code: region for region in Region.objects.filter(country=country).defer("boundary")}
        self._index = NameIndex(country.code, ((code, region.name) for code, region in self._regions.items()))
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
