"""What happened, who may see it, and the organisations that log it.

Organisations and their memberships live here rather than in `alerts`, because incidents
need them for their sharing rules and alerts may import incidents but not the reverse.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q, Value
from django.db.models.functions import Cast, Floor
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from advisories.models import Country, Region, Source, ThreatCategory, TimeStamped, latitude_field, longitude_field
from config.choices import ChoiceLabels
from config.translation import FRENCH_HELP_TEXT, language_field, localized

# Imported here, and so registered with the app's other models, and named from here by the rest.
from .audit_models import MembershipChange as MembershipChange
from .audit_models import OperatorRoleChange as OperatorRoleChange
from .audit_models import acted_by_field as acted_by_field
from .risk.models import RiskReview as RiskReview
from .roles import MANAGER_ROLES as MANAGER_ROLES
from .roles import OFFICER_ROLES as OFFICER_ROLES
from .roles import Role as Role

# A long report is a few pages; anything larger is a paste gone wrong and is refused.
DESCRIPTION_MAX_LENGTH = 20_000
# Sources are a line each (a witness, a partner, an article's address); a retraction is said in a paragraph.
SOURCES_MAX_LENGTH = 5_000
RETRACTION_REASON_MAX_LENGTH = 2_000

# The map grid that finds the incidents of a bounding box by index (incidents/api/filters.py):
# cells of a tenth of a degree, numbered row (latitude) by row, each row one cell wider than the
# 3,600 of a full turn so that longitude 180 does not share a number with the next row's -180.
GRID_CELLS_PER_DEGREE = 10
GRID_ROW_WIDTH = 360 * GRID_CELLS_PER_DEGREE + 1


def _grid_index(coordinate: str, offset: int) -> Cast:
    """The cell's row (latitude) or column (longitude): floor((coordinate + offset) * cells per degree)."""
    shifted = (F(coordinate) + Value(offset, output_field=models.DecimalField())) * Value(
        GRID_CELLS_PER_DEGREE, output_field=models.DecimalField()
    )
    return Cast(Floor(shifted), models.IntegerField())


class Organisation(TimeStamped):
    class Kind(models.TextChoices):
        INGO = "ingo", _("International NGO")
        NNGO = "nngo", _("National NGO")
        UN = "un", _("UN agency")
        RED_CROSS = "red_cross", _("Red Cross / Red Crescent")
        COMPANY = "company", _("Company")
        GOVERNMENT = "government", _("Government body")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=200, unique=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.INGO)
    time_zone = models.CharField(
        _("time zone"), max_length=64, default="UTC", help_text=_("An IANA time zone, e.g. Africa/Bamako.")
    )
    partners = models.ManyToManyField(
        "self",
        blank=True,
        symmetrical=True,
        verbose_name=_("partners"),
        help_text=_("Organisations that see this organisation's TLP:AMBER incidents, and whose it sees."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    named_publicly = models.BooleanField(
        _("named as reporter"),
        default=False,
        help_text=_(
            "Show this organisation's name on the incidents it reports to everyone who sees them. Off: only "
            "its own members, analysts and the organisations that see its TLP:GREEN and TLP:AMBER incidents "
            "learn who reported them."
        ),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name


class Membership(TimeStamped):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("user")
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("organisation")
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.READER)

    class Meta:
        ordering = ["organisation__name", "user__username"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation"], name="membership_one_per_user_and_organisation"),
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.organisation} ({self.get_role_display()})"

    @property
    def is_officer(self) -> bool:
        return self.role in OFFICER_ROLES


class AccountSettings(ChoiceLabels):
    """What a person chose for themselves: for now the language of pages after sign-in and of their e-mails."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="account_settings", verbose_name=_("user")
    )
    language = language_field(help_text=_("The language of the pages after signing in, and of the e-mails sent."))
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("account settings")
        verbose_name_plural = _("account settings")

    def __str__(self) -> str:
        return f"{self.user}: {self.language}"


class IncidentType(models.Model):
    """The incident taxonomy. Each type maps to one ACLED event type and sub-event type.

    Several types may map to the same ACLED pair (carjacking and armed robbery are both
    ACLED looting); exactly one of them is the pair's `acled_default`, the type an imported
    ACLED event of that pair gets.
    """

    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=100, unique=True)
    name_fr = models.CharField(_("name (French)"), max_length=100, blank=True, help_text=FRENCH_HELP_TEXT)
    category = models.ForeignKey(
        ThreatCategory, on_delete=models.PROTECT, related_name="incident_types", verbose_name=_("threat category")
    )
    acled_event_type = models.CharField(_("ACLED event type"), max_length=60)
    acled_sub_event_type = models.CharField(_("ACLED sub-event type"), max_length=80)
    acled_default = models.BooleanField(
        _("default for its ACLED pair"),
        default=False,
        help_text=_("Imported ACLED events of this event and sub-event type get this incident type."),
    )
    default_severity = models.PositiveSmallIntegerField(_("default severity"), default=3)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("incident type")
        verbose_name_plural = _("incident types")
        constraints = [
            models.UniqueConstraint(
                fields=["acled_event_type", "acled_sub_event_type"],
                condition=Q(acled_default=True),
                name="incident_type_one_default_per_acled_pair",
            ),
            models.CheckConstraint(
                condition=Q(default_severity__gte=1, default_severity__lte=5),
                name="incident_type_default_severity_1_to_5",
            ),
        ]

    def __str__(self) -> str:
        # Choice labels (alert subscriptions, incident filters) follow the reader's language.
        return localized(self, "name").text


class Actor(TimeStamped):
    class Kind(models.TextChoices):
        VIOLENT_EXTREMIST = "violent_extremist", _("Violent extremist organisation")
        ARMED_GROUP = "armed_group", _("Armed group")
        MILITIA = "militia", _("Communal or ethnic militia")
        CRIMINAL = "criminal", _("Criminal network")
        STATE_FORCES = "state_forces", _("State forces")
        FOREIGN_FORCES = "foreign_forces", _("Foreign forces")
        PROTESTERS = "protesters", _("Protesters or rioters")
        CIVILIANS = "civilians", _("Civilians")
        OTHER = "other", _("Other")
        UNKNOWN = "unknown", _("Unknown")

    name = models.CharField(_("name"), max_length=200, unique=True)
    aliases = models.JSONField(
        _("aliases"), default=list, blank=True, help_text=_("Other names and spellings, e.g. in ACLED or the press.")
    )
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices, default=Kind.UNKNOWN)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("actor")
        verbose_name_plural = _("actors")

    def __str__(self) -> str:
        return self.name


class TargetType(models.Model):
    """Who was hit: NGO staff, foreigners, security forces, civilians..."""

    slug = models.SlugField(_("slug"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=100, unique=True)
    name_fr = models.CharField(_("name (French)"), max_length=100, blank=True, help_text=FRENCH_HELP_TEXT)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("target type")
        verbose_name_plural = _("target types")

    def __str__(self) -> str:
        # Choice labels (alert subscriptions, incident filters) follow the reader's language.
        return localized(self, "name").text


class SharingLevel(models.TextChoices):
    """Traffic Light Protocol 2.0, as Vigil applies it."""

    CLEAR = "clear", _("TLP:CLEAR")
    GREEN = "green", _("TLP:GREEN")
    AMBER = "amber", _("TLP:AMBER")
    AMBER_STRICT = "amber_strict", _("TLP:AMBER+STRICT")
    RED = "red", _("TLP:RED")


SHARING_LEVEL_EXPLANATIONS = {
    SharingLevel.CLEAR: _("Public: anyone may see it once published."),
    SharingLevel.GREEN: _("Every registered organisation's members."),
    SharingLevel.AMBER: _("The reporting organisation and its partner organisations."),
    SharingLevel.AMBER_STRICT: _("The reporting organisation only."),
    SharingLevel.RED: _("The reporter and their organisation's security officers only."),
}


class ReviewStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    VERIFIED = "verified", _("Verified")
    PUBLISHED = "published", _("Published")
    RETRACTED = "retracted", _("Retracted")


class DatePrecision(models.TextChoices):
    DAY = "day", _("Exact day")
    WEEK = "week", _("Within a week")
    MONTH = "month", _("Within a month")
    YEAR = "year", _("Within a year")


class LocationPrecision(models.TextChoices):
    EXACT = "exact", _("Exact place")
    NEAR = "near", _("Near the place named")
    REGION = "region", _("Somewhere in the region")
    COUNTRY = "country", _("Somewhere in the country")


class Incident(TimeStamped):
    # What
    title = models.CharField(_("title"), max_length=200)
    incident_type = models.ForeignKey(
        IncidentType, on_delete=models.PROTECT, related_name="incidents", verbose_name=_("type")
    )
    description = models.TextField(
        _("description"), blank=True, validators=[MaxLengthValidator(DESCRIPTION_MAX_LENGTH)]
    )
    severity = models.PositiveSmallIntegerField(
        _("severity"),
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text=_("1 minor, 2 moderate, 3 serious, 4 severe, 5 critical (mass casualties or hostages)."),
    )
    # When
    occurred_on = models.DateField(_("date"))
    occurred_at_time = models.TimeField(_("local time"), null=True, blank=True)
    date_precision = models.CharField(
        _("date precision"), max_length=10, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    # Where
    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="incidents", verbose_name=_("country"))
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, null=True, blank=True, related_name="incidents", verbose_name=_("region")
    )
    place_name = models.CharField(_("place"), max_length=200, blank=True)
    latitude = latitude_field()
    longitude = longitude_field()
    # Kept by the database from the coordinates, whoever writes them (forms, API, importers, SQL).
    grid_cell = models.GeneratedField(
        expression=_grid_index("latitude", 90) * GRID_ROW_WIDTH + _grid_index("longitude", 180),
        output_field=models.IntegerField(null=True),
        db_persist=True,
        verbose_name=_("map grid cell"),
    )
    location_precision = models.CharField(
        _("location precision"), max_length=10, choices=LocationPrecision.choices, default=LocationPrecision.EXACT
    )
    # Who
    actors: models.ManyToManyField[Actor, IncidentActor] = models.ManyToManyField(
        Actor, through="IncidentActor", blank=True, related_name="incidents", verbose_name=_("actors")
    )
    target_types = models.ManyToManyField(
        TargetType, blank=True, related_name="incidents", verbose_name=_("who was hit")
    )
    # Impact
    # Empty when not known: "not stated" is not zero, and sums must not count it as none.
    killed = models.PositiveIntegerField(_("killed"), null=True, blank=True, help_text=_("Empty when not known."))
    injured = models.PositiveIntegerField(_("injured"), null=True, blank=True, help_text=_("Empty when not known."))
    abducted = models.PositiveIntegerField(_("abducted"), null=True, blank=True, help_text=_("Empty when not known."))
    # Provenance
    sources = models.TextField(
        _("sources"),
        blank=True,
        help_text=_("Where this account comes from: one per line."),
        validators=[MaxLengthValidator(SOURCES_MAX_LENGTH)],
    )
    source_document = models.ForeignKey(
        Source,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="incidents",
        verbose_name=_("source document"),
    )
    external_source = models.CharField(_("external source"), max_length=20, blank=True)
    external_id = models.CharField(_("external id"), max_length=64, blank=True)
    # What an importer repaired in the source's row to import it, one sentence each
    # ("latitude 15.343.726 read as 15.343726"), and the values it did not know, by field, in the
    # source's own words ({"means of attack": "Detention/arrest"}): what was imported in their place
    # is on the incident, what the source said stays readable.
    import_repairs = models.JSONField(_("import repairs"), default=list, blank=True)
    source_terms = models.JSONField(_("source's own terms"), default=dict, blank=True)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="incidents",
        verbose_name=_("reporting organisation"),
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reported_incidents",
        verbose_name=_("reporter"),
    )
    # Sharing and review
    sharing_level = models.CharField(
        _("sharing level"), max_length=15, choices=SharingLevel.choices, default=SharingLevel.AMBER
    )
    status = models.CharField(
        _("review status"), max_length=10, choices=ReviewStatus.choices, default=ReviewStatus.SUBMITTED
    )
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    verified_by = acted_by_field(_("verified by"))
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = acted_by_field(_("published by"))
    retracted_at = models.DateTimeField(_("retracted at"), null=True, blank=True)
    retracted_by = acted_by_field(_("retracted by"))
    retraction_reason = models.TextField(
        _("retraction reason"), blank=True, validators=[MaxLengthValidator(RETRACTION_REASON_MAX_LENGTH)]
    )
    # A retried submission (a form sent twice, an API call repeated after a timeout) names the
    # incident it already created: the form's hidden token or the API's Idempotency-Key.
    submission_key = models.CharField(_("submission key"), max_length=100, blank=True, editable=False)
    submission_digest = models.CharField(
        _("submission fingerprint"),
        max_length=64,
        blank=True,
        editable=False,
        help_text=_("Of what was submitted with the key: the same key with other values is refused."),
    )

    class Meta:
        ordering = ["-occurred_on", "-id"]
        verbose_name = _("incident")
        verbose_name_plural = _("incidents")
        permissions = [
            # The platform operator's role: granted deliberately (the grant is an audited change of
            # the user), never implied by being a superuser. See incidents/access.py.
            ("view_all_incidents", _("Can see every incident, whatever its sharing level (platform operator)")),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(severity__gte=1, severity__lte=5), name="incident_severity_1_to_5"),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True) | Q(latitude__gte=-90, latitude__lte=90),
                name="incident_latitude_in_range",
            ),
            models.CheckConstraint(
                condition=Q(longitude__isnull=True) | Q(longitude__gte=-180, longitude__lte=180),
                name="incident_longitude_in_range",
            ),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(latitude__isnull=False, longitude__isnull=False),
                name="incident_coordinates_both_or_neither",
            ),
            models.CheckConstraint(
                condition=Q(sharing_level__in=SharingLevel.values), name="incident_sharing_level_valid"
            ),
            models.CheckConstraint(condition=Q(status__in=ReviewStatus.values), name="incident_status_valid"),
            models.UniqueConstraint(
                fields=["external_source", "external_id"],
                condition=~Q(external_id=""),
                name="incident_unique_external_identity",
            ),
            models.UniqueConstraint(
                fields=["reporter", "submission_key"],
                condition=~Q(submission_key=""),
                name="incident_unique_submission",
            ),
        ]
        indexes = [
            # The country and region incident lists: newest first within a place.
            models.Index(fields=["country", "-occurred_on"], name="incident_country_date"),
            models.Index(fields=["region", "-occurred_on"], name="incident_region_date"),
            # The public lists read only published TLP:CLEAR incidents.
            models.Index(
                fields=["country", "-occurred_on"],
                condition=Q(status="published", sharing_level="clear"),
                name="incident_public_country_date",
            ),
            # The risk index (incidents/risk/compute.py) aggregates every public incident of a
            # country over the last horizon: with the columns it reads included, that read is an
            # index-only scan instead of a visit to a third of the table's pages (PostgreSQL); the
            # place names too, for the window's "where most happened".
            models.Index(
                fields=["country", "occurred_on"],
                include=["id", "region", "severity", "incident_type", "killed", "injured", "abducted", "place_name"],
                condition=Q(status="published", sharing_level="clear"),
                name="incident_public_risk",
            ),
            # The lists of signed-in users across countries, newest first: the columns the access
            # rule reads are included so that a page's ids and the count are index-only scans
            # (PostgreSQL; other databases ignore INCLUDE).
            models.Index(
                fields=["-occurred_on", "-id"],
                include=["sharing_level", "status", "organisation", "reporter"],
                name="incident_date_visibility",
            ),
            # The API's list by date (incidents/api/filters.py): the public incidents of a range of
            # dates, whose newest ids are then sorted out of that range.
            models.Index(
                fields=["occurred_on", "id"],
                condition=Q(status="published", sharing_level="clear"),
                name="incident_public_date_id",
            ),
            # The API's bounding box: the cells of the map grid it covers, then the exact test; and
            # for a box where many public incidents happen, the newest of them by id, tested on the
            # index's own columns (an index-only scan that stops at the page's end, PostgreSQL).
            models.Index(fields=["grid_cell"], condition=Q(grid_cell__isnull=False), name="incident_grid_cell"),
            # The same for public incidents: alone, PostgreSQL ANDs the cells' bitmap with one of
            # every public incident (320,000 entries at a million incidents, 30 ms).
            models.Index(
                fields=["grid_cell"],
                condition=Q(status="published", sharing_level="clear", grid_cell__isnull=False),
                name="incident_public_grid_cell",
            ),
            models.Index(
                fields=["id"],
                include=["grid_cell", "latitude", "longitude"],
                condition=Q(status="published", sharing_level="clear", grid_cell__isnull=False),
                name="incident_public_placed_id",
            ),
            # The analysts' review queue.
            models.Index(fields=["status", "-created_at"], name="incident_status_created"),
            models.Index(fields=["organisation", "-occurred_on"], name="incident_org_date"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("incidents:detail", kwargs={"pk": self.pk})


class IncidentActor(ChoiceLabels):
    """An actor's part in an incident. ACLED's dyadic rows name two sides and their allies."""

    class Role(models.TextChoices):
        PERPETRATOR = "perpetrator", _("Perpetrator")
        TARGET = "target", _("Target")
        INVOLVED = "involved", _("Involved")

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="actor_links")
    actor = models.ForeignKey(Actor, on_delete=models.PROTECT, related_name="incident_links")
    role = models.CharField(_("role"), max_length=12, choices=Role.choices, default=Role.PERPETRATOR)

    class Meta:
        ordering = ["incident", "role", "actor__name"]
        verbose_name = _("incident actor")
        verbose_name_plural = _("incident actors")
        constraints = [
            models.UniqueConstraint(fields=["incident", "actor", "role"], name="incident_actor_unique_role"),
        ]

    def __str__(self) -> str:
        return f"{self.actor} ({self.get_role_display()})"


# Models of this app kept in modules of their own; importing them here registers them with the app.
from .api_tokens import ApiToken  # noqa: E402, F401
from .corrections import IncidentCorrection  # noqa: E402, F401
