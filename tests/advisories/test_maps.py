"""The maps of a country, a region and the world: inline SVG (complete without JavaScript) and the
JSON that the Leaflet map draws. Places of incidents are ACLED's coordinates of Malian towns
(../shared/data/acled/acled_mali_2017-2018.csv): Hombori (Mopti) and Sebete (Koulikoro)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.template import Context, Template
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from lxml import html  # type: ignore[import-untyped]

from advisories import maps
from advisories.models import AdvisoryLevel, Region, RegionBoundary
from incidents.models import ReviewStatus, SharingLevel
from tests.factories import AdvisoryFactory, IncidentFactory

pytestmark = pytest.mark.django_db

HOMBORI = {"latitude": "15.27900", "longitude": "-1.70040"}
SEBETE = {"latitude": "14.03360", "longitude": "-7.14510"}
LEVEL_3, LEVEL_4, GREY = "#e07400", "#a3150f", maps.NO_LEVEL_COLOUR


@pytest.fixture
def levels(mali):
    """Mali at level 3 as a whole; Mopti (ML-5) at level 4 of its own."""
    AdvisoryFactory(country=mali, level=AdvisoryLevel.RECONSIDER_TRAVEL)
    mopti = Region.objects.get(code="ML-5")
    AdvisoryFactory(country=mali, region=mopti, level=AdvisoryLevel.DO_NOT_TRAVEL)
    return mopti


@pytest.fixture
def incidents(mali, levels, cast):
    """One published incident of each sharing level that matters, and an unpublished public one."""
    mopti = levels
    koulikoro = Region.objects.get(code="ML-2")
    return {
        "clear": IncidentFactory(title="Public ambush", region=mopti, **HOMBORI),
        "clear_by_region": IncidentFactory(title="Public roadblock, place unknown", region=koulikoro),
        "green": IncidentFactory(
            title="Community ambush", region=mopti, sharing_level=SharingLevel.GREEN, organisation=cast.org_a, **HOMBORI
        ),
        "amber": IncidentFactory(
            title="Partners' ambush",
            region=koulikoro,
            sharing_level=SharingLevel.AMBER,
            organisation=cast.org_a,
            **SEBETE,
        ),
        "submitted": IncidentFactory(
            title="Unreviewed ambush",
            region=koulikoro,
            status=ReviewStatus.SUBMITTED,
            organisation=cast.org_a,
            **SEBETE,
        ),
    }


def render(tag: str, user: Any, **context: Any) -> html.HtmlElement:
    request = RequestFactory().get("/")
    request.user = user
    text = Template("{% load maps incident_maps %}" + tag).render(Context({"request": request, **context}))
    return html.fragment_fromstring(text, create_parent="div")


def area_fills(svg: html.HtmlElement) -> dict[str, str]:
    return {a.get("data-code"): a.find("path").get("fill") for a in svg.iterfind(".//a[@data-code]")}


def point_links(svg: html.HtmlElement) -> set[str]:
    return {a.get("href") for a in svg.iterfind(".//a[@class='map-point']") if a.find("circle") is not None}


def test_the_country_map_draws_each_region_with_an_outline_in_the_colour_of_its_level(mali, levels, cast):
    page = render("{% country_map country %}", cast.anonymous, country=mali)

    fills = area_fills(page)
    outlined = set(RegionBoundary.objects.filter(region__country=mali).values_list("region__code", flat=True))
    assert set(fills) == outlined and len(fills) == 10
    assert len(page.findall(".//svg//path")) == 10
    assert fills["ML-5"] == LEVEL_4  # Mopti's own level
    assert fills["ML-8"] == LEVEL_3  # Kidal has none: the country's applies
    assert {fills[code] for code in outlined - {"ML-5"}} == {LEVEL_3}
    mopti = page.find(".//a[@data-code='ML-5']")
    assert mopti.get("href") == "/countries/ml/regions/ml-5/"
    assert mopti.findtext("title") == "Mopti (Level 4: Do Not Travel)"
    # Named, captioned, with its legend, and honest about the region it cannot draw.
    svg = page.find(".//svg")
    title_id = svg.get("aria-labelledby")
    assert page.find(f".//title[@id='{title_id}']").text.startswith("Map of Mali")
    legend = [item.text_content() for item in page.iterfind(".//ul[@class='map-legend']/li")]
    # Only the levels drawn: Mali's 3 and Mopti's 4.
    assert legend[:2] == [f"Level {n}: {AdvisoryLevel(n).label}" for n in (3, 4)]
    assert not any(entry.startswith(("Level 1", "Level 2")) for entry in legend)
    assert "Taoudénit" in page.find(".//figcaption").text_content()


def test_a_region_without_any_advisory_is_grey(mali):
    page = render("{% country_map country %}", None, country=mali)

    assert set(area_fills(page).values()) == {GREY}


def test_an_anonymous_visitor_sees_only_published_clear_incidents_on_the_map(mali, incidents, cast):
    page = render("{% country_map country %}", cast.anonymous, country=mali)

    assert point_links(page) == {
        incidents["clear"].get_absolute_url(),
        incidents["clear_by_region"].get_absolute_url(),
    }
    assert len(page.findall(".//circle")) == 2


def test_members_see_the_same_public_map_as_everyone(mali, incidents, cast):
    """The map belongs to the public advisory page: a member's GREEN or AMBER incidents are in
    the incident lists, never on a page that may be cached and shared."""
    public = {incidents[key].get_absolute_url() for key in ("clear", "clear_by_region")}
    for member in (cast.reader_a, cast.officer_b, cast.analyst):
        assert point_links(render("{% country_map country %}", member, country=mali)) == public


def test_an_incident_is_drawn_where_it_happened_or_inside_its_region(mali, incidents, cast):
    page = render("{% country_map country %}", cast.anonymous, country=mali)
    place_map = maps.country_map(mali)
    assert place_map is not None

    def circle(incident) -> tuple[float, float]:
        dot = page.find(f".//a[@href='{incident.get_absolute_url()}']/circle")
        return float(dot.get("cx")), float(dot.get("cy"))

    assert circle(incidents["clear"]) == place_map.project(-1.7004, 15.279)
    koulikoro = Region.objects.get(code="ML-2")
    assert circle(incidents["clear_by_region"]) == place_map.project(*place_map.anchors[koulikoro.pk])
    titles = {a.get("href"): a.findtext("title") for a in page.iterfind(".//a[@class='map-point']")}
    assert titles[incidents["clear"].get_absolute_url()] == "Public ambush (17 Sep 2024)"
    assert titles[incidents["clear_by_region"].get_absolute_url()].endswith("the exact place is not known.")


def test_the_region_map_draws_the_region_in_its_colour_among_grey_neighbours(mali, incidents, cast):
    mopti = Region.objects.get(code="ML-5")
    page = render("{% region_map region %}", cast.anonymous, region=mopti)

    fills = area_fills(page)
    assert fills.pop("ML-5") == LEVEL_4
    assert fills and set(fills.values()) == {GREY}
    # The region is drawn last, over its neighbours.
    assert page.findall(".//a[@data-code]")[-1].get("data-code") == "ML-5"
    assert point_links(page) == {incidents["clear"].get_absolute_url()}


def test_a_region_without_an_outline_has_no_map(mali, cast):
    taoudenit = Region.objects.get(code="ML-10")

    assert render("{% region_map region %}", cast.anonymous, region=taoudenit).find(".//svg") is None


def test_the_country_map_data_has_the_same_places_and_points(client, mali, incidents):
    response = client.get("/countries/ml/map.json")

    assert response.status_code == 200
    data = response.json()
    colours = {feature["properties"]["code"]: feature["properties"]["colour"] for feature in data["areas"]["features"]}
    assert len(colours) == 10 and colours["ML-5"] == LEVEL_4 and colours["ML-8"] == LEVEL_3
    mopti = next(f for f in data["areas"]["features"] if f["properties"]["code"] == "ML-5")
    assert mopti["properties"]["level"] == 4 and mopti["properties"]["url"] == "/countries/ml/regions/ml-5/"
    assert mopti["geometry"]["type"] in ("Polygon", "MultiPolygon")
    points = {feature["properties"]["url"]: feature for feature in data["points"]["features"]}
    assert set(points) == {incidents["clear"].get_absolute_url(), incidents["clear_by_region"].get_absolute_url()}
    ambush = points[incidents["clear"].get_absolute_url()]
    assert ambush["geometry"]["coordinates"] == [-1.7004, 15.279]
    assert ambush["properties"] == {
        "title": "Public ambush",
        "date": "17 Sep 2024",
        "url": incidents["clear"].get_absolute_url(),
        "approximate": False,
    }
    assert "max-age=" in response["Cache-Control"]


def test_unchanged_map_data_is_answered_not_modified(client, mali, incidents):
    first = client.get("/countries/ml/map.json")

    again = client.get("/countries/ml/map.json", headers={"if-none-match": first["ETag"]})

    assert again.status_code == 304 and again.content == b""
    IncidentFactory(title="A new public ambush", region=incidents["clear"].region, **SEBETE)
    assert client.get("/countries/ml/map.json", headers={"if-none-match": first["ETag"]}).status_code == 200


def test_a_signed_in_member_gets_only_the_public_incidents_in_map_data(client, mali, incidents, cast):
    client.force_login(cast.reader_a)

    response = client.get("/countries/ml/map.json")

    titles = {feature["properties"]["title"] for feature in response.json()["points"]["features"]}
    assert titles == {"Public ambush", "Public roadblock, place unknown"}


def test_the_region_map_data_has_the_region_and_its_incidents(client, mali, incidents):
    data = client.get("/countries/ml/regions/ml-5/map.json").json()

    focus = [f["properties"]["code"] for f in data["areas"]["features"] if f["properties"]["focus"]]
    assert focus == ["ML-5"]
    assert [f["properties"]["title"] for f in data["points"]["features"]] == ["Public ambush"]


@pytest.mark.parametrize(
    "path",
    [
        "/countries/zz/map.json",
        "/countries/ml/regions/ml-99/map.json",
        "/countries/ne/regions/ml-5/map.json",  # Mopti is not in Niger
        "/countries/ml/regions/ml-10/map.json",  # Taoudénit has no outline
    ],
)
def test_map_data_of_an_unknown_place_is_not_found(client, mali, path):
    assert client.get(path).status_code == 404


def test_an_upper_case_code_redirects_to_the_map_data_address(client, mali):
    response = client.get("/countries/ML/map.json")

    assert response.status_code == 301 and response["Location"] == "/countries/ml/map.json"


def test_the_world_map_colours_countries_by_their_level_and_links_them(mali, client):
    AdvisoryFactory(country=mali, level=AdvisoryLevel.DO_NOT_TRAVEL)

    page = render("{% world_map %}", None)

    fills = area_fills(page)
    assert fills["ML"] == LEVEL_4
    assert fills["NE"] == GREY  # Niger: no advisory published
    assert len(fills) > 150 and "AQ" not in fills
    mali_link = page.find(".//a[@data-code='ML']")
    assert mali_link.get("href") == "/countries/ml/"
    assert mali_link.findtext("title") == "Mali (Level 4: Do Not Travel)"
    data = client.get("/map.json").json()
    colours = {feature["properties"]["code"]: feature["properties"]["colour"] for feature in data["areas"]["features"]}
    assert colours["ML"] == LEVEL_4 and colours["NE"] == GREY
    assert data["points"]["features"] == []


def test_a_country_without_region_outlines_is_drawn_as_its_outline(cast):
    from advisories.models import Country

    niger = Country.objects.get(code="NE")
    AdvisoryFactory(country=niger, level=AdvisoryLevel.RECONSIDER_TRAVEL)

    page = render("{% country_map country %}", cast.anonymous, country=niger)

    assert area_fills(page) == {"NE": LEVEL_3}


def test_a_changed_boundary_is_drawn_anew(mali, cast):
    before = render("{% country_map country %}", cast.anonymous, country=mali)
    boundary = RegionBoundary.objects.get(region__code="ML-BKO")
    boundary.geometry = {
        "type": "Polygon",
        "coordinates": [[[-8.1, 12.5], [-7.9, 12.5], [-7.9, 12.7], [-8.1, 12.7], [-8.1, 12.5]]],
    }
    boundary.save()

    after = render("{% country_map country %}", cast.anonymous, country=mali)

    def bamako(page: html.HtmlElement) -> str:
        return page.find(".//a[@data-code='ML-BKO']/path").get("d")

    assert bamako(after) != bamako(before)
    assert bamako(after).count("l") == 1 and len(bamako(after)) < 40  # a simple square


def _queries(action) -> int:
    with CaptureQueriesContext(connection) as captured:
        action()
    return len(captured)


def _add_incidents(region: Region, count: int) -> None:
    for day in range(count):
        IncidentFactory(region=region, occurred_on=dt.date(2024, 9, 1) + dt.timedelta(days=day), **HOMBORI)


@pytest.mark.parametrize("tag", ["{% country_map place %}", "{% region_map place %}"])
def test_a_map_runs_the_same_few_queries_for_1_or_40_incidents(mali, levels, cast, tag):
    place = mali if "country" in tag else levels
    _add_incidents(levels, 1)
    render(tag, cast.anonymous, place=place)  # the outlines are read once and kept

    one = _queries(lambda: render(tag, cast.anonymous, place=place))
    _add_incidents(levels, 39)
    forty = _queries(lambda: render(tag, cast.anonymous, place=place))
    member = _queries(lambda: render(tag, cast.reader_a, place=place))

    # Boundary stamps, the regions' levels, the incidents.
    assert one == forty == 3
    assert member == forty  # the same public map for a member
    assert len(render(tag, cast.anonymous, place=place).findall(".//circle")) == 40


def test_map_data_runs_the_same_few_queries_for_1_or_40_incidents(client, mali, levels):
    _add_incidents(levels, 1)
    client.get("/countries/ml/map.json")

    one = _queries(lambda: client.get("/countries/ml/map.json"))
    _add_incidents(levels, 39)
    forty = _queries(lambda: client.get("/countries/ml/map.json"))

    # The country, boundary stamps, the regions' levels, the incidents.
    assert one == forty == 4
    assert len(client.get("/countries/ml/map.json").json()["points"]["features"]) == 40
