"""When a place's risk index crosses a level boundary, analysts find it on the review queue under
"Risk levels to review", once per place, and mark it reviewed; nobody else sees or resolves it."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from advisories.models import Region, RiskAssessment
from incidents.models import RiskReview
from incidents.risk.reviews import risk_review_resolve
from incidents.signals import risk_assessed
from tests.factories import AdvisoryFactory

pytestmark = pytest.mark.django_db

QUEUE = reverse("incidents:review")


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def reviewed_url(review: RiskReview) -> str:
    return reverse("incidents:risk-review-reviewed", kwargs={"pk": review.pk})


def assess(country, region=None, *, index: int, suggested: int, published: int | None = None):
    """Write the place's new current assessment as a recomputation does, and announce it."""
    previous = RiskAssessment.objects.current().filter(country=country, region=region).first()
    if previous is not None:
        RiskAssessment.objects.filter(pk=previous.pk).update(is_current=False)
    current = RiskAssessment.objects.create(
        country=country,
        region=region,
        computed_at=timezone.now(),
        index=index,
        suggested_level=suggested,
        published_level=published,
    )
    risk_assessed.send(sender=RiskAssessment, previous=previous, current=current)
    return current


@pytest.fixture
def mopti(mali) -> Region:
    return Region.objects.get(code="ML-5")


@pytest.fixture
def gao(mali) -> Region:
    return Region.objects.get(code="ML-7")


# Raising items ------------------------------------------------------------------------------


def test_a_crossing_opens_an_item_with_the_change_and_the_index(mali, mopti):
    assess(mali, mopti, index=20, suggested=1, published=None)
    current = assess(mali, mopti, index=31, suggested=2, published=2)

    (review,) = RiskReview.objects.all()
    assert (review.country, review.region, review.from_level, review.to_level, review.index) == (
        mali,
        mopti,
        1,
        2,
        31,
    )
    assert review.assessment == current and review.resolved_at is None


def test_an_index_that_moves_within_its_level_opens_nothing(mali, mopti):
    assess(mali, mopti, index=26, suggested=2, published=2)
    assess(mali, mopti, index=48, suggested=2, published=2)

    assert not RiskReview.objects.exists()


def test_a_first_index_that_disagrees_with_the_published_level_opens_an_item(mali, mopti):
    assess(mali, mopti, index=90, suggested=4, published=2)

    (review,) = RiskReview.objects.all()
    assert (review.from_level, review.to_level) == (None, 4)


def test_a_first_index_of_a_place_without_its_own_level_or_that_agrees_opens_nothing(mali, mopti, gao):
    assess(mali, mopti, index=90, suggested=4, published=None)
    assess(mali, gao, index=60, suggested=3, published=3)

    assert not RiskReview.objects.exists()


def test_a_second_crossing_updates_the_open_item_instead_of_adding_one(mali, mopti):
    assess(mali, mopti, index=20, suggested=1)
    first = assess(mali, mopti, index=30, suggested=2)
    second = assess(mali, mopti, index=60, suggested=3)

    (review,) = RiskReview.objects.all()
    assert (review.from_level, review.to_level, review.index, review.assessment) == (1, 3, 60, second)
    assert first != second


def test_an_open_item_follows_the_index_within_its_level(mali, mopti):
    assess(mali, mopti, index=20, suggested=1)
    assess(mali, mopti, index=51, suggested=3)
    latest = assess(mali, mopti, index=59, suggested=3)

    (review,) = RiskReview.objects.all()
    assert (review.from_level, review.to_level, review.index, review.assessment) == (1, 3, 59, latest)


def test_crossing_back_to_where_it_started_withdraws_the_open_item(mali, mopti):
    assess(mali, mopti, index=20, suggested=1)
    assess(mali, mopti, index=30, suggested=2)
    assess(mali, mopti, index=24, suggested=1)

    assert not RiskReview.objects.exists()


def test_a_crossing_after_a_review_opens_a_new_item(cast, mali, mopti):
    assess(mali, mopti, index=20, suggested=1)
    assess(mali, mopti, index=30, suggested=2)
    risk_review_resolve(review=RiskReview.objects.get(), analyst=cast.analyst)
    assess(mali, mopti, index=55, suggested=3)

    reviews = [(r.from_level, r.to_level, r.resolved_at is None) for r in RiskReview.objects.order_by("pk")]
    assert reviews == [(1, 2, False), (2, 3, True)]


def test_each_place_has_its_own_item_the_country_too(mali, mopti, gao):
    for region in (None, mopti, gao):
        assess(mali, region, index=10, suggested=1)
        assess(mali, region, index=80, suggested=4)

    assert RiskReview.objects.open().count() == 3


def test_the_database_refuses_a_second_open_item_for_a_place(mali, mopti):
    assess(mali, index=10, suggested=1)
    assessment = assess(mali, index=80, suggested=4)
    region_assessment = assess(mali, mopti, index=80, suggested=4, published=1)

    with pytest.raises(IntegrityError), transaction.atomic():
        RiskReview.objects.create(country=mali, from_level=1, to_level=4, index=80, assessment=assessment)
    with pytest.raises(IntegrityError), transaction.atomic():
        RiskReview.objects.create(country=mali, region=mopti, to_level=4, index=80, assessment=region_assessment)


# The review queue ---------------------------------------------------------------------------


def test_analysts_see_the_places_to_review_with_links_to_the_place_and_to_publishing(cast, mali, mopti):
    AdvisoryFactory.create(country=mali, level=3)
    assess(mali, mopti, index=20, suggested=1)
    review_item = assess(mali, mopti, index=77, suggested=4).reviews.get()

    html = signed_in(cast.analyst).get(QUEUE).content.decode()

    assert "Risk levels to review" in html
    assert "Suggested level 1 → 4" in html and "risk index 77" in html
    assert "published level 3 (the country's)" in html
    assert f'href="{mopti.get_absolute_url()}"' in html
    publish = f"{reverse('admin:advisories_advisory_add')}?country={mali.pk}&amp;region={mopti.pk}&amp;level=4"
    assert publish in html
    assert f'action="{reviewed_url(review_item)}"' in html


def test_the_queue_shows_the_place_s_own_published_level(cast, mali, mopti):
    AdvisoryFactory.create(country=mali, level=3)
    AdvisoryFactory.create(country=mali, region=mopti, level=2)
    assess(mali, mopti, index=90, suggested=4, published=2)

    html = signed_in(cast.analyst).get(QUEUE).content.decode()

    assert "First risk index: suggests level 4" in html
    assert "published level 2" in html and "(the country's)" not in html


def test_without_items_the_queue_has_no_risk_section(cast):
    html = signed_in(cast.analyst).get(QUEUE).content.decode()

    assert "Risk levels to review" not in html
    assert "Nothing to review." in html


def test_an_analyst_marks_an_item_reviewed_and_a_second_time_changes_nothing(cast, mali, mopti):
    assess(mali, mopti, index=20, suggested=1)
    review = assess(mali, mopti, index=30, suggested=2).reviews.get()
    client = signed_in(cast.analyst)

    first = client.post(reviewed_url(review), {"note": "Checked with the Mopti office."}, follow=True)
    review.refresh_from_db()
    resolved_at = review.resolved_at
    second = client.post(reviewed_url(review), follow=True)
    review.refresh_from_db()

    assert "Reviewed: the risk level of Mopti." in first.content.decode()
    assert "The risk level of Mopti was already marked reviewed." in second.content.decode()
    assert review.resolved_by == cast.analyst and review.note == "Checked with the Mopti office."
    assert review.resolved_at == resolved_at is not None
    assert "Risk levels to review" not in second.content.decode()


@pytest.mark.parametrize("who", ["officer_a", "manager_a", "reader_a", "outsider"])
def test_non_analysts_can_neither_see_nor_resolve_items(cast, mali, mopti, who):
    assess(mali, mopti, index=20, suggested=1)
    review = assess(mali, mopti, index=30, suggested=2).reviews.get()
    client = signed_in(getattr(cast, who))

    assert client.get(QUEUE).status_code == 403
    assert client.post(reviewed_url(review)).status_code == 403
    review.refresh_from_db()
    assert review.resolved_at is None


def test_marking_reviewed_needs_a_signed_in_post(cast, mali, mopti):
    assess(mali, mopti, index=20, suggested=1)
    review = assess(mali, mopti, index=30, suggested=2).reviews.get()

    anonymous = Client().post(reviewed_url(review))
    get = signed_in(cast.analyst).get(reviewed_url(review))
    forged = Client(enforce_csrf_checks=True)
    forged.force_login(cast.analyst)

    assert anonymous.status_code == 302 and "/login/" in anonymous["Location"]
    assert get.status_code == 405
    assert forged.post(reviewed_url(review)).status_code == 403
    review.refresh_from_db()
    assert review.resolved_at is None


def test_the_service_refuses_non_analysts(cast, mali, mopti):
    assess(mali, mopti, index=20, suggested=1)
    review = assess(mali, mopti, index=30, suggested=2).reviews.get()

    with pytest.raises(PermissionDenied):
        risk_review_resolve(review=review, analyst=cast.manager_a)


def _queue_queries(client: Client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(QUEUE).status_code == 200
    return len(queries)


def test_the_queue_runs_the_same_queries_for_2_or_all_regions_to_review(cast, mali):
    client = signed_in(cast.analyst)
    regions = list(Region.objects.filter(country=mali).order_by("code"))
    AdvisoryFactory.create(country=mali, level=2)

    def add(places) -> None:
        for region in places:
            AdvisoryFactory.create(country=mali, region=region, level=3)
            assess(mali, region, index=10, suggested=1)
            assess(mali, region, index=80, suggested=4)

    add(regions[:2])
    few = _queue_queries(client)
    add(regions[2:])
    many = _queue_queries(client)

    assert RiskReview.objects.open().count() == len(regions) >= 10
    assert few == many


def test_the_admin_lists_items_and_marks_them_reviewed(admin_client, mali, mopti):
    assess(mali, mopti, index=20, suggested=1)
    review = assess(mali, mopti, index=30, suggested=2).reviews.get()
    changelist = reverse("admin:incidents_riskreview_changelist")

    listed = admin_client.get(changelist)
    acted = admin_client.post(changelist, {"action": "mark_reviewed", "_selected_action": [review.pk]}, follow=True)

    assert listed.status_code == 200 and "Mopti" in listed.content.decode()
    assert "1 item marked reviewed." in acted.content.decode()
    review.refresh_from_db()
    assert review.resolved_at is not None


def test_items_are_kept_with_their_dates(mali, mopti, time_machine):
    time_machine.move_to(dt.datetime(2026, 11, 30, 8, tzinfo=dt.UTC), tick=False)
    assess(mali, mopti, index=20, suggested=1)
    assess(mali, mopti, index=30, suggested=2)

    assert RiskReview.objects.get().created_at == dt.datetime(2026, 11, 30, 8, tzinfo=dt.UTC)
