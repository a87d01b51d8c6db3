"""Every way Vigil starts, each in a fresh interpreter, the way a user or a deployment starts it.

An import cycle can hide behind the order in which modules happen to be imported: Django runs
its system checks from a set, whose order follows the hash seed and the checkout's path, so a
commit can start in one folder and crash in another. These tests start the real entry points
as separate processes: `manage.py check` under several hash seeds and from a copy of the
project in another folder, DRF's settings resolved before anything else, the Celery workers of
docker-compose.yml on PostgreSQL and Redis, and gunicorn as the Dockerfile runs it.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import uuid
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
import yaml
from django.conf import settings
from django.db import connection
from rest_framework.settings import IMPORT_STRINGS

from tests.environment import (
    ROOT,
    RedisClaim,
    clean_environment,
    database_url,
    free_port,
    postgresql_missing,
    require,
)
from tests.processes import copy_project, get, run, running, wait_for_log, wait_until_served

PYTHON = sys.executable
BIN = Path(sys.executable).parent
PROJECT_PACKAGES = ("config", "advisories", "incidents", "alerts")


def development() -> dict[str, str]:
    """The environment of `make run`: the embedded default in development mode."""
    return clean_environment(DJANGO_DEBUG="true", DJANGO_SETTINGS_MODULE="config.settings")


# manage.py -----------------------------------------------------------------------------


@pytest.mark.parametrize("seed", ["0", "1", "2", "3", "4", "5", "6", "7"])
def test_manage_py_check_passes_whatever_the_hash_seed(seed):
    output = run([PYTHON, "manage.py", "check"], env={**development(), "PYTHONHASHSEED": seed})

    assert "System check identified no issues" in output


def test_manage_py_check_passes_from_a_copy_of_the_project_in_another_folder(tmp_path):
    copy = copy_project(tmp_path / "another folder" / "vigil")

    output = run([PYTHON, "manage.py", "check"], cwd=copy, env=development())
    where = run(
        [PYTHON, "manage.py", "shell", "-c", "import config; print(config.__file__)"], cwd=copy, env=development()
    )

    assert "System check identified no issues" in output
    assert where.strip().splitlines()[-1] == str(copy / "config" / "__init__.py")


def test_manage_py_check_passes_in_a_fresh_clone_before_npm_and_check_deploy_asks_for_it(tmp_path):
    copy = copy_project(tmp_path / "fresh clone", npm_packages=False)

    output = run([PYTHON, "manage.py", "check"], cwd=copy, env=development())
    deploy = subprocess.run(
        [PYTHON, "manage.py", "check", "--deploy"],
        cwd=copy,
        env=development(),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert "System check identified no issues" in output
    assert deploy.returncode != 0
    assert "advisories.E001" in deploy.stderr
    assert "npm ci" in deploy.stderr


# DRF's settings: the classes they name by dotted strings -------------------------------


def _drf_settings_we_set() -> list[str]:
    return sorted(name for name in settings.REST_FRAMEWORK if name in IMPORT_STRINGS)


def _project_modules_drf_settings_name() -> list[str]:
    paths: set[str] = set()
    for name in _drf_settings_we_set():
        value = settings.REST_FRAMEWORK[name]
        paths.update([value] if isinstance(value, str) else value if isinstance(value, list) else [])
    return sorted({path.rsplit(".", 1)[0] for path in paths if path.startswith(PROJECT_PACKAGES)})


RESOLVE_EVERY_SETTING = (
    "from rest_framework.settings import IMPORT_STRINGS, api_settings\n"
    "for name in IMPORT_STRINGS:\n"
    "    getattr(api_settings, name)\n"
    "import rest_framework.generics, rest_framework.viewsets, config.urls\n"
)


@pytest.mark.parametrize("name", _drf_settings_we_set())
def test_each_drf_setting_resolves_in_a_fresh_interpreter_before_anything_else(name):
    code = f"import django\ndjango.setup()\nfrom rest_framework.settings import api_settings\napi_settings.{name}\n"

    run([PYTHON, "-c", code + RESOLVE_EVERY_SETTING], env=development())


@pytest.mark.parametrize("module", _project_modules_drf_settings_name())
def test_each_module_drf_settings_name_can_be_the_first_one_imported(module):
    code = f"import django\ndjango.setup()\nimport {module}\n"

    run([PYTHON, "-c", code + RESOLVE_EVERY_SETTING], env=development())


def test_the_modules_drf_settings_name_are_all_checked():
    # The two tests above read the settings; this one makes sure they found what they check.
    assert "DEFAULT_PAGINATION_CLASS" in _drf_settings_we_set()
    assert {"config.api.pagination", "config.api.parsers", "config.api.errors"} <= set(
        _project_modules_drf_settings_name()
    )


# Celery workers, as docker-compose.yml starts them ------------------------------------


def _compose_worker_commands() -> dict[str, list[str]]:
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    return {
        name: service["command"]
        for name, service in compose["services"].items()
        if isinstance(service.get("command"), list)
        and service["command"][:1] == ["celery"]
        and "worker" in service["command"]
    }


def _option(command: Sequence[str], flag: str) -> str:
    return command[command.index(flag) + 1]


# A task of each queue that changes nothing: an alert about an incident that does not exist
# (it reads the database), sending no deliveries, and the sweeper with nothing pending.
TASK_FOR_QUEUE: dict[str, tuple[str, list[Any], str]] = {
    "immediate": ("alerts.tasks.immediate_incident", [0], "0"),
    "digests": ("alerts.tasks.digest_send", [[]], "{'sent': 0"),
    "celery": ("alerts.tasks.deliveries_sweep", [], "0"),
}


def _workers_to_start() -> list[tuple[str, list[str]]]:
    started = list(_compose_worker_commands().items())
    # And the way an operator starts one by hand: every queue, the app named by its module.
    started.append(
        (
            "by hand",
            [
                "celery",
                "-A",
                "config.celery",
                "worker",
                "--pool",
                "prefork",
                "-Q",
                "immediate,digests,celery",
                "-l",
                "info",
            ],
        )
    )
    return started


def test_the_compose_file_has_a_worker_for_every_queue():
    queues = {queue for command in _compose_worker_commands().values() for queue in _option(command, "-Q").split(",")}

    assert queues == set(TASK_FOR_QUEUE)


@pytest.mark.integration
@pytest.mark.parametrize(("service", "command"), _workers_to_start(), ids=[name for name, _ in _workers_to_start()])
def test_a_celery_worker_starts_with_prefork_on_postgresql_and_redis_and_runs_a_task_of_each_of_its_queues(
    service, command, db, redis_database: RedisClaim, tmp_path
):
    require(postgresql_missing(settings.DATABASES["default"]))
    redis_database.flush()
    node = f"{service.replace(' ', '-')}-{uuid.uuid4().hex[:8]}@%h"
    args = [str(BIN / command[0]), *command[1:]]
    if "-n" in args:  # compose names its nodes after the service; two test runs must not share a name
        args[args.index("-n") + 1] = node
    else:
        args += ["-n", node]
    env = clean_environment(
        DJANGO_SECRET_KEY="entry-point-test",
        DATABASE_URL=database_url(connection.settings_dict),
        REDIS_URL=redis_database.url,
    )
    log = tmp_path / "worker.log"
    from celery import Celery

    with running(args, env=env, log=log) as worker:
        banner = wait_for_log(worker, log, r"\bready\.", what=f"The worker {service}")
        assert re.search(r"concurrency:\s+\d+ \(prefork\)", banner), banner
        # Not the current app: the project's tasks must keep publishing through the project's.
        client = Celery(broker=redis_database.url, set_as_current=False)
        try:
            for queue in _option(args, "-Q").split(","):
                name, task_args, result = TASK_FOR_QUEUE[queue]
                task_id = client.send_task(name, args=task_args, queue=queue).id
                succeeded = rf"Task {re.escape(name)}\[{task_id}\] succeeded in [\d.e-]+s: {re.escape(result)}"
                wait_for_log(worker, log, succeeded, what=f"The worker {service}")
        finally:
            client.close()


# gunicorn, as the Dockerfile runs it ---------------------------------------------------


def _dockerfile_command() -> list[str]:
    line = next(line for line in (ROOT / "Dockerfile").read_text().splitlines() if line.startswith("CMD "))
    return list(json.loads(line.removeprefix("CMD ")))


@pytest.mark.integration
def test_gunicorn_serves_the_site_with_debug_off_after_collectstatic(db, tmp_path):
    require(postgresql_missing(settings.DATABASES["default"]))
    env = clean_environment(
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY="entry-point-test",
        DJANGO_STATIC_ROOT=str(tmp_path / "static"),
        DATABASE_URL=database_url(connection.settings_dict),
    )
    run([PYTHON, "manage.py", "collectstatic", "--no-input", "-v", "0"], env=env)
    port = free_port()
    command = _dockerfile_command()
    command[0] = str(BIN / command[0])
    command[command.index("--bind") + 1] = f"127.0.0.1:{port}"
    log = tmp_path / "gunicorn.log"

    with running(command, env=env, log=log) as server:
        wait_for_log(server, log, r"Booting worker with pid", what="gunicorn")
        base = f"http://127.0.0.1:{port}"
        status, _, home = wait_until_served(server, log, base + "/", what="gunicorn")
        stylesheet = re.search(r'href="(/static/[^"]+\.css)"', home)
        static_status, static_type, _ = get(base + stylesheet.group(1)) if stylesheet else (0, "", "")
        health = get(base + "/healthz")
        api = get(base + "/api/v1/countries/ml/")

    assert status == 200, home[-3000:]
    assert "Traceback" not in log.read_text(errors="replace")
    assert stylesheet, "the home page links no stylesheet"
    # The manifest storage serves hashed names: collectstatic's work, not the finders'.
    assert re.search(r"\.[0-9a-f]{12}\.css$", stylesheet.group(1)), stylesheet.group(1)
    assert (static_status, static_type) == (200, "text/css")
    assert health[0] == 200
    assert api[0] == 200 and api[1] == "application/json" and json.loads(api[2])["code"] == "ML"
