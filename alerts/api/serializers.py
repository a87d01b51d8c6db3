"""What the alerts endpoints read and write.

Output serializers nest brief forms of places and categories ({"code", "name"}, {"slug", "name"}).
`SubscriptionWriteSerializer` only turns JSON into the values `SubscriptionFields` holds: every
rule about a subscription (at least one place, the severity range, the time zone, the
addresses) is `subscription_clean`'s, run by the services, and its messages come back per
field. The organisation (after creation), who created or ended it, when it was confirmed or
ended and why, and a traveler's person and address are not fields a client can write.
"""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from timezone_field.rest_framework import TimeZoneSerializerField

from advisories.models import Advisory, Country, Region, ThreatCategory
from config.api.fields import named, organisation_slug
from incidents.api.serializers import (
    CategoryBriefSerializer,
    CountryBriefSerializer,
    OrganisationBriefSerializer,
    RegionBriefSerializer,
)

from ..models import Delivery, DeliveryStatus, DigestRun, EndReason, Frequency, Subscription

# Subscriptions -----------------------------------------------------------------------------


class SubscriptionSerializer(serializers.ModelSerializer[Subscription]):
    """An organisation's subscription, as its managers read it."""

    organisation = OrganisationBriefSerializer(read_only=True)
    countries = CountryBriefSerializer(many=True, read_only=True)
    regions = RegionBriefSerializer(many=True, read_only=True)
    categories = CategoryBriefSerializer(many=True, read_only=True, help_text=_("Empty: every category."))
    addresses = serializers.ListField(child=serializers.EmailField(), read_only=True)
    active = serializers.BooleanField(
        source="is_active", read_only=True, help_text=_("Confirmed and not ended: e-mail is sent under it.")
    )
    ended_by = serializers.CharField(
        source="ended_by.username",
        read_only=True,
        allow_null=True,
        help_text=_("The username of whoever ended it, if it was ended by a person."),
    )
    end_reason = serializers.ChoiceField(
        choices=EndReason.choices,
        allow_blank=True,
        read_only=True,
        help_text=_("Why it ended; empty while it has not."),
    )
    time_zone = TimeZoneSerializerField(read_only=True, help_text=_("An IANA time zone name, e.g. Africa/Bamako."))
    opted_out_count = serializers.IntegerField(
        source="opt_out_count",
        read_only=True,
        help_text=_("How many of its recipients unsubscribed from it with the link in its e-mails."),
    )

    class Meta:
        model = Subscription
        fields = [
            "id",
            "organisation",
            "name",
            "countries",
            "regions",
            "categories",
            "min_severity",
            "include_advisories",
            "frequency",
            "time_zone",
            "include_members",
            "addresses",
            "language",
            "opted_out_count",
            "active",
            "created_at",
            "updated_at",
            "confirmed_at",
            "ended_at",
            "end_reason",
            "ended_by",
        ]
        read_only_fields = fields


class SubscriptionWriteSerializer(serializers.Serializer[Subscription]):
    """What a manager sends to set up or change a subscription: `SubscriptionFields`, by codes and slugs.

    No field is required here: on a PUT or a POST a field left out takes its default, on a
    PATCH it keeps its value. The services say what is missing (at least one country or region)."""

    name = serializers.CharField(
        required=False,
        allow_blank=True,
        trim_whitespace=False,
        help_text=_("A label for your own use, e.g. “Sahel desk”. At most 200 characters."),
    )
    countries = named(
        Country.objects.all(),
        slug_field="code",
        by_code=True,
        required=False,
        help_text=_('ISO 3166-1 alpha-2 codes of the countries followed as a whole, e.g. ["ML"].'),
        no_such=_("There is no country with the code “{value}”; use ISO 3166-1 alpha-2, e.g. ML."),
        each=_("Give each country as its ISO 3166-1 alpha-2 code, a string, e.g. ML."),
        a_list=_('Give the countries as a list of codes, e.g. ["ML", "NE"].'),
    )
    regions = named(
        Region.objects.all(),
        slug_field="code",
        by_code=True,
        required=False,
        help_text=_('ISO 3166-2 codes of regions followed on their own, e.g. ["ML-BKO"].'),
        no_such=_("There is no region with the code “{value}”; use ISO 3166-2, e.g. ML-BKO."),
        each=_("Give each region as its ISO 3166-2 code, a string, e.g. ML-BKO."),
        a_list=_('Give the regions as a list of codes, e.g. ["ML-BKO"].'),
    )
    categories = named(
        ThreatCategory.objects.all(),
        required=False,
        help_text=_('Slugs of the threat categories followed, e.g. ["kidnapping"]. None: every category.'),
        no_such=_("There is no threat category “{value}”."),
        each=_("Give each threat category as its slug, a string, e.g. kidnapping."),
        a_list=_('Give the threat categories as a list of slugs, e.g. ["kidnapping"].'),
    )
    min_severity = serializers.IntegerField(
        required=False,
        help_text=_("Incidents below this severity are left out: 1 minor to 5 critical. Default 1."),
    )
    include_advisories = serializers.BooleanField(
        required=False,
        help_text=_("Also send changes of advisory levels and indicators, and new report revisions. Default true."),
    )
    frequency = serializers.ChoiceField(
        choices=Frequency.choices,
        required=False,
        help_text=_(
            "immediate: an e-mail within a minute of each incident and advisory change; daily: a digest at "
            "07:00 in the time zone; weekly: a digest on Mondays at 07:00. Default daily."
        ),
        error_messages={"invalid_choice": _("“{input}” is not a frequency; choose immediate, daily or weekly.")},
    )
    time_zone = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=64,
        help_text=_(
            "An IANA time zone name, e.g. Africa/Bamako: digests are sent at 07:00 there. "
            "Default: the organisation's time zone."
        ),
    )
    language = serializers.ChoiceField(
        choices=settings.LANGUAGES,
        required=False,
        help_text=_(
            "The language of its e-mails: en or fr. A member who chose a language for their account receives "
            "that one. Default en."
        ),
        error_messages={"invalid_choice": _("“{input}” is not a language of Vigil's e-mails; choose en or fr.")},
    )
    include_members = serializers.BooleanField(
        required=False,
        help_text=_("Send to every member of the organisation who has an e-mail address. Default true."),
    )
    addresses = serializers.ListField(
        child=serializers.CharField(allow_blank=True),
        required=False,
        help_text=_("Further addresses, e.g. your security desk's shared mailbox. At most 50. Default none."),
        error_messages={"not_a_list": _('Give the addresses as a list of strings, e.g. ["desk@example.org"].')},
    )


class SubscriptionCreateSerializer(SubscriptionWriteSerializer):
    organisation = organisation_slug(
        _(
            "The slug of the organisation whose subscription this is; needed only if you manage the alerts of "
            "several organisations (see /api/v1/organisations/). It cannot be changed afterwards."
        )
    )


# The delivery log ---------------------------------------------------------------------------


class DeliverySubscriptionSerializer(serializers.ModelSerializer[Subscription]):
    organisation = OrganisationBriefSerializer(read_only=True)

    class Meta:
        model = Subscription
        fields = ["id", "name", "organisation"]
        read_only_fields = fields


class DigestBriefSerializer(serializers.ModelSerializer[DigestRun]):
    frequency = serializers.ChoiceField(choices=Frequency.choices, read_only=True)

    class Meta:
        model = DigestRun
        fields = ["frequency", "period"]
        read_only_fields = fields


class AdvisoryBriefSerializer(serializers.ModelSerializer[Advisory]):
    country = CountryBriefSerializer(read_only=True)
    region = RegionBriefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Advisory
        fields = ["id", "country", "region"]
        read_only_fields = fields


class DeliverySerializer(serializers.ModelSerializer[Delivery]):
    """One e-mail sent, or to be sent, under a subscription: a digest's or an immediate alert's.

    Exactly one of `digest`, `incident` and `advisory` is set."""

    subscription = DeliverySubscriptionSerializer(read_only=True)
    digest = DigestBriefSerializer(source="run", read_only=True, allow_null=True)
    incident = serializers.SerializerMethodField(
        help_text=_(
            "The id of the incident an immediate alert was about (see /api/v1/incidents/); null when your "
            "own account may not see that incident (`subject_hidden`)."
        ),
    )
    advisory = AdvisoryBriefSerializer(
        source="alert.advisory",
        read_only=True,
        allow_null=True,
        help_text=_("The advisory whose change an immediate alert was about."),
    )
    subject = serializers.SerializerMethodField()
    subject_hidden = serializers.BooleanField(
        read_only=True,
        help_text=_(
            "True when the e-mail was about an incident your own account may not see: its subject, which "
            "quotes the incident's title, is then null."
        ),
    )
    status = serializers.ChoiceField(choices=DeliveryStatus.choices, read_only=True)

    class Meta:
        model = Delivery
        fields = [
            "id",
            "subscription",
            "email",
            "digest",
            "incident",
            "advisory",
            "subject",
            "subject_hidden",
            "status",
            "attempts",
            "last_error",
            "next_attempt_at",
            "sent_at",
            "created_at",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.IntegerField(allow_null=True, read_only=True))
    def get_incident(self, delivery: Delivery) -> int | None:
        # An alert about an incident the reader may not see shows that it went out, not which one.
        if delivery.alert is None or getattr(delivery, "subject_hidden", True):
            return None
        return delivery.alert.incident_id

    @extend_schema_field(serializers.CharField(allow_null=True, read_only=True))
    def get_subject(self, delivery: Delivery) -> str | None:
        # delivery_log decides what is hidden; a subject not yet written is "".
        return None if getattr(delivery, "subject_hidden", False) else delivery.subject
