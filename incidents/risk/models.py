"""Review items: a place whose risk index crossed a level boundary, for analysts to look at.

One open item per place (the database says so): a further crossing before an analyst looks
updates the open item rather than adding a second one. Written by `incidents.risk.reviews`.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from advisories.models import AdvisoryLevel, Country, Region, RiskAssessment
from config.choices import ChoiceLabels

from ..audit_models import acted_by_field


class RiskReviewQuerySet(models.QuerySet["RiskReview"]):
    def open(self) -> RiskReviewQuerySet:
        return self.filter(resolved_at__isnull=True)


class RiskReview(ChoiceLabels):
    country = models.ForeignKey(
        Country, on_delete=models.CASCADE, related_name="risk_reviews", verbose_name=_("country")
    )
    region = models.ForeignKey(
        Region,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="risk_reviews",
        verbose_name=_("region"),
        help_text=_("Empty for the whole country."),
    )
    from_level = models.PositiveSmallIntegerField(
        _("suggested level before"),
        choices=AdvisoryLevel.choices,
        null=True,
        blank=True,
        help_text=_("Empty when the place had no risk index before."),
    )
    to_level = models.PositiveSmallIntegerField(_("suggested level now"), choices=AdvisoryLevel.choices)
    index = models.PositiveSmallIntegerField(_("risk index"))
    assessment = models.ForeignKey(
        RiskAssessment, on_delete=models.CASCADE, related_name="reviews", verbose_name=_("risk assessment")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    resolved_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    resolved_by = acted_by_field(_("reviewed by"))
    note = models.TextField(_("note"), blank=True)

    objects = RiskReviewQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("risk level review")
        verbose_name_plural = _("risk level reviews")
        constraints = [
            models.UniqueConstraint(
                fields=["country"],
                condition=Q(resolved_at__isnull=True, region__isnull=True),
                name="risk_review_one_open_per_country",
            ),
            models.UniqueConstraint(
                fields=["region"],
                condition=Q(resolved_at__isnull=True, region__isnull=False),
                name="risk_review_one_open_per_region",
            ),
        ]

    def __str__(self) -> str:
        place = self.region.name if self.region_id and self.region else self.country.name
        return f"{place}: {self.from_level or '-'} → {self.to_level} ({self.index})"

    @property
    def place_name(self) -> str:
        return self.region.name if self.region_id and self.region else self.country.name

    @property
    def is_open(self) -> bool:
        return self.resolved_at is None
