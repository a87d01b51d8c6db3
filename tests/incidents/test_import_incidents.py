"""What every incident importer does alike, shown on the ACLED and AWSD samples: bad rows
reported by line, nothing written twice, dry runs and --on-error=abort."""

import pytest
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from incidents.models import Actor, Incident
from tests.importing import assert_it_writes_nothing_again, counts, run_import, writes

from .test_import_acled import DYADIC
from .test_import_acled import SAMPLE_REJECTIONS as ACLED_REJECTIONS
from .test_import_awsd import SAMPLE
from .test_import_awsd import SAMPLE_REJECTIONS as AWSD_REJECTIONS

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.parametrize(
        ("command", "path", "created", "rejections"),
        [
            pytest.param("import_acled", DYADIC, 12, ACLED_REJECTIONS, id="acled"),
            pytest.param("import_awsd", SAMPLE, 19, AWSD_REJECTIONS, id="awsd"),
        ],
    ),
]


def test_it_reports_bad_rows_with_their_physical_line_numbers_and_reasons(command, path, created, rejections):
    out, _err = run_import(command, path)

    rejected = out.split(f"Rejected: {len(rejections)}\n", 1)[1].splitlines()
    assert len(rejected) == len(rejections)
    for line, expected in zip(rejected, rejections, strict=True):
        assert line.strip().startswith(expected)


def test_running_it_twice_writes_nothing_the_second_time(command, path, created, rejections):
    with CaptureQueriesContext(connection) as first:
        run_import(command, path)
    assert writes(first.captured_queries)

    assert_it_writes_nothing_again(command, path, (0, 0, created, len(rejections)))


def test_a_dry_run_reports_the_same_and_writes_nothing(command, path, created, rejections):
    out, _err = run_import(command, path, dry_run=True)

    assert counts(out) == (created, 0, 0, len(rejections))
    assert "Dry run: nothing was written." in out
    assert not Incident.objects.exists()
    assert not Actor.objects.exists()


def test_on_error_abort_writes_nothing_and_lists_the_bad_rows(command, path, created, rejections):
    with pytest.raises(CommandError) as excinfo:
        run_import(command, path, on_error="abort")

    message = str(excinfo.value)
    assert f"{len(rejections)} rows have problems; with --on-error=abort nothing was written" in message
    for expected in rejections:
        assert expected in message
    assert not Incident.objects.exists()
    assert not Actor.objects.exists()
