"""The incident lists: who sees what, pagination, escaping, addresses, and the recent public
incidents on the country and region advisory pages. Filters: test_list_filters.py; query counts:
test_list_queries.py."""

import datetime as dt

import pytest

from incidents.models import (
    DatePrecision,
    IncidentActor,
    IncidentType,
    ReviewStatus,
    SharingLevel,
)
from incidents.views import lists
from tests.factories import (
    ActorFactory,
    IncidentFactory,
)
from tests.incidents.pages import INCIDENT_LINK, listed_titles, region, sign_in, text_of

# --- Who sees what -------------------------------------------------------------------------

LEVELS = [level.value for level in SharingLevel]


def build_matrix(cast) -> None:
    """One published incident per sharing level for organisation A and for organisation B,
    titled "A clear", "B amber_strict"..., each reported by an officer of its organisation."""
    for org, reporter in [(cast.org_a, cast.officer_a), (cast.org_b, cast.officer_b)]:
        prefix = "A" if org == cast.org_a else "B"
        for level in LEVELS:
            IncidentFactory.create(
                title=f"{prefix} {level}",
                sharing_level=level,
                organisation=org,
                reporter=reporter,
                region=region("ML-BKO"),
            )


PUBLIC = {"A clear", "B clear"}
COMMUNITY = PUBLIC | {"A green", "B green"}
ALL_OF_A = {f"A {level}" for level in LEVELS}
ALL_OF_B = {f"B {level}" for level in LEVELS}

# Written out from the TLP rules of DESIGN.md, not computed from the selector under test.
VISIBLE = {
    "anonymous": PUBLIC,
    "outsider": PUBLIC,
    "analyst": COMMUNITY,
    "officer_a": COMMUNITY | ALL_OF_A,
    "reader_a": COMMUNITY | (ALL_OF_A - {"A red"}),
    "partner_reader": COMMUNITY | {"A amber"},
    "officer_b": COMMUNITY | ALL_OF_B,
}

LIST_URLS = ["/incidents/", "/countries/ml/incidents/", "/countries/ml/regions/ml-bko/incidents/"]


@pytest.mark.parametrize("url", LIST_URLS)
@pytest.mark.parametrize("who", sorted(VISIBLE))
def test_each_list_shows_exactly_what_the_sharing_level_allows(client, cast, who, url):
    build_matrix(cast)
    sign_in(client, getattr(cast, who))

    response = client.get(url)

    assert response.status_code == 200
    titles = listed_titles(response)
    assert set(titles) == VISIBLE[who]
    assert len(titles) == len(VISIBLE[who])


def test_a_retracted_or_unpublished_clear_incident_is_not_public(client, cast):
    IncidentFactory.create(title="Submitted clear", status=ReviewStatus.SUBMITTED, organisation=cast.org_a)
    IncidentFactory.create(title="Retracted clear", status=ReviewStatus.RETRACTED, organisation=cast.org_a)
    IncidentFactory.create(title="Published clear", organisation=cast.org_a)

    assert listed_titles(client.get("/incidents/")) == ["Published clear"]
    client.force_login(cast.officer_b)
    assert set(listed_titles(client.get("/incidents/"))) == {"Published clear", "Submitted clear"}


def test_signed_in_users_see_the_sharing_level_and_status_in_words(client, cast):
    IncidentFactory.create(
        title="Amber one",
        sharing_level=SharingLevel.AMBER_STRICT,
        status=ReviewStatus.VERIFIED,
        organisation=cast.org_a,
    )
    client.force_login(cast.reader_a)

    text = text_of(client.get("/incidents/"))

    assert "TLP:AMBER+STRICT" in text
    assert "Verified" in text
    assert "Sahel Relief" in text


def test_anonymous_visitors_see_no_sharing_or_status_column(client, db):
    IncidentFactory.create(title="Public one")

    text = text_of(client.get("/incidents/"))

    assert "Public one" in text
    assert "Sharing and review" not in text
    assert "Review status" not in text


def test_a_row_shows_date_precision_type_place_severity_and_casualties(client, db):
    IncidentFactory.create(
        title="Attack near Gao",
        incident_type=IncidentType.objects.get(slug="armed-attack"),
        occurred_on=dt.date(2024, 9, 17),
        date_precision=DatePrecision.MONTH,
        region=region("ML-7"),
        place_name="Ansongo",
        severity=4,
        killed=3,
        injured=5,
        abducted=2,
    )

    text = text_of(client.get("/countries/ml/incidents/"))

    assert "Sep 2024 (exact day not known)" in text
    assert "Attack near Gao Armed attack" in text
    assert "Ansongo, Gao" in text
    assert "4 severe" in text
    assert "Severity Casualties" in text
    assert "4 severe 3 killed, 5 injured, 2 abducted" in text


# --- My organisation's incidents -----------------------------------------------------------


def test_my_organisations_incidents_needs_signing_in(client, db):
    response = client.get("/incidents/mine/")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/incidents/mine/"


def test_my_organisations_incidents_is_refused_to_a_user_of_no_organisation(client, cast):
    client.force_login(cast.outsider)

    assert client.get("/incidents/mine/").status_code == 403


def test_my_organisations_incidents_lists_every_status_of_my_organisation_only(client, cast):
    build_matrix(cast)
    IncidentFactory.create(title="A retracted", status=ReviewStatus.RETRACTED, organisation=cast.org_a)
    IncidentFactory.create(
        title="A submitted", status=ReviewStatus.SUBMITTED, sharing_level=SharingLevel.GREEN, organisation=cast.org_a
    )
    client.force_login(cast.officer_a)

    titles = set(listed_titles(client.get("/incidents/mine/")))

    assert titles == ALL_OF_A | {"A retracted", "A submitted"}


def test_my_organisations_incidents_keeps_the_red_rule_for_readers(client, cast):
    build_matrix(cast)
    client.force_login(cast.reader_a)

    assert set(listed_titles(client.get("/incidents/mine/"))) == ALL_OF_A - {"A red"}


# --- Pagination ----------------------------------------------------------------------------


def test_lists_are_paginated_by_fifty_newest_first_keeping_the_filters(client, db):
    start = dt.date(2024, 1, 1)
    for n in range(51):
        IncidentFactory.create(title=f"Incident {n:02d}", occurred_on=start + dt.timedelta(days=n), severity=4)
    IncidentFactory.create(title="Too mild", severity=1)

    first = client.get("/countries/ml/incidents/?severity_min=4")
    second = client.get("/countries/ml/incidents/?severity_min=4&page=2")

    assert listed_titles(first) == [f"Incident {n:02d}" for n in range(50, 0, -1)]
    assert listed_titles(second) == ["Incident 00"]
    assert "51 incidents" in text_of(first)
    assert "Page 1 of 2" in text_of(first)
    assert 'href="?severity_min=4&amp;page=2"' in first.content.decode()


def test_a_list_of_more_incidents_than_the_count_bound_says_there_are_more_and_still_pages_on(client, db, monkeypatch):
    monkeypatch.setattr(lists, "PAGE_SIZE", 2)
    monkeypatch.setattr(lists, "COUNT_BOUND", 4)
    start = dt.date(2024, 1, 1)
    for n in range(7):
        IncidentFactory.create(title=f"Incident {n}", occurred_on=start + dt.timedelta(days=n))

    first = client.get("/countries/ml/incidents/")
    third = client.get("/countries/ml/incidents/?page=3")
    fourth = client.get("/countries/ml/incidents/?page=4")

    assert "More than 4 incidents" in text_of(first)
    assert "Page 1 of more than 2" in text_of(first)
    assert 'href="?page=2"' in first.content.decode()
    # The last page is not known: no link to it.
    assert "Last" not in text_of(first)
    # Further on, the count goes as far as the page asked for.
    assert listed_titles(third) == ["Incident 2", "Incident 1"]
    assert "More than 6 incidents" in text_of(third)
    assert "Page 3 of more than 3" in text_of(third)
    # Where the end is within reach, the count is exact again.
    assert listed_titles(fourth) == ["Incident 0"]
    assert "7 incidents" in text_of(fourth)
    assert "Page 4 of 4" in text_of(fourth)


def test_a_list_within_the_count_bound_gives_the_exact_count_and_the_last_page(client, db, monkeypatch):
    monkeypatch.setattr(lists, "PAGE_SIZE", 2)
    monkeypatch.setattr(lists, "COUNT_BOUND", 4)
    for n in range(4):
        IncidentFactory.create(title=f"Incident {n}")

    page = client.get("/countries/ml/incidents/")

    assert "4 incidents" in text_of(page)
    assert "More than" not in text_of(page)
    assert "Page 1 of 2" in text_of(page)
    assert 'href="?page=2">Last' in page.content.decode()


def test_the_count_bound_says_more_than_in_french(client, db, monkeypatch):
    monkeypatch.setattr(lists, "PAGE_SIZE", 2)
    monkeypatch.setattr(lists, "COUNT_BOUND", 4)
    for n in range(5):
        IncidentFactory.create(title=f"Incident {n}")

    page = client.get("/countries/ml/incidents/", HTTP_ACCEPT_LANGUAGE="fr")

    assert "Plus de 4 incidents" in text_of(page)
    assert "Page 1 sur plus de 2" in text_of(page)


def test_a_page_number_past_the_end_shows_the_last_page(client, db):
    IncidentFactory.create(title="Only one")

    assert listed_titles(client.get("/incidents/?page=99")) == ["Only one"]


# --- Escaping ------------------------------------------------------------------------------


@pytest.mark.parametrize("url", [*LIST_URLS, "/countries/ml/", "/countries/ml/regions/ml-bko/"])
def test_script_in_title_place_and_actor_name_is_shown_escaped(client, db, url):
    incident = IncidentFactory.create(
        title="<script>alert('title')</script>",
        place_name="<script>alert('place')</script>",
        description="<script>alert('description')</script>",
        region=region("ML-BKO"),
    )
    IncidentActor.objects.create(incident=incident, actor=ActorFactory.create(name="<script>alert('actor')</script>"))

    html = client.get(url).content.decode()

    assert "<script>" not in html
    assert "&lt;script&gt;alert(&#x27;title&#x27;)&lt;/script&gt;" in html
    assert "&lt;script&gt;alert(&#x27;place&#x27;)&lt;/script&gt;" in html
    if url in LIST_URLS:
        assert "&lt;script&gt;alert(&#x27;actor&#x27;)&lt;/script&gt;" in html


# --- Addresses -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "/countries/zz/incidents/",
        "/countries/mali/incidents/",
        "/countries/ml/regions/ml-99/incidents/",
        "/countries/ne/regions/ml-bko/incidents/",
        "/countries/zz/regions/ml-bko/incidents/",
    ],
)
def test_unknown_country_or_region_is_a_404(client, db, url):
    assert client.get(url).status_code == 404


@pytest.mark.parametrize(
    ("url", "location"),
    [
        ("/countries/ML/incidents/", "/countries/ml/incidents/"),
        ("/countries/ml/regions/ML-BKO/incidents/", "/countries/ml/regions/ml-bko/incidents/"),
    ],
)
def test_upper_case_codes_redirect_to_the_lower_case_address(client, db, url, location):
    response = client.get(url)

    assert response.status_code == 301
    assert response["Location"] == location


def test_the_region_list_shows_only_that_regions_incidents(client, db):
    IncidentFactory.create(title="In Bamako", region=region("ML-BKO"))
    IncidentFactory.create(title="In Gao", region=region("ML-7"))

    assert listed_titles(client.get("/countries/ml/regions/ml-bko/incidents/")) == ["In Bamako"]
    assert set(listed_titles(client.get("/countries/ml/incidents/"))) == {"In Bamako", "In Gao"}


# --- Recent incidents on the advisory pages ------------------------------------------------


def test_country_page_shows_the_latest_ten_public_incidents_even_to_a_signed_in_officer(client, cast):
    for n in range(12):
        IncidentFactory.create(title=f"Public {n:02d}", occurred_on=dt.date(2024, 1, 1) + dt.timedelta(days=n))
    IncidentFactory.create(
        title="Green one", sharing_level=SharingLevel.GREEN, organisation=cast.org_a, occurred_on=dt.date(2025, 1, 1)
    )
    IncidentFactory.create(
        title="Submitted one", status=ReviewStatus.SUBMITTED, organisation=cast.org_a, occurred_on=dt.date(2025, 1, 1)
    )
    client.force_login(cast.officer_a)

    html = client.get("/countries/ml/").content.decode()
    section = html.split('id="incidents"')[1].split("</section>")[0]

    assert INCIDENT_LINK.findall(section) == [f"Public {n:02d}" for n in range(11, 1, -1)]
    assert 'href="/countries/ml/incidents/"' in section


def test_region_page_shows_only_its_regions_public_incidents(client, db):
    IncidentFactory.create(title="In Bamako", region=region("ML-BKO"))
    IncidentFactory.create(title="In Gao", region=region("ML-7"))

    html = client.get("/countries/ml/regions/ml-bko/").content.decode()
    section = html.split('id="incidents"')[1].split("</section>")[0]

    assert INCIDENT_LINK.findall(section) == ["In Bamako"]
    assert 'href="/countries/ml/regions/ml-bko/incidents/"' in section


def test_an_advisory_page_without_incidents_says_so(client, db):
    text = text_of(client.get("/countries/ml/regions/ml-8/"))

    assert "No incident report has been published for Kidal." in text
