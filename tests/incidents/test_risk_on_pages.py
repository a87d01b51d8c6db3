"""The risk index on the region and country pages: its figure, the sentences that explain it, the
incidents behind it one click away, its history as a chart and a table, and the page that says how
it is computed (issue 16).

Expected values are worked out by hand from incidents/risk/weights.py: severity points 1, 2, 4, 7,
10; killed 1, injured 0.5, abducted 2 per person; 0.5 for each count not known; foreigners x1.5;
recency 0.5 ** (age / 45); index round(100 * (1 - exp(-sum / 60))); window 90 days.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from lxml import html as lxml_html  # type: ignore[import-untyped]

from advisories.models import AdvisoryLevel, Country, Region
from incidents.models import Incident, IncidentType, SharingLevel, TargetType
from incidents.risk.services import risk_recompute
from incidents.services import incident_retract
from tests.advisories.helpers import text_of
from tests.factories import AdvisoryFactory, IncidentFactory, UserFactory, make_cast

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 6, 30, 12, 0, tzinfo=dt.UTC)
TODAY = NOW.date()
ROAD = "Sévaré-Bandiagara road"


@pytest.fixture(autouse=True)
def _at_noon_on_30_june() -> Any:
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def mopti(mali: Country) -> Region:
    return Region.objects.get(code="ML-5")


def incident(region: Region, days_ago: int, *, type_slug: str = "banditry-roadblock", **values: Any) -> Incident:
    targets = values.pop("targets", ())
    values = {"killed": None, "injured": None, "abducted": None, **values}
    made = IncidentFactory.create(
        region=region,
        country=region.country,
        occurred_on=TODAY - dt.timedelta(days=days_ago),
        incident_type=IncidentType.objects.get(slug=type_slug),
        **values,
    )
    if targets:
        made.target_types.set(TargetType.objects.filter(slug__in=targets))
    return made


@pytest.fixture
def mopti_incidents(mopti: Region) -> dict[str, Incident]:
    """Three published TLP:CLEAR incidents in Mopti, the index worked out by hand:

    - today, a roadblock (crime) against foreigners, severity 4, 2 killed, injured not known, none
      abducted: (7 + 2 + 0.5) x 1.5 = 14.25, recency 1 -> 14.25
    - 45 days ago, a kidnapping, severity 5, none killed or injured, 3 abducted: 10 + 6 = 16,
      recency 0.5 -> 8
    - 135 days ago (before the window), severity 2, no count known: 2 + 1.5 = 3.5, recency 0.125
      -> 0.4375
    sum 22.6875, index round(100 * (1 - exp(-22.6875 / 60))) = round(31.48) = 31, level 2.
    90 days earlier only the last counted, 45 days old then: 3.5 x 0.5 = 1.75, index
    round(100 * (1 - exp(-1.75 / 60))) = round(2.87) = 3; so up 28 points.
    """
    return {
        "roadblock": incident(
            mopti, 0, severity=4, killed=2, abducted=0, targets=("foreigners",), place_name=ROAD, title="Roadblock"
        ),
        "kidnapping": incident(
            mopti,
            45,
            type_slug="kidnapping",
            severity=5,
            killed=0,
            injured=0,
            abducted=3,
            place_name=ROAD,
            title="Kidnapping",
        ),
        "older": incident(mopti, 135, severity=2, place_name="Mopti", title="Older robbery"),
    }


def risk_section(response) -> lxml_html.HtmlElement:
    sections = lxml_html.fromstring(response.content).xpath("//section[@id='risk']")
    assert len(sections) == 1
    return sections[0]


def sentences(response) -> list[str]:
    return [" ".join(item.text_content().split()) for item in risk_section(response).xpath(".//ul/li")]


def test_the_region_page_explains_its_index_in_words_worked_out_by_hand(client, mali, mopti, mopti_incidents):
    AdvisoryFactory(country=mali, region=mopti, level=AdvisoryLevel.RECONSIDER_TRAVEL)
    risk_recompute(country=mali, now=NOW)

    response = client.get(mopti.get_absolute_url())

    section = " ".join(risk_section(response).text_content().split())
    assert "31 of 100 suggests level 2: Exercise Increased Caution." in section
    assert sentences(response) == [
        "2 published incidents in the last 90 days.",
        "By kind of threat: Crime 1, Kidnapping 1.",
        "People harmed: 2 killed, 0 injured (not known for 1 incident), 3 abducted.",
        "Foreigners were targeted in 1 of them.",
        "Up 28 points from 90 days earlier, when it was 3.",
        f"Where most happened: {ROAD} (2).",
    ]
    # Published level 3, suggested 2: the page says why they may differ.
    assert "the index counts incidents only" in section


def test_the_incidents_behind_the_figures_are_one_click_away(client, mali, mopti, mopti_incidents):
    risk_recompute(country=mali, now=NOW)

    links = risk_section(client.get(mopti.get_absolute_url())).xpath(".//a[contains(., 'incidents behind')]")
    assert [link.text_content().strip() for link in links] == ["See the 2 incidents behind these figures in Mopti"]
    # The window's first day: 89 days before 30 June.
    assert links[0].get("href") == "/countries/ml/regions/ml-5/incidents/?occurred_after=2026-04-02"

    listed = text_of(client.get(links[0].get("href")))
    assert "Roadblock" in listed and "Kidnapping" in listed and "Older robbery" not in listed


def test_a_region_never_computed_says_so_and_links_to_the_method(client, mali, mopti):
    response = client.get(mopti.get_absolute_url())

    section = " ".join(risk_section(response).text_content().split())
    assert "The risk index of Mopti has not been computed yet." in section
    assert risk_section(response).xpath(".//a/@href") == ["/risk/how/"]
    assert not risk_section(response).xpath(".//svg")


def test_the_history_is_a_chart_and_the_same_figures_as_a_table_newest_first(client, mali, mopti, mopti_incidents):
    AdvisoryFactory(country=mali, region=mopti, level=AdvisoryLevel.RECONSIDER_TRAVEL)
    risk_recompute(country=mali, now=NOW - dt.timedelta(hours=1))
    # Retracting the roadblock lowers the index it raised: without it, 8 + 0.4375 = 8.4375,
    # index round(100 * (1 - exp(-8.4375 / 60))) = round(13.12) = 13, level 1.
    incident_retract(
        incident=mopti_incidents["roadblock"], analyst=UserFactory.create(is_staff=True), reason="Duplicate report"
    )
    risk_recompute(country=mali, now=NOW)

    response = client.get(mopti.get_absolute_url())
    section = risk_section(response)

    rows = [[" ".join(cell.text_content().split()) for cell in row] for row in section.xpath(".//details//tbody/tr")]
    assert [row[1:] for row in rows] == [["13", "1", "3"], ["31", "2", "3"]]
    assert "13 of 100 suggests level 1" in " ".join(section.text_content().split())
    svg = section.xpath(".//svg")[0]
    assert svg.get("role") == "img" and svg.xpath("./title")[0].text_content().startswith("Risk index of Mopti")
    index_line = svg.xpath(".//polyline[@class='risk-index-line']/@points")[0].split()
    level_line = svg.xpath(".//polyline[@class='risk-level-line']/@points")[0].split()
    # Two steps (31, then 13 until now), each a horizontal segment; the published level 3 stays flat.
    heights = [float(point.split(",")[1]) for point in index_line]
    assert len(index_line) == 4 and heights[0] == heights[1] < heights[2] == heights[3]
    assert len({point.split(",")[1] for point in level_line}) == 1
    assert len(svg.xpath(".//rect[contains(@class, 'risk-band')]")) == 4


def test_the_country_page_gives_each_regions_index_and_the_countrys_own(client, mali, mopti, mopti_incidents):
    AdvisoryFactory(country=mali, level=AdvisoryLevel.RECONSIDER_TRAVEL)
    risk_recompute(country=mali, now=NOW)

    response = client.get(mali.get_absolute_url())
    text = text_of(response)

    assert "Risk index 31 of 100, suggesting level 2" in text
    # The country counts Mopti's incidents (and none elsewhere): the same index.
    assert "31 of 100 suggests level 2" in " ".join(risk_section(response).text_content().split())
    assert "See the 2 incidents behind these figures in Mali" in text
    assert 'href="#risk"' in response.content.decode()


def test_an_incident_shared_with_some_is_in_no_ones_explanation(client, mali, mopti, mopti_incidents):
    cast = make_cast()
    incident(
        mopti,
        0,
        severity=5,
        abducted=9,
        place_name="Konna checkpoint",
        sharing_level=SharingLevel.GREEN,
        organisation=cast.org_a,
    )
    risk_recompute(country=mali, now=NOW)

    for user in (None, cast.officer_a, cast.officer_b):
        if user:
            client.force_login(user)
        for page in (mopti.get_absolute_url(), mali.get_absolute_url()):
            response = client.get(page)
            section = " ".join(risk_section(response).text_content().split())
            assert "Konna" not in section and "31 of 100" in section
            assert "2 published incidents in the last 90 days." in sentences(response)


def test_the_method_page_gives_the_weights_an_analyst_needs(client, mali):
    text = text_of(client.get("/risk/how/"))

    assert "How the risk index is computed" in text
    # Severity points, from the incident form's own scale.
    assert "5 · Critical Mass casualties, hostages, or a threat to a whole programme. 10" in text
    assert "It adds 1 for each person killed, 0.5 for each person injured and 2 for each person abducted." in text
    assert "each of the three that is not known adds 0.5" in text
    assert "Foreigners Foreigners \u00d7 1.5" in text
    assert "halves every 45 days" in text and "older than 365 days no longer count" in text
    # 60 x ln 2 = 41.59.
    assert "a total of 41.6 points gives 50" in text
    assert "0\u201324 Level 1: Exercise Normal Precautions" in text and "75\u2013100 Level 4: Do Not Travel" in text


def test_the_risk_section_is_translated(client, mali, mopti, mopti_incidents):
    risk_recompute(country=mali, now=NOW)

    response = client.get(mopti.get_absolute_url(), headers={"accept-language": "fr"})

    section = " ".join(risk_section(response).text_content().split())
    assert "Indice de risque" in section and "31 sur 100" in section


def member_section(response) -> str:
    found = lxml_html.fromstring(response.content).xpath("//div[contains(@class, 'member-risk')]")
    return " ".join(found[0].text_content().split()) if found else ""


def test_a_member_sees_the_index_counting_what_is_shared_with_them_and_no_one_else_does(
    client, mali, mopti, mopti_incidents
):
    cast = make_cast()
    # Shared with organisation A and its partner: severity 5 today, counts known and 0: 10 points.
    incident(
        mopti, 0, severity=5, killed=0, injured=0, abducted=0, sharing_level=SharingLevel.AMBER, organisation=cast.org_a
    )
    risk_recompute(country=mali, now=NOW)

    # Organisation A's officer and its partner's reader: 22.6875 + 10 = 32.6875,
    # round(100 * (1 - exp(-32.6875 / 60))) = round(42.00) = 42, level 2; 3 incidents, 1 not public.
    for user in (cast.officer_a, cast.partner_reader):
        client.force_login(user)
        response = client.get(mopti.get_absolute_url())
        assert "the index is 42 of 100, suggesting level 2" in member_section(response), user
        assert "1 incident of the last 90 days that the public index does not count" in member_section(response)
        # The public figure stays the public one.
        assert "31 of 100 suggests level 2" in " ".join(risk_section(response).text_content().split())
    # Organisation B's officer may not see it: nothing to add to the public index.
    client.force_login(cast.officer_b)
    assert member_section(client.get(mopti.get_absolute_url())) == ""
    client.logout()
    public = client.get(mopti.get_absolute_url())
    assert member_section(public) == "" and "42 of 100" not in public.content.decode()
