"""`manage.py import_awsd` on what real exports hold: coordinates a spreadsheet wrote with
digit-group separators, the AWSD's own spellings of regions, values the importer does not know
yet, blank casualty counts, and an older column layout in Latin-1."""

from decimal import Decimal
from pathlib import Path

import pytest

from advisories.models import Country
from incidents.importers.base import DECIMAL_COMMA, DIGIT_GROUPS, coordinate_readings, severity_for
from incidents.importers.places import Places
from incidents.models import Incident, LocationPrecision
from tests.importing import counts, run_import

pytestmark = pytest.mark.django_db

SAMPLES = Path(__file__).parent / "samples"
REAL_EXPORT = SAMPLES / "awsd_real_export_sample.csv"
OLDER_LAYOUT = SAMPLES / "awsd_2016_layout_latin1_sample.csv"


def incident(incident_id):
    return Incident.objects.select_related("incident_type", "region", "country").get(
        external_source="awsd", external_id=incident_id
    )


def test_it_imports_every_row_it_can_place():
    out, _err = run_import("import_awsd", REAL_EXPORT)

    assert counts(out) == (24, 0, 0, 2)
    assert "line 27 (3026): no Country Code, and 'Atlantis' is not a country in our table" in out


def test_it_puts_the_decimal_point_of_digit_grouped_coordinates_where_the_point_is_in_the_country():
    run_import("import_awsd", REAL_EXPORT)

    niger = incident("3001")
    assert (niger.latitude, niger.longitude) == (Decimal("15.34373"), Decimal("3.88706"))
    assert niger.import_repairs == ["latitude 15.343.726 read as 15.343726", "longitude 3.887.058 read as 3.887058"]
    assert (incident("3002").latitude, incident("3002").longitude) == (Decimal("34.5553"), Decimal("69.2075"))
    assert incident("3002").import_repairs == ["latitude 34,5553 read as 34.5553", "longitude 69,2075 read as 69.2075"]


def test_repaired_coordinates_place_the_incident_in_its_region_where_boundaries_are_mapped():
    run_import("import_awsd", REAL_EXPORT)

    assert (incident("3003").region.code, incident("3003").latitude) == ("ML-7", Decimal("16.2666"))


def test_it_refuses_coordinates_whose_decimal_point_could_go_in_two_places_in_the_country():
    out, _err = run_import("import_awsd", REAL_EXPORT)

    assert (
        "line 5 (3004): latitude -1.234.567, longitude 2.912.345: 2 placements of the decimal point give a point in "
        "Congo, The Democratic Republic of the (-1.234567, 29.12345; -12.34567, 29.12345); cannot tell which"
    ) in out
    assert not Incident.objects.filter(external_id="3004").exists()


def test_the_summary_counts_repairs_by_kind_and_lists_unknown_values():
    out, _err = run_import("import_awsd", REAL_EXPORT)

    repairs_and_unknowns = out.split("Repaired: ", 1)[1].split("Rejected: ", 1)[0]
    assert repairs_and_unknowns.splitlines() == [
        "5",
        "  coordinates written with a decimal comma: 1",
        "  coordinates written with digit-group separators: 3",
        "  no country: the one country whose outline holds the coordinates: 1",
        "Unknown Actor type (kept on the incident as the source wrote it):",
        "  Community defence group, imported as Other: 1",
        "Unknown Means of attack (kept on the incident as the source wrote it):",
        "  Arson, imported as Other: 1",
        "  Detention/arrest, imported as Arrest / detention: 1",
        "Unknown Region (kept on the incident as the source wrote it):",
        "  North Eastern, imported as Kenya, country level: 1",
    ]


def test_a_dry_run_prints_the_same_repairs_and_unknown_values():
    out, _err = run_import("import_awsd", REAL_EXPORT)
    Incident.objects.all().delete()

    dry, _err = run_import("import_awsd", REAL_EXPORT, dry_run=True)

    assert dry.replace("Dry run: nothing was written.\n", "") == out
    assert not Incident.objects.exists()


@pytest.mark.parametrize(
    ("incident_id", "region"),
    [
        ("3005", "SY-HL"),  # Aleppo
        ("3006", "SY-DY"),  # Deir ez-Zor
        ("3007", "SY-RD"),  # Rural Damascus
        ("3008", "SY-ID"),  # Idlib
        ("3009", "HT-OU"),  # West
        ("3010", "HT-AR"),  # Artibonite
        ("3011", "CD-NK"),  # North Kivu
        ("3012", "CD-SK"),  # South Kivu
        ("3013", "CD-IT"),  # Ituri
        ("3014", "KE-30"),  # Nairobi
        ("3015", "KE-46"),  # Wajir
        ("3017", "UA-23"),  # Zaporizhia
        ("3018", "UA-14"),  # Donetsk Oblast
        ("3019", "YE-SA"),  # Sana'a, the capital
        ("3020", "YE-TA"),  # Taiz
        ("3021", "PS-GZA"),  # Gaza Strip
    ],
)
def test_it_places_the_awsd_spellings_of_regions(incident_id, region):
    run_import("import_awsd", REAL_EXPORT)

    assert incident(incident_id).region.code == region


def test_a_region_it_cannot_place_keeps_the_incident_at_country_level_with_the_source_s_word():
    run_import("import_awsd", REAL_EXPORT)

    kenya = incident("3016")
    assert (kenya.country.code, kenya.region, kenya.latitude) == ("KE", None, None)
    assert kenya.location_precision == LocationPrecision.COUNTRY
    assert kenya.source_terms == {"Region": "North Eastern"}


def test_a_means_of_attack_it_does_not_know_takes_the_closest_type_and_keeps_the_source_s_word():
    run_import("import_awsd", REAL_EXPORT)

    assert incident("3022").incident_type.slug == "arrest-detention"
    assert incident("3022").source_terms == {"Means of attack": "Detention/arrest"}
    assert incident("3023").incident_type.slug == "other"
    assert incident("3023").source_terms == {"Means of attack": "Arson"}


def test_blank_casualty_counts_stay_unknown_and_numbers_stay_numbers():
    run_import("import_awsd", REAL_EXPORT)

    blank = incident("3024")
    assert (blank.killed, blank.injured, blank.abducted) == (None, 2, None)
    assert (incident("3022").killed, incident("3022").injured, incident("3022").abducted) == (0, 0, 1)
    assert blank.source_terms == {"Actor type": "Community defence group"}


def test_it_reads_an_older_export_in_latin1_without_the_actor_columns():
    out, _err = run_import("import_awsd", OLDER_LAYOUT)

    assert counts(out) == (3, 0, 0, 0)
    assert "(Latin-1 (Windows-1252))" in out
    assert "Older column layout, without: country code, motive, actor type, actor name; read as blank." in out
    assert incident("1901").region.code == "ML-9"  # "Ménaka"
    assert "(Médecins du Monde)" in incident("1901").description
    assert incident("1902").country.code == "CI"  # "Côte d'Ivoire", by name
    assert incident("1903").region.code == "SY-HL"
    assert (incident("1903").killed, incident("1903").injured) == (2, None)
    assert not incident("1903").actor_links.exists()


def test_an_older_export_imported_again_changes_nothing():
    run_import("import_awsd", OLDER_LAYOUT)

    out, _err = run_import("import_awsd", OLDER_LAYOUT)

    assert counts(out) == (0, 0, 3, 0)


def test_an_unknown_count_raises_no_severity_and_a_known_one_does():
    assert severity_for(default=2, killed=None, injured=None, abducted=None) == 2
    assert severity_for(default=2, killed=None, injured=2, abducted=None) == 3
    assert severity_for(default=2, killed=12, injured=None, abducted=None) == 5


def test_a_row_without_a_country_takes_the_one_country_its_coordinates_are_in():
    run_import("import_awsd", REAL_EXPORT)

    kashmir = incident("3025")
    assert (kashmir.country.code, kashmir.region) == ("PK", None)
    assert kashmir.import_repairs == ["country Kashmir read as Pakistan, where its coordinates are"]


def test_a_valid_looking_point_outside_its_country_is_read_with_digit_groups_when_one_reading_fits():
    kenya = Country.objects.get(code="KE")
    places = Places()

    nairobi = places.coordinates(kenya, "-1.286", "3.681")  # 36.81 written "3.681"
    paris = places.coordinates(kenya, "48.8566", "2.3522")  # no reading in Kenya: kept as it was

    assert (nairobi.latitude, nairobi.longitude, nairobi.repairs) == (
        Decimal("-1.286"),
        Decimal("36.81"),
        ("longitude 3.681 read as 36.81",),
    )
    assert (paris.latitude, paris.longitude, paris.repairs, paris.reason) == (
        Decimal("48.8566"),
        Decimal("2.3522"),
        (),
        "",
    )


def test_a_coordinate_that_lost_its_leading_zero_is_read_so_only_when_no_other_reading_fits():
    somalia = Country.objects.get(code="SO")

    kismayo = Places().coordinates(somalia, "-358.216", "42.545.087")  # -0.358216 as a grouped integer

    assert (kismayo.latitude, kismayo.longitude) == (Decimal("-0.35822"), Decimal("42.54509"))
    assert kismayo.repairs == ("latitude -358.216 read as -0.358216", "longitude 42.545.087 read as 42.545087")


@pytest.mark.parametrize(
    ("raw", "values", "kind"),
    [
        ("15.343.726", ["1.5343726", "15.343726"], DIGIT_GROUPS),  # 153.43726 is no latitude
        ("15,343,726", ["1.5343726", "15.343726"], DIGIT_GROUPS),
        ("15 343 726", ["1.5343726", "15.343726"], DIGIT_GROUPS),
        ("-0.040.000", ["-0.040000"], DIGIT_GROUPS),  # never "00.4"
        ("15,3437", ["1.53437", "15.3437"], DECIMAL_COMMA),
    ],
)
def test_a_coordinate_with_separators_reads_as_each_place_of_the_decimal_point(raw, values, kind):
    readings = coordinate_readings(raw, 90)

    assert [reading.text for reading in readings] == values
    assert {reading.repair for reading in readings} == {kind}
