"""A casualty count that is not known is shown, exported and alerted as not known, never as 0;
a 0 stays a 0. The demo says "not known" where its documents give no figure, and the migration
turns the demo's old zeros into unknown."""

import csv
import importlib
import io

import pytest
from django.apps import apps
from django.core.management import call_command
from django.test import Client

from incidents.casualties import casualty_text
from incidents.models import Incident, ReviewStatus
from tests.factories import IncidentFactory
from tests.incidents.pages import region, text_of

pytestmark = pytest.mark.django_db

RADISSON = "osac-2015-bamako-radisson-blu"
# The data migration's function, run with the project's models: 0006 only changes data, so they
# are the models it runs with. (Migrating back and forth in a test is not possible on SQLite.)
MIGRATION = importlib.import_module("incidents.migrations.0006_demo_counts_unknown")


@pytest.mark.parametrize(
    ("counts", "words"),
    [
        ((2, 0, 1), "2 killed, 0 injured, 1 abducted"),
        ((70, None, None), "70 killed; injured and abducted not known"),
        ((None, 3, 0), "3 injured, 0 abducted; killed not known"),
        ((None, None, None), "Killed, injured and abducted: not known"),
    ],
)
def test_casualties_say_which_counts_are_not_known(counts, words):
    killed, injured, abducted = counts
    assert casualty_text(killed=killed, injured=injured, abducted=abducted) == words


def test_the_detail_page_says_not_known_and_never_none_or_zero(client):
    incident = IncidentFactory.create(title="Ambush", killed=2, injured=None, abducted=None)

    text = text_of(client.get(f"/incidents/{incident.pk}/"))

    assert "Impact 2 killed; injured and abducted not known" in text
    assert "None" not in text and "0 injured" not in text


def test_the_list_shows_a_count_not_known_as_such_and_a_zero_as_zero(client):
    IncidentFactory.create(title="Ambush", killed=0, injured=None, abducted=4)

    html = client.get("/countries/ml/incidents/").content.decode()
    row = html.split("Ambush</a>")[1].split("</tr>")[0]

    cell = row.split('<td class="casualties" data-label="Casualties">')[1].split("</td>")[0]
    assert cell == "0 killed, 4 abducted; injured not known"


def test_the_country_page_gives_known_casualties_with_the_unknown_ones_named(client):
    IncidentFactory.create(title="Ambush", region=region("ML-7"), killed=5, injured=None, abducted=None)
    IncidentFactory.create(title="Theft", region=region("ML-7"))

    text = text_of(client.get("/countries/ml/"))

    assert "5 killed; injured and abducted not known." in text
    assert "0 killed" not in text and "None" not in text


def test_the_review_queue_says_which_counts_are_not_known(cast):
    IncidentFactory.create(title="Submitted", status=ReviewStatus.SUBMITTED, organisation=cast.org_a, injured=1)
    client = Client()
    client.force_login(cast.analyst)

    text = text_of(client.get("/incidents/review/"))

    assert "1 injured; killed and abducted not known" in text


def test_the_demo_radisson_blu_attack_shows_no_zero_anywhere(client):
    call_command("load_demo", stdout=io.StringIO())
    radisson = Incident.objects.get(external_source="demo", external_id=RADISSON)
    assert (radisson.killed, radisson.injured, radisson.abducted) == (None, None, None)

    page = text_of(client.get(f"/incidents/{radisson.pk}/"))
    api = client.get(f"/api/v1/incidents/{radisson.pk}/").json()
    export = b"".join(client.get("/incidents/export.csv").streaming_content).decode("utf-8-sig")
    [row] = [row for row in csv.DictReader(io.StringIO(export)) if row["external_id"] == RADISSON]

    assert "Killed, injured and abducted: not known" in page and "0 killed" not in page
    assert (api["killed"], api["injured"], api["abducted"]) == (None, None, None)
    assert (row["killed"], row["injured"], row["abducted"]) == ("", "", "")


def test_the_migration_turns_the_demos_zeros_into_unknown_and_keeps_everyone_elses():
    demo = IncidentFactory.create(external_source="demo", external_id="x", killed=0, injured=0, abducted=2)
    imported = IncidentFactory.create(external_source="acled", external_id="y", killed=0, injured=0, abducted=0)
    logged = IncidentFactory.create(killed=0, injured=0, abducted=0)

    MIGRATION.demo_zeros_to_unknown(apps, None)

    for incident in (demo, imported, logged):
        incident.refresh_from_db()
    assert (demo.killed, demo.injured, demo.abducted) == (None, None, 2)
    # An officer's or a source's 0 may be a real zero: it is kept.
    assert (imported.killed, imported.injured, imported.abducted) == (0, 0, 0)
    assert (logged.killed, logged.injured, logged.abducted) == (0, 0, 0)


def test_loading_the_demo_after_the_migration_gives_back_the_zeros_its_documents_vouch_for():
    call_command("load_demo", stdout=io.StringIO())
    Incident.objects.filter(external_source="demo").update(abducted=0)
    MIGRATION.demo_zeros_to_unknown(apps, None)

    call_command("load_demo", stdout=io.StringIO())

    rescue = Incident.objects.get(external_source="demo", external_id="osac-2019-05-border-hostage-rescue")
    radisson = Incident.objects.get(external_source="demo", external_id=RADISSON)
    assert (rescue.abducted, radisson.abducted) == (0, None)
