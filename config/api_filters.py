"""Query-string filters shared by the apps' FilterSets."""

from __future__ import annotations

import datetime as dt

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _


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
