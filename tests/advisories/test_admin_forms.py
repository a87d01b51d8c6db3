"""The analysts' admin forms: publishing an advisory keeps the previous one as history, and the
rules of the data (one current advisory per place, one rating per place and category...) come
back as form errors an analyst can act on, never as a server error."""

import datetime as dt
from typing import Any

import pytest
from django.contrib.admin.models import ADDITION, LogEntry

from advisories.models import (
    Advisory,
    ContactPoint,
    CrimeProfile,
    Region,
    ReportSection,
    SecurityReportRevision,
    ThreatRating,
)
from tests.advisories.helpers import admin_url
from tests.factories import (
    AdvisoryFactory,
    CityFactory,
    SecurityReportRevisionFactory,
    SourceFactory,
    ThreatCategoryFactory,
    ThreatRatingFactory,
)

pytestmark = pytest.mark.django_db


# Publishing an advisory ---------------------------------------------------------------------


def _advisory_post(country, region=None, **fields: Any) -> dict[str, Any]:
    data = {
        "country": country.pk,
        "region": region.pk if region else "",
        "level": 4,
        "indicators": ["K", "C", "T"],
        "summary": "Armed groups attack the roads; kidnappings of foreigners.",
        "source": "",
        "issued_on": "2024-11-29",
        "is_current": "on",
        "_save": "Save",
    }
    data.update(fields)
    return {key: value for key, value in data.items() if value is not None}


def test_adding_a_current_advisory_replaces_the_old_one_and_keeps_it_as_history(admin_client, mali):
    old = AdvisoryFactory.create(country=mali, level=3, indicators="CT", issued_on=dt.date(2023, 7, 31))

    response = admin_client.post(admin_url(Advisory, "add"), _advisory_post(mali))

    assert response.status_code == 302
    current = Advisory.objects.get(country=mali, region=None, is_current=True)
    assert (current.level, current.indicators, current.issued_on) == (4, "CTK", dt.date(2024, 11, 29))
    old.refresh_from_db()
    assert old.is_current is False
    assert old.level == 3
    assert Advisory.objects.filter(country=mali, region=None).count() == 2
    # The admin logged and redirected to the row that advisory_set wrote.
    assert LogEntry.objects.get(action_flag=ADDITION).object_id == str(current.pk)
    assert response["Location"] == admin_url(Advisory, "changelist")


def test_adding_a_current_region_advisory_replaces_only_that_regions_one(admin_client, mali):
    mopti = Region.objects.get(code="ML-5")
    country_level = AdvisoryFactory.create(country=mali, level=4)
    old = AdvisoryFactory.create(country=mali, region=mopti, level=3)

    response = admin_client.post(admin_url(Advisory, "add"), _advisory_post(mali, mopti))

    assert response.status_code == 302
    assert Advisory.objects.get(region=mopti, is_current=True).level == 4
    assert Advisory.objects.get(pk=old.pk).is_current is False
    assert Advisory.objects.get(pk=country_level.pk).is_current is True


def test_adding_the_first_advisory_of_a_place_makes_it_current(admin_client, mali):
    response = admin_client.post(admin_url(Advisory, "add"), _advisory_post(mali, indicators=["C"]))
    assert response.status_code == 302
    assert Advisory.objects.get(country=mali).indicators == "C"


def test_adding_a_past_advisory_records_history_without_touching_the_current_one(admin_client, mali):
    current = AdvisoryFactory.create(country=mali, level=4, issued_on=dt.date(2024, 11, 29))

    response = admin_client.post(
        admin_url(Advisory, "add"), _advisory_post(mali, level=2, issued_on="2019-01-10", is_current=None)
    )

    assert response.status_code == 302
    assert Advisory.objects.get(country=mali, is_current=True) == current
    assert Advisory.objects.get(country=mali, is_current=False).level == 2


def _form_errors(response) -> str:
    assert response.status_code == 200, "the form should have been shown again with errors"
    form = response.context["adminform"].form
    assert form.errors
    return " ".join(str(message) for messages in form.errors.values() for message in messages)


def test_an_advisory_older_than_the_current_one_is_refused_with_a_clear_error(admin_client, mali):
    current = AdvisoryFactory.create(country=mali, level=4, issued_on=dt.date(2024, 11, 29))

    errors = _form_errors(admin_client.post(admin_url(Advisory, "add"), _advisory_post(mali, issued_on="2024-01-01")))

    assert "Mali already has a current advisory issued on 2024-11-29" in errors
    assert "violated" not in errors
    assert list(Advisory.objects.filter(country=mali)) == [current]


def test_an_advisory_identical_to_the_current_one_is_refused(admin_client, mali):
    AdvisoryFactory.create(country=mali, level=4, indicators="CTK", summary="Same.", source=None)

    errors = _form_errors(admin_client.post(admin_url(Advisory, "add"), _advisory_post(mali, summary="Same.")))

    assert "same as the current advisory of Mali" in errors
    assert Advisory.objects.filter(country=mali).count() == 1


def test_making_a_history_row_current_again_is_refused_while_another_is_current(admin_client, mali):
    AdvisoryFactory.create(country=mali, level=4, issued_on=dt.date(2024, 11, 29))
    old = AdvisoryFactory.create(country=mali, level=3, issued_on=dt.date(2023, 1, 1), is_current=False, source=None)

    response = admin_client.post(
        admin_url(Advisory, "change", old.pk), _advisory_post(mali, level=3, issued_on="2023-01-01", indicators=["C"])
    )

    errors = _form_errors(response)
    assert "Mali already has a current advisory (level 4, issued on 2024-11-29)" in errors
    old.refresh_from_db()
    assert old.is_current is False


def test_editing_the_current_advisory_corrects_it_in_place(admin_client, mali):
    current = AdvisoryFactory.create(country=mali, level=4, indicators="CT", source=None)

    response = admin_client.post(admin_url(Advisory, "change", current.pk), _advisory_post(mali, summary="Corrected."))

    assert response.status_code == 302
    current.refresh_from_db()
    assert (current.is_current, current.indicators, current.summary) == (True, "CTK", "Corrected.")
    assert Advisory.objects.filter(country=mali).count() == 1


def test_a_region_of_another_country_is_refused(admin_client, mali):
    errors = _form_errors(
        admin_client.post(admin_url(Advisory, "add"), _advisory_post(mali, Region.objects.get(code="NE-1")))
    )
    assert "is not a region of Mali" in errors
    assert not Advisory.objects.exists()


def test_the_indicator_checkboxes_show_the_advisorys_letters(admin_client, mali):
    advisory = AdvisoryFactory.create(country=mali, indicators="CT")

    response = admin_client.get(admin_url(Advisory, "change", advisory.pk))

    field = response.context["adminform"].form["indicators"]
    assert field.value() == ["C", "T"]
    html = str(field)
    assert html.count("checked") == 2
    assert "Kidnapping or hostage taking (K)" in html


# Other constraints as form errors -------------------------------------------------------------


@pytest.mark.parametrize("place", ["country", "region", "city"])
def test_a_second_rating_for_the_same_place_and_category_is_a_form_error(admin_client, mali, place):
    bko = Region.objects.get(code="ML-BKO")
    bamako = CityFactory.create(country=mali, region=bko, name="Bamako")
    places: dict[str, dict[str, Any]] = {
        "country": {},
        "region": {"region": bko},
        "city": {"region": bko, "city": bamako},
    }
    where = places[place]
    terrorism = ThreatCategoryFactory.create(slug="terrorism", name="Terrorism")
    ThreatRatingFactory.create(country=mali, category=terrorism, level=4, **where)
    data = {"country": mali.pk, "category": terrorism.pk, "level": 3, "assessed_on": "2024-11-29", "note": ""}
    data |= {name: obj.pk for name, obj in where.items()}

    errors = _form_errors(admin_client.post(admin_url(ThreatRating, "add"), data))

    name = {"country": "Mali", "region": "Bamako", "city": "Bamako"}[place]
    assert f"{name} already has a Terrorism rating (CRITICAL, assessed on 2024-11-29)" in errors
    assert "violated" not in errors
    assert ThreatRating.objects.count() == 1


def test_a_country_wide_rating_may_sit_beside_a_city_rating(admin_client, mali):
    bamako = CityFactory.create(country=mali, name="Bamako")
    crime = ThreatCategoryFactory.create(slug="crime", name="Crime")
    ThreatRatingFactory.create(country=mali, city=bamako, category=crime, level=4)
    data = {"country": mali.pk, "category": crime.pk, "level": 3, "assessed_on": "2024-11-29"}

    response = admin_client.post(admin_url(ThreatRating, "add"), data)

    assert response.status_code == 302
    assert ThreatRating.objects.filter(country=mali, city=None).get().level == 3


def test_a_revision_numbered_zero_is_a_form_error(admin_client, mali):
    revision = SecurityReportRevisionFactory.create(report__country=mali, number=1)
    data = {"report": revision.report.pk, "number": 0, "what_changed": "Draft.", "published_at_0": ""}
    data |= {"sections-TOTAL_FORMS": 0, "sections-INITIAL_FORMS": 0}

    errors = _form_errors(admin_client.post(admin_url(SecurityReportRevision, "add"), data))

    assert "Revisions are numbered from 1." in errors
    assert SecurityReportRevision.objects.count() == 1


def test_two_sections_at_the_same_position_are_a_form_error(admin_client, mali):
    revision = SecurityReportRevisionFactory.create(report__country=mali, number=1)
    data: dict[str, Any] = {
        "report": revision.report.pk,
        "number": 1,
        "what_changed": "First edition.",
        "sections-TOTAL_FORMS": 2,
        "sections-INITIAL_FORMS": 0,
    }
    for i, kind in enumerate(["crime", "terrorism"]):
        data |= {f"sections-{i}-position": 1, f"sections-{i}-kind": kind, f"sections-{i}-heading": kind}
        data |= {f"sections-{i}-body": "Short summary."}

    response = admin_client.post(admin_url(SecurityReportRevision, "change", revision.pk), data)

    assert response.status_code == 200
    assert response.context["inline_admin_formsets"][0].formset.non_form_errors()
    assert not ReportSection.objects.exists()


def test_a_second_profile_for_the_same_edition_is_a_form_error(admin_client, mali):
    source = SourceFactory.create()
    CrimeProfile.objects.create(country=mali, edition=2025, source=source)
    data = {"country": mali.pk, "edition": 2025, "source": source.pk}
    data |= {"assessments-TOTAL_FORMS": 0, "assessments-INITIAL_FORMS": 0}

    errors = _form_errors(admin_client.post(admin_url(CrimeProfile, "add"), data))

    assert "already exists" in errors
    assert CrimeProfile.objects.count() == 1


def test_a_score_above_ten_is_a_form_error(admin_client, mali):
    data = {"country": mali.pk, "edition": 2025, "source": SourceFactory.create().pk, "resilience_score": "10.01"}
    data |= {"assessments-TOTAL_FORMS": 0, "assessments-INITIAL_FORMS": 0}

    errors = _form_errors(admin_client.post(admin_url(CrimeProfile, "add"), data))

    assert "less than or equal to 10" in errors
    assert not CrimeProfile.objects.exists()


def test_contact_phone_numbers_are_entered_one_per_line(admin_client, mali):
    data = {
        "country": mali.pk,
        "kind": ContactPoint.Kind.POLICE,
        "name": "Police emergency",
        "phones": "8000-1115\n\n  +000 1234  \n",
        "last_verified_on": "2024-11-29",
        "position": 0,
    }

    response = admin_client.post(admin_url(ContactPoint, "add"), data)

    assert response.status_code == 302
    contact = ContactPoint.objects.get(name="Police emergency")
    assert contact.phones == ["8000-1115", "+000 1234"]
    page = admin_client.get(admin_url(ContactPoint, "change", contact.pk))
    assert page.context["adminform"].form["phones"].value() == "8000-1115\n+000 1234"
