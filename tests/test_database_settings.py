"""Vigil's connections to PostgreSQL plan without parallel workers unless told otherwise: its
queries read a page of rows through an index, and starting workers costs more than they share."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from django.db import connection

from tests.environment import ROOT, clean_environment

SHOW_OPTIONS = "from django.conf import settings; print(json.dumps(settings.DATABASES['default'].get('OPTIONS', {})))"


def database_options(**variables: str) -> dict[str, str]:
    output = subprocess.run(
        [sys.executable, "-c", f"import json, django; django.setup(); {SHOW_OPTIONS}"],
        cwd=ROOT,
        env=clean_environment(DJANGO_SETTINGS_MODULE="config.settings", DJANGO_SECRET_KEY="x", **variables),
        capture_output=True,
        text=True,
        check=True,
    )
    options: dict[str, str] = json.loads(output.stdout.strip().splitlines()[-1])
    return options


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="parallel plans are PostgreSQL's")
def test_on_postgresql_a_connection_plans_without_parallel_workers():
    with connection.cursor() as cursor:
        cursor.execute("SHOW max_parallel_workers_per_gather")
        assert cursor.fetchone()[0] == "0"


def test_the_options_of_the_database_address_are_kept_beside_the_number_of_workers_asked_for():
    options = database_options(
        DATABASE_URL="postgres://vigil@db.example:5432/vigil?options=-c%20statement_timeout%3D5000",
        DATABASE_PARALLEL_WORKERS="2",
    )

    assert options["options"] == "-c statement_timeout=5000 -c max_parallel_workers_per_gather=2"


def test_an_empty_number_of_workers_leaves_the_servers_setting_and_sqlite_is_left_alone():
    assert "options" not in database_options(
        DATABASE_URL="postgres://vigil@db.example:5432/vigil", DATABASE_PARALLEL_WORKERS=""
    )
    assert "options" not in database_options(DATABASE_URL="sqlite:///var/example.sqlite3")
