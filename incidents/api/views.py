"""The incidents endpoints of the JSON API: incidents (also as GeoJSON), actors, incident types
and the user's organisations.

Reads go through the selectors, so an endpoint shows exactly what the pages show the same user
and an incident the user may not see is a 404, as if it did not exist. Writes go through the
services, which check the caller's rights and every rule about an incident themselves.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, cast

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import F, Prefetch, QuerySet, prefetch_related_objects
from django.db.models.expressions import RawSQL
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import APIException, PermissionDenied
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from config.api.pagination import CursorPagination
from config.api.views import (
    WriteMixin,
    change_schemas,
    current_values,
    organisation_named,
    signed_in_user,
    validated_values,
    write_schema,
)

from .. import services
from ..access import Viewer, can_edit_incident, may_see_reporter, officer_organisations, viewer_for
from ..models import Actor, Incident, IncidentActor, IncidentType, Membership
from ..selectors import (
    in_order_of,
    incident_for_viewer,
    incident_row_values,
    incident_rows_for,
    incidents_visible_to,
    memberships_of,
)
from .filters import DATES_BOUNDED, LISTED_BY, ActorFilter, IncidentApiFilter, IncidentTypeFilter
from .serializers import (
    ActorSerializer,
    IncidentBriefSerializer,
    IncidentCreateSerializer,
    IncidentDetailSerializer,
    IncidentFeatureSerializer,
    IncidentTypeSerializer,
    IncidentWriteSerializer,
    MyOrganisationSerializer,
    RetractSerializer,
    brief_rows,
    feature_rows,
)

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# A page of the list or of GeoJSON, as IncidentPagination reads it (incident_row_values).
Rows = list[dict[str, Any]]

# Serializer names that differ from IncidentFields' names.
FIELD_NAMES = {"type": "incident_type"}


class GeoJSONRenderer(JSONRenderer):
    media_type = "application/geo+json"
    format = "geojson"


class IncidentPagination(CursorPagination):
    """Newest logged first, by id.

    When a filter named the order (LISTED_BY: the date filter, the bounding box; see
    incidents/api/filters.py), a page is read in two queries, as the pages' IncidentPaginator
    does: first its ids, from the narrow entries of an index (the dates', the map's), then those
    incidents with their joins, so that PostgreSQL neither reads and joins 50,000 whole rows of a
    range of dates to keep 50, nor reads whole rows to test their coordinates. When the dates are
    bounded above, the ids are also bounded below by the lowest id of the page's size of incidents
    with the latest dates (`_bounded`). The cursors are ids in every case."""

    # The positions of an order named LISTED_BY are ids: checked as the id.
    position_field = "id"
    # Whether the rows hold the coordinates too (GeoJSON features).
    coordinates = False

    def get_ordering(self, request: Request, queryset: QuerySet[Any], view: Any) -> tuple[str, ...]:
        if LISTED_BY in queryset.query.annotations:
            return (f"-{LISTED_BY}",)
        return tuple(super().get_ordering(request, queryset, view))

    def paginate_queryset(self, queryset: QuerySet[Any], request: Request, view: Any = None) -> list[Any] | None:
        """A page of `queryset` (incident_rows_for, filtered) as rows of plain values (incident_row_values)."""
        rows = incident_row_values(queryset, coordinates=self.coordinates)
        if LISTED_BY not in queryset.query.annotations:
            return super().paginate_queryset(rows, request, view)
        # Ids (and the annotation) only, from the incidents alone: the cursor links are made from these.
        narrow = queryset.values("pk", LISTED_BY)
        if DATES_BOUNDED in queryset.query.annotations:
            narrow = self._bounded(narrow, request)
        page = super().paginate_queryset(narrow, request, view)
        if not page:
            return page
        return in_order_of(rows, [entry["pk"] for entry in page])

    def _bounded(self, narrow: QuerySet[Any], request: Request) -> QuerySet[Any]:
        """`narrow` with `id >= ` the lowest id among the page's size of incidents of the latest
        dates (past the cursor): any such many incidents have ids that high, so the page's own
        ids are no lower. Ids follow dates: the bound leaves the date index only a few hundred
        entries to sort, and the newest-first walk a few hundred rows, whatever the table's size.
        A `previous` page (which reads upwards) is read without it."""
        self._ordered_model = narrow.model
        cursor = self.decode_cursor(request)
        if cursor is not None and cursor.reverse:
            return narrow
        candidates = narrow
        if cursor is not None and cursor.position is not None:
            candidates = candidates.filter(pk__lt=int(cursor.position))
        size = (cursor.offset if cursor is not None else 0) + (self.get_page_size(request) or self.page_size) + 1
        latest = candidates.order_by("-occurred_on", "-pk").values(latest_id=F("pk"))[:size]
        sql, params = latest.query.sql_with_params()
        # Django's own SQL of the queryset above, with its parameters kept apart.
        lowest = RawSQL(f"SELECT min(latest.latest_id) FROM ({sql}) AS latest", params)  # nosec B608 B611
        return narrow.filter(pk__gte=lowest)


class GeoJSONPagination(IncidentPagination):
    """A page of incidents as one GeoJSON FeatureCollection, with the cursor links beside it."""

    page_size = 500
    max_page_size = 5000
    coordinates = True

    def get_paginated_response(self, data: Any) -> Response:
        return Response(
            {
                "type": "FeatureCollection",
                "features": data,
                "next": self.get_next_link(),
                "previous": self.get_previous_link(),
            }
        )

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        links = super().get_paginated_response_schema(schema)["properties"]
        return {
            "type": "object",
            "required": ["type", "features", "next", "previous"],
            "properties": {
                "type": {"type": "string", "enum": ["FeatureCollection"]},
                "features": schema,
                "next": links["next"],
                "previous": links["previous"],
            },
        }


class NamePagination(CursorPagination):
    ordering = "name"


# What an officer's tool sends, shown in the documentation (and tried by the API's tests).
INCIDENT_EXAMPLE = OpenApiExample(
    "A robbery at a false checkpoint",
    value={
        "title": "Staff vehicle robbed at a false checkpoint",
        "type": "armed-robbery",
        "occurred_on": "2025-03-02",
        "occurred_at_time": "17:40",
        "date_precision": "day",
        "country": "ml",
        "region": "ml-5",
        "place_name": "Sévaré",
        "location_precision": "near",
        "target_types": ["ngo-staff"],
        "killed": 0,
        "injured": 2,
        "abducted": 0,
        "severity": 3,
        "description": "Armed men stopped the vehicle and took phones, cash and a laptop.",
        "sources": "Driver's account",
        "sharing_level": "amber",
    },
    request_only=True,
)


IDEMPOTENCY_KEY = "Idempotency-Key"


class IdempotencyKeyReused(APIException):
    """The Idempotency-Key of an earlier request, with another body (the IETF draft's 422)."""

    status_code = status.HTTP_422_UNPROCESSABLE_ENTITY
    default_code = "idempotency_key_reused"


def review_action(
    summary: StrOrPromise, description: StrOrPromise = "", *, request: Any = None
) -> Callable[[Callable[..., Response]], Any]:
    """An analyst's POST on one incident, documented: it answers with the incident as it is after it."""

    def decorate(method: Callable[..., Response]) -> Any:
        documented = extend_schema(
            summary=summary, description=description, request=request, responses={200: IncidentDetailSerializer}
        )(method)
        return action(detail=True, methods=["post"])(documented)

    return decorate


def _with_links(incident: Incident) -> Incident:
    links = IncidentActor.objects.select_related("actor").order_by("role", "actor__name")
    prefetch_related_objects([incident], Prefetch("actor_links", queryset=links), "corrections")
    return incident


@extend_schema_view(
    list=extend_schema(
        summary=_("Incidents you may see"),
        description=_(
            "Newest logged first (by id). Anonymous clients see published TLP:CLEAR incidents; members of "
            "an organisation also what its sharing rights allow. Filters narrow that, never widen it."
        ),
    ),
    retrieve=extend_schema(
        summary=_("One incident"),
        description=_("404 if it does not exist or if you may not see it."),
    ),
    create=write_schema(
        _("Log an incident"),
        _(
            "For security officers and security managers. The incident is reported by you for your "
            "organisation (name it with `organisation` if you are an officer of several) and waits for review. "
            "Send an `Idempotency-Key` header (8 to 100 letters, digits and . _ : -, new for each incident) to "
            "make a retry safe: the same key and body again answer with the incident already logged "
            "(`Idempotent-Replayed: true`); the same key with another body is a 422."
        ),
        parameters=[
            OpenApiParameter(
                IDEMPOTENCY_KEY,
                OpenApiTypes.STR,
                OpenApiParameter.HEADER,
                description=_("A key of your own for this incident, so that sending it again logs it once."),
            )
        ],
        request=IncidentCreateSerializer,
        example=INCIDENT_EXAMPLE,
        responses={201: IncidentDetailSerializer},
    ),
    **change_schemas(
        every=(
            _("Correct an incident (every field)"),
            _(
                "For officers of the reporting organisation. Fields left out take their defaults; the review "
                "status is kept."
            ),
        ),
        some=(
            _("Correct some fields of an incident"),
            _("For officers of the reporting organisation. Fields left out keep their values."),
        ),
        request=IncidentWriteSerializer,
        example=INCIDENT_EXAMPLE,
        responses={200: IncidentDetailSerializer},
    ),
)
class IncidentViewSet(
    WriteMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet[Incident],
):
    serializer_class = IncidentDetailSerializer
    filterset_class = IncidentApiFilter
    pagination_class = IncidentPagination
    lookup_value_regex = r"[0-9]+"
    # No DELETE: an incident is retracted, with a reason, never deleted.
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def get_queryset(self) -> QuerySet[Incident]:
        # The list and GeoJSON pages are read as rows of plain values (IncidentPagination),
        # written by brief_rows and feature_rows.
        if self.action == "list":
            return incident_rows_for(self.request.user)
        if self.action == "geojson":
            return incident_rows_for(self.request.user).filter(latitude__isnull=False, longitude__isnull=False)
        # An incident's own answer names its actors itself (_with_links), not through this prefetch.
        return incidents_visible_to(self.request.user).prefetch_related(None)

    def get_serializer_class(self) -> type[serializers.BaseSerializer[Incident]]:
        if self.action == "list":
            return IncidentBriefSerializer
        if self.action == "geojson":
            return IncidentFeatureSerializer
        return IncidentDetailSerializer

    def get_serializer_context(self) -> dict[str, Any]:
        # Whether the answer may name the reporting organisation depends on who asks; the list
        # and GeoJSON name none.
        context = super().get_serializer_context()
        if self.action in ("list", "geojson"):
            return context
        return context | {"viewer": viewer_for(self.request.user)}

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """The rows as brief_rows writes them; IncidentBriefSerializer is the form documented."""
        return self.get_paginated_response(brief_rows(self._rows_page()))

    def _rows_page(self) -> Rows:
        """The page asked for, of the list or of GeoJSON, as IncidentPagination reads it: rows of
        plain values (incident_row_values)."""
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        assert page is not None  # IncidentPagination always makes pages
        return cast(Rows, page)

    def get_object(self) -> Incident:
        return _with_links(incident_for_viewer(self.request.user, int(self.kwargs["pk"])))

    def create(self, request: Request) -> Response:
        user = signed_in_user(request)
        organisations = list(officer_organisations(user).order_by("name"))
        if not organisations:
            raise PermissionDenied(
                _(
                    "Only security officers and security managers log incidents. Ask your organisation's "
                    "security manager to give you one of those roles."
                )
            )
        values = validated_values(IncidentCreateSerializer, request)
        organisation = organisation_named(
            organisations,
            values.pop("organisation", None),
            several=_("You are an officer of several organisations; say which one reports this incident: %(slugs)s."),
            only=_("You log incidents for these organisations only: %(slugs)s."),
        )
        try:
            submission = services.incident_submit_once(
                reporter=user,
                organisation=organisation,
                data=services.IncidentFields(**_field_values(values)),
                key=request.headers.get(IDEMPOTENCY_KEY, ""),
            )
        except services.SubmissionKeyReused as reused:
            raise IdempotencyKeyReused(reused.messages[0]) from None
        except DjangoValidationError as error:
            if hasattr(error, "error_dict") and "submission_key" in error.error_dict:
                raise serializers.ValidationError({IDEMPOTENCY_KEY: error.message_dict["submission_key"]}) from None
            raise
        incident = submission.incident
        headers = {"Location": reverse("api:incident-detail", kwargs={"pk": incident.pk})}
        if submission.replayed:
            headers["Idempotent-Replayed"] = "true"
        return Response(self._detail(incident.pk), status=status.HTTP_201_CREATED, headers=headers)

    def write(self, request: Request, *, partial: bool) -> Response:
        user = signed_in_user(request)
        incident = self.get_object()
        if not can_edit_incident(user, incident):
            raise PermissionDenied(_cannot_edit(incident, viewer_for(user)))
        sent = _field_values(validated_values(IncidentWriteSerializer, request, partial=partial))
        values = current_values(incident, services.IncidentFields) if partial else {}
        values |= sent
        services.incident_update(incident=incident, editor=user, data=services.IncidentFields(**values))
        return Response(self._detail(incident.pk))

    @review_action(_("Verify an incident (analysts)"))
    def verify(self, request: Request, pk: str) -> Response:
        return self._review(request, services.incident_verify)

    @review_action(_("Publish an incident (analysts)"), _("A published TLP:CLEAR incident is public."))
    def publish(self, request: Request, pk: str) -> Response:
        return self._review(request, services.incident_publish)

    @review_action(
        _("Retract an incident (analysts)"),
        _("A retracted incident stays visible to its own organisation only, with the reason."),
        request=RetractSerializer,
    )
    def retract(self, request: Request, pk: str) -> Response:
        incident = self._reviewed()
        reason = validated_values(RetractSerializer, request)["reason"]
        return self._review(request, services.incident_retract, incident=incident, reason=reason)

    @extend_schema(
        summary=_("Incidents you may see, as GeoJSON"),
        description=_(
            "The incidents of the list, with the same filters and access rules, that have coordinates: "
            "a GeoJSON FeatureCollection (RFC 7946) of Points [longitude, latitude] whose properties are "
            "the list's fields. Paginated like the list (`cursor`, `next`, `previous`), 500 features per "
            "page by default and up to 5,000 with `page_size`."
        ),
        responses=IncidentFeatureSerializer(many=True),
    )
    @action(
        detail=False,
        url_path="geojson",
        renderer_classes=[GeoJSONRenderer, JSONRenderer],
        pagination_class=GeoJSONPagination,
    )
    def geojson(self, request: Request) -> Response:
        return self.get_paginated_response(feature_rows(self._rows_page()))

    def _review(self, request: Request, service: Callable[..., Incident], **values: Any) -> Response:
        """Run a review service on the incident; the answer is the incident as the service left it:
        the analyst sees the result of their own action, even a retraction that hides it from them."""
        values.setdefault("incident", self._reviewed())
        incident = service(analyst=signed_in_user(request), **values)
        return Response(self._serialized(incident))

    def _reviewed(self) -> Incident:
        """The incident to act on: one the user may see, else a 404. The service decides whether
        the user may act on it (analysts only), and whether its review status allows it."""
        return incident_for_viewer(self.request.user, int(self.kwargs["pk"]))

    def _detail(self, pk: int) -> dict[str, Any]:
        return self._serialized(incident_for_viewer(self.request.user, pk))

    def _serialized(self, incident: Incident) -> dict[str, Any]:
        return dict(IncidentDetailSerializer(_with_links(incident), context=self.get_serializer_context()).data)


def _field_values(values: dict[str, Any]) -> dict[str, Any]:
    """Validated serializer data as IncidentFields keyword arguments."""
    return {FIELD_NAMES.get(name, name): value for name, value in values.items()}


def _cannot_edit(incident: Incident, viewer: Viewer) -> str:
    if incident.organisation is None:
        return str(_("This incident was imported; it is corrected at its source and imported again."))
    if not may_see_reporter(viewer, incident):
        return str(_("Only the security officers of the reporting organisation may edit this incident."))
    return _("Only the security officers of %(organisation)s may edit this incident.") % {
        "organisation": incident.organisation.name
    }


@extend_schema_view(
    list=extend_schema(summary=_("Actors"), description=_("Named groups that incidents name, by name.")),
    retrieve=extend_schema(summary=_("One actor")),
)
class ActorViewSet(viewsets.ReadOnlyModelViewSet[Actor]):
    queryset = Actor.objects.all()
    serializer_class = ActorSerializer
    filterset_class = ActorFilter
    pagination_class = NamePagination
    lookup_value_regex = r"[0-9]+"


@extend_schema_view(
    list=extend_schema(
        summary=_("Incident types"),
        description=_("The taxonomy, with each type's threat category and ACLED event and sub-event type."),
    ),
    retrieve=extend_schema(summary=_("One incident type")),
)
class IncidentTypeViewSet(viewsets.ReadOnlyModelViewSet[IncidentType]):
    queryset = IncidentType.objects.select_related("category")
    serializer_class = IncidentTypeSerializer
    filterset_class = IncidentTypeFilter
    pagination_class = NamePagination
    lookup_field = "slug"
    lookup_value_regex = r"[-a-zA-Z0-9_]+"


@extend_schema_view(
    list=extend_schema(
        summary=_("Your organisations"),
        description=_("The organisations you belong to, with your role in each: an empty list if none. Not paginated."),
        responses=OpenApiResponse(MyOrganisationSerializer(many=True)),
    ),
)
class MyOrganisationViewSet(mixins.ListModelMixin, viewsets.GenericViewSet[Membership]):
    serializer_class = MyOrganisationSerializer
    permission_classes = [permissions.IsAuthenticated]
    pagination_class = None
    filter_backends: list[Any] = []

    def get_queryset(self) -> QuerySet[Membership]:
        return memberships_of(self.request.user).order_by("organisation__name")
