"""The API's request bodies (DRF's DEFAULT_PARSER_CLASSES; see __init__.py for what it may import)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from rest_framework import exceptions, parsers

# No body of ours nests deeper than a few levels; deeper is refused before anything walks it.
MAX_DEPTH = 32


class JSONParser(parsers.JSONParser):
    """JSON bodies, refusing text that holds a NUL character (PostgreSQL cannot store one) with
    the path of each value at fault, as a field's error, and values nested past MAX_DEPTH."""

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        try:
            data = super().parse(stream, media_type, parser_context)
            too_deep = _depth_over(data, MAX_DEPTH)
        except RecursionError:  # deeper than Python's own parser goes
            too_deep = True
        if too_deep:
            raise exceptions.ParseError(
                _("The JSON body nests arrays or objects more than %(depth)s levels deep; no request needs that.")
                % {"depth": MAX_DEPTH}
            )
        paths = _nul_paths(data)
        if paths:
            message = _("Null characters are not allowed.")
            raise exceptions.ValidationError({path: [message] for path in paths})
        return data


def _depth_over(value: Any, limit: int) -> bool:
    """Whether arrays and objects nest more than `limit` levels (walked without recursion)."""
    level = [value]
    for _depth in range(limit):
        level = [
            item
            for container in level
            if isinstance(container, (dict, list))
            for item in (container.values() if isinstance(container, dict) else container)
        ]
    return any(isinstance(item, (dict, list)) for item in level)


def _nul_paths(value: Any, path: str = "") -> list[str]:
    """Where NUL characters hide in parsed JSON: `sources`, `actors.0`; `non_field_errors` for the top."""
    here = path or "non_field_errors"
    if isinstance(value, str):
        return [here] if "\x00" in value else []
    if isinstance(value, dict):
        found = [here] if any("\x00" in key for key in value) else []
        for key, item in value.items():
            found += _nul_paths(item, f"{path}.{key}" if path else key)
        return found
    if isinstance(value, list):
        return [
            found
            for index, item in enumerate(value)
            for found in _nul_paths(item, f"{path}.{index}" if path else str(index))
        ]
    return []
