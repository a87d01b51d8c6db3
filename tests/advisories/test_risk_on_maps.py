"""The risk index on the country and region maps: regions stay coloured by the level analysts
published, and each region's current index and suggested level are told beside the colour, in
its title, its map data and the legend."""

from __future__ import annotations

import datetime as dt

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from lxml import html  # type: ignore[import-untyped]

from advisories.models import AdvisoryLevel, Region, RiskAssessment
from tests.factories import AdvisoryFactory

pytestmark = pytest.mark.django_db

LEVEL_3, LEVEL_4 = "#e07400", "#a3150f"
NOW = dt.datetime(2026, 11, 20, 3, 0, tzinfo=dt.UTC)


@pytest.fixture
def mopti(mali):
    """Mali at level 3; Mopti at level 4 of its own, with an index suggesting level 3 (and an older
    assessment that no longer counts); Kidal with no index."""
    AdvisoryFactory(country=mali, level=AdvisoryLevel.RECONSIDER_TRAVEL)
    mopti = Region.objects.get(code="ML-5")
    AdvisoryFactory(country=mali, region=mopti, level=AdvisoryLevel.DO_NOT_TRAVEL)
    RiskAssessment.objects.create(
        country=mali,
        region=mopti,
        computed_at=NOW - dt.timedelta(days=3),
        index=20,
        suggested_level=1,
        is_current=False,
    )
    RiskAssessment.objects.create(
        country=mali, region=mopti, computed_at=NOW, index=62, suggested_level=3, published_level=4
    )
    # The country's own index is not a region's.
    RiskAssessment.objects.create(country=mali, computed_at=NOW, index=90, suggested_level=4)
    return mopti


def properties_by_code(client, path: str) -> dict[str, dict]:
    data = client.get(path).json()
    return {feature["properties"]["code"]: feature["properties"] for feature in data["areas"]["features"]}


def test_the_country_map_data_gives_each_regions_index_and_keeps_the_published_colour(client, mopti):
    regions = properties_by_code(client, "/countries/ml/map.json")

    assert regions["ML-5"]["colour"] == LEVEL_4 and regions["ML-5"]["level"] == 4
    assert (regions["ML-5"]["risk_index"], regions["ML-5"]["suggested_level"]) == (62, 3)
    assert regions["ML-5"]["risk_label"] == "Risk index 62 of 100, suggesting level 3"
    assert regions["ML-5"]["label"] == "Mopti (Level 4: Do Not Travel; Risk index 62 of 100, suggesting level 3)"
    assert (regions["ML-8"]["risk_index"], regions["ML-8"]["suggested_level"], regions["ML-8"]["risk_label"]) == (
        None,
        None,
        "",
    )
    assert regions["ML-8"]["label"] == "Kidal (Level 3: Reconsider Travel)"


def test_the_region_map_data_gives_the_index_of_the_region_only(client, mopti):
    regions = properties_by_code(client, "/countries/ml/regions/ml-5/map.json")

    assert regions["ML-5"]["risk_index"] == 62
    assert {props["risk_index"] for code, props in regions.items() if code != "ML-5"} == {None}


def test_the_world_map_data_has_no_risk_properties(client, mopti):
    countries = properties_by_code(client, "/map.json")

    assert "risk_index" not in countries["ML"]


def render(tag: str, **context) -> html.HtmlElement:
    request = RequestFactory().get("/")
    text = Template("{% load maps incident_maps %}" + tag).render(Context({"request": request, **context}))
    return html.fragment_fromstring(text, create_parent="div")


def test_the_svg_map_titles_the_index_and_its_legend_explains_it(mali, mopti):
    page = render("{% country_map country %}", country=mali)

    region = page.find(".//a[@data-code='ML-5']")
    assert region.find("path").get("fill") == LEVEL_4
    assert region.findtext("title") == "Mopti (Level 4: Do Not Travel; Risk index 62 of 100, suggesting level 3)"
    note = page.find(".//p[@class='note map-risk-note']").text_content()
    assert "risk index, 0 to 100" in note and "levels analysts published" in note


def test_a_map_without_any_index_says_nothing_of_it(mali):
    page = render("{% country_map country %}", country=mali)

    assert page.find(".//p[@class='note map-risk-note']") is None
