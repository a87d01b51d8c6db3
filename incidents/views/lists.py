"""Incident lists and the CSV export.

Every list reads its incidents through `incident_list_for`, which starts from
`incidents_visible_to(user)`: a filter can narrow what a user sees, never widen it.
Filters come from the query string (see incidents/filters.py); a value that does not parse is
shown as an error with no incidents, with status 400, rather than being ignored.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _

from advisories.models import Country, Region

from ..access import Viewer, viewer_for
from ..export import csv_lines
from ..filters import IncidentFilter, canonical_query
from ..models import Incident
from ..selectors import IncidentRow, incident_export_rows, incident_list_for, incident_rows
from .editing import forbidden, problem_page

PAGE_SIZE = 50
# The lists count their incidents up to this many, or up to the end of the page asked for if it
# is further; beyond, they say "more than": counting every public incident of a country on each
# view read 320,000 index entries at a million incidents (bench/lists_at_scale.py).
COUNT_BOUND = 1000


class IncidentPaginator(Paginator):
    """Picks a page's incidents by id first, then loads those rows with their joins.

    PostgreSQL then sorts and skips only narrow (id, date) rows: page 500 of 100,000 incidents
    no longer sorts 25,000 full rows with their descriptions (see bench/incident_lists.py).
    One query more than a plain Paginator, whatever the page. `rows` reads the picked incidents,
    in their order, from the queryset and their ids (`incidents.selectors.incident_rows`).

    The count stops at `bound`, the end of the page asked for (`get_page`) or COUNT_BOUND if that
    is further: past it, `more_than` is that bound, the list says it has more pages than the
    bound's, and the last page is not offered. Reading on is always possible, one page after
    another."""

    def __init__(
        self,
        incidents: QuerySet[Incident],
        per_page: int,
        *,
        rows: Callable[[QuerySet[Incident], Sequence[int]], list[IncidentRow]],
    ) -> None:
        super().__init__(incidents, per_page)
        self.incidents = incidents
        self.rows = rows
        self.bound = COUNT_BOUND

    def get_page(self, number: int | float | str | None) -> Page[IncidentRow]:
        self.bound = max(COUNT_BOUND, _page_number(number) * self.per_page)
        for counted in ("count", "num_pages"):  # counted again up to the new bound
            self.__dict__.pop(counted, None)
        return super().get_page(number)

    @cached_property
    def count(self) -> int:
        return self.incidents.order_by()[: self.bound + 1].count()

    @property
    def more_than(self) -> int | None:
        """The bound when there are more incidents than it, None when the count is exact."""
        return self.bound if self.count > self.bound else None

    @property
    def pages_more_than(self) -> int:
        return self.bound // self.per_page

    def page(self, number: int | str) -> Page[IncidentRow]:
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        ids = list(self.incidents.values_list("pk", flat=True)[bottom:top])
        return Page(self.rows(self.incidents, ids), number, self)


def _page_number(number: int | float | str | None) -> int:
    """The page asked for, as `Paginator.get_page` reads it (1 for what is not a number), at most
    a page past any list: a number such as 10**30 would not fit the count's LIMIT."""
    try:
        return min(max(int(number or 1), 1), 10**7)
    except (TypeError, ValueError):
        return 1


def incident_list(request: HttpRequest) -> HttpResponse:
    """Everything the user may see, in every country."""
    viewer = viewer_for(request.user)
    return _list_page(request, viewer, incident_list_for(viewer), heading=_("Incidents"))


def organisation_incidents(request: HttpRequest) -> HttpResponse:
    """The incidents of the user's organisations, in every status."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    viewer = viewer_for(request.user)
    if not viewer.organisation_ids:
        raise PermissionDenied(_("You are not a member of any organisation."))
    incidents = incident_list_for(viewer, organisation_ids=viewer.organisation_ids)
    return _list_page(request, viewer, incidents, heading=_("My organisation's incidents"), mine=True)


def country_incidents(request: HttpRequest, country_code: str) -> HttpResponse:
    if country_code != country_code.lower():
        return redirect("incidents:country", country_code=country_code.lower(), permanent=True)
    country = Country.objects.filter(code=country_code.upper()).first()
    if country is None:
        raise Http404(_("There is no country with the code %(code)s.") % {"code": country_code.upper()})
    viewer = viewer_for(request.user)
    return _list_page(
        request,
        viewer,
        incident_list_for(viewer, country=country),
        heading=_("Incidents in %(place)s") % {"place": country.name},
        country=country,
    )


def region_incidents(request: HttpRequest, country_code: str, region_code: str) -> HttpResponse:
    if country_code != country_code.lower() or region_code != region_code.lower():
        return redirect(
            "incidents:region", country_code=country_code.lower(), region_code=region_code.lower(), permanent=True
        )
    region = (
        Region.objects.filter(code=region_code.upper(), country__code=country_code.upper())
        .select_related("country")
        .first()
    )
    if region is None:
        raise Http404(
            _("There is no region %(region)s in the country %(country)s.")
            % {"region": region_code.upper(), "country": country_code.upper()}
        )
    viewer = viewer_for(request.user)
    return _list_page(
        request,
        viewer,
        incident_list_for(viewer, country=region.country, region=region),
        heading=_("Incidents in %(place)s") % {"place": region.name},
        country=region.country,
        region=region,
    )


def incident_export(request: HttpRequest) -> HttpResponseBase:
    """The incidents the user may see, filtered as on the lists, as a CSV file.
    `mine=1` keeps those of the user's organisations, as /incidents/mine/ does."""
    viewer = viewer_for(request.user)
    organisation_ids = None
    if request.GET.get("mine"):
        if not viewer.organisation_ids:
            return forbidden(request, _("You are not a member of any organisation."))
        organisation_ids = viewer.organisation_ids
    incidents = incident_list_for(viewer, organisation_ids=organisation_ids)
    filterset = IncidentFilter(request.GET, incidents, signed_in=request.user.is_authenticated)
    if not filterset.is_valid():
        return problem_page(
            request,
            title=_("The export was not made"),
            message=_error_text(filterset),
            advice=_(
                "Change the filters and export again. Countries and regions are given by their ISO 3166 codes, "
                "such as ml for Mali or ml-bko for Bamako; dates as YYYY-MM-DD."
            ),
            status=400,
        )
    base_url = request.build_absolute_uri("/").rstrip("/")
    response = StreamingHttpResponse(
        csv_lines(incident_export_rows(filterset.qs), base_url=base_url, viewer=viewer),
        content_type="text/csv; charset=utf-8",
    )
    filename = f"vigil-incidents-{timezone.localdate().isoformat()}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _list_page(
    request: HttpRequest,
    viewer: Viewer,
    incidents: QuerySet[Incident],
    *,
    heading: str,
    country: Country | None = None,
    region: Region | None = None,
    mine: bool = False,
) -> HttpResponse:
    signed_in = request.user.is_authenticated
    filterset = IncidentFilter(
        request.GET or None, incidents, country=country, with_region=region is None, signed_in=signed_in
    )
    valid = filterset.form.is_valid() if filterset.is_bound else True
    page: Page[IncidentRow] | None = None
    if valid:
        paginator = IncidentPaginator(filterset.qs, PAGE_SIZE, rows=partial(incident_rows, viewer=viewer))
        page = paginator.get_page(request.GET.get("page"))
    context: dict[str, Any] = {
        "heading": heading,
        "filter": filterset,
        "page": page,
        "country": country,
        "region": region,
        "mine": mine,
        "signed_in": signed_in,
        "show_country": country is None,
        "export_query": _export_query(request, country=country, region=region, mine=mine),
    }
    return render(request, "incidents/incident_list.html", context, status=200 if valid else 400)


def _export_query(request: HttpRequest, *, country: Country | None, region: Region | None, mine: bool) -> str:
    """The query string that exports what the page shows: its filters, and the page's own place."""
    query = canonical_query(request.GET)
    query.pop("page", None)
    if region is not None:
        query["region"] = region.code
    elif country is not None:
        query["country"] = country.code
    if mine:
        query["mine"] = "1"
    return query.urlencode()


def _error_text(filterset: IncidentFilter) -> str:
    messages = []
    for name, errors in filterset.form.errors.items():
        label = filterset.form.fields[name].label if name in filterset.form.fields else ""
        for error in errors:
            messages.append(f"{label}: {error}" if label else str(error))
    return " ".join(messages)
