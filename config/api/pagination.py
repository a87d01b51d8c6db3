"""The API's pages (DRF's DEFAULT_PAGINATION_CLASS; see __init__.py for what it may import)."""

from __future__ import annotations

import warnings
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Field, Model, QuerySet
from django.utils.translation import gettext as _
from rest_framework import exceptions, pagination
from rest_framework.request import Request


class CursorPagination(pagination.CursorPagination):
    """Stable pages however many rows are added meanwhile: newest first, by id."""

    ordering = "-id"
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500
    # The field a cursor's position is checked against (decode_cursor); by default the ordering's.
    position_field: str | None = None

    def paginate_queryset(self, queryset: QuerySet[Any], request: Request, view: Any = None) -> list[Any] | None:
        # The cursor's position is checked against the field it is compared with (decode_cursor).
        self._ordered_model = queryset.model
        return super().paginate_queryset(queryset, request, view)

    def decode_cursor(self, request: Request) -> pagination.Cursor | None:
        # DRF answers 404 to a cursor it did not make; the page exists, the request is wrong.
        try:
            cursor = super().decode_cursor(request)
        except exceptions.NotFound:
            raise self._invalid() from None
        if cursor is not None and cursor.position is not None and not self._fits(str(cursor.position)):
            # A position the ordering field cannot hold would be a database error, not an empty page.
            raise self._invalid()
        return cursor

    def _fits(self, position: str) -> bool:
        """Whether the position field can hold the position."""
        if "\x00" in position:
            return False
        field = _ordering_field(getattr(self, "_ordered_model", None), self.position_field or self.ordering[0])
        if field is None:
            return True
        try:
            # A date-time position without its offset (one the API never writes) only warns: refuse it.
            with warnings.catch_warnings():
                warnings.simplefilter("error", RuntimeWarning)
                field.get_prep_value(field.to_python(position))
        except (DjangoValidationError, ValueError, TypeError, ArithmeticError, RuntimeWarning):
            return False
        return True

    def _invalid(self) -> exceptions.ValidationError:
        return exceptions.ValidationError(
            {
                self.cursor_query_param: [
                    _("This is not a cursor the API gave: follow the `next` and `previous` links as they are.")
                ]
            }
        )


def _ordering_field(model: type[Model] | None, ordering: str) -> Field[Any, Any] | None:
    """The model field an ordering such as `-id` or `country__name` names; None for an annotation."""
    field: Any = None
    for name in ordering.lstrip("-").split("__"):
        if model is None:
            return None
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            return None
        model = field.related_model
    return field if isinstance(field, Field) else None
