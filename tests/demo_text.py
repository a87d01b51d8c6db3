"""What the demo-data tests of every app check of the text they wrote: that a list of it covers
every text field of the records, and that none of it copies a run of words from a seed document."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"


def words(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower().replace("\u2019", "'"))


def text_fields_left_out(records: Iterable[Any], quoted: set[str], prose: Iterable[str]) -> list[tuple[str, str]]:
    """The (record type, field) of each non-empty text field, other than the `quoted` ones, whose
    value is not in `prose`."""
    listed = set(prose)
    return [
        (type(record).__name__, field.name)
        for record in records
        for field in dataclasses.fields(record)
        if field.name not in quoted
        and isinstance(value := getattr(record, field.name), str)
        and value
        and value not in listed
    ]


def copied_seed_runs(prose: Iterable[str], run: int = 12) -> list[str]:
    """The runs of `run` words of `prose` that stand in a seed document as well."""
    seed_runs: set[tuple[str, ...]] = set()
    for path in SEEDS.glob("0*.txt"):
        seed = words(path.read_text(encoding="utf-8"))
        seed_runs |= {tuple(seed[i : i + run]) for i in range(len(seed) - run + 1)}
    assert seed_runs, f"no seed documents in {SEEDS}"
    copied = []
    for text in prose:
        said = words(text)
        pieces = (tuple(said[i : i + run]) for i in range(len(said) - run + 1))
        copied += [" ".join(piece) for piece in pieces if piece in seed_runs]
    return copied
