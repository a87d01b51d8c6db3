"""What the advisories endpoints return. Everything here is read-only: analysts edit advisories,
ratings, reports and contacts in the admin.

A place's advisory is given flat, beside the place (`level`, `level_label`, `indicators`,
`issued_on`), from values the views annotate in SQL, so a list costs one query whatever its
length. Related objects nest in their brief form ({"code", "name"}, {"slug", "name"}), as the
incidents endpoints nest them.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ..models import (
    AdvisoryLevel,
    City,
    ContactPoint,
    Country,
    Region,
    ReportSection,
    RiskAssessment,
    RiskIndicator,
    SecurityReport,
    SecurityReportRevision,
    Source,
    ThreatCategory,
    ThreatLevel,
    ThreatRating,
)
from ..selectors import current_risk_of

# Which advisory gives a region its level: its own, or its country's when it has none.
LEVEL_FROM_CHOICES = [("region", _("The region's own advisory")), ("country", _("The country's advisory"))]
# OSAC's words for a threat rating, as the API writes them (and accepts them in filters).
RATING_NAMES = {level.value: level.name for level in ThreatLevel}


class _OptionalAddressField(serializers.CharField):
    """An optional address that the database keeps as an empty string when unknown. A bare
    string format would make "" invalid in the schema, and "" is what a client is sent for
    every contact point without a website."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(read_only=True, **kwargs)


@extend_schema_field({"type": "string", "anyOf": [{"format": "uri"}, {"maxLength": 0}]})
class OptionalURLField(_OptionalAddressField):
    """A URL, or an empty string."""


@extend_schema_field({"type": "string", "anyOf": [{"format": "email"}, {"maxLength": 0}]})
class OptionalEmailField(_OptionalAddressField):
    """An e-mail address, or an empty string."""


# Brief nested forms ----------------------------------------------------------------------------
#
# The incidents and alerts endpoints nest these too.


class CountryBriefSerializer(serializers.ModelSerializer[Country]):
    class Meta:
        model = Country
        fields = ["code", "name"]
        read_only_fields = fields


class RegionBriefSerializer(serializers.ModelSerializer[Region]):
    class Meta:
        model = Region
        fields = ["code", "name"]
        read_only_fields = fields


class CityBriefSerializer(serializers.ModelSerializer[City]):
    latitude = serializers.DecimalField(
        max_digits=8, decimal_places=5, coerce_to_string=False, read_only=True, allow_null=True
    )
    longitude = serializers.DecimalField(
        max_digits=8, decimal_places=5, coerce_to_string=False, read_only=True, allow_null=True
    )

    class Meta:
        model = City
        fields = ["name", "latitude", "longitude"]
        read_only_fields = fields


class CategoryBriefSerializer(serializers.ModelSerializer[ThreatCategory]):
    class Meta:
        model = ThreatCategory
        fields = ["slug", "name"]
        read_only_fields = fields


class SourceBriefSerializer(serializers.ModelSerializer[Source]):
    """The document a fact comes from, so a reader can see who said it and when."""

    url = OptionalURLField(help_text=_("The document's address; empty when it has none online."))

    class Meta:
        model = Source
        fields = ["title", "publisher", "published_on", "url"]
        read_only_fields = fields


def source_field(path: str | None = None) -> Any:
    """A `source` field: the brief form of the document a fact comes from, or null.

    Typed Any because the stubs give every serializer field a `source` attribute (the path
    it reads), which a field *named* source would otherwise be taken to redefine."""
    if path is None:
        return SourceBriefSerializer(read_only=True, allow_null=True)
    return SourceBriefSerializer(source=path, read_only=True, allow_null=True)


class IndicatorSerializer(serializers.Serializer[Any]):
    letter = serializers.ChoiceField(choices=RiskIndicator.choices, read_only=True)
    name = serializers.CharField(read_only=True)


@extend_schema_field(IndicatorSerializer(many=True))
class IndicatorsField(serializers.Field):
    """An advisory's indicator letters ("CTK") as [{"letter": "C", "name": "Crime"}, ...]."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(read_only=True, **kwargs)

    def get_attribute(self, instance: Any) -> str:
        # No advisory means no indicators: an empty list, as the schema says, rather than null.
        return super().get_attribute(instance) or ""

    def to_representation(self, value: str | None) -> list[dict[str, str]]:
        return [{"letter": letter, "name": str(RiskIndicator(letter).label)} for letter in value or ""]


class LevelLabelField(serializers.CharField):
    """The words of an advisory level ("Do Not Travel"), or null when the place has none."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(read_only=True, allow_null=True, **kwargs)

    def to_representation(self, value: Any) -> str:
        return str(AdvisoryLevel(value).label)


def _level() -> serializers.ChoiceField:
    return serializers.ChoiceField(
        source="current_level",
        choices=AdvisoryLevel.choices,
        read_only=True,
        allow_null=True,
        help_text=_(
            "1 Exercise Normal Precautions, 2 Exercise Increased Caution, 3 Reconsider Travel, 4 Do Not Travel; "
            "null when no advisory is published."
        ),
    )


# Risk index ------------------------------------------------------------------------------------

# What the schema says of a breakdown (advisories/models/risk.py documents it in full). Every count
# is over the place's published TLP:CLEAR incidents; a count that a source did not give is counted
# in *_unknown, never as zero.
BREAKDOWN_SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": True,
    "description": _(
        "Where the index comes from: incidents in the last window_days days, by threat category; known "
        "killed, injured and abducted, and how many incidents did not give each count (*_unknown); incidents "
        "that targeted aid workers, foreigners or staff like the members'; the index one window earlier and "
        "the change; the place names with most incidents; the weighted components; the weights' version."
    ),
    "properties": {
        "version": {"type": "integer"},
        "window_days": {"type": "integer"},
        "incidents": {"type": "integer"},
        "by_category": {"type": "object", "additionalProperties": {"type": "integer"}},
        "killed": {"type": "integer"},
        "injured": {"type": "integer"},
        "abducted": {"type": "integer"},
        "killed_unknown": {"type": "integer"},
        "injured_unknown": {"type": "integer"},
        "abducted_unknown": {"type": "integer"},
        "targeted": {"type": "object", "additionalProperties": {"type": "integer"}},
        "previous_index": {"type": ["integer", "null"]},
        "change": {"type": ["integer", "null"]},
        "top_places": {"type": "array", "items": {"type": "array"}},
        "components": {"type": "object", "additionalProperties": {"type": "number"}},
        "weights_version": {"type": "integer"},
    },
}


@extend_schema_field(BREAKDOWN_SCHEMA)
class BreakdownField(serializers.JSONField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(read_only=True, **kwargs)


class RiskBriefSerializer(serializers.ModelSerializer[RiskAssessment]):
    """A place's risk index, without its breakdown: what a place nested in another shows."""

    index = serializers.IntegerField(
        read_only=True,
        min_value=0,
        max_value=100,
        help_text=_("0 to 100, computed from the place's published TLP:CLEAR incidents, the recent weighing more."),
    )
    suggested_level = serializers.ChoiceField(
        choices=AdvisoryLevel.choices,
        read_only=True,
        help_text=_("The advisory level the index suggests, 1 to 4; analysts decide the published level."),
    )
    published_level = serializers.ChoiceField(
        choices=AdvisoryLevel.choices,
        read_only=True,
        allow_null=True,
        help_text=_("The level analysts had published for the place when the index was computed; null if none."),
    )

    class Meta:
        model = RiskAssessment
        fields = ["index", "suggested_level", "published_level", "computed_at"]
        read_only_fields = fields


class RiskSerializer(RiskBriefSerializer):
    """A place's risk index with the numbers it comes from."""

    breakdown = BreakdownField()

    class Meta(RiskBriefSerializer.Meta):
        fields = [*RiskBriefSerializer.Meta.fields, "breakdown"]
        read_only_fields = fields


class _CurrentRisk:
    """The place's current assessment (prefetched by the views as `current_risks`), or None."""

    def get_attribute(self, instance: Any) -> RiskAssessment | None:
        return current_risk_of(instance)


class CurrentRiskSerializer(_CurrentRisk, RiskSerializer):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(
            read_only=True,
            allow_null=True,
            help_text=_(
                "The place's current risk index, suggested level and breakdown; null until it is first computed."
            ),
            **kwargs,
        )


class CurrentRiskBriefSerializer(_CurrentRisk, RiskBriefSerializer):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(
            read_only=True,
            allow_null=True,
            help_text=_("The region's current risk index and suggested level; null until it is first computed."),
            **kwargs,
        )


# Countries and regions -----------------------------------------------------------------------


class CountrySerializer(serializers.ModelSerializer[Country]):
    """A country with its current country-wide advisory (nulls when none is published)."""

    level = _level()
    level_label = LevelLabelField(source="current_level")
    indicators = IndicatorsField(source="current_indicators")
    issued_on = serializers.DateField(source="current_issued_on", read_only=True, allow_null=True)
    risk = CurrentRiskSerializer()

    class Meta:
        model = Country
        fields = ["code", "name", "level", "level_label", "indicators", "issued_on", "risk"]
        read_only_fields = fields


class RegionLevelSerializer(serializers.ModelSerializer[Region]):
    """A region in its country's detail: its level, and whether that level is its own."""

    level = _level()
    level_label = LevelLabelField(source="current_level")
    level_from = serializers.ChoiceField(
        choices=LEVEL_FROM_CHOICES,
        read_only=True,
        allow_null=True,
        help_text=_(
            "region: the region has an advisory of its own; country: it has none, and its country's applies; "
            "null: neither has one."
        ),
    )

    risk: serializers.BaseSerializer[Any] = CurrentRiskBriefSerializer()

    class Meta:
        model = Region
        fields = ["code", "name", "level", "level_label", "level_from", "risk"]
        read_only_fields = fields


class CountryDetailSerializer(CountrySerializer):
    """A country with its current country-wide advisory, that advisory's summary and source, and
    the level that applies to each of its regions."""

    summary = serializers.CharField(source="advisory.summary", read_only=True, allow_null=True)
    source = source_field("advisory.source")
    regions = RegionLevelSerializer(source="region_levels", many=True, read_only=True)

    class Meta(CountrySerializer.Meta):
        fields = [*CountrySerializer.Meta.fields, "official_name", "summary", "source", "regions"]
        read_only_fields = fields


class RegionSerializer(RegionLevelSerializer):
    """A region with the advisory that applies to it: its own, or its country's when it has none."""

    country = CountryBriefSerializer(read_only=True)
    indicators = IndicatorsField(source="current_indicators")
    issued_on = serializers.DateField(source="current_issued_on", read_only=True, allow_null=True)
    risk = CurrentRiskSerializer()

    class Meta(RegionLevelSerializer.Meta):
        fields = [
            "code",
            "name",
            "kind",
            "country",
            "level",
            "level_label",
            "level_from",
            "indicators",
            "issued_on",
            "risk",
        ]
        read_only_fields = fields


class RegionDetailSerializer(RegionSerializer):
    """A region with the advisory that applies to it, and that advisory's summary and source."""

    summary = serializers.CharField(source="advisory.summary", read_only=True, allow_null=True)
    source = source_field("advisory.source")

    class Meta(RegionSerializer.Meta):
        fields = [*RegionSerializer.Meta.fields, "summary", "source"]
        read_only_fields = fields


# Threats ---------------------------------------------------------------------------------------


class ThreatCategorySerializer(serializers.ModelSerializer[ThreatCategory]):
    indicator = serializers.SerializerMethodField(
        help_text=_("The advisory indicator letter this category corresponds to; null where none does.")
    )

    class Meta:
        model = ThreatCategory
        fields = ["slug", "name", "indicator", "description"]
        read_only_fields = fields

    @extend_schema_field(IndicatorSerializer(allow_null=True))
    def get_indicator(self, category: ThreatCategory) -> dict[str, str] | None:
        if not category.indicator:
            return None
        return {"letter": category.indicator, "name": str(RiskIndicator(category.indicator).label)}


class ThreatRatingSerializer(serializers.ModelSerializer[ThreatRating]):
    country = CountryBriefSerializer(read_only=True)
    region = RegionBriefSerializer(read_only=True, allow_null=True)
    city = CityBriefSerializer(read_only=True, allow_null=True)
    place = serializers.CharField(
        source="place_name", read_only=True, help_text=_("The city's, the region's or the country's name.")
    )
    category = CategoryBriefSerializer(read_only=True)
    rating = serializers.SerializerMethodField(help_text=_("OSAC's wording: LOW, MEDIUM, HIGH or CRITICAL."))
    source = source_field()

    class Meta:
        model = ThreatRating
        fields = ["id", "country", "region", "city", "place", "category", "rating", "assessed_on", "note", "source"]
        read_only_fields = fields

    @extend_schema_field({"type": "string", "enum": list(RATING_NAMES.values())})
    def get_rating(self, rating: ThreatRating) -> str:
        return RATING_NAMES[rating.level]


# Security reports ------------------------------------------------------------------------------


class RevisionBriefSerializer(serializers.ModelSerializer[SecurityReportRevision]):
    class Meta:
        model = SecurityReportRevision
        fields = ["number", "published_at", "what_changed"]
        read_only_fields = fields


class RevisionSerializer(RevisionBriefSerializer):
    source = source_field()

    class Meta(RevisionBriefSerializer.Meta):
        fields = [*RevisionBriefSerializer.Meta.fields, "source"]
        read_only_fields = fields


class ReportSectionSerializer(serializers.ModelSerializer[ReportSection]):
    source = source_field()

    class Meta:
        model = ReportSection
        fields = ["position", "kind", "heading", "body", "source"]
        read_only_fields = fields


class CurrentRevisionSerializer(RevisionSerializer):
    sections = ReportSectionSerializer(many=True, read_only=True)

    class Meta(RevisionSerializer.Meta):
        fields = [*RevisionSerializer.Meta.fields, "sections"]
        read_only_fields = fields


class CurrentRevisionBriefSerializer(serializers.Serializer[SecurityReport]):
    """A report's current revision in a list row, from the values the view annotates on the report."""

    number = serializers.IntegerField(source="current_number", read_only=True)
    published_at = serializers.DateTimeField(source="current_published_at", read_only=True)
    what_changed = serializers.CharField(source="current_what_changed", read_only=True)


class SecurityReportSerializer(serializers.ModelSerializer[SecurityReport]):
    country = CountryBriefSerializer(read_only=True)
    current_revision: serializers.BaseSerializer[Any] = CurrentRevisionBriefSerializer(
        source="*",
        read_only=True,
        help_text=_("The latest published revision: its number, date and what it changed."),
    )

    class Meta:
        model = SecurityReport
        fields = ["id", "country", "title", "current_revision"]
        read_only_fields = fields


class SecurityReportDetailSerializer(SecurityReportSerializer):
    current_revision = CurrentRevisionSerializer(
        read_only=True, help_text=_("The latest published revision, with its sections in order.")
    )

    class Meta(SecurityReportSerializer.Meta):
        pass


# Contact points --------------------------------------------------------------------------------


class ContactPointSerializer(serializers.ModelSerializer[ContactPoint]):
    country = CountryBriefSerializer(read_only=True)
    region = RegionBriefSerializer(read_only=True, allow_null=True)
    phones = serializers.ListField(child=serializers.CharField(), read_only=True)
    email = OptionalEmailField(help_text=_("Empty when the contact point has no e-mail address."))
    website = OptionalURLField(help_text=_("Empty when the contact point has no website."))
    source = source_field()

    class Meta:
        model = ContactPoint
        fields = [
            "id",
            "country",
            "region",
            "kind",
            "name",
            "address",
            "phones",
            "email",
            "website",
            "hours",
            "languages",
            "notes",
            "last_verified_on",
            "source",
        ]
        read_only_fields = fields
