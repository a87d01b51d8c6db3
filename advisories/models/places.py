"""Places, the documents facts come from, and the advisory level of each place.

A *place* is a country, one of its first-level regions, or a city. The querysets here are the
one place that reads the rule "one current advisory per place".
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any, TypeVar

from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Case, CharField, Exists, F, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Length, Upper
from django.db.models.lookups import Exact
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from config.choices import ChoiceLabels
from config.translation import FRENCH_HELP_TEXT

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


class TimeStamped(ChoiceLabels):
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


# The current advisory ------------------------------------------------------------------------
#
# The database keeps at most one current advisory per country as a whole (region empty) and one
# per region (the constraints on Advisory); every read of "the current advisory" goes through
# these querysets.

_Q = TypeVar("_Q", bound=models.QuerySet[Any])


def _with_first_advisory(queryset: _Q, advisories: AdvisoryQuerySet) -> _Q:
    """The level, indicators and date of the first of `advisories`, as current_* annotations."""
    return queryset.annotate(
        current_level=Subquery(advisories.values("level")[:1]),
        current_indicators=Subquery(advisories.values("indicators")[:1]),
        current_issued_on=Subquery(advisories.values("issued_on")[:1]),
    )


class AdvisoryQuerySet(models.QuerySet["Advisory"]):
    def current(self) -> AdvisoryQuerySet:
        """The advisories in force: at most one per country as a whole and one per region."""
        return self.filter(is_current=True)

    def country_wide(self, country: Any) -> AdvisoryQuerySet:
        """The advisories of the country as a whole (a country, an id or an OuterRef)."""
        return self.filter(country=country, region__isnull=True)

    def of_region(self, region: Any) -> AdvisoryQuerySet:
        return self.filter(region=region)

    def of_place(self, country: Any, region: Any = None) -> AdvisoryQuerySet:
        """The advisories of exactly this place: the region's own, or the whole country's when
        `region` is None."""
        return self.country_wide(country) if region is None else self.of_region(region)

    def applying_to(self, region: Any, country: Any) -> AdvisoryQuerySet:
        """The region's current advisory first, then its country's: the first one applies."""
        return (
            self.current()
            .filter(Q(region=region) | Q(country=country, region__isnull=True))
            .order_by(F("region").asc(nulls_last=True))
        )


class CountryQuerySet(models.QuerySet["Country"]):
    def with_current_level(self) -> CountryQuerySet:
        """Annotates the current country-wide advisory's `current_level`, `current_indicators` and
        `current_issued_on` (nulls when none is published)."""
        return _with_first_advisory(self, Advisory.objects.current().country_wide(OuterRef("pk")))


class RegionQuerySet(models.QuerySet["Region"]):
    def with_own_level(self) -> RegionQuerySet:
        """Annotates the region's own current advisory as current_* (nulls when it has none)."""
        return _with_first_advisory(self, Advisory.objects.current().of_region(OuterRef("pk")))

    def with_current_level(self) -> RegionQuerySet:
        """Annotates the advisory that applies to each region as current_*: its own, else its
        country's; and `level_from` ("region", "country" or null) saying whose it is."""
        own = Advisory.objects.current().of_region(OuterRef("pk"))
        applying = Advisory.objects.applying_to(OuterRef("pk"), OuterRef("country"))
        return _with_first_advisory(self, applying).annotate(
            level_from=Case(
                When(Exists(own), then=Value("region")),
                When(current_level__isnull=False, then=Value("country")),
                default=None,
                output_field=CharField(),
            )
        )


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

    objects = CountryQuerySet.as_manager()

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

    objects = RegionQuerySet.as_manager()

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
    summary_fr = models.TextField(_("summary (French)"), blank=True, help_text=FRENCH_HELP_TEXT)
    justification = models.TextField(
        _("justification"),
        blank=True,
        help_text=_(
            "Why the level differs from the level the risk index suggests. Required when they are 2 or more "
            "levels apart."
        ),
    )
    source = models.ForeignKey(
        Source, on_delete=models.PROTECT, null=True, blank=True, related_name="advisories", verbose_name=_("source")
    )
    issued_on = models.DateField(_("issued on"))
    is_current = models.BooleanField(_("current"), default=True)

    objects = AdvisoryQuerySet.as_manager()

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
