"""The advisories endpoints of the JSON API: countries, regions, threat categories and ratings,
security reports and contact points.

Everything here is public and read-only: anyone may read it, nobody writes it through the API
(analysts edit advisories in the admin), so a POST, PUT, PATCH or DELETE is a 405 for everyone,
signed in or not, with a sentence saying so.

A place's advisory is the one the public pages show (advisories/selectors.py): the country's
current advisory, and for a region its own current advisory or, when it has none, its
country's. A report's text is its latest published revision; drafts and revisions published in
the future are never shown. Both are annotated in SQL (Subquery), so a page of a list costs one
query however many rows it holds.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, NoReturn, TypeVar

from django.db.models import (
    Model,
    Prefetch,
    QuerySet,
)
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django_filters.utils import translate_validation
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import permissions, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import MethodNotAllowed, NotFound
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer

from config.api.pagination import CursorPagination

from ..models import (
    Advisory,
    ContactPoint,
    Country,
    Region,
    ReportSection,
    SecurityReport,
    ThreatCategory,
    ThreatRating,
)
from ..page_cache import validators_for
from ..selectors import (
    countries_with_levels,
    published_revisions,
    regions_with_levels,
    reports_with_current_revision,
    risk_history,
)
from .filters import (
    ContactPointFilter,
    CountryFilter,
    RegionFilter,
    RiskHistoryFilter,
    SecurityReportFilter,
    ThreatCategoryFilter,
    ThreatRatingFilter,
)
from .serializers import (
    ContactPointSerializer,
    CountryDetailSerializer,
    CountrySerializer,
    RegionDetailSerializer,
    RegionSerializer,
    RevisionSerializer,
    RiskSerializer,
    SecurityReportDetailSerializer,
    SecurityReportSerializer,
    ThreatCategorySerializer,
    ThreatRatingSerializer,
)

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

_M = TypeVar("_M", bound=Model)


# Shared behaviour ------------------------------------------------------------------------------


def _documented(*, many: StrOrPromise, one: StrOrPromise, many_text: Any = None, one_text: Any = None) -> Any:
    """The summaries and descriptions of a viewset's list and retrieve operations in the schema."""
    return extend_schema_view(
        list=extend_schema(summary=many, description=many_text),
        retrieve=extend_schema(summary=one, description=one_text),
    )


class ViewOrderedPagination(CursorPagination):
    """Cursor pages in the order the view names in its `ordering`: a unique field, so that a
    cursor always points between two rows."""

    def get_ordering(self, request: Request, queryset: QuerySet[Any], view: Any) -> tuple[str, ...]:
        ordering = getattr(view, "ordering", None) or self.ordering
        return (ordering,) if isinstance(ordering, str) else tuple(ordering)


class RevisionPagination(CursorPagination):
    ordering = "-number"


class RiskHistoryPagination(CursorPagination):
    # Newest first; the id breaks ties between assessments computed at the same moment.
    ordering = ("-computed_at", "-id")  # type: ignore[assignment]


RISK_HISTORY_TEXT = _(
    "Every computation of the place's risk index that changed something (its index, suggested level or "
    "published level) or began a new day, newest first, each with its breakdown. The index is computed from "
    "published TLP:CLEAR incidents only."
)


class RiskHistoryMixin:
    """/<place>/risk/: the place's risk assessments, newest first, filtered by `since`."""

    def place_for_history(self) -> Country | Region:
        raise NotImplementedError

    def risk_response(self, request: Request) -> Response:
        rows = RiskHistoryFilter(request.query_params, queryset=risk_history(self.place_for_history()))
        if not rows.is_valid():
            raise translate_validation(rows.errors)
        paginator = RiskHistoryPagination()
        page = paginator.paginate_queryset(rows.qs, request, view=self)
        return paginator.get_paginated_response(RiskSerializer(page, many=True).data)


def _risk_history_schema(summary: StrOrPromise) -> Any:
    # The filter is applied by the action, not by the view's backends (they filter places).
    since = OpenApiParameter(
        "since", OpenApiTypes.DATETIME, description=str(RiskHistoryFilter.base_filters["since"].extra["help_text"])
    )
    return extend_schema(
        summary=summary, description=RISK_HISTORY_TEXT, responses=RiskSerializer(many=True), parameters=[since]
    )


class ReadOnlyViewSet(viewsets.ReadOnlyModelViewSet[_M]):
    # Public data, and no write handlers: a write is a 405 for everyone rather than a 401
    # telling an anonymous client to sign in for something it could not do signed in either.
    permission_classes = [permissions.AllowAny]
    pagination_class = ViewOrderedPagination
    ordering = "id"
    # What one object is shown with, when it says more than a row of the list.
    detail_serializer_class: type[BaseSerializer[Any]] | None = None
    # The 404's detail for an unknown object, with the value looked up as %(key)s.
    not_found: StrOrPromise = ""

    def http_method_not_allowed(self, request: HttpRequest, *args: Any, **kwargs: Any) -> NoReturn:
        raise MethodNotAllowed(
            request.method or "",
            detail=_(
                "%(method)s is not allowed: the advisories API is read-only. Analysts edit advisories, "
                "ratings, reports and contacts in the admin."
            )
            % {"method": request.method},
        )

    def get_serializer_class(self) -> type[BaseSerializer[Any]]:
        if self.action == "retrieve" and self.detail_serializer_class is not None:
            return self.detail_serializer_class
        return super().get_serializer_class()

    def lookup_value(self, value: str) -> Any:
        return int(value)

    def get_object(self) -> _M:
        return self.find_in(self.get_queryset())

    def find_in(self, queryset: QuerySet[Any]) -> Any:
        """The object the URL names in the queryset, or a 404 that says which one is missing."""
        key = self.lookup_value(self.kwargs[self.lookup_field])
        found = queryset.filter(**{self.lookup_field: key}).first()
        if found is None:
            raise NotFound(self.not_found % {"key": key})
        return found


class ByCodeViewSet(ReadOnlyViewSet[_M]):
    """Places, looked up by their ISO code in either case."""

    lookup_field = "code"
    ordering = "code"

    def lookup_value(self, value: str) -> Any:
        return value.upper()


# Countries and regions -------------------------------------------------------------------------


class ConditionalPlaceMixin:
    """One country or region answered with the ETag and Last-Modified of its country's pages
    (advisories.page_cache), and 304 to a client that has that version already: a program that
    polls an advisory gets a few hundred bytes until it changes."""

    kwargs: dict[str, Any]

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        country_code = self.kwargs["code"].split("-")[0]
        variant = f"{request.get_full_path()} {request.headers.get('accept', '')}"
        validators, _nothing = validators_for(request._request, country_code, variant=variant)
        if validators is not None and (not_modified := validators.not_modified(request._request)) is not None:
            self.get_object()  # type: ignore[attr-defined]  # a 404 for a place that does not exist
            return not_modified  # type: ignore[return-value]
        response: Response = super().retrieve(request, *args, **kwargs)  # type: ignore[misc]
        if validators is not None and response.status_code == 200:
            validators.apply(response)
        return response


@_documented(
    many=_("Countries"),
    many_text=_(
        "Every country, by ISO code, with its current country-wide travel advisory: level, indicators "
        "and date, all null (indicators empty) when none is published."
    ),
    one=_("One country"),
    one_text=_(
        "By ISO 3166-1 alpha-2 code in either case (ml or ML). Adds the advisory's summary and source, "
        "and each region's level: its own advisory's, or the country's when it has none."
    ),
)
class CountryViewSet(ConditionalPlaceMixin, RiskHistoryMixin, ByCodeViewSet[Country]):
    queryset = countries_with_levels()
    serializer_class = CountrySerializer
    detail_serializer_class = CountryDetailSerializer
    filterset_class = CountryFilter
    lookup_value_regex = r"[A-Za-z]{2}"
    not_found = _("There is no country with the code %(key)s.")

    def get_object(self) -> Country:
        country = super().get_object()
        # Read by CountryDetailSerializer as `advisory.summary`, `advisory.source` and `region_levels`.
        country.advisory = (  # type: ignore[attr-defined]
            Advisory.objects.current().country_wide(country).select_related("source").first()
        )
        regions = regions_with_levels().select_related(None).filter(country=country).order_by("name")
        country.region_levels = list(regions)  # type: ignore[attr-defined]
        return country

    def place_for_history(self) -> Country:
        found: Country = self.find_in(Country.objects.all())
        return found

    @_risk_history_schema(_("A country's risk index history"))
    @action(detail=True, url_path="risk", filter_backends=[], pagination_class=RiskHistoryPagination)
    def risk(self, request: Request, code: str) -> Response:
        return self.risk_response(request)


@_documented(
    many=_("Regions"),
    many_text=_(
        "First-level subdivisions (ISO 3166-2), by code, each with the advisory that applies to it: its "
        "own, or its country's when it has none (`level_from` says which)."
    ),
    one=_("One region"),
    one_text=_("By ISO 3166-2 code in either case (ml-bko or ML-BKO). Adds the advisory's summary and source."),
)
class RegionViewSet(ConditionalPlaceMixin, RiskHistoryMixin, ByCodeViewSet[Region]):
    queryset = regions_with_levels()
    serializer_class = RegionSerializer
    detail_serializer_class = RegionDetailSerializer
    filterset_class = RegionFilter
    lookup_value_regex = r"[A-Za-z]{2}-[A-Za-z0-9]+"
    not_found = _("There is no region with the code %(key)s.")

    def get_object(self) -> Region:
        region = super().get_object()
        # Read by RegionDetailSerializer as `advisory.summary` and `advisory.source`.
        region.advisory = (  # type: ignore[attr-defined]
            Advisory.objects.applying_to(region, region.country_id).select_related("source").first()
        )
        return region

    def place_for_history(self) -> Region:
        found: Region = self.find_in(Region.objects.all())
        return found

    @_risk_history_schema(_("A region's risk index history"))
    @action(detail=True, url_path="risk", filter_backends=[], pagination_class=RiskHistoryPagination)
    def risk(self, request: Request, code: str) -> Response:
        return self.risk_response(request)


# Threats ---------------------------------------------------------------------------------------


@_documented(
    many=_("Threat categories"),
    many_text=_("The categories threats are rated in."),
    one=_("One threat category"),
    one_text=_("By slug, e.g. kidnapping."),
)
class ThreatCategoryViewSet(ReadOnlyViewSet[ThreatCategory]):
    queryset = ThreatCategory.objects.all()
    serializer_class = ThreatCategorySerializer
    filterset_class = ThreatCategoryFilter
    lookup_field = "slug"
    lookup_value_regex = r"[-a-zA-Z0-9_]+"
    ordering = "slug"
    not_found = _("There is no threat category %(key)s.")

    def lookup_value(self, value: str) -> str:
        return value


@_documented(
    many=_("Threat ratings"),
    many_text=_(
        "How serious each category of threat is in a place (a whole country, a region or a city), in "
        "OSAC's words: LOW, MEDIUM, HIGH or CRITICAL. Oldest first (by id)."
    ),
    one=_("One threat rating"),
)
class ThreatRatingViewSet(ReadOnlyViewSet[ThreatRating]):
    queryset = ThreatRating.objects.select_related("country", "region", "city", "category", "source")
    serializer_class = ThreatRatingSerializer
    filterset_class = ThreatRatingFilter
    lookup_value_regex = r"[0-9]+"
    not_found = _("There is no threat rating %(key)s.")


# Security reports ------------------------------------------------------------------------------


@_documented(
    many=_("Security reports"),
    many_text=_(
        "Narrative reports on a country's security that have a published revision, each with its "
        "current (latest published) revision's number, date and what it changed. Oldest first (by id)."
    ),
    one=_("One security report"),
    one_text=_("Its current revision, with the sections in order. 404 while no revision is published."),
)
class SecurityReportViewSet(ReadOnlyViewSet[SecurityReport]):
    serializer_class = SecurityReportSerializer
    detail_serializer_class = SecurityReportDetailSerializer
    filterset_class = SecurityReportFilter
    lookup_value_regex = r"[0-9]+"
    not_found = _("There is no security report %(key)s.")

    def get_queryset(self) -> QuerySet[SecurityReport]:
        return reports_with_current_revision()

    def get_object(self) -> SecurityReport:
        report = super().get_object()
        sections = ReportSection.objects.select_related("source").order_by("position")
        # Read by SecurityReportDetailSerializer as `current_revision`.
        report.current_revision = (  # type: ignore[attr-defined]
            published_revisions()
            .filter(report=report, number=report.current_number)  # type: ignore[attr-defined]
            .select_related("source")
            .prefetch_related(Prefetch("sections", queryset=sections))
            .get()
        )
        return report

    @extend_schema(
        summary=_("A security report's published revisions"),
        description=_("Newest first. Drafts, and revisions to be published later, are not listed."),
        responses=RevisionSerializer(many=True),
    )
    @action(detail=True, filter_backends=[], pagination_class=RevisionPagination)
    def revisions(self, request: Request, pk: str) -> Response:
        revisions = published_revisions().filter(report=super().get_object()).select_related("source")
        # The view's own paginate_queryset is typed for reports; the action's paginator (named
        # above for the schema) pages revisions.
        paginator = RevisionPagination()
        page = paginator.paginate_queryset(revisions, request, view=self)
        return paginator.get_paginated_response(RevisionSerializer(page, many=True).data)


# Contact points --------------------------------------------------------------------------------


@_documented(
    many=_("Contact points"),
    many_text=_(
        "Whom to call in a country or a region: embassies, police, ambulances, hospitals, NGO safety "
        "coordination. Oldest first (by id)."
    ),
    one=_("One contact point"),
)
class ContactPointViewSet(ReadOnlyViewSet[ContactPoint]):
    queryset = ContactPoint.objects.select_related("country", "region", "source")
    serializer_class = ContactPointSerializer
    filterset_class = ContactPointFilter
    lookup_value_regex = r"[0-9]+"
    not_found = _("There is no contact point %(key)s.")
