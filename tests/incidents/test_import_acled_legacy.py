"""`manage.py import_acled` on what real exports hold beyond the current taxonomy: exports of
before 2019, values the importer does not know yet, blank fatalities and unplaceable regions."""

from functools import partial
from pathlib import Path

import pytest

from incidents.importers.acled.taxonomy import EVENT_TYPES, GENERIC_SUB_EVENT_TYPES, LEGACY_EVENT_TYPES
from incidents.models import Actor, Incident, IncidentType
from tests.importing import assert_it_writes_nothing_again, counts, rewrite_csv, run_import

pytestmark = pytest.mark.django_db

SAMPLES = Path(__file__).parent / "samples"
LEGACY = SAMPLES / "acled_legacy_sample.csv"
NEW_VALUES = SAMPLES / "acled_new_values_sample.csv"
CURRENT = SAMPLES / "acled_current_sample.csv"

run = partial(run_import, "import_acled")

# Each event of the legacy sample: its event type of before 2019, and the incident type it gets.
LEGACY_TYPES = {
    "MLI1001": ("Battle-No change of territory", "armed-clash"),
    "MLI1002": ("Battle-Government regains territory", "territory-regained"),
    "MLI1003": ("Battle-Non-state actor overtakes territory", "territory-taken"),
    "MLI1004": ("Remote violence", "explosive-ied"),
    "MLI1005": ("Riots/Protests", "protest-riot"),  # rioters (inter 5)
    "MLI1006": ("Riots/Protests", "peaceful-protest"),  # protesters (inter 6)
    "MLI1007": ("Riots/Protests", "peaceful-protest"),  # rioters and protesters: undecidable
    "MLI1008": ("Violence against civilians", "armed-attack"),
    "MLI1009": ("Strategic development", "other"),
    "MLI1010": ("Non-violent transfer of territory", "territory-transfer"),
    "MLI1011": ("Headquarters or base established", "base-established"),
}


def incident(event_id):
    return Incident.objects.select_related("incident_type", "region", "country").get(
        external_source="acled", external_id=event_id
    )


def test_it_imports_an_export_of_before_2019_in_the_current_taxonomy():
    out, _err = run(LEGACY)

    assert counts(out) == (11, 0, 0, 0)
    types = dict(Incident.objects.values_list("external_id", "incident_type__slug"))
    assert types == {event_id: slug for event_id, (_old, slug) in LEGACY_TYPES.items()}
    assert "Repaired: 11\n  legacy ACLED event type mapped: 11\n" in out


def test_a_mapped_event_keeps_its_old_type_in_the_sources_words():
    run(LEGACY)

    remote = incident("MLI1004")
    assert remote.import_repairs == [
        "ACLED's event type of before 2019 'Remote violence' mapped to "
        "Explosions/Remote violence: Remote explosive/landmine/IED."
    ]
    assert remote.title == "Remote explosive/landmine/IED in Gao, 12 Mar 2017"
    for event_id, (old, _slug) in LEGACY_TYPES.items():
        assert f"{old!r} mapped to" in incident(event_id).import_repairs[0]
    assert incident("MLI1005").import_repairs[0].endswith("Riots: Violent demonstration (the actors are rioters).")
    assert incident("MLI1006").import_repairs[0].endswith("(the actors are protesters).")
    assert (
        incident("MLI1007")
        .import_repairs[0]
        .endswith("Protests: Peaceful protest (the actors do not tell a riot from a protest).")
    )


def test_it_reads_the_old_upper_case_columns_without_iso_codes():
    run(LEGACY)

    clash = incident("MLI1001")
    assert (clash.country.code, clash.region.code, clash.place_name) == ("ML", "ML-5", "Sofara")
    assert clash.killed == 3
    assert clash.sources == "AFP\nACLED MLI1001"
    assert incident("MLI1002").occurred_on.isoformat() == "2017-02-20"
    assert Actor.objects.get(name="MNLA: National Movement for the Liberation of Azawad").kind == Actor.Kind.ARMED_GROUP


def test_a_legacy_export_imported_again_changes_nothing():
    run(LEGACY)

    assert_it_writes_nothing_again("import_acled", LEGACY, (0, 0, 11, 0))


def test_every_old_event_type_has_a_current_pair_with_an_incident_type():
    assert set(LEGACY_EVENT_TYPES) == {old for old, _slug in LEGACY_TYPES.values()}
    defaults = set(
        IncidentType.objects.filter(acled_default=True).values_list("acled_event_type", "acled_sub_event_type")
    )
    assert set(LEGACY_EVENT_TYPES.values()) <= defaults
    assert {(event_type, GENERIC_SUB_EVENT_TYPES[event_type]) for event_type in EVENT_TYPES} <= defaults


def test_old_event_types_under_the_current_columns_are_mapped_too(tmp_path):
    def change(row):
        if row["event_id_cnty"] == "MLI9105":
            row["event_type"] = "Remote violence"
        return row

    out, _err = run(rewrite_csv(CURRENT, tmp_path / "mixed.csv", change))

    assert counts(out) == (5, 0, 0, 0)
    assert incident("MLI9105").incident_type.slug == "explosive-ied"
    assert "  legacy ACLED event type mapped: 1" in out


def test_an_unknown_event_or_sub_event_type_is_imported_as_the_closest_known_type():
    out, _err = run(NEW_VALUES)

    assert counts(out) == (5, 0, 0, 0)
    munition = incident("MLI9201")
    assert munition.incident_type.slug == "explosive-ied"
    assert munition.source_terms == {"sub_event_type": "Loitering munition"}
    assert munition.title == "Loitering munition in Boni, 2 Apr 2024"
    cyber = incident("MLI9202")
    assert cyber.incident_type.slug == "other"
    assert cyber.source_terms == {"event_type": "Cyber operations", "sub_event_type": "Data breach"}
    assert "Unknown event_type (kept on the incident as the source wrote it):\n" in out
    assert "  Cyber operations, imported as Other: 1\n" in out
    assert "  Loitering munition, imported as Explosive device / IED: 1\n" in out
    assert "  Data breach, imported as Other: 1\n" in out


def test_an_unknown_actor_category_is_kept_and_reported():
    out, _err = run(NEW_VALUES)

    assert incident("MLI9203").source_terms == {"inter2": "Private security forces"}
    assert Actor.objects.get(name="Private Security Forces (Mali)").kind == Actor.Kind.UNKNOWN
    assert "Unknown inter2 (kept on the incident as the source wrote it):\n" in out
    assert "  Private security forces, imported as Unknown: 1\n" in out


def test_blank_fatalities_are_not_known_and_zero_is_zero():
    run(NEW_VALUES)

    attack = incident("MLI9204")
    assert (attack.killed, attack.injured, attack.abducted) == (None, None, None)
    assert attack.severity == 4  # the type's default: nothing known raises it
    assert incident("NIG9205").killed == 0
    assert incident("MLI9201").killed == 4


def test_an_admin1_that_names_no_region_is_kept_and_the_event_placed_by_its_coordinates():
    out, _err = run(NEW_VALUES)

    attack = incident("MLI9204")
    assert attack.region.code == "ML-7"  # Gao, from the coordinates
    assert attack.source_terms == {"admin1": "Region of Ansongo"}
    niger = incident("NIG9205")
    assert (niger.country.code, niger.region) == ("NE", None)  # no boundaries for Niger: country level
    assert niger.source_terms == {"admin1": "Zone of Ouallam"}
    assert "  Region of Ansongo, imported as Gao: 1\n" in out
    assert "  Zone of Ouallam, imported as Niger, no region: 1\n" in out


def test_a_dry_run_prints_the_same_repairs_and_unknown_values():
    real, _err = run(NEW_VALUES)
    Incident.objects.all().delete()
    dry, _err = run(NEW_VALUES, dry_run=True)

    assert dry.split("Created:", 1)[1] == real.split("Created:", 1)[1] + "Dry run: nothing was written.\n"
    legacy, _err = run(LEGACY, dry_run=True)
    assert "  legacy ACLED event type mapped: 11\n" in legacy
    assert not Incident.objects.exists()
