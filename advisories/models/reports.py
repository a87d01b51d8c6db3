"""Threat ratings, security reports and contact points: what analysts publish about a place
besides its advisory level."""

from __future__ import annotations

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from config.choices import ChoiceLabels
from config.translation import FRENCH_HELP_TEXT, localized

from .places import City, Country, Region, RiskIndicator, Source, TimeStamped


class ThreatLevel(models.IntegerChoices):
    """OSAC's wording for how serious a threat is in a place."""

    LOW = 1, _("LOW")
    MEDIUM = 2, _("MEDIUM")
    HIGH = 3, _("HIGH")
    CRITICAL = 4, _("CRITICAL")


class ThreatCategory(ChoiceLabels):
    slug = models.SlugField(_("slug"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=100, unique=True)
    name_fr = models.CharField(_("name (French)"), max_length=100, blank=True, help_text=FRENCH_HELP_TEXT)
    indicator = models.CharField(
        _("risk indicator"),
        max_length=1,
        choices=RiskIndicator.choices,
        blank=True,
        help_text=_("The advisory indicator letter this category corresponds to, where one exists."),
    )
    description = models.TextField(_("description"), blank=True)
    description_fr = models.TextField(_("description (French)"), blank=True, help_text=FRENCH_HELP_TEXT)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("threat category")
        verbose_name_plural = _("threat categories")

    def __str__(self) -> str:
        # Choice labels (alert subscriptions, incident filters) follow the reader's language.
        return localized(self, "name").text


class ThreatRating(TimeStamped):
    """How serious a category of threat is in a place: a whole country, a region or a city."""

    country = models.ForeignKey(
        Country, on_delete=models.CASCADE, related_name="threat_ratings", verbose_name=_("country")
    )
    region = models.ForeignKey(
        Region, on_delete=models.CASCADE, null=True, blank=True, related_name="threat_ratings", verbose_name=_("region")
    )
    city = models.ForeignKey(
        City, on_delete=models.CASCADE, null=True, blank=True, related_name="threat_ratings", verbose_name=_("city")
    )
    category = models.ForeignKey(
        ThreatCategory, on_delete=models.PROTECT, related_name="ratings", verbose_name=_("category")
    )
    level = models.PositiveSmallIntegerField(_("threat level"), choices=ThreatLevel.choices)
    assessed_on = models.DateField(_("assessed on"))
    source = models.ForeignKey(
        Source, on_delete=models.PROTECT, null=True, blank=True, related_name="threat_ratings", verbose_name=_("source")
    )
    note = models.TextField(_("note"), blank=True)
    note_fr = models.TextField(_("note (French)"), blank=True, help_text=FRENCH_HELP_TEXT)

    class Meta:
        ordering = ["country__name", "category__position"]
        verbose_name = _("threat rating")
        verbose_name_plural = _("threat ratings")
        constraints = [
            models.CheckConstraint(condition=Q(level__gte=1, level__lte=4), name="threat_rating_level_1_to_4"),
            models.UniqueConstraint(
                fields=["country", "category"],
                condition=Q(region__isnull=True, city__isnull=True),
                name="threat_rating_one_per_country_category",
                violation_error_message=_("This country already has a rating in this category."),
            ),
            models.UniqueConstraint(
                fields=["region", "category"],
                condition=Q(region__isnull=False, city__isnull=True),
                name="threat_rating_one_per_region_category",
                violation_error_message=_("This region already has a rating in this category."),
            ),
            models.UniqueConstraint(
                fields=["city", "category"],
                condition=Q(city__isnull=False),
                name="threat_rating_one_per_city_category",
                violation_error_message=_("This city already has a rating in this category."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.place_name}: {self.category} {self.get_level_display()}"

    @property
    def place_name(self) -> str:
        if self.city_id and self.city:
            return self.city.name
        if self.region_id and self.region:
            return self.region.name
        return self.country.name


class SecurityReport(TimeStamped):
    """A country's narrative security report. Its text lives in published revisions."""

    country = models.ForeignKey(
        Country, on_delete=models.CASCADE, related_name="security_reports", verbose_name=_("country")
    )
    title = models.CharField(_("title"), max_length=200)
    title_fr = models.CharField(_("title (French)"), max_length=200, blank=True, help_text=FRENCH_HELP_TEXT)

    class Meta:
        ordering = ["country__name", "title"]
        verbose_name = _("security report")
        verbose_name_plural = _("security reports")
        constraints = [
            models.UniqueConstraint(fields=["country", "title"], name="security_report_unique_title_per_country"),
        ]

    def __str__(self) -> str:
        return self.title


class SecurityReportRevision(TimeStamped):
    report = models.ForeignKey(
        SecurityReport, on_delete=models.CASCADE, related_name="revisions", verbose_name=_("report")
    )
    number = models.PositiveIntegerField(_("revision number"), validators=[MinValueValidator(1)])
    published_at = models.DateTimeField(
        _("published at"), null=True, blank=True, help_text=_("Empty while the revision is a draft.")
    )
    what_changed = models.CharField(_("what changed"), max_length=300)
    source = models.ForeignKey(
        Source,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="report_revisions",
        verbose_name=_("source"),
    )

    class Meta:
        ordering = ["report", "-number"]
        verbose_name = _("report revision")
        verbose_name_plural = _("report revisions")
        constraints = [
            models.UniqueConstraint(fields=["report", "number"], name="report_revision_unique_number"),
            models.CheckConstraint(condition=Q(number__gte=1), name="report_revision_number_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.report} r{self.number}"


class ReportSection(ChoiceLabels):
    class Kind(models.TextChoices):
        CRIME = "crime", _("Crime")
        KIDNAPPING = "kidnapping", _("Kidnapping Threat")
        TERRORISM = "terrorism", _("Terrorism")
        POLITICAL_VIOLENCE = "political_violence", _("Political Violence and Civil Unrest")
        LAW_ENFORCEMENT = "law_enforcement", _("Law Enforcement")
        POLICE_RESPONSE = "police_response", _("Police Response")
        RULE_OF_LAW = "rule_of_law", _("Rule of Law")
        CYBERSECURITY = "cybersecurity", _("Cybersecurity")
        IMPORT_EXPORT = "import_export", _("Import/Export")
        TRANSPORTATION = "transportation", _("Transportation Safety")
        HEALTH = "health", _("Health")
        OTHER = "other", _("Other")

    revision = models.ForeignKey(
        SecurityReportRevision, on_delete=models.CASCADE, related_name="sections", verbose_name=_("revision")
    )
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    heading = models.CharField(_("heading"), max_length=200)
    heading_fr = models.CharField(_("heading (French)"), max_length=200, blank=True, help_text=FRENCH_HELP_TEXT)
    position = models.PositiveSmallIntegerField(_("position"))
    body = models.TextField(_("body"))
    body_fr = models.TextField(_("body (French)"), blank=True, help_text=FRENCH_HELP_TEXT)
    source = models.ForeignKey(
        Source,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="report_sections",
        verbose_name=_("source"),
    )

    class Meta:
        ordering = ["revision", "position"]
        verbose_name = _("report section")
        verbose_name_plural = _("report sections")
        constraints = [
            models.UniqueConstraint(fields=["revision", "position"], name="report_section_unique_position"),
        ]

    def __str__(self) -> str:
        return self.heading


class ContactPoint(TimeStamped):
    class Kind(models.TextChoices):
        EMBASSY = "embassy", _("Embassy")
        CONSULATE = "consulate", _("Consulate")
        POLICE = "police", _("Police")
        AMBULANCE = "ambulance", _("Ambulance")
        FIRE = "fire", _("Fire brigade")
        HOSPITAL = "hospital", _("Hospital")
        NGO_COORDINATION = "ngo_coordination", _("NGO safety coordination")
        COUNTRY_COUNCIL = "country_council", _("Country council")
        OTHER = "other", _("Other")

    country = models.ForeignKey(Country, on_delete=models.CASCADE, related_name="contacts", verbose_name=_("country"))
    region = models.ForeignKey(
        Region, on_delete=models.SET_NULL, null=True, blank=True, related_name="contacts", verbose_name=_("region")
    )
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=200)
    name_fr = models.CharField(_("name (French)"), max_length=200, blank=True, help_text=FRENCH_HELP_TEXT)
    address = models.TextField(_("address"), blank=True)
    phones = models.JSONField(_("phone numbers"), default=list, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    website = models.URLField(_("website"), blank=True)
    hours = models.CharField(_("opening hours"), max_length=200, blank=True)
    hours_fr = models.CharField(_("opening hours (French)"), max_length=200, blank=True, help_text=FRENCH_HELP_TEXT)
    languages = models.CharField(_("languages"), max_length=200, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    notes_fr = models.TextField(_("notes (French)"), blank=True, help_text=FRENCH_HELP_TEXT)
    last_verified_on = models.DateField(_("last verified on"))
    source = models.ForeignKey(
        Source, on_delete=models.PROTECT, null=True, blank=True, related_name="contacts", verbose_name=_("source")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["country__name", "position", "name"]
        verbose_name = _("contact point")
        verbose_name_plural = _("contact points")
        constraints = [
            models.UniqueConstraint(fields=["country", "kind", "name"], name="contact_point_unique_per_country"),
        ]

    def __str__(self) -> str:
        return self.name
