"""The incident lists' filters, one test each: what each narrows, what an invalid value says, the
old names of the dates (date_from, date_to) still read, and the export link that carries them."""

import datetime as dt

import pytest

from advisories.models import Country
from incidents.models import Actor, IncidentActor, IncidentType, ReviewStatus
from tests.factories import ActorFactory, IncidentFactory
from tests.incidents.pages import listed_titles, region, text_of
from tests.incidents.test_lists import build_matrix


@pytest.fixture
def two(db):
    """Two public incidents that differ in everything a filter can pick."""
    jnim = ActorFactory.create(name="JNIM")
    first = _incident("Kidnapping in Gao", "kidnapping", dt.date(2023, 3, 1), "ML-7", 5, jnim)
    bandits = ActorFactory.create(name="Unidentified bandits")
    second = _incident("Roadblock near Bamako", "banditry-roadblock", dt.date(2024, 6, 1), "ML-BKO", 2, bandits)
    return {"first": first, "second": second, "jnim": jnim}


def _incident(title: str, type_slug: str, occurred_on: dt.date, region_code: str, severity: int, actor: Actor):
    incident = IncidentFactory.create(
        title=title,
        incident_type=IncidentType.objects.get(slug=type_slug),
        occurred_on=occurred_on,
        region=region(region_code),
        severity=severity,
    )
    IncidentActor.objects.create(incident=incident, actor=actor)
    return incident


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("occurred_after=2024-01-01", ["Roadblock near Bamako"]),
        ("occurred_before=2023-12-31", ["Kidnapping in Gao"]),
        ("occurred_after=2023-03-01&occurred_before=2023-03-01", ["Kidnapping in Gao"]),
        ("type=banditry-roadblock", ["Roadblock near Bamako"]),
        ("category=kidnapping", ["Kidnapping in Gao"]),
        ("category=crime", ["Roadblock near Bamako"]),
        ("severity_min=3", ["Kidnapping in Gao"]),
        ("severity_min=2", ["Roadblock near Bamako", "Kidnapping in Gao"]),
        ("region=ML-BKO", ["Roadblock near Bamako"]),
    ],
)
def test_each_filter_narrows_the_country_list(client, two, query, expected):
    response = client.get(f"/countries/ml/incidents/?{query}")

    assert response.status_code == 200
    assert listed_titles(response) == expected


def test_the_actor_filter_keeps_the_incidents_of_that_actor_once(client, two):
    # The same actor in two roles of one incident must not list it twice.
    IncidentActor.objects.create(incident=two["first"], actor=two["jnim"], role=IncidentActor.Role.INVOLVED)

    response = client.get(f"/countries/ml/incidents/?actor={two['jnim'].pk}")

    assert listed_titles(response) == ["Kidnapping in Gao"]


def test_the_country_filter_narrows_the_all_countries_list(client, two):
    IncidentFactory.create(title="Attack in Niamey", country=Country.objects.get(code="NE"))

    assert set(listed_titles(client.get("/incidents/"))) == {
        "Kidnapping in Gao",
        "Roadblock near Bamako",
        "Attack in Niamey",
    }
    assert listed_titles(client.get("/incidents/?country=NE")) == ["Attack in Niamey"]


def test_the_all_countries_list_filters_by_region_alone(client, two):
    assert listed_titles(client.get("/incidents/?region=ML-7")) == ["Kidnapping in Gao"]


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("/countries/ml/incidents/?region=ml-bko", ["Roadblock near Bamako"]),
        ("/countries/ml/incidents/?region=Ml-7", ["Kidnapping in Gao"]),
        ("/incidents/?country=ml", ["Roadblock near Bamako", "Kidnapping in Gao"]),
        ("/incidents/?region=ml-7", ["Kidnapping in Gao"]),
    ],
)
def test_the_filters_take_codes_in_lower_case_as_the_addresses_write_them(client, two, url, expected):
    response = client.get(url)

    assert response.status_code == 200
    assert listed_titles(response) == expected


def test_a_lower_case_region_is_shown_chosen_in_the_filter(client, two):
    html = client.get("/countries/ml/incidents/?region=ml-bko").content.decode()

    assert '<option value="ML-BKO" selected>Bamako (ML-BKO)</option>' in html


def test_the_status_filter_narrows_a_signed_in_users_list(client, cast):
    IncidentFactory.create(title="Still submitted", status=ReviewStatus.SUBMITTED, organisation=cast.org_a)
    IncidentFactory.create(title="Already published", organisation=cast.org_a)
    client.force_login(cast.officer_a)

    assert listed_titles(client.get("/incidents/mine/?status=submitted")) == ["Still submitted"]


def test_the_sharing_level_filter_narrows_a_signed_in_users_list(client, cast):
    build_matrix(cast)
    client.force_login(cast.officer_a)

    assert listed_titles(client.get("/incidents/?sharing_level=amber_strict")) == ["A amber_strict"]


def test_anonymous_visitors_are_not_offered_status_or_sharing_filters(client, db):
    html = client.get("/incidents/").content.decode()

    assert 'name="status"' not in html and 'name="sharing_level"' not in html
    assert 'name="severity_min"' in html and 'name="actor"' in html


def test_the_region_filter_offers_the_regions_of_the_page_country_only(client, db):
    html = client.get("/countries/ml/incidents/").content.decode()

    assert '<option value="ML-BKO">Bamako (ML-BKO)</option>' in html
    assert 'value="NE-' not in html


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("occurred_after=2024-13-45", "From: Enter a valid date."),
        ("occurred_before=yesterday", "To: Enter a valid date."),
        ("type=no-such-type", "Type: Select a valid choice."),
        ("category=sorcery", "Threat category: Select a valid choice."),
        ("actor=999999", "Actor: Select a valid choice."),
        ("actor=jnim", "Actor: Select a valid choice."),
        ("severity_min=9", "Severity: Select a valid choice. 9 is not one of the available choices."),
        ("region=NE-1", "Region: Select a valid choice."),
        (
            "occurred_after=2024-05-01&occurred_before=2024-01-01",
            "The start date (2024-05-01) is after the end date (2024-01-01).",
        ),
    ],
)
def test_an_invalid_filter_value_is_reported_and_lists_nothing(client, two, query, message):
    response = client.get(f"/countries/ml/incidents/?{query}")

    assert response.status_code == 400
    text = text_of(response)
    assert "These filters could not be applied" in text
    assert message in text
    assert listed_titles(response) == []


def test_an_invalid_status_for_a_signed_in_user_is_reported(client, cast):
    client.force_login(cast.officer_a)

    response = client.get("/incidents/?status=lost")

    assert response.status_code == 400
    assert "Review status: Select a valid choice. lost is not one of the available choices." in text_of(response)


# --- The old names of the dates ------------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("date_from=2024-01-01", "occurred_after=2024-01-01"),
        ("date_to=2023-12-31", "occurred_before=2023-12-31"),
        ("date_from=2023-03-01&date_to=2023-03-01", "occurred_after=2023-03-01&occurred_before=2023-03-01"),
    ],
)
def test_a_link_with_the_old_date_names_lists_what_the_new_names_do(client, two, old, new):
    by_old = client.get(f"/countries/ml/incidents/?{old}")

    assert by_old.status_code == 200
    assert listed_titles(by_old) == listed_titles(client.get(f"/countries/ml/incidents/?{new}"))
    assert len(listed_titles(by_old)) == 1


def test_the_old_date_names_fill_the_date_fields_and_the_export_link_uses_the_new_names(client, two):
    html = client.get("/countries/ml/incidents/?date_from=2024-01-01&page=1").content.decode()

    assert 'name="occurred_after" value="2024-01-01"' in html
    assert 'href="/incidents/export.csv?occurred_after=2024-01-01&amp;country=ML"' in html
    assert "export.csv?date_from" not in html and 'name="date_from"' not in html


def test_an_old_date_name_is_checked_as_the_new_one_is(client, two):
    response = client.get("/countries/ml/incidents/?date_from=2024-05-01&date_to=2024-01-01")

    assert response.status_code == 400
    assert "The start date (2024-05-01) is after the end date (2024-01-01)." in text_of(response)


def test_the_export_reads_the_old_date_names(client, two):
    text = client.get("/incidents/export.csv?date_to=2023-12-31").getvalue().decode()

    assert "Kidnapping in Gao" in text
    assert "Roadblock near Bamako" not in text


def test_the_export_link_carries_the_filters_and_the_place(client, db):
    html = client.get("/countries/ml/regions/ml-bko/incidents/?severity_min=3&page=1").content.decode()

    assert 'href="/incidents/export.csv?severity_min=3&amp;region=ML-BKO"' in html
