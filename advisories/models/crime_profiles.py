"""Organized-crime profiles: the Global Organized Crime Index's editions for a country, with a
summary and, where the source gives it, a score for each criminal market, actor type and
resilience indicator."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from config.choices import ChoiceLabels
from config.translation import FRENCH_HELP_TEXT

from .places import Country, Source, TimeStamped

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


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
    summary_fr = models.TextField(_("summary (French)"), blank=True, help_text=FRENCH_HELP_TEXT)
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


class CrimeIndicatorAssessment(ChoiceLabels):
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
