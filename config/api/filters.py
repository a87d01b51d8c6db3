"""Query-string filters shared by the apps' FilterSets."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, TypeVar

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class UTCDateTimeField(django_filters.fields.IsoDateTimeField):
    """An ISO 8601 date and time, turned into UTC.

    Python accepts offsets of up to 24 hours and PostgreSQL only of up to 16: a moment is compared
    in UTC, so any offset Python reads is fine, and a moment that cannot be one in UTC (year 1 at
    +05:00) is an error on the parameter, not a database error."""

    def to_python(self, value: object) -> dt.datetime | None:
        moment: dt.datetime | None = super().to_python(value)
        if moment is None or moment.tzinfo is None:
            return moment
        try:
            return moment.astimezone(dt.UTC)
        except OverflowError:
            raise forms.ValidationError(
                _("%(value)s is out of range: give a moment between the years 1 and 9999 in UTC."),
                code="out_of_range",
                params={"value": value},
            ) from None


class UTCDateTimeFilter(django_filters.IsoDateTimeFilter):
    field_class = UTCDateTimeField


class StrictBooleanField(forms.Field):
    """true or false (also 1 or 0), in any case; anything else is an error rather than no filter.

    Not a NullBooleanField: its select widget reads any value it does not know as "no filter"."""

    TRUE = frozenset({"true", "1"})
    FALSE = frozenset({"false", "0"})

    def to_python(self, value: Any) -> bool | None:
        if value in (None, ""):
            return None
        text = str(value).strip().lower()
        if text in self.TRUE:
            return True
        if text in self.FALSE:
            return False
        raise forms.ValidationError(
            _("Write true or false, not “%(value)s”."), params={"value": str(value)[:100]}, code="invalid"
        )


class StrictBooleanFilter(django_filters.BooleanFilter):
    field_class = StrictBooleanField


@extend_schema_field(OpenApiTypes.INT)
class IdFilter(django_filters.ModelChoiceFilter):
    """An object named by its id."""


_Filter = TypeVar("_Filter", bound=django_filters.ModelChoiceFilter)


def named(
    filter_class: type[_Filter],
    queryset: Any,
    *,
    help_text: StrOrPromise,
    no_such: StrOrPromise,
    to_field_name: str | None = "slug",
    **kwargs: Any,
) -> _Filter:
    """A filter on an object named by its slug (or code, or id): `no_such`, with %(value)s, says
    that nothing has that name."""
    return filter_class(
        queryset=queryset,
        to_field_name=to_field_name,
        help_text=help_text,
        error_messages={"invalid_choice": no_such},
        **kwargs,
    )
