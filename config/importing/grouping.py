"""Rows of one thing (an event of a dyadic export) read together from a file read as a stream.

A file may give one event on several rows that are not next to each other. Holding the whole
file to group them costs memory in proportion to the file; instead, a first pass over the file
notes, for each row, the position of the last row with the same key (`RowIndex`, four bytes a
row, from the key's 64-bit hash), and the second pass (`grouped`) holds a row only until the
last row of its key has been read. In an export sorted by date, that is a few rows at a time.
"""

from __future__ import annotations

from array import array
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

import numpy as np

from .files import CsvRow


class RowIndexer:
    """The first pass: `add` each row's key in file order (`""` for a row that stands alone), then `finish`."""

    def __init__(self) -> None:
        self._hashes = array("q")

    def add(self, key: str) -> None:
        # A row that stands alone gets a number of its own, -1 - its position; that a key hashes to
        # the same number is unlikely, and would only delay that key's group (see `grouped`).
        if key:
            # str's hash is salted per process, and both passes run in the same one.
            self._hashes.append(hash(key))
        else:
            self._hashes.append(-len(self._hashes) - 1)

    def finish(self) -> RowIndex:
        hashes = np.frombuffer(self._hashes, dtype=np.int64) if self._hashes else np.zeros(0, dtype=np.int64)
        count = len(hashes)
        # The last position of each hash: its first position in the reversed array.
        unique, first_reversed, inverse = np.unique(hashes[::-1], return_index=True, return_inverse=True)
        last = (count - 1 - first_reversed)[inverse][::-1].astype(np.int32 if count < 2**31 else np.int64)
        self._hashes = array("q")
        return RowIndex(rows=count, keys=len(unique), last=last)


@dataclass(frozen=True)
class RowIndex:
    rows: int
    keys: int  # how many groups `grouped` yields: distinct keys, and each row without one
    last: np.ndarray  # for each row's position, the position of the last row with the same key


def grouped(rows: Iterable[CsvRow], key: Callable[[CsvRow], str], index: RowIndex) -> Iterator[list[CsvRow]]:
    """The rows in groups of one key, in file order within a group; each group when its last row is read.

    `rows` must be the rows the index was made from, in the same order. A row whose key is ""
    is a group of its own. Should two keys share a hash, the earlier key's group waits until
    the end of the file, and is still whole.
    """
    pending: dict[str, list[CsvRow]] = {}
    last = index.last
    for position, row in enumerate(rows):
        name = key(row)
        if not name:
            yield [row]
            continue
        group = pending.setdefault(name, [])
        group.append(row)
        if last[position] == position:
            yield pending.pop(name)
    yield from pending.values()


def chunked(groups: Iterable[list[CsvRow]], rows: int) -> Iterator[list[list[CsvRow]]]:
    """Groups in chunks of at least `rows` rows (the last may hold fewer); a group is never split."""
    chunk: list[list[CsvRow]] = []
    size = 0
    for group in groups:
        chunk.append(group)
        size += len(group)
        if size >= rows:
            yield chunk
            chunk, size = [], 0
    if chunk:
        yield chunk
