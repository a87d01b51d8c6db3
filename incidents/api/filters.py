"""Query-string filters of the incident endpoints, the actors and the incident types.

`IncidentApiFilter` is the pages' `IncidentFilter` (incidents/filters.py), by the same names,
with a few filters the pages do not need: a bounding box and `updated_since`, for clients that
map incidents or keep a copy in step. A value that does not parse is a 400 naming the
parameter, never a filter quietly dropped.
"""

from __future__ import annotations

import datetime as dt
import math
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any, NamedTuple

import django_filters
from django import forms
from django.db.models import BigIntegerField, ExpressionWrapper, F, Q, QuerySet, Subquery, Value
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field

from advisories.api.filters import CodeFilter
from advisories.models import Country, Region, ThreatCategory
from config.api.filters import IdFilter, UTCDateTimeFilter, named

from ..filters import CODE_FILTERS, IncidentFilter, IncidentFilterForm, canonical_query
from ..models import GRID_CELLS_PER_DEGREE, GRID_ROW_WIDTH, Actor, Incident, IncidentType

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


CATEGORY_HELP = _("A threat category's slug, e.g. kidnapping.")


class BBox(NamedTuple):
    min_lon: Decimal
    min_lat: Decimal
    max_lon: Decimal
    max_lat: Decimal


BBOX_HELP = _(
    "min_lon,min_lat,max_lon,max_lat in decimal degrees (WGS 84), e.g. -5.5,10,4.5,25 for Mali. "
    "A min_lon greater than max_lon crosses the antimeridian (RFC 7946). Incidents without "
    "coordinates are left out."
)


class BBoxField(forms.CharField):
    """Four comma-separated numbers: west, south, east, north."""

    def clean(self, value: Any) -> BBox | None:
        text = super().clean(value)
        if not text:
            return None
        parts = [part.strip() for part in text.split(",")]
        if len(parts) != 4:
            raise forms.ValidationError(
                _("Give four numbers separated by commas: min_lon,min_lat,max_lon,max_lat (you gave %(count)s)."),
                params={"count": len(parts)},
                code="bbox_parts",
            )
        try:
            numbers = [Decimal(part) for part in parts]
        except InvalidOperation:
            raise forms.ValidationError(
                _("“%(value)s” is not four numbers: write it as min_lon,min_lat,max_lon,max_lat, e.g. -5.5,10,4.5,25."),
                params={"value": text},
                code="bbox_number",
            ) from None
        if not all(number.is_finite() for number in numbers):
            raise forms.ValidationError(_("The bounding box needs finite numbers."), code="bbox_number")
        box = BBox(*numbers)
        for name, value, limit in (
            ("min_lon", box.min_lon, 180),
            ("min_lat", box.min_lat, 90),
            ("max_lon", box.max_lon, 180),
            ("max_lat", box.max_lat, 90),
        ):
            if not -limit <= value <= limit:
                raise forms.ValidationError(
                    _("%(name)s is %(value)s; it must be between -%(limit)s and %(limit)s."),
                    params={"name": name, "value": value, "limit": limit},
                    code="bbox_range",
                )
        if box.min_lat > box.max_lat:
            raise forms.ValidationError(
                _("min_lat (%(min)s) is north of max_lat (%(max)s): give the southern edge first."),
                params={"min": box.min_lat, "max": box.max_lat},
                code="bbox_order",
            )
        return BBox(
            *(_on_the_grid(number, edge) for number, edge in zip(numbers, ("min", "min", "max", "max"), strict=True))
        )


# The coordinates' stored precision (advisories.models.places.latitude_field).
COORDINATE_STEP = Decimal("0.00001")


def _on_the_grid(number: Decimal, edge: str) -> Decimal:
    """The edge moved onto the stored coordinates' grid, inward, which selects the same rows: a
    number such as 1E-20000 is more than PostgreSQL's numeric type can hold."""
    return number.quantize(COORDINATE_STEP, rounding=ROUND_CEILING if edge == "min" else ROUND_FLOOR)


# A box over more rows of the map grid than this (3 degrees of latitude) is looked up by its
# coordinates alone: it holds so much of a country that walking the newest incidents finds its
# page sooner than the cells' index would.
GRID_ROWS_LOOKED_UP = 30 + 2


def _grid_line(coordinate: Decimal, offset: int) -> int:
    """The row (latitude, offset 90) or column (longitude, offset 180) of the grid of `Incident.grid_cell`."""
    return math.floor((coordinate + offset) * GRID_CELLS_PER_DEGREE)


def grid_cells(box: BBox) -> Q | None:
    """The cells of `Incident.grid_cell` that the box touches, as one range of cell numbers per
    row of the grid, widened by a cell on every side: the database computes the cells of the
    coordinates (SQLite in binary floating point), and a point on a cell's edge may fall on either
    side of it. The exact test of the coordinates decides; this lets an index find the candidates.
    None for a box too tall to gain from it."""
    last_row = 180 * GRID_CELLS_PER_DEGREE
    last_column = GRID_ROW_WIDTH - 1
    rows = range(max(_grid_line(box.min_lat, 90) - 1, 0), min(_grid_line(box.max_lat, 90) + 1, last_row) + 1)
    if len(rows) > GRID_ROWS_LOOKED_UP:
        return None
    west, east = _grid_line(box.min_lon, 180) - 1, _grid_line(box.max_lon, 180) + 1
    spans = [(west, east)] if box.min_lon <= box.max_lon else [(west, last_column), (0, east)]
    cells = Q()
    for row in rows:
        for first, last in spans:
            first, last = max(first, 0), min(last, last_column)
            cells |= Q(grid_cell__gte=row * GRID_ROW_WIDTH + first, grid_cell__lte=row * GRID_ROW_WIDTH + last)
    return cells


@extend_schema_field({"type": "string", "pattern": r"^[^,]+,[^,]+,[^,]+,[^,]+$", "example": "-5.5,10,4.5,25"})
class BBoxFilter(django_filters.Filter):
    field_class = BBoxField

    def filter(self, qs: QuerySet[Incident], value: BBox | None) -> QuerySet[Incident]:
        if value is None:
            return qs
        inside = Q(latitude__gte=value.min_lat, latitude__lte=value.max_lat)
        if value.min_lon <= value.max_lon:
            inside &= Q(longitude__gte=value.min_lon, longitude__lte=value.max_lon)
        else:
            inside &= Q(longitude__gte=value.min_lon) | Q(longitude__lte=value.max_lon)
        cells = grid_cells(value)
        if cells is None:
            return qs.filter(inside)
        return listed_by_id(qs.filter(cells & inside), from_the_rows=False)


# The name of the list's order when a filter chose how it is read (IncidentPagination,
# incidents/api/views.py): the id, as the index of ids reads it or as an expression that it cannot.
LISTED_BY = "listed_by"
# Marks (as an alias, which selects nothing) a list whose dates are bounded above.
DATES_BOUNDED = "dates_bounded"
# A row that the newest-first walk passes costs about as much as ten index entries of a date
# range: the walk reads each row from the table to test its date, the range reads only the index.
WALK_COST = 10


def sorted_by_date_range(day: dt.date) -> bool:
    """Whether the newest incidents of dates up to `day` are found sooner among the incidents of
    those dates (by the date index, then sorted by id) than by walking every incident from the
    newest logged. Ids follow logging, and logging follows dates: the walk passes every incident
    logged since `day` before its first match, which PostgreSQL's planner does not know (it takes
    dates and ids for unrelated). Asked of the ids around `day`: three index probes, one query."""
    first_after = Incident.objects.filter(occurred_on__gt=day).order_by("occurred_on", "pk").values("pk")[:1]
    ends = Incident.objects.filter(pk=Subquery(first_after)).values_list(
        "pk",
        Subquery(Incident.objects.order_by("pk").values("pk")[:1]),
        Subquery(Incident.objects.order_by("-pk").values("pk")[:1]),
    )
    found = ends.first()
    if found is None:
        return False  # nothing after the day: the newest incidents are all of it
    boundary, first, last = found
    return (last - boundary) * WALK_COST > boundary - first


def listed_by_id(queryset: QuerySet[Incident], *, from_the_rows: bool) -> QuerySet[Incident]:
    """The queryset with its order named LISTED_BY: the id, or with `from_the_rows` the id as an
    expression, which PostgreSQL cannot read from the index of ids, so that it takes the rows the
    other filters select by their own index and sorts their ids instead. An order already named
    (by the dates) is kept."""
    if LISTED_BY in queryset.query.annotations:
        return queryset
    listed_by = ExpressionWrapper(F("pk") + 0, output_field=BigIntegerField()) if from_the_rows else F("pk")
    return queryset.annotate(**{LISTED_BY: listed_by})


def category_filter(field_name: str, help_text: StrOrPromise = CATEGORY_HELP) -> django_filters.ModelChoiceFilter:
    """A threat category, by its slug."""
    return named(
        django_filters.ModelChoiceFilter,
        ThreatCategory.objects.all(),
        field_name=field_name,
        help_text=help_text,
        no_such=_("There is no threat category %(value)s."),
    )


class IncidentApiFilterForm(IncidentFilterForm):
    range_error_field = "occurred_after"
    range_message = _("occurred_after (%(start)s) is later than occurred_before (%(end)s).")


class IncidentApiFilter(IncidentFilter):
    """The pages' filters under the API's names, with a bounding box and `updated_since`.

    Filters narrow what `incidents_visible_to` already allows; they never widen it, so the
    review-status and sharing-level filters are offered to everyone."""

    # The pages' dates, with the API's help and messages.
    occurred_after = django_filters.DateFilter(
        field_name="occurred_on",
        lookup_expr="gte",
        help_text=_("Incidents of this date (YYYY-MM-DD) or later."),
        error_messages={"invalid": _("Write the date as YYYY-MM-DD, e.g. 2024-09-17.")},
    )
    occurred_before = django_filters.DateFilter(
        field_name="occurred_on",
        lookup_expr="lte",
        method="filter_occurred_before",
        help_text=_("Incidents of this date (YYYY-MM-DD) or earlier."),
        error_messages={"invalid": _("Write the date as YYYY-MM-DD, e.g. 2024-09-17.")},
    )
    country = named(
        CodeFilter,
        Country.objects.all(),
        to_field_name="code",
        help_text=_("ISO 3166-1 alpha-2 code, e.g. ml."),
        no_such=_("There is no country with the code %(value)s."),
    )
    region = named(
        CodeFilter,
        Region.objects.none(),
        to_field_name="code",
        help_text=_("ISO 3166-2 code, e.g. ml-bko."),
        no_such=_("There is no region with the code %(value)s (in the country asked for, if any)."),
    )
    type = named(
        django_filters.ModelChoiceFilter,
        IncidentType.objects.all(),
        field_name="incident_type",
        help_text=_("An incident type's slug (see /api/v1/incident-types/)."),
        no_such=_("There is no incident type %(value)s; the list is at /api/v1/incident-types/."),
    )
    category = category_filter("incident_type__category")
    actor = named(
        IdFilter,
        Actor.objects.all(),
        to_field_name=None,
        method="filter_actor",
        help_text=_("An actor's id (see /api/v1/actors/)."),
        no_such=_("There is no actor with the id %(value)s; see /api/v1/actors/."),
    )
    bbox = BBoxFilter(help_text=BBOX_HELP)
    updated_since = UTCDateTimeFilter(
        field_name="updated_at",
        lookup_expr="gte",
        help_text=_("Incidents changed at or after this ISO 8601 date and time, e.g. 2024-09-17T08:00:00Z."),
        error_messages={
            "invalid": _("Write an ISO 8601 date and time, e.g. 2024-09-17T08:00:00Z; write a + in an offset as %%2B.")
        },
    )

    # Made by FilterSet's metaclass; an instance keeps those its query names (__init__).
    base_filters: dict[str, django_filters.Filter]

    class Meta(IncidentFilter.Meta):
        form = IncidentApiFilterForm

    def __init__(self, data: Any = None, queryset: QuerySet[Incident] | None = None, **kwargs: Any) -> None:
        asked = set(canonical_query(data)) if isinstance(data, QueryDict) else None
        if asked is not None:
            # Only the filters the query names are copied and built into the form: a filter given
            # no value filters nothing, and copying and building all thirteen cost about a fifth of
            # the list's time. IncidentFilter scopes the region by the country: it needs those two.
            self.base_filters = {
                name: each for name, each in self.base_filters.items() if name in asked or name in CODE_FILTERS
            }
        super().__init__(data, queryset, signed_in=True, **kwargs)
        if asked is not None:
            for name in CODE_FILTERS:
                if name not in asked:
                    del self.filters[name]

    def filter_occurred_before(
        self, queryset: QuerySet[Incident], name: str, value: dt.date | None
    ) -> QuerySet[Incident]:
        if value is None:
            return queryset
        queryset = queryset.filter(occurred_on__lte=value).alias(**{DATES_BOUNDED: Value(True)})
        return listed_by_id(queryset, from_the_rows=sorted_by_date_range(value))


class ActorFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=Actor.Kind.choices)
    name = django_filters.CharFilter(
        method="filter_name", help_text=_("Part of the actor's name or of one of its aliases, in any case.")
    )

    class Meta:
        model = Actor
        fields: list[str] = []

    def filter_name(self, queryset: QuerySet[Actor], name: str, value: str) -> QuerySet[Actor]:
        # Aliases are a JSON list: its text holds every alias, so one containment test covers them.
        return queryset.filter(Q(name__icontains=value) | Q(aliases__icontains=value))


class IncidentTypeFilter(django_filters.FilterSet):
    category = category_filter("category")

    class Meta:
        model = IncidentType
        fields: list[str] = []
