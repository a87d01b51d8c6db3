"""Choice labels looked up in a table made once per field.

Django's `get_FOO_display()` rebuilds a dictionary of the field's choices on every call, hashing
each (value, label) pair; a label marked for translation is translated to be hashed. On a page
that shows a few dozen labels (levels, threat ratings, incident types, sharing levels) that was a
third of the time spent rendering it. `ChoiceLabels` keeps each field's table; the labels in it
stay lazy, so each call still answers in the language active at the time.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from django.db import models
from django.utils.encoding import force_str
from django.utils.hashable import make_hashable


@cache
def _labels(field: models.Field[Any, Any]) -> dict[Any, Any]:
    return {make_hashable(value): label for value, label in field.flatchoices}


class ChoiceLabels(models.Model):
    """A model whose `get_FOO_display()` reads its field's table of labels instead of remaking it."""

    class Meta:
        abstract = True

    def _get_FIELD_display(self, field: models.Field[Any, Any]) -> Any:
        value = getattr(self, field.attname)
        # As Django's own: the label, else the value itself; lazy labels given as text.
        return force_str(_labels(field).get(make_hashable(value), value), strings_only=True)
