"""`manage.py import_awsd`: Aid Worker Security Database exports, in UTF-8 or Latin-1."""

import csv
import datetime as dt
from decimal import Decimal
from functools import partial
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management.base import CommandError

from incidents.importers.base import date_label
from incidents.models import (
    Actor,
    DatePrecision,
    Incident,
    IncidentActor,
    LocationPrecision,
    ReviewStatus,
    SharingLevel,
)
from tests.importing import assert_it_writes_nothing_again, counts, rewrite_csv, run_import

pytestmark = pytest.mark.django_db

SAMPLES = Path(__file__).parent / "samples"
SAMPLE = SAMPLES / "awsd_sample.csv"
LATIN1 = SAMPLES / "awsd_latin1_sample.csv"
SHARED_FILE = Path(settings.BASE_DIR).parent / "shared" / "data" / "awsd" / "awsd_1997-2015.csv"

# The bad rows of the sample at their physical lines; incident 122's Details span lines 23-24.
SAMPLE_REJECTIONS = [
    "line 16 (115): latitude 95.0000 is out of range: it goes from -90 to 90",
    "line 17 (116): country code 'XK' is not a country in our table",
    "line 19 (118): 2010-2-31 is not a date",
    "line 25 (123): the point 13.50000, 2.10000 is not in Mali",
    "line 26 (124): the date 2099-01-01 is in the future",
    "line 27 (101): Incident ID 101 is also on line 2",
]
# 117 names Chechnya as its country, read as Russia; 119 has a means of attack the importer does
# not know, 121 a region that does not exist: both are imported (as "other", and at country
# level), keeping the source's word.
SAMPLE_IMPORTED = {str(n) for n in (*range(101, 115), 117, 119, 120, 121, 122)}


run = partial(run_import, "import_awsd")


def incident(incident_id):
    return Incident.objects.select_related("incident_type", "region").get(
        external_source="awsd", external_id=incident_id
    )


def actors_of(incident_id):
    return {(link.actor.name, link.actor.kind, link.role) for link in incident(incident_id).actor_links.all()}


def targets_of(incident_id):
    return set(incident(incident_id).target_types.values_list("slug", flat=True))


def test_it_imports_the_good_rows_as_published_public_incidents():
    out, _err = run(SAMPLE)

    assert counts(out) == (19, 0, 0, 6)
    assert "Read 25 rows" in out
    assert set(Incident.objects.values_list("external_id", flat=True)) == SAMPLE_IMPORTED
    assert set(Incident.objects.values_list("external_source", "status", "sharing_level")) == {
        ("awsd", ReviewStatus.PUBLISHED, SharingLevel.CLEAR)
    }
    assert not Incident.objects.exclude(organisation=None, reporter=None).exists()


def test_it_maps_a_rows_fields():
    run(SAMPLE)

    shooting = incident("101")
    assert shooting.title == "Aid workers: shooting in Gao, Mali, 12 May 2013"
    assert shooting.incident_type.slug == "armed-attack"
    assert (shooting.occurred_on, shooting.date_precision) == (dt.date(2013, 5, 12), DatePrecision.DAY)
    assert (shooting.country.code, shooting.region.code, shooting.place_name) == ("ML", "ML-7", "Gao")
    assert (shooting.latitude, shooting.longitude) == (Decimal("16.2666"), Decimal("-0.04"))
    assert shooting.location_precision == LocationPrecision.NEAR
    assert (shooting.killed, shooting.injured, shooting.abducted, shooting.severity) == (1, 0, 0, 4)
    assert shooting.description.startswith("1 INGO national staff shot dead")
    assert "Attack context: Ambush. Location: Road. Motive: Political." in shooting.description
    assert shooting.sources == "Aid Worker Security Database, incident 101\nAWSD source: Official Report"
    assert actors_of("101") == {("MUJAO", Actor.Kind.ARMED_GROUP, IncidentActor.Role.PERPETRATOR)}
    assert targets_of("101") == {"ngo-staff"}


def test_a_missing_day_or_month_gives_the_first_of_the_period_and_its_precision():
    run(SAMPLE)

    assert (incident("102").occurred_on, incident("102").date_precision) == (dt.date(2012, 4, 1), DatePrecision.MONTH)
    assert incident("102").title.endswith(", Apr 2012")
    assert (incident("103").occurred_on, incident("103").date_precision) == (dt.date(2014, 1, 1), DatePrecision.YEAR)


@pytest.mark.parametrize(
    ("precision", "label"),
    [
        (DatePrecision.DAY, "5 Sep 2012"),
        (DatePrecision.WEEK, "week of 5 Sep 2012"),
        (DatePrecision.MONTH, "Sep 2012"),
        (DatePrecision.YEAR, "2012"),
    ],
)
def test_a_title_gives_the_date_as_precisely_as_it_is_known(precision, label):
    assert date_label(dt.date(2012, 9, 5), precision) == label


@pytest.mark.parametrize(
    ("incident_id", "slug"),
    [
        ("102", "kidnapping"),
        ("103", "armed-attack"),  # Bodily assault
        ("104", "vbied"),  # "Vehicle-born IED"
        ("105", "explosive-ied"),  # Roadside IED
        ("106", "explosive-ied"),  # "Landmine " with its trailing space
        ("107", "sexual-violence"),  # "Rape/sexual assault "
        ("108", "suicide-bombing"),
        ("109", "air-strike"),
        ("110", "kidnapping"),  # Kidnap-killing
        ("111", "armed-attack"),  # Complex attack
        ("112", "other"),  # Unknown
        ("113", "shelling"),
    ],
)
def test_the_means_of_attack_gives_the_incident_type(incident_id, slug):
    run(SAMPLE)

    assert incident(incident_id).incident_type.slug == slug


def test_staff_and_internationals_give_the_target_types():
    run(SAMPLE)

    assert targets_of("104") == {"un-staff", "foreigners"}
    assert targets_of("102") == {"ngo-staff", "foreigners"}
    assert targets_of("109") == {"ngo-staff"}  # Red Cross and Red Crescent volunteers
    assert targets_of("120") == {"un-staff", "foreigners"}


def test_it_skips_unknown_actors_and_reuses_named_ones():
    run(SAMPLE)

    assert actors_of("102") == set()  # "Unknown"
    assert actors_of("112") == set()  # "Not applicable"
    assert Actor.objects.filter(name="Taliban").count() == 1
    assert {link.incident.external_id for link in IncidentActor.objects.filter(actor__name="Taliban")} == {
        "104",
        "111",
    }
    kinds = dict(Actor.objects.values_list("name", "kind"))
    assert kinds["Syrian Air Force"] == Actor.Kind.STATE_FORCES  # Host state
    assert kinds["Clan militia"] == Actor.Kind.CRIMINAL
    assert not Actor.objects.filter(name__in=["Unknown", "Not applicable"]).exists()


def test_it_places_rows_by_region_name_or_coordinates_in_any_country():
    run(SAMPLE)

    assert incident("102").region.code == "ML-9"  # "Ménaka"
    assert incident("103").region.code == "ML-4"  # "Segou", and no coordinates
    assert incident("104").region.code == "AF-KAB"  # "Kabul" for "Kābul"
    assert incident("114").region.code == "ML-6"  # no region named: by its coordinates
    assert (incident("120").region.code, incident("120").latitude) == ("ML-8", None)
    assert incident("113").country.code == "UA"
    assert incident("113").latitude == Decimal("48.0159")


def test_it_reads_a_latin1_export():
    out, _err = run(LATIN1)

    assert counts(out) == (3, 0, 0, 0)
    assert "(Latin-1 (Windows-1252))" in out
    assert "(Médecins du Monde)" in incident("201").description
    assert incident("201").region.code == "ML-9"  # "Ménaka"
    assert incident("202").region.code == "ML-4"  # "Ségou"
    assert incident("203").country.code == "CI"


def test_the_same_rows_in_utf8_and_latin1_are_the_same_incidents(tmp_path):
    utf8 = tmp_path / "awsd_utf8.csv"
    utf8.write_text(LATIN1.read_bytes().decode("latin-1"), encoding="utf-8")
    out, _err = run(utf8)
    assert "(UTF-8)" in out

    assert_it_writes_nothing_again("import_awsd", LATIN1, (0, 0, 3, 0))


def test_a_corrected_row_updates_its_incident(tmp_path):
    run(SAMPLE)
    text = SAMPLE.read_text(encoding="utf-8").replace(
        "0,1,0,0,0,0,0,2,0,2,0,0,0,0,0,2,0,2,2,0,0,Roadside IED",
        "0,1,0,0,0,0,1,1,0,2,0,0,0,0,1,1,0,2,2,0,0,Roadside IED",
    )
    path = tmp_path / "corrected.csv"
    path.write_text(text, encoding="utf-8")

    out, _err = run(path)

    assert counts(out) == (0, 1, 18, 6)
    assert "  105: killed, injured" in out
    assert (incident("105").killed, incident("105").injured) == (1, 1)


def test_it_refuses_a_file_missing_columns_it_needs(tmp_path):
    path = rewrite_csv(SAMPLE, tmp_path / "short.csv", drop=("Means of attack", "Total killed"))

    with pytest.raises(CommandError, match=r"missing column\(s\) total killed, means of attack\."):
        run(path)
    assert not Incident.objects.exists()


@pytest.mark.shared_data
def test_the_real_awsd_file_imports_and_again_changes_nothing():
    with SHARED_FILE.open(encoding="latin-1", newline="") as f:
        rows = list(csv.DictReader(f))

    out, _err = run(SHARED_FILE)

    created, updated, unchanged, rejected = counts(out)
    assert (created + rejected, updated, unchanged) == (len(rows), 0, 0)
    # Kosovo (XK) and rows with neither country nor coordinates have no country of ours; Chechnya
    # is read as Russia, Kashmir by its coordinates.
    assert rejected == sum(1 for row in rows if row["Country Code"] == "XK" or not (row["Country"] or row["Latitude"]))
    assert "  a territory named as the country: 26\n" in out
    assert_it_writes_nothing_again("import_awsd", SHARED_FILE, (0, 0, created, rejected))


def test_an_unknown_means_of_attack_or_region_keeps_the_incident_and_the_source_s_word():
    run(SAMPLE)

    assert (incident("119").incident_type.slug, incident("119").source_terms) == (
        "other",
        {"Means of attack": "Poisoning"},
    )
    assert (incident("121").region, incident("121").location_precision) == (None, LocationPrecision.COUNTRY)
    assert incident("121").source_terms == {"Region": "Atlantis"}


def test_a_territory_named_as_the_country_is_read_as_its_country_and_region():
    run(SAMPLE)

    chechnya = incident("117")
    assert (chechnya.country.code, chechnya.region.code) == ("RU", "RU-CE")
    assert chechnya.import_repairs == ["country Chechnya read as Russian Federation"]
