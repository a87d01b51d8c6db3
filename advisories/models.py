"""What is known about a place, as analysts publish it.

A *place* is a country, one of its first-level regions, or a city. Every published fact
(an advisory level, a threat rating, a contact, a report section, a crime score) names the
source document it comes from, so a reader can see who said it and when.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Length, Upper
from django.db.models.lookups import Exact
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def latitude_field() -> models.DecimalField:
    """Optional WGS 84 latitude, to about a metre."""
    return models.DecimalField(
        _("latitude"),
        max_digits=8,
        decimal_places=5,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(-90)), MaxValueValidator(Decimal(90))],
    )


def longitude_field() -> models.DecimalField:
    """Optional WGS 84 longitude, to about a metre."""
    return models.DecimalField(
        _("longitude"),
        max_digits=8,
        decimal_places=5,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(-180)), MaxValueValidator(Decimal(180))],
    )


class TimeStamped(models.Model):
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True


class AdvisoryLevel(models.IntegerChoices):
    """The U.S. State Department's four travel advisory levels."""

    NORMAL_PRECAUTIONS = 1, _("Exercise Normal Precautions")
    INCREASED_CAUTION = 2, _("Exercise Increased Caution")
    RECONSIDER_TRAVEL = 3, _("Reconsider Travel")
    DO_NOT_TRAVEL = 4, _("Do Not Travel")


class RiskIndicator(models.TextChoices):
    """The letters a travel advisory uses to say why its level is what it is."""

    CRIME = "C", _("Crime")
    TERRORISM = "T", _("Terrorism")
    CIVIL_UNREST = "U", _("Civil unrest")
    HEALTH = "H", _("Health")
    NATURAL_DISASTER = "N", _("Natural disaster")
    TIME_LIMITED_EVENT = "E", _("Time-limited event")
    KIDNAPPING = "K", _("Kidnapping or hostage taking")
    WRONGFUL_DETENTION = "D", _("Wrongful detention")
    OTHER = "O", _("Other")


RISK_INDICATOR_EXPLANATIONS: dict[str, StrOrPromise] = {
    RiskIndicator.CRIME: _(
        "Widespread violent or organized crime is present, and local police may have limited "
        "ability to respond to serious crimes."
    ),
    RiskIndicator.TERRORISM: _(
        "Terrorist attacks have occurred or specific threats against civilians, tourist "
        "destinations, transport hubs, markets or government buildings exist."
    ),
    RiskIndicator.CIVIL_UNREST: _(
        "Political, economic, religious or ethnic instability may cause violence or disruption."
    ),
    RiskIndicator.HEALTH: _("Health risks, such as an outbreak or a weak health system, are present."),
    RiskIndicator.NATURAL_DISASTER: _("A natural disaster or its aftermath poses a danger."),
    RiskIndicator.TIME_LIMITED_EVENT: _(
        "A short-term event, such as an election or a major gathering, may pose a risk."
    ),
    RiskIndicator.KIDNAPPING: _(
        "Criminal or terrorist groups have seized or held people, including foreigners, to "
        "obtain a ransom or a concession."
    ),
    RiskIndicator.WRONGFUL_DETENTION: _("The authorities may detain foreign nationals arbitrarily or as leverage."),
    RiskIndicator.OTHER: _("Another risk is present; the advisory's text explains it."),
}

_INDICATOR_LETTERS = "".join(RiskIndicator.values)
indicators_validator = RegexValidator(
    rf"^[{_INDICATOR_LETTERS}]*$",
    _("Use only the indicator letters %(letters)s.") % {"letters": ", ".join(RiskIndicator.values)},
)


class ThreatLevel(models.IntegerChoices):
    """OSAC's wording for how serious a threat is in a place."""

    LOW = 1, _("LOW")
    MEDIUM = 2, _("MEDIUM")
    HIGH = 3, _("HIGH")
    CRITICAL = 4, _("CRITICAL")


class Source(TimeStamped):
    """A document that facts are taken from: a report, a profile, a web page, a data set."""

    class Kind(models.TextChoices):
        REPORT = "report", _("Report")
        PROFILE = "profile", _("Profile")
        WEB_PAGE = "web_page", _("Web page")
        ARTICLE = "article", _("Article")
        DATASET = "dataset", _("Data set")

    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    title = models.CharField(_("title"), max_length=300)
    publisher = models.CharField(_("publisher"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    url = models.URLField(_("URL"), blank=True)
    published_on = models.DateField(_("published on"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["-published_on", "title"]
        verbose_name = _("source")
        verbose_name_plural = _("sources")

    def __str__(self) -> str:
        if self.published_on:
            return f"{self.publisher}: {self.title} ({self.published_on:%Y-%m-%d})"
        return f"{self.publisher}: {self.title}"


class Country(TimeStamped):
    code = models.CharField(
        _("ISO 3166-1 alpha-2 code"),
        max_length=2,
        unique=True,
        validators=[RegexValidator(r"^[A-Z]{2}$", _("Use two capital letters, e.g. ML."))],
    )
    alpha3 = models.CharField(_("ISO 3166-1 alpha-3 code"), max_length=3, unique=True)
    numeric = models.CharField(_("ISO 3166-1 numeric code"), max_length=3, blank=True)
    name = models.CharField(_("name"), max_length=100)
    official_name = models.CharField(_("official name"), max_length=200, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("country")
        verbose_name_plural = _("countries")
        constraints = [
            models.CheckConstraint(
                condition=Q(Exact(Length("code"), 2), code=Upper("code")), name="country_code_is_alpha2"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("advisories:country", kwargs={"country_code": self.code.lower()})


class Region(TimeStamped):
    """A first-level subdivision of a country (ISO 3166-2)."""

    country = models.ForeignKey(Country, on_delete=models.CASCADE, related_name="regions", verbose_name=_("country"))
    code = models.CharField(_("ISO 3166-2 code"), max_length=10, unique=True)
    name = models.CharField(_("name"), max_length=150)
    kind = models.CharField(_("subdivision type"), max_length=80, blank=True)

    class Meta:
        ordering = ["country__name", "name"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    def get_absolute_url(self) -> str:
        return reverse(
            "advisories:region",
            kwargs={"country_code": self.code.split("-")[0].lower(), "region_code": self.code.lower()},
        )


class RegionBoundary(models.Model):
    """A region's outline, kept in a table of its own so that reading regions (and joining
    them to incidents) never drags tens of kilobytes of coordinates along."""

    region = models.OneToOneField(
        Region, on_delete=models.CASCADE, primary_key=True, related_name="boundary", verbose_name=_("region")
    )
    geometry = models.JSONField(_("GeoJSON geometry"))
    attribution = models.CharField(_("attribution"), max_length=200, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("region boundary")
        verbose_name_plural = _("region boundaries")

    def __str__(self) -> str:
        return str(self.region)


class City(TimeStamped):
    country = models.ForeignKey(Country, on_delete=models.CASCADE, related_name="cities", verbose_name=_("country"))
    region = models.ForeignKey(
        Region, on_delete=models.SET_NULL, null=True, blank=True, related_name="cities", verbose_name=_("region")
    )
    name = models.CharField(_("name"), max_length=150)
    latitude = latitude_field()
    longitude = longitude_field()

    class Meta:
        ordering = ["name"]
        verbose_name = _("city")
        verbose_name_plural = _("cities")
        constraints = [
            models.UniqueConstraint(fields=["country", "name"], name="city_unique_name_per_country"),
        ]

    def __str__(self) -> str:
        return self.name


class Advisory(TimeStamped):
    """A travel advisory level with its risk indicators, for a country or one of its regions.

    History is kept: setting a new level marks the previous advisory as no longer current.
    The database allows one current advisory per country (region empty) and per region.
    """

    country = models.ForeignKey(Country, on_delete=models.CASCADE, related_name="advisories", verbose_name=_("country"))
    region = models.ForeignKey(
        Region, on_delete=models.CASCADE, null=True, blank=True, related_name="advisories", verbose_name=_("region")
    )
    level = models.PositiveSmallIntegerField(_("level"), choices=AdvisoryLevel.choices)
    indicators = models.CharField(
        _("risk indicators"),
        max_length=9,
        blank=True,
        validators=[indicators_validator],
        help_text=_("Indicator letters, e.g. CTK for crime, terrorism and kidnapping."),
    )
    summary = models.TextField(_("summary"), blank=True, help_text=_("Why the place has this level, in plain words."))
    source = models.ForeignKey(
        Source, on_delete=models.PROTECT, null=True, blank=True, related_name="advisories", verbose_name=_("source")
    )
    issued_on = models.DateField(_("issued on"))
    is_current = models.BooleanField(_("current"), default=True)

    class Meta:
        ordering = ["country__name", "region__name", "-issued_on"]
        verbose_name = _("advisory")
        verbose_name_plural = _("advisories")
        constraints = [
            models.CheckConstraint(condition=Q(level__gte=1, level__lte=4), name="advisory_level_1_to_4"),
            models.UniqueConstraint(
                fields=["country"],
                condition=Q(region__isnull=True, is_current=True),
                name="advisory_one_current_per_country",
                violation_error_message=_(
                    "This country already has a current advisory; mark that one not current first."
                ),
            ),
            models.UniqueConstraint(
                fields=["region"],
                condition=Q(region__isnull=False, is_current=True),
                name="advisory_one_current_per_region",
                violation_error_message=_(
                    "This region already has a current advisory; mark that one not current first."
                ),
            ),
        ]
        indexes = [
            # Serves "the current advisories of a country and its regions" on every country page.
            models.Index(fields=["country", "is_current"], name="advisory_country_current"),
        ]

    def __str__(self) -> str:
        place = self.region.name if self.region_id and self.region else self.country.name
        return f"{place}: level {self.level}"

    @property
    def indicator_list(self) -> list[RiskIndicator]:
        return [RiskIndicator(letter) for letter in self.indicators]


class ThreatCategory(models.Model):
    slug = models.SlugField(_("slug"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=100, unique=True)
    indicator = models.CharField(
        _("risk indicator"),
        max_length=1,
        choices=RiskIndicator.choices,
        blank=True,
        help_text=_("The advisory indicator letter this category corresponds to, where one exists."),
    )
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("threat category")
        verbose_name_plural = _("threat categories")

    def __str__(self) -> str:
        return self.name


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


class ReportSection(models.Model):
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
    position = models.PositiveSmallIntegerField(_("position"))
    body = models.TextField(_("body"))
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
    address = models.TextField(_("address"), blank=True)
    phones = models.JSONField(_("phone numbers"), default=list, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    website = models.URLField(_("website"), blank=True)
    hours = models.CharField(_("opening hours"), max_length=200, blank=True)
    languages = models.CharField(_("languages"), max_length=200, blank=True)
    notes = models.TextField(_("notes"), blank=True)
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


class CrimeIndicator(models.TextChoices):
    """The criminal markets, criminal actors and resilience indicators of the GI-TOC index."""

    HUMAN_TRAFFICKING = "human_trafficking", _("Human trafficking")
    HUMAN_SMUGGLING = "human_smuggling", _("Human smuggling")
    EXTORTION = "extortion", _("Extortion and protection racketeering")
    ARMS_TRAFFICKING = "arms_trafficking", _("Arms trafficking")
    COUNTERFEIT_GOODS = "counterfeit_goods", _("Trade in counterfeit goods")
    ILLICIT_EXCISE_GOODS = "illicit_excise_goods", _("Illicit trade in excisable goods")
    FLORA_CRIMES = "flora_crimes", _("Flora crimes")
    FAUNA_CRIMES = "fauna_crimes", _("Fauna crimes")
    NON_RENEWABLE_RESOURCES = "non_renewable_resources", _("Non-renewable resource crimes")
    HEROIN = "heroin", _("Heroin trade")
    COCAINE = "cocaine", _("Cocaine trade")
    CANNABIS = "cannabis", _("Cannabis trade")
    SYNTHETIC_DRUGS = "synthetic_drugs", _("Synthetic drug trade")
    CYBER_DEPENDENT_CRIMES = "cyber_dependent_crimes", _("Cyber-dependent crimes")
    FINANCIAL_CRIMES = "financial_crimes", _("Financial crimes")
    MAFIA_STYLE_GROUPS = "mafia_style_groups", _("Mafia-style groups")
    CRIMINAL_NETWORKS = "criminal_networks", _("Criminal networks")
    STATE_EMBEDDED_ACTORS = "state_embedded_actors", _("State-embedded actors")
    FOREIGN_ACTORS = "foreign_actors", _("Foreign actors")
    PRIVATE_SECTOR_ACTORS = "private_sector_actors", _("Private sector actors")
    POLITICAL_LEADERSHIP = "political_leadership", _("Political leadership and governance")
    GOVERNMENT_TRANSPARENCY = "government_transparency", _("Government transparency and accountability")
    INTERNATIONAL_COOPERATION = "international_cooperation", _("International cooperation")
    NATIONAL_POLICIES = "national_policies", _("National policies and laws")
    JUDICIAL_SYSTEM = "judicial_system", _("Judicial system and detention")
    LAW_ENFORCEMENT = "law_enforcement", _("Law enforcement")
    TERRITORIAL_INTEGRITY = "territorial_integrity", _("Territorial integrity")
    ANTI_MONEY_LAUNDERING = "anti_money_laundering", _("Anti-money laundering")
    ECONOMIC_REGULATORY_CAPACITY = "economic_regulatory_capacity", _("Economic regulatory capacity")
    VICTIM_WITNESS_SUPPORT = "victim_witness_support", _("Victim and witness support")
    PREVENTION = "prevention", _("Prevention")
    NON_STATE_ACTORS = "non_state_actors", _("Non-state actors")


class CrimePillar(models.TextChoices):
    CRIMINAL_MARKETS = "markets", _("Criminal markets")
    CRIMINAL_ACTORS = "actors", _("Criminal actors")
    RESILIENCE = "resilience", _("Resilience")


_ACTORS = {
    "mafia_style_groups",
    "criminal_networks",
    "state_embedded_actors",
    "foreign_actors",
    "private_sector_actors",
}
_RESILIENCE = {
    "political_leadership",
    "government_transparency",
    "international_cooperation",
    "national_policies",
    "judicial_system",
    "law_enforcement",
    "territorial_integrity",
    "anti_money_laundering",
    "economic_regulatory_capacity",
    "victim_witness_support",
    "prevention",
    "non_state_actors",
}


def crime_indicator_pillar(indicator: str) -> CrimePillar:
    if indicator in _ACTORS:
        return CrimePillar.CRIMINAL_ACTORS
    if indicator in _RESILIENCE:
        return CrimePillar.RESILIENCE
    return CrimePillar.CRIMINAL_MARKETS


_SCORE_VALIDATORS = [MinValueValidator(Decimal(1)), MaxValueValidator(Decimal(10))]


def _score_field(label: StrOrPromise) -> models.DecimalField:
    return models.DecimalField(
        label,
        max_digits=4,
        decimal_places=2,
        null=True,
        blank=True,
        validators=_SCORE_VALIDATORS,
        help_text=_("1 to 10, only where the source gives it."),
    )


def _score_between_1_and_10(field: str, name: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(**{f"{field}__isnull": True}) | Q(**{f"{field}__gte": 1, f"{field}__lte": 10}), name=name
    )


class CrimeProfile(TimeStamped):
    """An edition of the Global Organized Crime Index profile of a country."""

    country = models.ForeignKey(
        Country, on_delete=models.CASCADE, related_name="crime_profiles", verbose_name=_("country")
    )
    edition = models.PositiveSmallIntegerField(_("edition (year)"))
    source = models.ForeignKey(
        Source, on_delete=models.PROTECT, related_name="crime_profiles", verbose_name=_("source")
    )
    summary = models.TextField(_("summary"), blank=True)
    criminality_score = _score_field(_("criminality score"))
    criminal_markets_score = _score_field(_("criminal markets score"))
    criminal_actors_score = _score_field(_("criminal actors score"))
    resilience_score = _score_field(_("resilience score"))

    class Meta:
        ordering = ["country__name", "-edition"]
        verbose_name = _("organized-crime profile")
        verbose_name_plural = _("organized-crime profiles")
        constraints = [
            models.UniqueConstraint(fields=["country", "edition"], name="crime_profile_one_per_edition"),
            _score_between_1_and_10("criminality_score", "crime_profile_criminality_1_to_10"),
            _score_between_1_and_10("criminal_markets_score", "crime_profile_markets_1_to_10"),
            _score_between_1_and_10("criminal_actors_score", "crime_profile_actors_1_to_10"),
            _score_between_1_and_10("resilience_score", "crime_profile_resilience_1_to_10"),
        ]

    def __str__(self) -> str:
        return f"{self.country} {self.edition}"


class CrimeIndicatorAssessment(models.Model):
    """One market, actor type or resilience indicator in a profile: a summary, and a score if given."""

    profile = models.ForeignKey(
        CrimeProfile, on_delete=models.CASCADE, related_name="assessments", verbose_name=_("profile")
    )
    indicator = models.CharField(_("indicator"), max_length=40, choices=CrimeIndicator.choices)
    score = _score_field(_("score"))
    summary = models.TextField(_("summary"), blank=True)

    class Meta:
        ordering = ["profile", "indicator"]
        verbose_name = _("crime indicator assessment")
        verbose_name_plural = _("crime indicator assessments")
        constraints = [
            models.UniqueConstraint(fields=["profile", "indicator"], name="crime_assessment_one_per_indicator"),
            _score_between_1_and_10("score", "crime_assessment_score_1_to_10"),
        ]

    def __str__(self) -> str:
        return f"{self.profile}: {self.get_indicator_display()}"

    @property
    def pillar(self) -> CrimePillar:
        return crime_indicator_pillar(self.indicator)
