"""What the incidents app does when a place's risk is assessed anew."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from advisories.models import RiskAssessment

from ..signals import risk_assessed
from .reviews import risk_review_raise


@receiver(risk_assessed, dispatch_uid="incidents.risk_review")
def on_risk_assessed(sender: Any, previous: RiskAssessment | None, current: RiskAssessment, **kwargs: Any) -> None:
    risk_review_raise(previous=previous, current=current)
