"""The API's pages (DRF's DEFAULT_PAGINATION_CLASS; see __init__.py for what it may import)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from rest_framework import exceptions, pagination
from rest_framework.request import Request


class CursorPagination(pagination.CursorPagination):
    """Stable pages however many rows are added meanwhile: newest first, by id."""

    ordering = "-id"
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500

    def decode_cursor(self, request: Request) -> pagination.Cursor | None:
        # DRF answers 404 to a cursor it did not make; the page exists, the request is wrong.
        try:
            return super().decode_cursor(request)
        except exceptions.NotFound:
            raise exceptions.ValidationError(
                {
                    self.cursor_query_param: [
                        _("This is not a cursor the API gave: follow the `next` and `previous` links as they are.")
                    ]
                }
            ) from None
