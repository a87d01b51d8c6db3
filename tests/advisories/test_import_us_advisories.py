"""`manage.py import_us_advisories`: the State Department summary table, CSV or JSON."""

import csv
import datetime as dt
import io
import json
import re
from functools import partial
from pathlib import Path
from typing import cast

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from advisories.models import Advisory, Source
from advisories.us_advisories import SOURCE_SLUG, CountryMatcher
from tests.factories import AdvisoryFactory
from tests.importing import Terminal, count, run_import

pytestmark = pytest.mark.django_db

SAMPLES = Path(__file__).parent / "samples"
SHARED = Path(settings.BASE_DIR).parent / "shared" / "data" / "advisories"
HEADER = "destination,risk_level,last_updated_advisory,advisory_details_url,risk_level_number\n"

# Where each bad row of the sample is, in each form of the file.
SAMPLE_PLACES = {
    "csv": {
        "israel": "line 7",
        "kosovo": "line 8",
        "atlantis": "line 9",
        "empty": "line 10",
        "newer_niger": "line 11",
        "older_niger": "line 12",
        "chad": "line 13",
    },
    "json": {
        "israel": "record 6 at line 47",
        "kosovo": "record 7 at line 56",
        "atlantis": "record 8 at line 65",
        "empty": "record 9 at line 74",
        "newer_niger": "record 10 at line 83",
        "older_niger": "record 11 at line 92",
        "chad": "record 12 at line 101",
    },
}


run = partial(run_import, "import_us_advisories")


def current_levels():
    return {
        a.country.code: (a.level, a.issued_on)
        for a in Advisory.objects.filter(is_current=True, region=None).select_related("country")
    }


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture(params=["csv", "json"])
def sample(request):
    return request.param, SAMPLES / f"us_advisories_sample.{request.param}"


def test_it_sets_levels_dates_and_the_source_from_the_sample(sample):
    _kind, path = sample
    out, _err = run(path)

    assert current_levels() == {
        "AF": (4, dt.date(2025, 1, 13)),
        "ML": (4, dt.date(2023, 7, 31)),
        "MM": (4, dt.date(2025, 5, 12)),  # "Burma (Myanmar)"
        "CI": (2, dt.date(2024, 4, 8)),  # "Cote d'Ivoire"
        "GM": (2, dt.date(2024, 10, 16)),  # "The Gambia"
        "NE": (3, dt.date(2025, 3, 21)),  # the later of two rows
        "TR": (2, dt.date(2024, 10, 16)),  # "Turkey", a bare date
    }
    source = Source.objects.get(slug=SOURCE_SLUG)
    assert (source.publisher, source.kind) == ("U.S. Department of State", Source.Kind.DATASET)
    assert set(Advisory.objects.values_list("source", flat=True)) == {source.pk}
    assert (count(out, "Created"), count(out, "Updated"), count(out, "Unchanged")) == (7, 0, 0)


def test_it_reports_each_bad_row_with_its_place_in_the_file_and_the_reason(sample):
    kind, path = sample
    at = SAMPLE_PLACES[kind]
    out, _err = run(path)

    assert count(out, "Rejected") == 5
    assert f"{at['israel']} (Israel, the West Bank and Gaza): level -1" in out
    assert f"{at['kosovo']} (Kosovo): Kosovo has no ISO 3166-1 code" in out
    assert f"{at['atlantis']} (Atlantis): matches no country" in out
    assert f"{at['empty']} (Côte d'Ivoire): no advisory level (risk_level_number is empty)" in out
    assert f"{at['chad']} (Chad): last_updated_advisory '31/02/2025' is not a date" in out
    assert count(out, "Duplicates skipped") == 1
    assert f"{at['older_niger']} (Niger): another row for Niger ({at['newer_niger']}: level 3, 2025-03-21)" in out


def test_running_it_twice_changes_nothing(sample):
    _kind, path = sample
    run(path)
    rows_before = list(Advisory.objects.order_by("pk").values())

    out, _err = run(path)

    assert (count(out, "Created"), count(out, "Updated"), count(out, "Unchanged")) == (0, 0, 7)
    assert count(out, "Rejected") == 5
    assert list(Advisory.objects.order_by("pk").values()) == rows_before
    assert Source.objects.filter(slug=SOURCE_SLUG).count() == 1


def test_a_dry_run_writes_nothing_and_reports_what_a_real_run_would(sample):
    _kind, path = sample
    dry, _err = run(path, dry_run=True)

    assert not Advisory.objects.exists()
    assert not Source.objects.filter(slug=SOURCE_SLUG).exists()
    assert dry.rstrip().endswith("Dry run: nothing was written.")
    real, _err = run(path)
    assert dry.replace("Dry run: nothing was written.", "").rstrip() == real.rstrip()


def test_abort_writes_nothing_and_lists_the_problems_when_a_row_is_bad(sample):
    kind, path = sample
    with pytest.raises(CommandError) as refused:
        run(path, on_error="abort")

    message = str(refused.value)
    assert "5 rows have problems" in message
    assert f"{SAMPLE_PLACES[kind]['chad']} (Chad)" in message
    assert f"{SAMPLE_PLACES[kind]['kosovo']} (Kosovo)" in message
    assert refused.value.returncode != 0
    assert not Advisory.objects.exists()
    assert not Source.objects.filter(slug=SOURCE_SLUG).exists()


def test_abort_imports_a_file_whose_rows_are_all_good(tmp_path):
    path = write(tmp_path, "good.csv", HEADER + "Mali,Level 4,2023-07-31T00:00:00,,4\nNiger,Level 3,2025-03-21,,3\n")

    out, _err = run(path, on_error="abort")

    assert count(out, "Created") == 2
    assert current_levels() == {"ML": (4, dt.date(2023, 7, 31)), "NE": (3, dt.date(2025, 3, 21))}


def test_a_newer_advisory_is_not_overwritten(mali):
    AdvisoryFactory(country=mali, level=3, issued_on=dt.date(2025, 1, 1))

    out, _err = run(SAMPLES / "us_advisories_sample.csv")

    assert current_levels()["ML"] == (3, dt.date(2025, 1, 1))
    assert count(out, "Unchanged because a newer advisory exists") == 1
    assert "Mali (current advisory issued 2025-01-01)" in out
    assert count(out, "Created") == 6


def test_indicators_and_summary_from_another_source_are_kept(mali):
    older = cast(Advisory, AdvisoryFactory(country=mali, level=3, indicators="CTK", issued_on=dt.date(2023, 1, 10)))

    out, _err = run(SAMPLES / "us_advisories_sample.json")

    current = Advisory.objects.get(country=mali, region=None, is_current=True)
    assert (current.level, current.indicators, current.summary) == (4, "CTK", older.summary)
    assert current.source is not None and current.source.slug == SOURCE_SLUG
    older.refresh_from_db()
    assert not older.is_current
    assert count(out, "Updated") == 1


def test_the_same_level_on_the_same_date_from_another_source_is_left_alone(mali):
    full = cast(Advisory, AdvisoryFactory(country=mali, level=4, indicators="CTK", issued_on=dt.date(2023, 7, 31)))

    out, _err = run(SAMPLES / "us_advisories_sample.csv")

    assert Advisory.objects.get(country=mali, region=None, is_current=True).pk == full.pk
    assert Advisory.objects.filter(country=mali).count() == 1
    assert (count(out, "Created"), count(out, "Unchanged")) == (6, 1)


def test_the_later_dated_of_two_rows_wins_whatever_their_order(tmp_path):
    path = write(tmp_path, "dup.csv", HEADER + "Niger,Level 4,2023-08-10,,4\nNiger,Level 3,2025-03-21,,3\n")

    out, _err = run(path)

    assert current_levels() == {"NE": (3, dt.date(2025, 3, 21))}
    assert "line 2 (Niger): another row for Niger (line 3: level 3, 2025-03-21) is used instead" in out


def test_one_destination_can_stand_for_several_countries(tmp_path):
    path = write(
        tmp_path,
        "multi.csv",
        HEADER
        + "French West Indies,Level 1,2024-08-22,,1\nBonaire,Level 1,2024-08-19,,1\nSaba,Level 1,2024-08-19,,1\n",
    )

    out, _err = run(path)

    levels = current_levels()
    assert {code: levels[code][0] for code in ("GP", "MQ", "BL", "MF", "BQ")} == dict.fromkeys(
        ("GP", "MQ", "BL", "MF", "BQ"), 1
    )
    assert count(out, "Created") == 5
    assert "line 4 (Saba): another row for Bonaire, Sint Eustatius and Saba (line 3" in out


def test_rows_are_numbered_by_their_first_physical_line(tmp_path):
    path = write(
        tmp_path,
        "multiline.csv",
        HEADER + 'Mali,"Level 4:\nDo Not Travel",2023-07-31,,4\n\nAtlantis,Level 1,2024-08-22,,1\n',
    )

    out, _err = run(path)

    assert "line 5 (Atlantis): matches no country" in out
    assert current_levels() == {"ML": (4, dt.date(2023, 7, 31))}


def test_a_level_that_contradicts_its_label_is_rejected(tmp_path):
    path = write(tmp_path, "bad.csv", HEADER + "Mali,Level 2: Exercise Increased Caution,2023-07-31,,4\n")

    out, _err = run(path)

    assert "line 2 (Mali): risk_level_number is 4 but risk_level says 'Level 2: Exercise Increased Caution'" in out
    assert not Advisory.objects.exists()


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        (
            "no_level.csv",
            "destination,risk_level,last_updated_advisory\nMali,Level 4,2023-07-31\n",
            "risk_level_number",
        ),
        ("no_date.json", '[{"destination": "Mali", "risk_level_number": 4}]', "last_updated_advisory"),
        ("object.json", '{"destination": "Mali"}', "expected a JSON list of records, found dict"),
        ("empty.csv", "", "is empty"),
        ("blank.json", "  \n", "is empty"),
        ("header_only.csv", HEADER, "has no destination rows"),
        ("empty_list.json", "[]", "has no destination rows"),
    ],
)
def test_a_file_of_the_wrong_shape_is_refused_with_a_clear_message(tmp_path, name, text, expected):
    path = write(tmp_path, name, text)

    with pytest.raises(CommandError, match=re.escape(expected)):
        run(path)
    assert not Source.objects.filter(slug=SOURCE_SLUG).exists()


def test_invalid_json_is_refused_with_its_line(tmp_path):
    path = write(tmp_path, "broken.json", '[\n  {"destination": "Mali",\n  }\n]')

    with pytest.raises(CommandError, match=r"line 3, column 3"):
        run(path)


def test_a_file_that_is_not_utf8_is_refused_clearly(tmp_path):
    path = tmp_path / "latin1.csv"
    path.write_bytes((HEADER + "Côte d'Ivoire,Level 2,2024-04-08,,2\n").encode("latin-1"))

    with pytest.raises(CommandError, match=r"is not UTF-8 text \(byte 0xf4"):
        run(path)


def test_a_missing_file_is_refused_clearly(tmp_path):
    with pytest.raises(CommandError, match=r"Cannot read .*nowhere\.csv: No such file or directory"):
        run(tmp_path / "nowhere.csv")


def test_the_format_is_detected_from_the_content_when_the_extension_says_nothing(tmp_path):
    record = {"destination": "Mali", "risk_level_number": "4", "last_updated_advisory": "2023-07-31T00:00:00"}
    path = write(tmp_path, "summary.txt", json.dumps([record]))

    out, _err = run(path)

    assert "(JSON)" in out
    assert current_levels() == {"ML": (4, dt.date(2023, 7, 31))}


@pytest.mark.parametrize(
    ("stream", "options", "shown"),
    [(Terminal, {}, True), (Terminal, {"no_progress": True}, False), (io.StringIO, {}, False)],
)
def test_the_progress_bar_goes_to_stderr_only_on_a_terminal(stream, options, shown):
    out, err = io.StringIO(), stream()

    call_command("import_us_advisories", str(SAMPLES / "us_advisories_sample.csv"), stdout=out, stderr=err, **options)

    assert ("Setting advisories" in err.getvalue()) is shown
    assert "Setting advisories" not in out.getvalue()


def test_pycountry_fuzzy_search_is_used_only_when_it_finds_one_country_by_its_own_names():
    matcher = CountryMatcher()

    assert [c.code for c in matcher.match("Tanzania, United Republic")[0]] == ["TZ"]
    assert matcher.match("Korea") == ((), "matches no country by name, and a fuzzy search finds several (KP, KR)")
    # Bamako is a region of Mali in pycountry; a city's name must not stand for its country.
    assert matcher.match("Bamako") == ((), "matches no country")


def _shared_file_expectations(path):
    """What the real file says, read independently of the importer: rows without a usable level."""
    if path.suffix == ".csv":
        with path.open(encoding="utf-8", newline="") as f:
            records = list(csv.DictReader(f))
    else:
        records = json.loads(path.read_text(encoding="utf-8"))
    no_level = [r for r in records if str(r["risk_level_number"] or "").strip() in ("", "-1")]
    return len(records), no_level


@pytest.mark.shared_data
@pytest.mark.parametrize("name", ["us_state_dept_summary.csv", "us_state_dept_summary.json"])
def test_it_imports_the_real_state_department_summary(name):
    path = SHARED / name
    records, no_level = _shared_file_expectations(path)

    out, _err = run(path)

    assert current_levels()["ML"][0] == 4
    # Every row with a level matches a country, except Kosovo, which has no ISO code.
    assert count(out, "Rejected") == len(no_level) + 1
    assert re.search(r"^  (line|record) \d+.* \(Kosovo\): Kosovo has no ISO 3166-1 code", out, re.MULTILINE)
    assert len(no_level) == 27
    assert records == 237
    created = count(out, "Created")
    assert created == Advisory.objects.filter(source__slug=SOURCE_SLUG).count() > 200

    again, _err = run(path)

    assert (count(again, "Created"), count(again, "Updated"), count(again, "Unchanged")) == (0, 0, created)
