"""The Atom feeds of advisory changes (/feed.atom, /countries/<code>/feed.atom): every answer is
checked against the RELAX NG schema of Atom (RFC 4287), shipped in tests/schemas/atom."""

from __future__ import annotations

import datetime as dt
import filecmp
from pathlib import Path

import pytest
from django.http import HttpRequest
from django.template.loader import render_to_string
from lxml import etree  # type: ignore[import-untyped]

from advisories.models import Country, Region
from advisories.services import advisory_set
from tests.environment import SHARED_DATA
from tests.factories import SecurityReportFactory, SecurityReportRevisionFactory, SourceFactory

pytestmark = pytest.mark.django_db

SCHEMAS = Path(__file__).resolve().parent.parent / "schemas" / "atom"
ATOM = "{http://www.w3.org/2005/Atom}"
ALL = "/feed.atom"
MALI = "/countries/ml/feed.atom"


@pytest.fixture(scope="module")
def atom_schema() -> etree.RelaxNG:
    return etree.RelaxNG(file=str(SCHEMAS / "atom_rfc4287.converted.rng"))


@pytest.fixture(autouse=True)
def _public_address(settings):
    settings.VIGIL_PUBLIC_URL = "https://vigil.example/"


def fetch(client, atom_schema, url: str) -> etree._Element:
    """The feed at `url`, after checking its answer and its validity."""
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/atom+xml; charset=utf-8"
    document = etree.fromstring(response.content)
    atom_schema.assertValid(document)
    return document


def entries(feed: etree._Element) -> list[dict[str, str]]:
    return [
        {
            "id": entry.findtext(f"{ATOM}id"),
            "title": entry.findtext(f"{ATOM}title"),
            "link": entry.find(f"{ATOM}link[@rel='alternate']").get("href"),
            "summary": entry.findtext(f"{ATOM}summary"),
            "updated": entry.findtext(f"{ATOM}updated"),
            "author": entry.findtext(f"{ATOM}author/{ATOM}name"),
        }
        for entry in feed.iter(f"{ATOM}entry")
    ]


def titles(feed: etree._Element) -> list[str]:
    return [entry["title"] for entry in entries(feed)]


def set_level(country: Country, level: int, day: dt.date, *, region: Region | None = None, **fields):
    return advisory_set(country=country, region=region, level=level, issued_on=day, **fields)[0]


# The schema bites --------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["google_invalid_no_id.atom", "google_invalid_no_title.atom"])
def test_the_schema_refuses_a_feed_without_an_id_or_a_title(atom_schema, name):
    assert not atom_schema.validate(etree.parse(str(SCHEMAS / name)))


def test_the_schema_accepts_a_valid_feed(atom_schema):
    assert atom_schema.validate(etree.parse(str(SCHEMAS / "google_amber.atom")))


@pytest.mark.shared_data
@pytest.mark.parametrize(
    "name",
    [
        "atom_rfc4287.converted.rng",
        "atom_rfc4287.rnc",
        "google_amber.atom",
        "google_invalid_no_id.atom",
        "google_invalid_no_title.atom",
    ],
)
def test_the_shipped_schema_and_examples_are_the_shared_ones_unchanged(name):
    assert filecmp.cmp(SCHEMAS / name, SHARED_DATA / "atom" / name, shallow=False)


# What the feeds carry --------------------------------------------------------------------------


def test_a_level_change_appears_in_the_country_feed_and_the_all_countries_feed(client, atom_schema, mali):
    set_level(mali, 3, dt.date(2023, 7, 31))
    raised = set_level(mali, 4, dt.date(2024, 11, 29), indicators="CTK", summary="Attacks across the country.")

    for url in (MALI, ALL):
        first = entries(fetch(client, atom_schema, url))[0]
        assert first["title"] == "Mali: level raised to 4: Do Not Travel"
        assert first["link"] == "https://vigil.example/countries/ml/"
        assert first["id"] == f"tag:vigil.example,2024:advisory/{raised.pk}"
        assert first["updated"] == "2024-11-29T00:00:00+00:00"
        assert first["summary"].startswith("Attacks across the country. Risk indicators: Crime, Terrorism, Kidnapping")
        assert "Previously level 3: Reconsider Travel." in first["summary"]


def test_a_places_first_advisory_and_a_lowered_level_are_said_as_such(client, atom_schema, mali):
    set_level(mali, 4, dt.date(2023, 7, 31))
    set_level(mali, 2, dt.date(2024, 11, 29))

    assert titles(fetch(client, atom_schema, MALI)) == [
        "Mali: level lowered to 2: Exercise Increased Caution",
        "Mali: Level 4: Do Not Travel",
    ]


def test_a_region_level_change_names_the_region_and_links_to_its_page(client, atom_schema, mali):
    mopti = Region.objects.get(code="ML-5")
    set_level(mali, 3, dt.date(2023, 7, 31), region=mopti)
    set_level(mali, 4, dt.date(2024, 11, 29), region=mopti)

    first = entries(fetch(client, atom_schema, MALI))[0]
    assert first["title"] == "Mopti (Mali): level raised to 4: Do Not Travel"
    assert first["link"] == "https://vigil.example/countries/ml/regions/ml-5/"


def test_new_risk_indicators_are_a_change_but_a_reworded_summary_is_not(client, atom_schema, mali):
    set_level(mali, 4, dt.date(2023, 7, 31), indicators="CT", summary="Attacks.")
    set_level(mali, 4, dt.date(2024, 3, 1), indicators="CTK")
    set_level(mali, 4, dt.date(2024, 11, 29), summary="Attacks, in other words.")

    assert titles(fetch(client, atom_schema, MALI)) == [
        "Mali: Level 4: Do Not Travel, risk indicators changed",
        "Mali: Level 4: Do Not Travel",
    ]


def test_a_countrys_feed_does_not_carry_another_countrys_entries(client, atom_schema, mali):
    niger = Country.objects.get(code="NE")
    set_level(mali, 4, dt.date(2024, 11, 29))
    set_level(niger, 4, dt.date(2024, 11, 30))
    set_level(niger, 3, dt.date(2024, 12, 1), region=niger.regions.order_by("code").first())
    SecurityReportRevisionFactory.create(
        report=SecurityReportFactory.create(country=niger), what_changed="Niger's report."
    )

    assert titles(fetch(client, atom_schema, MALI)) == ["Mali: Level 4: Do Not Travel"]
    assert len(entries(fetch(client, atom_schema, ALL))) == 4


def test_a_published_report_revision_is_an_entry_and_a_draft_or_future_one_is_not(client, atom_schema, mali):
    report = SecurityReportFactory.create(country=mali, title="Mali Country Security Report")
    osac = SourceFactory.create(publisher="OSAC")
    revision = SecurityReportRevisionFactory.create(
        report=report,
        number=2,
        what_changed="Kidnapping threat raised; new section on the Bamako airport road.",
        published_at=dt.datetime(2024, 11, 29, 9, 30, tzinfo=dt.UTC),
        source=osac,
    )
    SecurityReportRevisionFactory.create(report=report, number=3, published_at=None, what_changed="Draft.")
    SecurityReportRevisionFactory.create(
        report=report, number=4, published_at=dt.datetime(2999, 1, 1, tzinfo=dt.UTC), what_changed="Future."
    )

    assert entries(fetch(client, atom_schema, MALI)) == [
        {
            "id": f"tag:vigil.example,2024:report-revision/{revision.pk}",
            "title": "Mali: Mali Country Security Report, revision 2",
            "link": "https://vigil.example/countries/ml/",
            "summary": "Kidnapping threat raised; new section on the Bamako airport road.",
            "updated": "2024-11-29T09:30:00+00:00",
            "author": "OSAC",
        }
    ]


def test_entries_keep_their_ids_when_newer_changes_arrive(client, atom_schema, mali):
    set_level(mali, 3, dt.date(2023, 7, 31))
    before = {entry["title"]: entry["id"] for entry in entries(fetch(client, atom_schema, MALI))}
    set_level(mali, 4, dt.date(2024, 11, 29))
    after = {entry["title"]: entry["id"] for entry in entries(fetch(client, atom_schema, MALI))}

    assert after["Mali: Level 3: Reconsider Travel"] == before["Mali: Level 3: Reconsider Travel"]
    assert len(set(after.values())) == 2


def test_a_feed_holds_the_latest_fifty_entries(client, atom_schema, mali):
    start = dt.date(2020, 1, 1)
    for day in range(60):
        set_level(mali, 3 + day % 2, start + dt.timedelta(days=day))

    feed_entries = entries(fetch(client, atom_schema, MALI))
    assert len(feed_entries) == 50
    assert feed_entries[0]["updated"].startswith((start + dt.timedelta(days=59)).isoformat())


def test_text_with_characters_xml_cannot_carry_still_makes_a_valid_feed(client, atom_schema, mali):
    set_level(mali, 4, dt.date(2024, 11, 29), summary="Roads <closed> & mined\x0b at night.")

    assert entries(fetch(client, atom_schema, MALI))[0]["summary"].startswith("Roads <closed> & mined at night.")


def test_an_empty_feed_is_still_valid(client, atom_schema, mali):
    assert entries(fetch(client, atom_schema, MALI)) == []


def test_the_feed_reads_a_fixed_number_of_queries(client, atom_schema, mali, django_assert_num_queries):
    for day, region in enumerate(mali.regions.order_by("code")[:5]):
        set_level(mali, 3, dt.date(2024, 1, 1 + day), region=region)
        SecurityReportRevisionFactory.create(report=SecurityReportFactory.create(country=mali))

    # The country, its advisory changes, its report revisions.
    with django_assert_num_queries(3):
        client.get(MALI)


# Addresses and answers -------------------------------------------------------------------------


def test_an_unknown_country_is_a_404(client):
    assert client.get("/countries/xx/feed.atom").status_code == 404
    assert client.get("/countries/mali/feed.atom").status_code == 404


def test_an_upper_case_code_redirects_to_the_lower_case_address(client, mali):
    response = client.get("/countries/ML/feed.atom")
    assert response.status_code == 301
    assert response["Location"] == MALI


def test_a_signed_in_member_gets_the_same_feed(client, atom_schema, cast, mali):
    set_level(mali, 4, dt.date(2024, 11, 29))
    anonymous = client.get(MALI).content
    assert client.login(username="officer_a", password="correct horse battery staple", request=HttpRequest())

    assert client.get(MALI).content == anonymous


def test_an_anonymous_feed_may_be_kept_by_shared_caches(client, mali):
    set_level(mali, 4, dt.date(2024, 11, 29))
    response = client.get(MALI)

    assert "public" in response["Cache-Control"]


# Advertising the feeds ------------------------------------------------------------------------


def test_the_feed_links_point_at_the_feeds(client, mali):
    country_links = render_to_string("advisories/_feed_links.html", {"country": mali})
    site_links = render_to_string("advisories/_feed_links.html", {})

    assert 'rel="alternate" type="application/atom+xml"' in country_links
    assert f'href="{MALI}"' in country_links
    assert 'title="Travel advisory changes for Mali (Atom)"' in country_links
    assert f'href="{ALL}"' in site_links
    assert MALI not in site_links


def test_a_reader_that_has_the_feed_is_answered_304(client, mali):
    set_level(mali, 4, dt.date(2024, 11, 29))
    first = client.get(MALI)

    assert client.get(MALI, headers={"If-None-Match": first["ETag"]}).status_code == 304
    # A region's first advisory, issued before the country's latest change, still changes the feed.
    set_level(mali, 3, dt.date(2024, 1, 2), region=Region.objects.get(code="ML-5"))
    assert client.get(MALI, headers={"If-None-Match": first["ETag"]}).status_code == 200
    assert "Last-Modified" not in first
