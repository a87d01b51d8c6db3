"""What every ModelAdmin of ours may share."""

from __future__ import annotations

from typing import Any

from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import ChangeList
from django.http import HttpRequest


class BoundedDateHierarchyChangeList(ChangeList):
    """Django's list, with a date hierarchy's year, month or day out of the calendar's range
    (`?occurred_on__year=99999999999999999999999`, or the day after 9999-12-31) taken as an
    invalid filter (the list is shown again with a note) rather than a server error."""

    def get_filters(self, request: HttpRequest) -> Any:
        try:
            return super().get_filters(request)
        except (OverflowError, ValueError) as error:
            raise IncorrectLookupParameters(error) from error


class BoundedDateHierarchy:
    """A ModelAdmin mixin, for those with a `date_hierarchy`."""

    def get_changelist(self, request: HttpRequest, **kwargs: Any) -> type[ChangeList]:
        return BoundedDateHierarchyChangeList


def bound_every_date_hierarchy(site: Any) -> None:
    """Give BoundedDateHierarchy to every admin registered on `site` that has a date hierarchy,
    ours and those of the libraries (django-celery-beat's tasks, django-axes' logs) alike. Run it
    once every app's admin module is loaded: the alerts app's comes last."""
    for model_admin in site._registry.values():
        cls = type(model_admin)
        if model_admin.date_hierarchy and not isinstance(model_admin, BoundedDateHierarchy):
            model_admin.__class__ = type(f"Bounded{cls.__name__}", (BoundedDateHierarchy, cls), {})
