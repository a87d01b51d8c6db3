"""The incident lists, the CSV export and the advisory pages run the same number of queries
however many incidents they show."""

import csv
import io

import pytest
from django.db import connection
from django.http import HttpRequest
from django.test.utils import CaptureQueriesContext

from advisories.models import Region
from incidents.models import Actor, IncidentActor, SharingLevel, TargetType
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
from tests.incidents.pages import INCIDENT_LINK


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
    (
        "/countries/{cc}/incidents/?severity_min=2&type=banditry-roadblock&actor={actor}&occurred_after=2000-01-01",
        "one",
    ),
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
        # A request, as a sign-in page would pass: django-axes counts failures per address.
        client.login(request=HttpRequest(), username="counted", password=TEST_PASSWORD)
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


def test_the_public_country_list_runs_nine_queries_and_reads_no_long_text(client, db):
    place = RegionFactory.create()
    build_incidents(3, organisation=None, place=place)

    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/countries/{place.country.code.lower()}/incidents/")

    assert response.status_code == 200
    statements = [query["sql"] for query in queries.captured_queries]
    # The country; the count up to its bound; the page's ids; their rows; their actors; the
    # choices of the filters (regions, types, threat categories, actors).
    assert len(statements) == 9, statements
    assert sum('FROM "advisories_country"' in sql for sql in statements) == 1
    rows = [sql for sql in statements if '"incidents_incident"."title"' in sql]
    assert len(rows) == 1
    for long_text in ("description", "sources", "source_terms", "import_repairs", "retraction_reason"):
        assert f'"incidents_incident"."{long_text}"' not in rows[0]
    # Counted up to the bound, never over every incident of the country.
    assert any("COUNT(*)" in sql and "LIMIT 1001" in sql for sql in statements)


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


@pytest.mark.django_db
def test_a_page_whose_incident_left_the_list_after_its_ids_were_picked_shows_the_others_in_order():
    from incidents.models import ReviewStatus
    from incidents.selectors import in_order_of, incidents_visible_to

    first, gone, last = IncidentFactory.create_batch(3)
    ids = [last.pk, gone.pk, first.pk]  # picked newest first
    gone.status = ReviewStatus.RETRACTED
    gone.save()

    assert in_order_of(incidents_visible_to(None), ids) == [last, first]
