"""Countries in the order people look them up in a list: accents and case ignored, so that
"Åland Islands" is the first of the A's and "Côte d'Ivoire" is not after Czechia.

Databases sort names by their collation (SQLite by code point, which puts every accented
initial after Z), so the order is made here, in Python, by `advisories.selectors.name_sort_key`.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.forms.models import ModelChoiceIterator

from .selectors import name_sort_key


class CountriesByName(ModelChoiceIterator):
    """A country field's choices (`field.iterator = CountriesByName`), still read in one query
    when the field is drawn, sorted by `name_sort_key`."""

    def __iter__(self) -> Iterator[tuple[Any, Any]]:
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for country in sorted(self.queryset, key=lambda country: name_sort_key(country.name)):
            yield self.choice(country)
