"""The importer kit (`config.importing`) on its own: reading files, problems, the report,
the dry-run transaction and the command every importer is."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from advisories.models import Source
from config.importing.command import ImportCommand
from config.importing.files import csv_rows, decode, decode_utf8, read_csv, require_columns
from config.importing.report import FileRefused, ImportAborted, ImportReport, OnError, Problem
from config.importing.writing import import_transaction
from tests.importing import Terminal


def write(tmp_path: Path, content: bytes, name: str = "data.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(content)
    return path


# Text ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "text", "encoding"),
    [
        ("Ségou\n".encode(), "Ségou\n", "UTF-8"),
        (b"\xef\xbb\xbfS\xc3\xa9gou\n", "Ségou\n", "UTF-8"),
        (b"S\xe9gou \x96 M\xe9naka\n", "Ségou \u2013 Ménaka\n", "Latin-1 (Windows-1252)"),
        (b"S\xe9gou\x81\n", "Ségou\x81\n", "Latin-1"),
        ("Ségou\n".encode("utf-16"), "Ségou\n", "UTF-16"),
    ],
)
def test_it_decodes_utf8_else_windows_1252_else_latin1(raw, text, encoding):
    assert decode(raw, Path("x.csv")) == (text, encoding)


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"PK\x03\x04rest", "x.csv is not a CSV file: it is a ZIP archive"),
        (b"%PDF-1.7", "it is a PDF document"),
        (b"a,b\x00,c\n1,2,3\n", "is not a text file (it contains NUL bytes)"),
        (b"a,b\n" + b"\x00" * 10 + b"1,2\n", "is not a text file"),
    ],
)
def test_it_refuses_archives_and_binary_files_whatever_the_encoding(raw, message):
    for reader in (decode, decode_utf8):
        with pytest.raises(FileRefused, match=message.replace("(", r"\(").replace(")", r"\)")):
            reader(raw, Path("x.csv"))


def test_a_file_that_must_be_utf8_is_refused_at_its_first_bad_byte():
    assert decode_utf8(b"\xef\xbb\xbfMali\n", Path("x.csv")) == "Mali\n"
    with pytest.raises(FileRefused, match=r"x\.csv is not UTF-8 text \(byte 0xe9 at position 1\)"):
        decode_utf8(b"S\xe9gou", Path("x.csv"))


# CSV -------------------------------------------------------------------------------------


def test_each_row_keeps_the_physical_line_it_starts_on_and_its_stripped_values():
    text = ' Event ID ,Notes\nA1,"two\nlines"\n\n, \nA2 , plain \n'

    columns, rows = csv_rows(Path("x.csv"), text, what="a test file")

    assert columns == ["event id", "notes"]
    assert [(row.line, row.values) for row in rows] == [
        (2, {"event id": "A1", "notes": "two\nlines"}),
        (6, {"event id": "A2", "notes": "plain"}),
    ]
    assert rows[0].get("missing column") == ""


def test_a_row_with_the_wrong_number_of_fields_or_a_nul_has_a_problem():
    text = "a,b\n1,2,3\n1,nul\x00here\n1,2\n"

    _columns, rows = csv_rows(Path("x.csv"), text, what="a test file")

    assert [row.problem for row in rows] == ["3 fields where the header has 2", "contains a NUL character", ""]


def test_columns_are_renamed_by_their_aliases_before_the_header_is_checked():
    seen: list[list[str]] = []

    columns, rows = csv_rows(
        Path("x.csv"), "Ally_Actor_1\nX\n", what="a file", check_header=seen.append, aliases={"ally_actor_1": "a"}
    )

    assert seen == [["a"]] == [columns]
    assert rows[0].values == {"a": "X"}


def test_the_header_is_refused_before_any_row_is_read():
    def refuse(columns):
        raise FileRefused("no")

    with pytest.raises(FileRefused, match=r"^no$"):
        csv_rows(Path("x.csv"), "a\n" + "x" * 1_000_000 + "\n", what="a test file", check_header=refuse)


def test_a_huge_field_is_read_whole_and_the_csv_limit_is_put_back():
    limit = csv.field_size_limit()

    _columns, rows = csv_rows(Path("x.csv"), "notes\n" + "x" * 1_000_000 + "\n", what="a test file")

    assert len(rows[0].get("notes")) == 1_000_000
    assert csv.field_size_limit() == limit


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "Cannot read"),
        (b" \n", "is empty: expected a test file."),
        (b"a;b;c\n1;2;3\n", "separates its fields with semicolons, not commas"),
        (b"a\tb\n1\t2\n", "separates its fields with tabs"),
        (b"a,b\n\n", "has a header but no rows."),
    ],
)
def test_read_csv_refuses_what_is_not_a_comma_separated_table(tmp_path, content, message):
    path = tmp_path / "data.csv" if content is None else write(tmp_path, content)

    with pytest.raises(FileRefused, match=message):
        read_csv(path, what="a test file")


def test_read_csv_gives_the_encoding_columns_and_rows(tmp_path):
    table = read_csv(write(tmp_path, b"Name\nS\xe9gou\n"), what="a test file")

    assert (table.encoding, table.columns, [row.values for row in table.rows]) == (
        "Latin-1 (Windows-1252)",
        ["name"],
        [{"name": "Ségou"}],
    )


def test_a_missing_column_is_named_with_its_alternatives_and_the_hint():
    require_columns(Path("x.csv"), ["iso3", "date"], ["date", ("iso", "iso3")], what="an export")

    with pytest.raises(FileRefused) as refused:
        require_columns(Path("x.csv"), ["notes"], ["date", ("iso", "iso3")], what="an export", hint="Export again.")

    assert str(refused.value) == "x.csv is not an export: missing column(s) date, iso or iso3. Export again."


# Problems and reports --------------------------------------------------------------------


def test_a_problem_says_where_the_row_is_what_it_names_and_why():
    assert str(Problem(12, "MLI1", "no date")) == "line 12 (MLI1): no date"
    assert str(Problem(3, "", "no id")) == "line 3 (?): no id"
    assert str(Problem(3, "Mali", "no level", where="record 3 at line 9")) == "record 3 at line 9 (Mali): no level"


def test_only_abort_stops_an_import_with_bad_rows():
    report = ImportReport(path=Path("x.csv"))
    report.stop_if_rejected(OnError.ABORT)
    report.reject(2, "A1", "bad")

    report.stop_if_rejected(OnError.SKIP)
    with pytest.raises(ImportAborted, match="1 rows have problems") as aborted:
        report.stop_if_rejected(OnError.ABORT)
    assert aborted.value.report is report


# Writing ---------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(("dry_run", "kept"), [(True, False), (False, True)])
def test_a_dry_run_rolls_back_what_a_real_run_keeps(dry_run, kept):
    with import_transaction(dry_run=dry_run):
        Source.objects.create(slug="kit-test", title="Kit test")
        assert Source.objects.filter(slug="kit-test").exists()

    assert Source.objects.filter(slug="kit-test").exists() is kept


@pytest.mark.django_db
def test_an_error_during_the_import_writes_nothing_and_is_raised():
    with pytest.raises(FileRefused), import_transaction(dry_run=False):
        Source.objects.create(slug="kit-test", title="Kit test")
        raise FileRefused("refused")

    assert not Source.objects.filter(slug="kit-test").exists()


# The command -----------------------------------------------------------------------------


class SampleCommand(ImportCommand):
    unit = "thing"
    outcome: Exception | None = None

    def importer(self, *, path, dry_run, on_error, progress):
        if self.outcome:
            raise self.outcome
        report = ImportReport(path=path, dry_run=dry_run, created=["A"], updated=["B"], unchanged=["C", "D"])
        for item in progress(["A", "B", "C", "D"], 4, "Importing"):
            if item == "D":
                report.reject(7, item, "odd")
            if item in ("A", "B"):
                report.repaired("coordinates with digit-group separators", *(["region alias"] if item == "A" else []))
                report.met_unknown("means of attack", "Detention/arrest", "Other")
        report.repaired()  # a row that needed no repair
        return report

    def heading(self, report):
        return f"Read {report.path}."

    def updated_lines(self, report):
        return [f"  {label}" for label in report.updated]


def run_sample(outcome: Exception | None = None, stderr: io.StringIO | None = None, **options) -> str:
    command = SampleCommand()
    command.outcome = outcome
    out = io.StringIO()
    call_command(command, "data.csv", stdout=out, stderr=stderr or io.StringIO(), **options)
    return out.getvalue()


def test_the_command_prints_a_summary_of_the_report_with_its_repairs_and_unknown_values():
    assert run_sample().splitlines() == [
        "Read data.csv.",
        "Created: 1",
        "Updated: 1",
        "  B",
        "Unchanged: 2",
        "Repaired: 2",
        "  coordinates with digit-group separators: 2",
        "  region alias: 1",
        "Unknown means of attack (kept on the incident as the source wrote it):",
        "  Detention/arrest, imported as Other: 2",
        "Rejected: 1",
        "  line 7 (D): odd",
    ]
    assert run_sample(dry_run=True).splitlines()[-1] == "Dry run: nothing was written."


def test_a_refused_file_or_an_aborted_import_exits_with_an_error_and_prints_no_summary():
    with pytest.raises(CommandError, match=r"^unreadable$"):
        run_sample(FileRefused("unreadable"))

    report = ImportReport(path=Path("data.csv"), rejected=[Problem(2, "A", "bad"), Problem(5, "B", "worse")])
    with pytest.raises(CommandError) as aborted:
        run_sample(ImportAborted(report))
    assert str(aborted.value) == (
        "Refused data.csv: 2 rows have problems; with --on-error=abort nothing was written.\n"
        "  line 2 (A): bad\n"
        "  line 5 (B): worse"
    )


def test_the_command_rejects_an_unknown_on_error_choice():
    with pytest.raises(CommandError, match="invalid choice: 'ignore'"):
        call_command(SampleCommand(), "data.csv", "--on-error=ignore", stdout=io.StringIO())


def test_the_progress_bar_counts_in_the_commands_unit_on_a_terminal_only():
    terminal = Terminal()
    run_sample(stderr=terminal)
    assert "Importing" in terminal.getvalue()
    assert "thing" in terminal.getvalue()

    quiet = Terminal()
    run_sample(stderr=quiet, no_progress=True)
    assert quiet.getvalue() == ""
