"""`manage.py import_acled`: ACLED exports, dyadic or monadic, old columns or current ones."""

import csv
import datetime as dt
import re
from decimal import Decimal
from functools import partial
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management.base import CommandError

from incidents.importers.acled.matching import parse_date
from incidents.models import (
    Actor,
    DatePrecision,
    Incident,
    IncidentActor,
    LocationPrecision,
    ReviewStatus,
    SharingLevel,
)
from tests.factories import ActorFactory
from tests.importing import Terminal, assert_it_writes_nothing_again, count, counts, rewrite_csv, run_import

pytestmark = pytest.mark.django_db

SAMPLES = Path(__file__).parent / "samples"
DYADIC = SAMPLES / "acled_mali_sample.csv"
CURRENT = SAMPLES / "acled_current_sample.csv"
OLD_TAXONOMY = SAMPLES / "acled_old_taxonomy_sample.csv"
SHARED_FILE = Path(settings.BASE_DIR).parent / "shared" / "data" / "acled" / "acled_mali_2017-2018.csv"

JNIM = "JNIM: Group for Support of Islam and Muslims"
FAMA = "Military Forces of Mali (2013-2020)"
PERPETRATOR, TARGET, INVOLVED = IncidentActor.Role.PERPETRATOR, IncidentActor.Role.TARGET, IncidentActor.Role.INVOLVED

# The bad rows of the dyadic sample, at their physical lines: the notes of MLI9007 span two
# lines each (lines 12-15), so record numbers and line numbers differ after them.
SAMPLE_REJECTIONS = [
    "line 18 (MLI9009): event_date '31 Febuary 2018' is not a date",
    "line 19 (MLI9010): latitude 95.1000 is out of range",
    "line 20 (MLI9010): latitude 95.1000 is out of range",
    "line 28 (MLI9015): the rows of this event disagree on fatalities (line 28: '4'; line 29: '5')",
    "line 29 (MLI9015): the rows of this event disagree on fatalities",
]
SAMPLE_EVENTS = {f"MLI{9000 + n}" for n in (1, 2, 3, 4, 5, 6, 7, 8, 11, 12, 13, 14)}


run = partial(run_import, "import_acled")


def incident(event_id):
    return Incident.objects.select_related("incident_type", "region").get(external_source="acled", external_id=event_id)


def actors_of(event_id):
    return {(link.actor.name, link.role) for link in incident(event_id).actor_links.select_related("actor")}


def targets_of(event_id):
    return set(incident(event_id).target_types.values_list("slug", flat=True))


def test_it_imports_each_event_once_as_a_published_public_incident():
    out, _err = run(DYADIC)

    assert counts(out) == (12, 0, 0, 5)
    assert "Read 26 rows" in out
    assert set(Incident.objects.values_list("external_id", flat=True)) == SAMPLE_EVENTS
    assert set(Incident.objects.values_list("external_source", "status", "sharing_level")) == {
        ("acled", ReviewStatus.PUBLISHED, SharingLevel.CLEAR)
    }
    assert not Incident.objects.filter(published_at=None).exists()
    assert not Incident.objects.exclude(organisation=None, reporter=None).exists()


def test_it_maps_an_events_fields():
    run(DYADIC)

    clash = incident("MLI9001")
    assert clash.title == "Armed clash in Sofara, 30 Dec 2018"
    assert clash.incident_type.slug == "armed-clash"
    assert (clash.occurred_on, clash.date_precision) == (dt.date(2018, 12, 30), DatePrecision.DAY)
    assert (clash.country.code, clash.region.code, clash.place_name) == ("ML", "ML-5", "Sofara")
    assert (clash.latitude, clash.longitude) == (Decimal("14.0106"), Decimal("-4.2469"))
    assert clash.location_precision == LocationPrecision.NEAR
    # ACLED counts the dead only: how many were injured or abducted is not known.
    assert (clash.killed, clash.injured, clash.abducted, clash.severity) == (2, None, None, 4)
    assert clash.description.startswith("On December 30, presumed Katiba Macina militants")
    assert clash.sources == "PANAPRESS\nAMAP\nACLED MLI9001"


def test_a_dyadic_event_becomes_one_incident_with_the_actors_of_all_its_rows():
    run(DYADIC)

    assert Incident.objects.filter(external_id="MLI9001").count() == 1
    assert actors_of("MLI9001") == {(JNIM, INVOLVED), ("Katiba Macina", INVOLVED), (FAMA, INVOLVED)}
    assert targets_of("MLI9001") == {"security-forces"}


def test_actor_roles_follow_the_event_type():
    run(DYADIC)

    assert actors_of("MLI9002") == {
        ("Unidentified Armed Group (Mali)", PERPETRATOR),
        ("Civilians (Mali)", TARGET),
        ("URD: Union for the Republic and Democracy", TARGET),
    }
    assert targets_of("MLI9002") == {"civilians"}
    minusma = "MINUSMA: United Nations Multidimensional Integrated Stabilization Mission in Mali (2013-2020)"
    assert actors_of("MLI9003") == {(JNIM, PERPETRATOR), (minusma, TARGET)}
    assert targets_of("MLI9003") == {"security-forces", "un-staff"}
    assert actors_of("MLI9013") == {("Military Forces of France (2017-)", PERPETRATOR), (JNIM, TARGET)}
    assert actors_of("MLI9005") == {("Protesters (Mali)", INVOLVED), ("Teachers (Mali)", INVOLVED)}


def test_new_actors_get_their_kind_from_acled_inter_codes():
    run(DYADIC)

    kinds = dict(Actor.objects.values_list("name", "kind"))
    assert kinds[FAMA] == Actor.Kind.STATE_FORCES
    assert kinds[JNIM] == Actor.Kind.ARMED_GROUP
    assert kinds["Dozo Communal Militia (Mali)"] == Actor.Kind.MILITIA
    assert kinds["Rioters (Mali)"] == Actor.Kind.PROTESTERS
    assert kinds["Civilians (Mali)"] == Actor.Kind.CIVILIANS
    assert kinds["Military Forces of France (2017-)"] == Actor.Kind.FOREIGN_FORCES


def test_an_existing_actor_is_found_by_its_alias_and_keeps_its_kind():
    jnim = ActorFactory.create(name="JNIM", aliases=[JNIM.upper()], kind=Actor.Kind.VIOLENT_EXTREMIST)

    run(DYADIC)

    assert ("JNIM", INVOLVED) in actors_of("MLI9001")
    assert not Actor.objects.filter(name=JNIM).exists()
    jnim.refresh_from_db()
    assert jnim.kind == Actor.Kind.VIOLENT_EXTREMIST


def test_it_reads_iso_dates_precisions_and_region_spelling_variants():
    run(DYADIC)

    assert incident("MLI9008").occurred_on == dt.date(2018, 11, 15)
    assert incident("MLI9008").region.code == "ML-2"  # "Koulikouro"
    assert incident("MLI9004").region.code == "ML-9"  # "Menaka"
    assert incident("MLI9006").region.code == "ML-4"  # "Segou"
    assert incident("MLI9006").location_precision == LocationPrecision.REGION
    assert incident("MLI9005").date_precision == DatePrecision.WEEK
    assert incident("MLI9005").title == "Peaceful protest in Bamako, week of 10 Dec 2018"
    assert incident("MLI9013").date_precision == DatePrecision.MONTH
    assert incident("MLI9013").title == "Air/drone strike in Gossi, Oct 2018"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("31 December 2018", dt.date(2018, 12, 31)),
        ("31-December-2018", dt.date(2018, 12, 31)),
        ("05-Dec-2018", dt.date(2018, 12, 5)),
        ("1 dec 2018", dt.date(2018, 12, 1)),
        ("31 Dec. 2018", dt.date(2018, 12, 31)),
        ("30 Sept. 2018", dt.date(2018, 9, 30)),
        ("30 SEPT-2018", dt.date(2018, 9, 30)),
        ("2018-12-31", dt.date(2018, 12, 31)),
        ("2018-12-31 00:00:00", dt.date(2018, 12, 31)),
        ("2018-12-31T00:00:00.000", dt.date(2018, 12, 31)),
        ("31 Febuary 2018", None),
        ("29 February 2018", None),
        ("01/03/2024", None),
        ("December 2018", None),
        ("31  December 2018", None),
        ("31 Dec 18", None),
        ("31 Décembre 2018", None),
        ("2018-1-31", None),
        ("20181231", None),
        ("2018-W01-1", None),
        ("2018-12-31T", None),
        ("2018-12-31T00:00:00Z", None),
    ],
)
def test_it_reads_acled_and_iso_dates_and_nothing_else(raw, expected):
    assert parse_date(raw) == expected


def test_it_places_an_event_by_its_coordinates_when_admin1_names_no_region():
    run(DYADIC)

    assert incident("MLI9012").region.code == "ML-7"


def test_severity_follows_the_type_and_the_fatalities():
    run(DYADIC)

    severities = dict(Incident.objects.values_list("external_id", "severity"))
    assert severities["MLI9005"] == 1  # peaceful protest, nobody killed
    assert severities["MLI9007"] == 3  # looting, nobody killed
    assert severities["MLI9006"] == 4  # mob violence, one killed
    assert severities["MLI9013"] == 5  # air strike, twelve killed
    assert severities["MLI9014"] == 5  # ten villagers killed


def test_a_changed_event_is_updated_in_what_changed_only(tmp_path):
    run(DYADIC)
    published_at = incident("MLI9001").published_at

    def change(row):
        if row["event_id_cnty"] == "MLI9001":
            row["fatalities"] = "5"
            row["assoc_actor_1"] = ""
        return row

    out, _err = run(rewrite_csv(DYADIC, tmp_path / "changed.csv", change))

    assert counts(out) == (0, 1, 11, 5)
    assert "  MLI9001: killed, actors" in out
    clash = incident("MLI9001")
    assert clash.killed == 5
    assert clash.published_at == published_at
    assert actors_of("MLI9001") == {(JNIM, INVOLVED), (FAMA, INVOLVED)}


def test_a_re_import_leaves_an_analysts_retraction_alone():
    run(DYADIC)
    Incident.objects.filter(external_id="MLI9002").update(status=ReviewStatus.RETRACTED)

    out, _err = run(DYADIC)

    assert count(out, "Unchanged") == 12
    assert incident("MLI9002").status == ReviewStatus.RETRACTED


def test_on_error_abort_imports_a_file_without_bad_rows():
    out, _err = run(CURRENT, on_error="abort")

    assert counts(out) == (5, 0, 0, 0)


def test_it_imports_the_current_columns_with_actor2_and_disorder_type():
    out, _err = run(CURRENT)

    assert counts(out) == (5, 0, 0, 0)
    assert actors_of("MLI9101") == {(JNIM, INVOLVED), ("Military Forces of Mali (2021-)", INVOLVED)}
    assert actors_of("MLI9102") == {
        ("Wagner Group", PERPETRATOR),
        ("Civilians (Mali)", TARGET),
        ("Fulani Ethnic Group (Mali)", TARGET),
    }
    assert actors_of("MLI9103") == {("Police Forces of Mali (2021-)", PERPETRATOR), ("Protesters (Mali)", TARGET)}
    assert targets_of("MLI9102") == {"civilians"}
    kinds = dict(Actor.objects.values_list("name", "kind"))
    assert kinds["Wagner Group"] == Actor.Kind.FOREIGN_FORCES  # inter1 "External/Other forces"
    assert kinds["Military Forces of Mali (2021-)"] == Actor.Kind.STATE_FORCES
    assert incident("MLI9101").occurred_on == dt.date(2024, 3, 12)
    assert incident("MLI9105").incident_type.slug == "grenade"
    assert incident("MLI9105").region.code == "ML-10"  # "Taoudenni"


def test_a_dyadic_export_with_actor2_columns_keeps_each_actor_on_its_side(tmp_path):
    # Such exports repeat an event with actor1 and actor2 swapped.
    with CURRENT.open(encoding="utf-8", newline="") as f:
        rows = [row for row in csv.DictReader(f) if row["event_id_cnty"] == "MLI9102"]
    swapped = rows[0] | {
        "actor1": rows[0]["actor2"],
        "assoc_actor_1": rows[0]["assoc_actor_2"],
        "inter1": rows[0]["inter2"],
        "actor2": rows[0]["actor1"],
        "assoc_actor_2": rows[0]["assoc_actor_1"],
        "inter2": rows[0]["inter1"],
    }
    path = tmp_path / "dyadic.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, list(rows[0]))
        writer.writeheader()
        writer.writerows([rows[0], swapped])

    out, _err = run(path)

    assert counts(out) == (1, 0, 0, 0)
    assert actors_of("MLI9102") == {
        ("Wagner Group", PERPETRATOR),
        ("Civilians (Mali)", TARGET),
        ("Fulani Ethnic Group (Mali)", TARGET),
    }


def test_it_accepts_an_export_without_the_optional_columns(tmp_path):
    path = rewrite_csv(
        DYADIC, tmp_path / "lean.csv", drop=("data_id", "event_id_no_cnty", "timestamp", "iso3", "admin2", "admin3")
    )

    out, _err = run(path)

    assert counts(out) == (12, 0, 0, 5)


def test_it_imports_an_export_in_the_pre_2019_taxonomy_in_the_current_one():
    out, _err = run(OLD_TAXONOMY)

    assert counts(out) == (4, 0, 0, 0)
    assert incident("MLI801").incident_type.slug == "armed-clash"
    assert incident("MLI802").incident_type.slug == "explosive-ied"
    assert incident("MLI803").incident_type.slug == "peaceful-protest"
    assert incident("MLI804").incident_type.slug == "armed-attack"
    assert "  legacy ACLED event type mapped: 4" in out


def test_it_refuses_an_export_without_sub_event_types_in_the_current_taxonomy(tmp_path):
    with pytest.raises(CommandError) as excinfo:
        run(rewrite_csv(CURRENT, tmp_path / "no_sub_event_type.csv", drop=("sub_event_type",)))

    message = str(excinfo.value)
    assert "missing column(s) sub_event_type" in message
    assert "uses event types of the current taxonomy; those of that time are Battle-Government" in message
    assert not Incident.objects.exists()


def test_it_refuses_a_file_missing_columns_it_needs(tmp_path):
    path = rewrite_csv(DYADIC, tmp_path / "short.csv", drop=("event_date", "latitude"))

    with pytest.raises(CommandError, match=r"is not an ACLED export: missing column\(s\) event_date, latitude\."):
        run(path)


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"event_date": "2099-01-01"}, "event_date 2099-01-01 is in the future"),
        ({"event_date": "01/03/2024"}, "event_date '01/03/2024' is not a date"),
        ({"longitude": ""}, "give both latitude and longitude, or neither"),
        ({"latitude": "", "longitude": ""}, "latitude and longitude are empty"),
        ({"latitude": "13.5", "longitude": "2.1", "admin1": ""}, "the point 13.50000, 2.10000 is not in Mali"),
        ({"fatalities": "several"}, "fatalities 'several' is not a whole number"),
        ({"geo_precision": "4"}, "geo_precision '4' is not 1, 2 or 3"),
        ({"notes": "x" * 10_000_000}, "notes are 10,000,000 characters long"),
        ({"notes": "nul \x00 char"}, "contains a NUL character"),
        ({"iso": "999", "country": "Atlantis"}, "the country (iso '999', 'Atlantis') is not in our country table"),
        ({"actor1": ""}, "actor1 is empty"),
    ],
)
def test_it_rejects_a_row_that_breaks_the_incident_rules(tmp_path, change, reason):
    def modify(row):
        return row | change if row["event_id_cnty"] == "MLI9101" else row

    out, _err = run(rewrite_csv(CURRENT, tmp_path / "bad.csv", modify))

    assert counts(out) == (4, 0, 0, 1)
    assert f"line 2 (MLI9101): {reason}" in out


def test_a_local_edit_of_an_imported_incident_is_put_back_from_the_source():
    # Imported incidents are corrected at their source (incident_update refuses them).
    run(DYADIC)
    Incident.objects.filter(external_id="MLI9001").update(description="Edited by hand.")

    out, _err = run(DYADIC)

    assert "  MLI9001: description" in out
    assert incident("MLI9001").description.startswith("On December 30")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "Cannot read"),
        (b"", "is empty"),
        (b"event_id_cnty;event_date;event_type\nMLI1;1 May 2018;Battles\n", "separates its fields with semicolons"),
        (b"PK\x03\x04\x14\x00\x06\x00binary", "it is a ZIP archive"),
        (b"\x00\x01\x02\x03event_id_cnty", "not a text file"),
        (b"event_id_cnty,event_date\n", "has a header but no rows"),
    ],
)
def test_it_refuses_an_unreadable_file_with_a_clear_message(tmp_path, content, message):
    path = tmp_path / "export.csv"
    if content is not None:
        path.write_bytes(content)

    with pytest.raises(CommandError, match=re.escape(message)):
        run(path)


def test_it_draws_a_progress_bar_on_a_terminal_unless_told_not_to():
    _out, err = run(DYADIC, stderr=Terminal())
    assert "Reading events" in err

    _out, err = run(DYADIC, stderr=Terminal(), no_progress=True)
    assert err == ""

    _out, err = run(DYADIC)  # not a terminal
    assert err == ""


@pytest.mark.shared_data
def test_the_real_mali_export_imports_each_event_once_and_again_changes_nothing():
    with SHARED_FILE.open(encoding="utf-8", newline="") as f:
        event_ids = {row["event_id_cnty"] for row in csv.DictReader(f)}

    out, _err = run(SHARED_FILE)

    assert counts(out) == (len(event_ids), 0, 0, 0)
    assert set(Incident.objects.values_list("external_id", flat=True)) == event_ids
    assert not Incident.objects.filter(region=None).exists()
    assert_it_writes_nothing_again("import_acled", SHARED_FILE, (0, 0, len(event_ids), 0))
