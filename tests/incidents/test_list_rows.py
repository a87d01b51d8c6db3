"""The list pages' rows, written by the incident_rows tag from plain values: they show what the
row template showed, only what the viewer may see, and the filters' choices keep their order."""

import datetime as dt
import re
from html import unescape
from pathlib import Path

import pytest
from django.db import connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from advisories.selectors import name_sort_key
from incidents.access import may_see_reporter, viewer_for
from incidents.models import DatePrecision, IncidentActor, IncidentType, ReviewStatus, SharingLevel
from incidents.selectors import incident_list_for, incident_rows
from incidents.templatetags.incidents import _html, detail_urls
from tests.factories import ActorFactory, IncidentFactory
from tests.incidents.pages import listed_titles, sign_in

pytestmark = pytest.mark.django_db

# The rows as incidents/_incident_table.html wrote them before the tag, from model instances.
TEMPLATE_ROW = (Path(__file__).parent / "incident_row_before_the_tag.html").read_text()


def squeezed(html: str) -> str:
    return re.sub(r"\s+", " ", html).replace("> <", "><").strip()


def varied_incidents(cast) -> None:
    """Rows that take every branch of the row: times, date precisions, places, tolls, actors,
    a type without its French name, a title to escape, reporters named or not."""
    untranslated = IncidentType.objects.get(slug="banditry-roadblock")
    untranslated.name_fr = ""
    untranslated.save()
    cast.org_b.named_publicly = True
    cast.org_b.save()
    common = {"status": ReviewStatus.PUBLISHED}
    IncidentFactory.create(
        title='Ambush <b>&</b> "fire"', occurred_at_time=dt.time(6, 5), place_name="Sévaré", **common
    )
    IncidentFactory.create(
        date_precision=DatePrecision.WEEK, region=None, place_name="Near the river", killed=3, **common
    )
    IncidentFactory.create(date_precision=DatePrecision.MONTH, killed=0, injured=2, abducted=None, **common)
    IncidentFactory.create(date_precision=DatePrecision.YEAR, organisation=cast.org_a, sharing_level=SharingLevel.GREEN)
    IncidentFactory.create(organisation=cast.org_a, sharing_level=SharingLevel.AMBER, status=ReviewStatus.SUBMITTED)
    IncidentFactory.create(organisation=cast.org_b, **common)
    acted = IncidentFactory.create(incident_type=IncidentType.objects.exclude(pk=untranslated.pk).first(), **common)
    for name in ("Zeta group", "Alpha militia"):
        IncidentActor.objects.create(incident=acted, actor=ActorFactory.create(name=name))


@pytest.mark.parametrize("person", ["anonymous", "officer_a", "officer_b", "analyst"])
@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize("show_country", [True, False])
def test_the_rows_show_what_the_row_template_showed(cast, person, language, show_country):
    varied_incidents(cast)
    viewer = viewer_for(getattr(cast, person))
    incidents = incident_list_for(viewer)
    ids = list(incidents.values_list("pk", flat=True))
    shown = list(incidents)
    for incident in shown:
        shown_reporter = incident.organisation if may_see_reporter(viewer, incident) else None
        setattr(incident, "shown_reporter", shown_reporter)  # noqa: B010 - what the view used to set
    signed_in = person != "anonymous"
    context = {"signed_in": signed_in, "show_country": show_country}

    with translation.override(language):
        before = Template(TEMPLATE_ROW).render(Context({**context, "incidents": shown}))
        after = Template("{% load incidents %}{% incident_rows rows %}").render(
            Context({**context, "rows": incident_rows(incidents, ids, viewer=viewer)})
        )

    assert squeezed(after) == squeezed(before)
    assert after.count("<tr>") == len(ids) >= 4


def test_the_rows_keep_the_order_of_their_ids_and_leave_out_an_incident_no_longer_visible(cast):
    first, gone, last = IncidentFactory.create_batch(3)
    gone.status = ReviewStatus.RETRACTED
    gone.save()
    viewer = viewer_for(None)

    rows = incident_rows(incident_list_for(viewer), [last.pk, gone.pk, first.pk], viewer=viewer)

    assert [row.pk for row in rows] == [last.pk, first.pk]


def test_the_rows_name_the_reporter_only_where_the_viewer_may_learn_it(cast):
    IncidentFactory.create(organisation=cast.org_a, sharing_level=SharingLevel.GREEN, title="Green of A")
    IncidentFactory.create(organisation=cast.org_a, sharing_level=SharingLevel.CLEAR, title="Clear of A")

    def reporters(person):
        viewer = viewer_for(getattr(cast, person))
        incidents = incident_list_for(viewer)
        rows = incident_rows(incidents, list(incidents.values_list("pk", flat=True)), viewer=viewer)
        return {row.title: row.reporter for row in rows}

    assert reporters("officer_a") == {"Green of A": "Sahel Relief", "Clear of A": "Sahel Relief"}
    assert reporters("officer_b") == {"Green of A": "Sahel Relief", "Clear of A": None}
    assert reporters("anonymous") == {"Clear of A": None}


def test_a_second_organisations_amber_incident_is_never_listed_for_another_organisations_member(client, cast):
    IncidentFactory.create(organisation=cast.org_b, sharing_level=SharingLevel.AMBER, title="Amber of B")
    IncidentFactory.create(organisation=cast.org_b, sharing_level=SharingLevel.GREEN, title="Green of B")
    IncidentFactory.create(organisation=cast.org_a, sharing_level=SharingLevel.AMBER, title="Amber of A")
    sign_in(client, cast.officer_a)

    for path in ("/incidents/", "/countries/ml/incidents/", "/incidents/?page=1&severity_min=1"):
        titles = listed_titles(client.get(path))
        assert "Amber of B" not in titles
        assert {"Green of B", "Amber of A"} <= set(titles)
    sign_in(client, cast.officer_b)
    assert "Amber of A" not in listed_titles(client.get("/countries/ml/incidents/"))


def test_the_detail_addresses_reversed_once_are_those_reverse_gives():
    address = detail_urls()

    for pk in (1, 10, 2024, 1000001):
        assert address(pk) == reverse("incidents:detail", kwargs={"pk": pk})
    with translation.override("fr"):
        assert detail_urls()(7) == reverse("incidents:detail", kwargs={"pk": 7})


def test_the_choices_follow_the_countries_order_and_are_read_without_server_side_cursors(client):
    with CaptureQueriesContext(connection) as queries:
        html = client.get("/incidents/?country=ml").content.decode()

    assert not [query["sql"] for query in queries.captured_queries if "DECLARE" in query["sql"]]
    select = html.split('<select name="country"', 1)[1].split("</select>", 1)[0]
    countries = [unescape(name) for name in re.findall(r'<option value="[A-Z]{2}"[^>]*>([^<]+)</option>', select)]
    assert len(countries) > 200
    assert countries == sorted(countries, key=name_sort_key)
    assert '<option value="ML" selected>' in select
    regions = html.split('<select name="region"', 1)[1].split("</select>", 1)[0]
    assert 'value="ML-BKO"' in regions


@pytest.mark.parametrize(
    "value",
    ['Convoy "attacked" <near> Gao & Ansongo', mark_safe("<em>kept as it is</em>"), gettext_lazy("Date"), 42, None],
)
def test_the_rows_escape_each_value_as_format_html_does(value):
    assert _html("<td>{}</td>", value) == format_html("<td>{}</td>", value)
