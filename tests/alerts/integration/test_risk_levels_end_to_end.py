"""From incidents to subscribers: incidents published in a region raise its risk index, the
recomputation (run by the real worker) keeps it as history and opens a review item, an analyst
publishes the region's new level, and the region's subscribers hear of it at once and in their
next digest, through the real worker and a real SMTP server."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from advisories.models import Advisory, Country, Region, RiskAssessment
from advisories.services import advisory_publish
from alerts.models import Delivery, DeliveryStatus
from alerts.tasks import digest_start
from incidents.models import IncidentType, ReviewStatus, RiskReview
from incidents.services import incident_publish
from incidents.tasks import recompute_country_risk
from tests.factories import AdvisoryFactory, IncidentFactory

pytestmark = pytest.mark.integration

BAMAKO = "Africa/Bamako"


def _body(received) -> str:
    return received.message.get_body(("plain",)).get_content()


def test_incidents_in_a_region_open_a_review_and_its_new_level_reaches_its_subscribers(
    celery_worker, smtp_sink, celery_broker, people, subscribe, wait_for
):
    mali, mopti = Country.objects.get(code="ML"), Region.objects.get(code="ML-5")
    # Mopti's level as published before the incidents, quiet then (made without alerting anyone).
    AdvisoryFactory.create(country=mali, region=mopti, level=1, indicators="", issued_on=dt.date(2026, 6, 1))
    # Severity 5 only: the incidents below (severity 4) alert nobody, the level change does.
    subscribe(email="mopti@example.net", countries=(), regions=("ML-5",), min_severity=5)
    subscribe(email="mopti-daily@example.net", countries=(), regions=("ML-5",), frequency="daily")
    subscribe(email="gao@example.net", countries=(), regions=("ML-7",))

    # The first assessment: a quiet region whose index agrees with its level opens nothing.
    recompute_country_risk.delay(mali.pk)
    first = wait_for(lambda: RiskAssessment.objects.current().of_region(mopti).first(), what="Mopti's first assessment")
    assert (first.index, first.suggested_level, first.published_level) == (0, 1, 1)

    # Five attacks on the Sévaré road in the last days, published by an analyst.
    attack = IncidentType.objects.filter(category__slug="terrorism").order_by("position")[0]
    today = timezone.now().date()
    for number in range(5):
        incident = IncidentFactory.create(
            title=f"Attack on the Sévaré road {number}",
            incident_type=attack,
            region=mopti,
            place_name="Sévaré road",
            severity=4,
            killed=3,
            occurred_on=today - dt.timedelta(days=2),
            status=ReviewStatus.VERIFIED,
        )
        incident_publish(incident=incident, analyst=people.analyst)

    # Each publication asks the worker for a recomputation; this one comes after the last.
    recompute_country_risk.delay(mali.pk)
    current = wait_for(
        lambda: RiskAssessment.objects.current().of_region(mopti).filter(breakdown__incidents=5).first(),
        what="Mopti's assessment of the five incidents",
    )
    # 5 incidents of 7 + 3 killed + 0.5 + 0.5 for the two unknown counts = 55 points, two days old:
    # 55 * 0.5 ** (2 / 45) = 53.4; 100 * (1 - exp(-53.4 / 60)) = 59, level 3.
    assert (current.index, current.suggested_level, current.published_level) == (59, 3, 1)
    assert current.breakdown["killed"] == 5 * 3
    # History: every assessment that changed something, the first one quiet, only the last current.
    history = list(RiskAssessment.objects.of_region(mopti).order_by("computed_at", "pk"))
    assert history[0] == first and history[-1] == current
    assert [row.index for row in history] == sorted(row.index for row in history)
    assert [row.is_current for row in history] == [False] * (len(history) - 1) + [True]
    # One review item for Mopti, however many recomputations crossed on the way, from where it
    # started (written once the assessment is committed); Mali as a whole crossed too and has its own.
    wait_for(
        lambda: RiskReview.objects.filter(region=mopti, assessment=current).exists(),
        what="Mopti's review item to show the latest assessment",
    )
    (review,) = RiskReview.objects.filter(region=mopti)
    assert RiskReview.objects.open().filter(country=mali, region=None).exists()
    assert (review.region, review.from_level, review.to_level, review.index) == (mopti, 1, 3, 59)
    assert review.assessment == current and review.resolved_at is None
    assert Delivery.objects.count() == 0

    # The analyst sees it on the review queue, publishes the suggested level and marks it reviewed.
    analyst = Client()
    analyst.force_login(people.analyst)
    queue = analyst.get(reverse("incidents:review")).content.decode()
    assert "Risk levels to review" in queue and "Suggested level 1 → 3" in queue
    advisory, _ = advisory_publish(country=mali, region=mopti, level=3, indicators="TK", issued_on=today)
    analyst.post(reverse("incidents:risk-review-reviewed", kwargs={"pk": review.pk}))

    # At once: the region's immediate subscriber, nobody else.
    [alert] = smtp_sink.wait_for_messages(1, timeout=60)
    assert alert.rcpt_tos == ("mopti@example.net",)
    assert str(alert.message["Subject"]).endswith("Mopti: level 3, Reconsider Travel (was 1)")
    assert "Level 3: Reconsider Travel (was Level 1: Exercise Normal Precautions)" in _body(alert)

    # The next daily digest shows the change to the region's digest subscriber.
    digest_start.delay("daily", BAMAKO, timezone.now().isoformat())
    messages = smtp_sink.wait_for_messages(2, timeout=60)
    wait_for(
        lambda: not Delivery.objects.filter(status=DeliveryStatus.PENDING).exists(), what="no delivery to be pending"
    )
    celery_broker.wait_until_idle()
    digest = next(m for m in messages if m.rcpt_tos == ("mopti-daily@example.net",))
    body = _body(digest)
    assert "Advisory levels" in body
    assert "* Mopti: Level 3: Reconsider Travel (was Level 1: Exercise Normal Precautions)" in body
    assert sorted(smtp_sink.recipients()) == ["mopti-daily@example.net", "mopti@example.net"]

    # The review is done, and the next recomputation records the published level in the history.
    review.refresh_from_db()
    assert review.resolved_by == people.analyst
    recompute_country_risk.delay(mali.pk)
    latest = wait_for(
        lambda: RiskAssessment.objects.current().of_region(mopti).filter(published_level=3).first(),
        what="the published level in Mopti's history",
    )
    assert (latest.index, latest.suggested_level) == (59, 3)
    assert Advisory.objects.current().get(region=mopti) == advisory
    assert not RiskReview.objects.open().filter(region=mopti).exists()
