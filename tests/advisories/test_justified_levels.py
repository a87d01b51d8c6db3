"""An analyst who publishes a level two or more levels away from the one the place's risk index
suggests must say why: the service refuses without a justification, the admin form says which
index and which suggestion, and the justification is kept with the advisory."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from advisories.models import Advisory, Region, RiskAssessment
from advisories.services import Outcome, advisory_publish, advisory_set
from tests.advisories.helpers import admin_url
from tests.factories import AdvisoryFactory

pytestmark = pytest.mark.django_db

ISSUED = dt.date(2026, 11, 30)


def assessed(country, region=None, *, index: int, suggested: int) -> RiskAssessment:
    return RiskAssessment.objects.create(
        country=country, region=region, computed_at=timezone.now(), index=index, suggested_level=suggested
    )


@pytest.fixture
def mopti(mali) -> Region:
    return Region.objects.get(code="ML-5")


def test_a_level_two_away_from_the_suggestion_is_refused_without_a_justification(mali, mopti):
    assessed(mali, mopti, index=12, suggested=1)

    with pytest.raises(ValidationError) as refused:
        advisory_publish(country=mali, region=mopti, level=3, issued_on=ISSUED)

    assert refused.value.messages == [
        "The risk index of Mopti is 12, which suggests level 1; level 3 is 2 levels away from it. "
        "Say in the justification why Mopti should have level 3."
    ]
    assert not Advisory.objects.filter(region=mopti).exists()


def test_a_justified_level_is_published_and_keeps_its_justification(mali, mopti):
    assessed(mali, mopti, index=80, suggested=4)

    advisory, outcome = advisory_publish(
        country=mali,
        region=mopti,
        level=2,
        justification="  The attacks were on one road, now closed. ",
        issued_on=ISSUED,
    )

    assert outcome == Outcome.CREATED
    advisory.refresh_from_db()
    assert (advisory.level, advisory.justification) == (2, "The attacks were on one road, now closed.")
    assert advisory.is_current


@pytest.mark.parametrize("level", [1, 2])
def test_a_level_at_most_one_away_needs_no_justification(mali, mopti, level):
    assessed(mali, mopti, index=30, suggested=2 if level == 1 else 3)

    advisory, _ = advisory_publish(country=mali, region=mopti, level=level, issued_on=ISSUED)

    assert advisory.justification == ""


def test_a_place_without_a_risk_index_needs_no_justification(mali, mopti):
    advisory, outcome = advisory_publish(country=mali, region=mopti, level=4, issued_on=ISSUED)

    assert outcome == Outcome.CREATED and advisory.level == 4


def test_the_region_is_judged_by_its_own_index_and_the_country_by_its_own(mali, mopti):
    assessed(mali, index=90, suggested=4)
    assessed(mali, mopti, index=10, suggested=1)

    advisory_publish(country=mali, region=mopti, level=2, issued_on=ISSUED)
    advisory_publish(country=mali, level=3, issued_on=ISSUED)
    with pytest.raises(ValidationError, match="The risk index of Mali is 90, which suggests level 4"):
        advisory_publish(country=mali, level=1, issued_on=ISSUED + dt.timedelta(days=1))


def test_only_the_current_assessment_counts(mali, mopti):
    RiskAssessment.objects.create(
        country=mali, region=mopti, computed_at=timezone.now(), index=90, suggested_level=4, is_current=False
    )
    assessed(mali, mopti, index=10, suggested=1)

    advisory, _ = advisory_publish(country=mali, region=mopti, level=2, issued_on=ISSUED)

    assert advisory.level == 2


def test_imported_levels_are_another_source_s_judgement_and_are_not_checked(mali):
    assessed(mali, index=5, suggested=1)

    advisory, outcome = advisory_set(country=mali, level=4, issued_on=ISSUED)

    assert outcome == Outcome.CREATED and advisory.justification == ""


def test_a_better_worded_justification_updates_the_same_advisory(mali, mopti):
    assessed(mali, mopti, index=10, suggested=1)
    first, _ = advisory_publish(country=mali, region=mopti, level=3, justification="Roads.", issued_on=ISSUED)

    second, outcome = advisory_publish(
        country=mali, region=mopti, level=3, justification="Armed groups hold the roads.", issued_on=ISSUED
    )

    assert outcome == Outcome.UPDATED and second.pk == first.pk
    assert Advisory.objects.get(pk=first.pk).justification == "Armed groups hold the roads."


# The admin ----------------------------------------------------------------------------------


def _post(country, region, **fields):
    data = {
        "country": country.pk,
        "region": region.pk,
        "level": 4,
        "indicators": ["K", "T"],
        "summary": "Armed groups on the roads.",
        "summary_fr": "",
        "justification": "",
        "source": "",
        "issued_on": "2026-11-30",
        "is_current": "on",
        "_save": "Save",
    }
    data.update(fields)
    return data


def test_the_admin_refuses_a_far_level_without_a_justification_naming_the_index_and_suggestion(
    admin_client, mali, mopti
):
    assessed(mali, mopti, index=20, suggested=1)

    response = admin_client.post(admin_url(Advisory, "add"), _post(mali, mopti))

    assert response.status_code == 200
    html = response.content.decode()
    assert "The risk index of Mopti is 20, which suggests level 1; level 4 is 3 levels away from it." in html
    assert not Advisory.objects.filter(region=mopti).exists()


def test_the_admin_publishes_a_justified_level_and_keeps_the_justification(admin_client, mali, mopti):
    assessed(mali, mopti, index=20, suggested=1)
    old = AdvisoryFactory.create(country=mali, region=mopti, level=2, issued_on=dt.date(2026, 1, 5))

    response = admin_client.post(
        admin_url(Advisory, "add"),
        _post(mali, mopti, justification="Kidnappings of aid workers are under-reported here."),
    )

    assert response.status_code == 302
    current = Advisory.objects.current().get(region=mopti)
    assert (current.level, current.justification) == (4, "Kidnappings of aid workers are under-reported here.")
    old.refresh_from_db()
    assert not old.is_current


def test_the_admin_asks_no_justification_to_record_a_past_advisory(admin_client, mali, mopti):
    assessed(mali, mopti, index=20, suggested=1)

    response = admin_client.post(admin_url(Advisory, "add"), _post(mali, mopti, is_current=""))

    assert response.status_code == 302
    assert Advisory.objects.get(region=mopti).justification == ""


def test_the_review_queue_s_publish_link_opens_the_admin_with_the_place_and_suggested_level(admin_client, mali, mopti):
    response = admin_client.get(admin_url(Advisory, "add"), {"country": mali.pk, "region": mopti.pk, "level": 3})

    form = response.context["adminform"].form
    assert response.status_code == 200
    assert (form.initial["country"], form.initial["region"], form.initial["level"]) == (
        str(mali.pk),
        str(mopti.pk),
        "3",
    )
    assert 'name="justification"' in response.content.decode()
