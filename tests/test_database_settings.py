"""The web process's connections to PostgreSQL plan without parallel workers: a request reads a
page of rows through an index, and starting workers costs more than the scan they would share.
Celery's workers and the commands keep the server's setting, for their aggregates."""

from __future__ import annotations

import json
import subprocess
import sys
from urllib.parse import quote

import pytest
from django.db import connection

from tests.environment import ROOT, clean_environment


def run_python(code: str, **variables: str) -> str:
    output = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=clean_environment(DJANGO_SETTINGS_MODULE="config.settings", DJANGO_SECRET_KEY="x", **variables),
        capture_output=True,
        text=True,
        check=True,
    )
    return output.stdout.strip().splitlines()[-1]


def database_options(*, web: bool = False, **variables: str) -> dict[str, str]:
    start = "import config.wsgi" if web else "import django; django.setup()"
    shown = "from django.conf import settings; print(json.dumps(settings.DATABASES['default'].get('OPTIONS', {})))"
    options: dict[str, str] = json.loads(run_python(f"import json; {start}; {shown}", **variables))
    return options


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="parallel plans are PostgreSQL's")
def test_on_postgresql_the_web_process_plans_without_parallel_workers_and_a_worker_as_the_server_says():
    database = connection.settings_dict
    url = f"postgres://{quote(database['USER'] or '')}@{database['HOST']}:{database['PORT']}/{database['NAME']}"
    show = (
        "from django.db import connection; cursor = connection.cursor(); "
        "cursor.execute('SHOW max_parallel_workers_per_gather'); print(cursor.fetchone()[0])"
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('max_parallel_workers_per_gather', false)")
        servers = cursor.fetchone()[0]

    assert run_python(f"import config.wsgi; {show}", DATABASE_URL=url) == "0"
    assert run_python(f"import django; django.setup(); {show}", DATABASE_URL=url) == servers


def test_the_options_of_the_database_address_are_kept_beside_the_number_of_workers_asked_for():
    address = "postgres://vigil@db.example:5432/vigil?options=-c%20statement_timeout%3D5000"

    assert database_options(DATABASE_URL=address, DATABASE_PARALLEL_WORKERS="2") == {
        "options": "-c statement_timeout=5000 -c max_parallel_workers_per_gather=2"
    }
    assert database_options(web=True, DATABASE_URL=address) == {
        "options": "-c statement_timeout=5000 -c max_parallel_workers_per_gather=0"
    }


def test_an_empty_number_of_workers_leaves_the_servers_setting_and_sqlite_is_left_alone():
    address = "postgres://vigil@db.example:5432/vigil"
    assert "options" not in database_options(web=True, DATABASE_URL=address, DATABASE_PARALLEL_WORKERS="")
    assert "options" not in database_options(DATABASE_URL=address)
    assert "options" not in database_options(web=True, DATABASE_URL="sqlite:///var/example.sqlite3")
