"""The incident lists: who sees what, each filter, pagination, escaping, addresses, query counts,
and the recent public incidents on the country and region advisory pages."""

import csv
import datetime as dt
import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from advisories.models import Country, Region
from incidents.models import (
    Actor,
    DatePrecision,
    IncidentActor,
    IncidentType,
    ReviewStatus,
    SharingLevel,
    TargetType,
)
from tests.factories import (
    TEST_PASSWORD,
    ActorFactory,
    AdvisoryFactory,
    IncidentFactory,
    MembershipFactory,
    OrganisationFactory,
    RegionFactory,
    UserFactory,
)

INCIDENT_LINK = re.compile(r'<a href="/incidents/\d+/">([^<]*)</a>')


def listed_titles(response) -> list[str]:
    """The titles of the incidents a list page shows, in order."""
    html = response.content.decode()
    return INCIDENT_LINK.findall(html.split('class="incidents"', 1)[1]) if 'class="incidents"' in html else []


def text_of(response) -> str:
    html = response.content.decode()
    text = " ".join(re.sub(r"<[^>]+>", " ", html).split())
    return re.sub(r" ([,.:;)])", r"\1", text)


def sign_in(client, user) -> None:
    if user.is_authenticated:
        client.force_login(user)


def region(code: str) -> Region:
    return Region.objects.get(code=code)


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

    assert "Sep 2024 Within a month" in text
    assert "Attack near Gao Armed attack" in text
    assert "Ansongo, Gao" in text
    assert "4 severe" in text
    assert "Killed Injured Abducted" in text
    assert "4 severe 3 5 2" in text


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


# --- Filters, one test each ----------------------------------------------------------------


@pytest.fixture
def two(db):
    """Two public incidents that differ in everything a filter can pick."""
    jnim = ActorFactory.create(name="JNIM")
    bandits = ActorFactory.create(name="Unidentified bandits")
    first = IncidentFactory.create(
        title="Kidnapping in Gao",
        incident_type=IncidentType.objects.get(slug="kidnapping"),
        occurred_on=dt.date(2023, 3, 1),
        region=region("ML-7"),
        severity=5,
    )
    IncidentActor.objects.create(incident=first, actor=jnim)
    second = IncidentFactory.create(
        title="Roadblock near Bamako",
        incident_type=IncidentType.objects.get(slug="banditry-roadblock"),
        occurred_on=dt.date(2024, 6, 1),
        region=region("ML-BKO"),
        severity=2,
    )
    IncidentActor.objects.create(incident=second, actor=bandits)
    return {"first": first, "second": second, "jnim": jnim}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("date_from=2024-01-01", ["Roadblock near Bamako"]),
        ("date_to=2023-12-31", ["Kidnapping in Gao"]),
        ("date_from=2023-03-01&date_to=2023-03-01", ["Kidnapping in Gao"]),
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
        ("date_from=2024-13-45", "From: Enter a valid date."),
        ("date_to=yesterday", "To: Enter a valid date."),
        ("type=no-such-type", "Type: Select a valid choice."),
        ("category=sorcery", "Threat category: Select a valid choice."),
        ("actor=999999", "Actor: Select a valid choice."),
        ("actor=jnim", "Actor: Select a valid choice."),
        ("severity_min=9", "Severity: Select a valid choice. 9 is not one of the available choices."),
        ("region=NE-1", "Region: Select a valid choice."),
        ("date_from=2024-05-01&date_to=2024-01-01", "The start date (2024-05-01) is after the end date (2024-01-01)."),
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


def test_the_export_link_carries_the_filters_and_the_place(client, db):
    html = client.get("/countries/ml/regions/ml-bko/incidents/?severity_min=3&page=1").content.decode()

    assert 'href="/incidents/export.csv?severity_min=3&amp;region=ML-BKO"' in html


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


# --- Query counts --------------------------------------------------------------------------


def build_incidents(count: int, *, organisation, place: Region, levels=(SharingLevel.CLEAR,)) -> None:
    """`count` published incidents, each with two actors ("Group n", "Militia n") and two target
    types, their sharing levels taken in turn from `levels`."""
    targets = list(TargetType.objects.order_by("position")[:2])
    for n in range(count):
        incident = IncidentFactory.create(
            country=place.country, region=place, organisation=organisation, sharing_level=levels[n % len(levels)]
        )
        incident.target_types.set(targets)
        for name in (f"Group {n}", f"Militia {n}"):
            IncidentActor.objects.create(incident=incident, actor=ActorFactory.create(name=name))


def fetch(client, url: str) -> tuple[int, bytes]:
    """The number of queries that serving `url` runs, streamed content included, and the content."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
        content = b"".join(response.streaming_content) if response.streaming else response.content
    assert response.status_code == 200, content[:500]
    return len(queries), content


def rows_in(content: bytes) -> int:
    """The incidents a list page or a CSV export shows."""
    text = content.decode("utf-8-sig")
    if text.startswith("id,"):
        return len(list(csv.reader(io.StringIO(text)))) - 1
    return len(INCIDENT_LINK.findall(text.split('class="incidents"', 1)[1])) if 'class="incidents"' in text else 0


LEVEL_TURNS = (SharingLevel.CLEAR, SharingLevel.GREEN, SharingLevel.AMBER)


COUNTED_PAGES = [
    ("/incidents/", "all"),
    ("/incidents/mine/", "all"),
    ("/countries/{cc}/incidents/", "place"),
    ("/countries/{cc}/regions/{rc}/incidents/", "place"),
    ("/countries/{cc}/incidents/?severity_min=2&type=banditry-roadblock&actor={actor}&date_from=2000-01-01", "one"),
    ("/incidents/export.csv", "all"),
    ("/incidents/export.csv?mine=1&severity_min=1", "all"),
    ("/incidents/export.csv?region={RC}&actor={actor}", "one"),
]


@pytest.mark.parametrize(
    ("path", "scope", "signed_in"),
    [(path, scope, True) for path, scope in COUNTED_PAGES]
    # Only signed-in members have their organisation's incidents.
    + [(path, scope, False) for path, scope in COUNTED_PAGES if "mine" not in path],
)
def test_list_pages_and_export_run_the_same_queries_for_3_or_30_incidents(client, db, path, scope, signed_in):
    organisation = OrganisationFactory.create()
    MembershipFactory.create(user=UserFactory.create(username="counted"), organisation=organisation)
    if signed_in:
        client.login(username="counted", password=TEST_PASSWORD)
    counts: list[int] = []
    built = 0
    for size in (3, 30):
        place = RegionFactory.create()
        build_incidents(size, organisation=organisation, place=place, levels=LEVEL_TURNS)
        built += size
        actor = Actor.objects.get(name="Group 0")  # the first incident of each place: TLP:CLEAR
        url = path.format(cc=place.country.code.lower(), rc=place.code.lower(), RC=place.code, actor=actor.pk)

        queries, content = fetch(client, url)

        # Every third incident is TLP:CLEAR, the first of each place included.
        public_here = len(range(0, size, 3))
        public_in_all = 1 if size == 3 else 1 + public_here
        if signed_in:
            visible = {"all": built, "place": size, "one": 1}[scope]
        else:
            visible = {"all": public_in_all, "place": public_here, "one": 1}[scope]
        # The pages and the export really show what was built, so the counts measure full pages.
        assert rows_in(content) == visible
        counts.append(queries)
    assert counts[0] == counts[1]


def test_advisory_pages_run_the_same_queries_for_few_or_many_incidents(client, db):
    place = RegionFactory.create()
    AdvisoryFactory.create(country=place.country, level=2)
    build_incidents(3, organisation=None, place=place)
    few = [fetch(client, place.country.get_absolute_url())[0], fetch(client, place.get_absolute_url())[0]]
    build_incidents(27, organisation=None, place=place)
    many_country, country_html = fetch(client, place.country.get_absolute_url())
    many_region, region_html = fetch(client, place.get_absolute_url())

    assert few == [many_country, many_region]
    # Only the latest ten, on both pages.
    assert country_html.count(b"Roadblock on the national road") == 10
    assert region_html.count(b"Roadblock on the national road") == 10
