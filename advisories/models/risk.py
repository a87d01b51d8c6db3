"""The risk index of a place, computed from its incidents, kept as history.

The index is computed in `incidents.risk` (incidents depend on advisories, not the reverse); it is
stored here, beside the places and their published levels, so that pages, the API and the
publishing rules of advisories can read it without importing incidents.

One row is one computation of one place (a country, or one of its regions) that changed something:
its index, its suggested level or its published level. The latest row of a place is `is_current`.

`breakdown` says where the index comes from, in numbers the explanation on the pages is written from
(schema version 1; every count is over published TLP:CLEAR incidents of the place):

    {
      "version": 1,
      "window_days": 90,               # the window counted in the explanation
      "incidents": 14,                 # incidents in the window
      "by_category": {"kidnapping": 3, "terrorism": 9},   # threat category slug -> incidents
      "killed": 41, "injured": 12, "abducted": 5,         # sums of the known counts in the window
      "killed_unknown": 2, "injured_unknown": 6, "abducted_unknown": 9,   # incidents whose count is not known
      "targeted": {"aid_workers": 2, "foreigners": 1, "members_kind": 1}, # incidents with such targets
      "previous_index": 23,            # the index as it was one window earlier (null: no data then)
      "change": 18,                    # index - previous_index (null when previous_index is null)
      "top_places": [["Sévaré-Bandiagara road", 6], ["Mopti", 3]],   # place names with most incidents
      "components": {"severity": 31.5, "casualties": 12.0, "targets": 4.2},  # weighted contributions
      "weights_version": 1             # incidents.risk.weights.WEIGHTS.version used
    }
"""

from __future__ import annotations

from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from config.choices import ChoiceLabels

from .places import AdvisoryLevel, Country, Region

# The index's upper bounds (exclusive) of levels 1, 2 and 3; level 4 above the last. The risk
# weights (incidents.risk.weights) suggest levels by them, and the pages draw them as bands.
RISK_LEVEL_BOUNDS: tuple[int, int, int] = (25, 50, 75)


class RiskAssessmentQuerySet(models.QuerySet["RiskAssessment"]):
    def current(self) -> RiskAssessmentQuerySet:
        return self.filter(is_current=True)

    def of_country(self, country: Country) -> RiskAssessmentQuerySet:
        """The country's own rows (not its regions')."""
        return self.filter(country=country, region__isnull=True)

    def of_region(self, region: Region) -> RiskAssessmentQuerySet:
        return self.filter(region=region)


class RiskAssessment(ChoiceLabels):
    country = models.ForeignKey(
        Country, on_delete=models.CASCADE, related_name="risk_assessments", verbose_name=_("country")
    )
    region = models.ForeignKey(
        Region,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="risk_assessments",
        verbose_name=_("region"),
        help_text=_("Empty for the whole country."),
    )
    computed_at = models.DateTimeField(_("computed at"))
    index = models.PositiveSmallIntegerField(_("risk index"), validators=[MaxValueValidator(100)])
    suggested_level = models.PositiveSmallIntegerField(_("suggested level"), choices=AdvisoryLevel.choices)
    published_level = models.PositiveSmallIntegerField(
        _("published level"),
        choices=AdvisoryLevel.choices,
        null=True,
        blank=True,
        help_text=_("The level analysts had published for the place when the index was computed."),
    )
    breakdown = models.JSONField(_("breakdown"), default=dict)
    is_current = models.BooleanField(_("current"), default=True)

    objects = RiskAssessmentQuerySet.as_manager()

    class Meta:
        ordering = ["-computed_at", "-id"]
        verbose_name = _("risk assessment")
        verbose_name_plural = _("risk assessments")
        constraints = [
            models.CheckConstraint(condition=Q(index__gte=0, index__lte=100), name="risk_index_0_to_100"),
            models.UniqueConstraint(
                fields=["country"],
                condition=Q(is_current=True, region__isnull=True),
                name="risk_one_current_per_country",
            ),
            models.UniqueConstraint(
                fields=["region"], condition=Q(is_current=True), name="risk_one_current_per_region"
            ),
        ]
        indexes = [
            models.Index(fields=["country", "region", "-computed_at"], name="risk_place_history"),
        ]

    def __str__(self) -> str:
        place = self.region.name if self.region_id and self.region else self.country.name
        return f"{place}: {self.index} ({self.computed_at:%Y-%m-%d %H:%M})"
