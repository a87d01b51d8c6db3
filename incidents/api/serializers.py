"""What the incident endpoints read and write.

Output serializers nest brief forms of related objects ({"code", "name"}, {"slug", "name"});
`IncidentWriteSerializer` only turns JSON into the values `IncidentFields` holds. Every rule
about an incident (dates, coordinates, the region's country, lengths) is `incident_clean`'s,
run by the services; its messages come back per field. The reporting organisation, the
reporter and the review status are not fields a client can write.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from advisories.api.serializers import CategoryBriefSerializer, CountryBriefSerializer, RegionBriefSerializer
from advisories.models import Country, Region
from config.api.fields import named, organisation_slug

from ..access import ANONYMOUS, may_see_reporter
from ..corrections import IncidentCorrection
from ..forms import COORDINATE_STEP, MAX_PEOPLE
from ..models import (
    Actor,
    DatePrecision,
    Incident,
    IncidentActor,
    IncidentType,
    LocationPrecision,
    Membership,
    Organisation,
    SharingLevel,
    TargetType,
)

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# Brief nested forms ----------------------------------------------------------------------


class IncidentTypeBriefSerializer(serializers.ModelSerializer[IncidentType]):
    class Meta:
        model = IncidentType
        fields = ["slug", "name"]


class OrganisationBriefSerializer(serializers.ModelSerializer[Organisation]):
    class Meta:
        model = Organisation
        fields = ["slug", "name"]


class TargetTypeBriefSerializer(serializers.ModelSerializer[TargetType]):
    class Meta:
        model = TargetType
        fields = ["slug", "name"]


class IncidentActorBriefSerializer(serializers.ModelSerializer[IncidentActor]):
    """An actor as an incident names it, with its part in it."""

    id = serializers.IntegerField(source="actor.id", read_only=True)
    name = serializers.CharField(source="actor.name", read_only=True)
    kind = serializers.ChoiceField(source="actor.kind", choices=Actor.Kind.choices, read_only=True)

    class Meta:
        model = IncidentActor
        fields = ["id", "name", "kind", "role"]


# Incidents --------------------------------------------------------------------------------

UNKNOWN_COUNT = _("null when not known, which is not 0.")


def people_count(label: StrOrPromise, *, read_only: bool = False) -> serializers.IntegerField:
    """A number of people; null when it is not known (0 says that nobody was)."""
    if read_only:
        return serializers.IntegerField(read_only=True, allow_null=True, help_text=f"{label}: {UNKNOWN_COUNT}")
    return serializers.IntegerField(
        min_value=0,
        max_value=MAX_PEOPLE,
        required=False,
        allow_null=True,
        help_text=f"{label}: {UNKNOWN_COUNT}",
    )


class IncidentBriefSerializer(serializers.ModelSerializer[Incident]):
    """An incident in a list, and a feature's properties in GeoJSON."""

    type = IncidentTypeBriefSerializer(source="incident_type", read_only=True)
    category = CategoryBriefSerializer(source="incident_type.category", read_only=True)
    country = CountryBriefSerializer(read_only=True)
    region = RegionBriefSerializer(read_only=True, allow_null=True)
    killed = people_count(_("Killed"), read_only=True)
    injured = people_count(_("Injured"), read_only=True)
    abducted = people_count(_("Abducted"), read_only=True)

    class Meta:
        model = Incident
        fields = [
            "id",
            "title",
            "type",
            "category",
            "severity",
            "occurred_on",
            "date_precision",
            "country",
            "region",
            "sharing_level",
            "status",
            "killed",
            "injured",
            "abducted",
            "updated_at",
        ]
        read_only_fields = fields


def brief_rows(rows: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Incidents of the list, from rows of incident_row_values: what IncidentBriefSerializer gives
    for them, key for key and value for value (tests/incidents/test_api_list_rows.py), each written
    in one step. The serializer stays what the schema documents; this writes the list's 50 rows (a
    GeoJSON page's 500) without its nested serializers and fields, which cost more than the query
    itself. The names are the `name` columns, as the brief serializers read them."""
    zone = timezone.get_current_timezone()  # once: it is a thread-local lookup
    return [brief_row(row, zone) for row in rows]


def brief_row(row: dict[str, Any], zone: dt.tzinfo) -> dict[str, Any]:
    """One incident of brief_rows, its date and time given in `zone`."""
    region_code = row["region__code"]
    return {
        "id": row["id"],
        "title": row["title"],
        "type": {"slug": row["incident_type__slug"], "name": row["incident_type__name"]},
        "category": {"slug": row["incident_type__category__slug"], "name": row["incident_type__category__name"]},
        "severity": row["severity"],
        "occurred_on": row["occurred_on"].isoformat(),
        "date_precision": row["date_precision"],
        "country": {"code": row["country__code"], "name": row["country__name"]},
        "region": None if region_code is None else {"code": region_code, "name": row["region__name"]},
        "sharing_level": row["sharing_level"],
        "status": row["status"],
        "killed": row["killed"],
        "injured": row["injured"],
        "abducted": row["abducted"],
        "updated_at": api_moment(row["updated_at"], zone),
    }


def api_moment(moment: dt.datetime, zone: dt.tzinfo) -> str:
    """A date and time as DRF's DateTimeField writes it: ISO 8601 in the current time zone
    (`zone`), with Z for UTC."""
    text = moment.astimezone(zone).isoformat()
    return f"{text[:-6]}Z" if text.endswith("+00:00") else text


@extend_schema_field(
    {
        "type": "string",
        "pattern": r"^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?$",
        "example": "17:40",
        "description": "Local time at the place, HH:MM (24-hour), with no time zone.",
    }
)
class LocalTimeField(serializers.TimeField):
    """A wall-clock time at the incident's place, HH:MM: it has no time zone of its own, so it is
    not an RFC 3339 time (which needs an offset) and the schema says so."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%H:%M", input_formats=["%H:%M", "%H:%M:%S"], **kwargs)


# The incident's fields that the API names otherwise.
API_NAMES = {"incident_type": "type"}


class IncidentCorrectionSerializer(serializers.ModelSerializer[IncidentCorrection]):
    """A correction of a published incident: when, and which fields (by their names here)."""

    changed_fields = serializers.SerializerMethodField()

    class Meta:
        model = IncidentCorrection
        fields = ["corrected_at", "changed_fields"]
        read_only_fields = fields

    @extend_schema_field({"type": "array", "items": {"type": "string"}})
    def get_changed_fields(self, correction: IncidentCorrection) -> list[str]:
        return [API_NAMES.get(name, name) for name in correction.field_names]


class IncidentDetailSerializer(IncidentBriefSerializer):
    latitude = serializers.DecimalField(
        max_digits=8, decimal_places=5, coerce_to_string=False, read_only=True, allow_null=True
    )
    longitude = serializers.DecimalField(
        max_digits=8, decimal_places=5, coerce_to_string=False, read_only=True, allow_null=True
    )
    actors = IncidentActorBriefSerializer(source="actor_links", many=True, read_only=True)
    target_types = TargetTypeBriefSerializer(many=True, read_only=True)
    organisation = serializers.SerializerMethodField(
        help_text=_(
            "The reporting organisation; null when the incident was imported, or when you may not learn who "
            "reported it (the public learns it only from organisations that chose to be named)."
        )
    )
    occurred_at_time = LocalTimeField(read_only=True, allow_null=True)
    corrections = IncidentCorrectionSerializer(many=True, read_only=True)

    class Meta(IncidentBriefSerializer.Meta):
        fields = [
            *IncidentBriefSerializer.Meta.fields,
            "description",
            "sources",
            "occurred_at_time",
            "place_name",
            "latitude",
            "longitude",
            "location_precision",
            "actors",
            "target_types",
            "organisation",
            "created_at",
            "verified_at",
            "published_at",
            "retracted_at",
            "retraction_reason",
            "corrections",
        ]
        read_only_fields = fields

    @extend_schema_field(OrganisationBriefSerializer(allow_null=True))
    def get_organisation(self, incident: Incident) -> dict[str, Any] | None:
        # Without a viewer in the context, answer as to the public.
        if incident.organisation is None or not may_see_reporter(self.context.get("viewer", ANONYMOUS), incident):
            return None
        return dict(OrganisationBriefSerializer(incident.organisation).data)


class CoordinateField(serializers.DecimalField):
    """Decimal degrees, kept to five places (about a metre), as the pages' form keeps them.

    A value out of range is passed on as sent, for `incident_clean` to say what is wrong."""

    def __init__(self, *, limit: int, **kwargs: Any) -> None:
        self.limit = limit
        super().__init__(max_digits=None, decimal_places=None, coerce_to_string=False, **kwargs)

    def to_internal_value(self, data: Any) -> Decimal:
        value: Decimal = super().to_internal_value(data)
        if value.copy_abs() > self.limit:  # abs() would round, and overflow on 1E+999999999
            return value
        return value.quantize(COORDINATE_STEP)


class IncidentWriteSerializer(serializers.Serializer[Incident]):
    """What an officer sends to log or correct an incident: `IncidentFields`, by codes and slugs."""

    title = serializers.CharField(max_length=200, allow_blank=True, trim_whitespace=False)
    type = named(
        IncidentType.objects.all(),
        no_such=_("There is no incident type “{value}”; the list is at /api/v1/incident-types/."),
        each=_("Give the incident type's slug as a string, e.g. kidnapping."),
    )
    occurred_on = serializers.DateField()
    occurred_at_time = LocalTimeField(required=False, allow_null=True, default=None)
    date_precision = serializers.ChoiceField(choices=DatePrecision.choices, required=False)
    country = named(
        Country.objects.all(),
        slug_field="code",
        by_code=True,
        no_such=_("There is no country with the code “{value}”; use ISO 3166-1 alpha-2, e.g. ml."),
        each=_("Give the country's ISO 3166-1 alpha-2 code as a string, e.g. ml."),
    )
    region = named(
        Region.objects.all(),
        slug_field="code",
        by_code=True,
        required=False,
        allow_null=True,
        default=None,
        no_such=_("There is no region with the code “{value}”; use ISO 3166-2, e.g. ml-bko."),
        each=_("Give the region's ISO 3166-2 code as a string, e.g. ml-bko."),
        help_text=_("ISO 3166-2 code. Leave it out to have it found from the coordinates."),
    )
    place_name = serializers.CharField(max_length=200, required=False, allow_blank=True, trim_whitespace=False)
    latitude = CoordinateField(limit=90, required=False, allow_null=True, default=None)
    longitude = CoordinateField(limit=180, required=False, allow_null=True, default=None)
    location_precision = serializers.ChoiceField(choices=LocationPrecision.choices, required=False)
    actors = serializers.PrimaryKeyRelatedField(
        queryset=Actor.objects.all(),
        many=True,
        required=False,
        help_text=_("Ids of the actors who did it (see /api/v1/actors/)."),
        error_messages={
            "does_not_exist": _("There is no actor with the id {pk_value}; see /api/v1/actors/."),
            "incorrect_type": _("Give each actor as its id, a number."),
        },
    )
    target_types = named(
        TargetType.objects.all(),
        many=True,
        required=False,
        help_text=_("Slugs of who was hit, e.g. ngo-staff."),
        no_such=_("There is no target type “{value}”."),
        each=_("Give each target type as its slug, a string."),
    )
    killed = people_count(_("Killed"))
    injured = people_count(_("Injured"))
    abducted = people_count(_("Abducted"))
    severity = serializers.IntegerField(
        help_text=_("1 minor, 2 moderate, 3 serious, 4 severe, 5 critical (mass casualties or hostages).")
    )
    # No max_length: incident_clean says how long the text is and how long it may be.
    description = serializers.CharField(required=False, allow_blank=True, trim_whitespace=False)
    sources = serializers.CharField(required=False, allow_blank=True, trim_whitespace=False)
    sharing_level = serializers.ChoiceField(choices=SharingLevel.choices, required=False)


class IncidentCreateSerializer(IncidentWriteSerializer):
    organisation = organisation_slug(
        _(
            "The reporting organisation's slug; needed only if you are an officer of several organisations "
            "(see /api/v1/organisations/)."
        )
    )


class RetractSerializer(serializers.Serializer[Incident]):
    reason = serializers.CharField(
        allow_blank=True, trim_whitespace=False, help_text=_("Why the incident is retracted; readers will see it.")
    )


@extend_schema_field(
    {
        "type": "object",
        "properties": {
            "type": {"type": "string", "enum": ["Point"]},
            "coordinates": {"type": "array", "items": {"type": "number"}, "minItems": 2, "maxItems": 2},
        },
        "required": ["type", "coordinates"],
    }
)
class PointField(serializers.Field[Any, Any, Any, Any]):
    """A GeoJSON Point: [longitude, latitude], in that order (RFC 7946)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, value: Incident) -> dict[str, Any]:
        assert value.longitude is not None and value.latitude is not None
        return {"type": "Point", "coordinates": [float(value.longitude), float(value.latitude)]}


class IncidentFeatureSerializer(serializers.ModelSerializer[Incident]):
    type = serializers.SerializerMethodField()
    geometry = PointField()
    properties = IncidentBriefSerializer(source="*", read_only=True)

    class Meta:
        model = Incident
        fields = ["type", "id", "geometry", "properties"]
        read_only_fields = fields

    @extend_schema_field({"type": "string", "enum": ["Feature"]})
    def get_type(self, incident: Incident) -> str:
        return "Feature"


def feature_rows(rows: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Incidents as GeoJSON features, from rows of incident_row_values(coordinates=True) that have
    coordinates: what IncidentFeatureSerializer gives for them, as brief_rows writes the list's."""
    zone = timezone.get_current_timezone()
    return [
        {
            "type": "Feature",
            "id": row["id"],
            "geometry": {"type": "Point", "coordinates": [float(row["longitude"]), float(row["latitude"])]},
            "properties": brief_row(row, zone),
        }
        for row in rows
    ]


class IncidentFeatureCollectionSerializer(serializers.Serializer[Any]):
    """For the schema: a page of incidents as a GeoJSON FeatureCollection, with the cursor links."""

    type = serializers.ChoiceField(choices=["FeatureCollection"])
    features = IncidentFeatureSerializer(many=True)
    next = serializers.URLField(allow_null=True, help_text=_("The next page, or null on the last one."))
    previous = serializers.URLField(allow_null=True, help_text=_("The previous page, or null on the first one."))


# Reference data and the user's organisations ------------------------------------------------


class ActorSerializer(serializers.ModelSerializer[Actor]):
    aliases = serializers.ListField(child=serializers.CharField(), read_only=True)

    class Meta:
        model = Actor
        fields = ["id", "name", "aliases", "kind"]
        read_only_fields = fields


class IncidentTypeSerializer(serializers.ModelSerializer[IncidentType]):
    category = CategoryBriefSerializer(read_only=True)

    class Meta:
        model = IncidentType
        fields = ["slug", "name", "category", "acled_event_type", "acled_sub_event_type", "default_severity"]
        read_only_fields = fields


class MyOrganisationSerializer(serializers.ModelSerializer[Membership]):
    """One of the user's organisations, with the user's role in it."""

    slug = serializers.SlugField(source="organisation.slug", read_only=True)
    name = serializers.CharField(source="organisation.name", read_only=True)
    kind = serializers.ChoiceField(source="organisation.kind", choices=Organisation.Kind.choices, read_only=True)
    time_zone = serializers.CharField(source="organisation.time_zone", read_only=True)

    class Meta:
        model = Membership
        fields = ["slug", "name", "kind", "time_zone", "role"]
        read_only_fields = fields
