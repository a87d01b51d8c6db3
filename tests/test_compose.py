"""The container setup, checked without a Docker engine.

docker-compose.yml is validated against the Compose Specification's JSON schema (shipped in
tests/schemas/) and read the way compose reads it (YAML anchors, `${VAR:?error}`
interpolation, `$$` escapes), then checked for what keeps the stack sound: healthchecks,
start order, one image for all app services, no secret in the file, and addresses that point
at the services that exist. The Dockerfile's commands are resolved against the code, and
the health check script it runs is run for real against a live server and Redis.
"""

import copy
import importlib
import json
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import jsonschema
import pytest
import yaml
from celery import Celery
from celery.app.utils import find_app
from celery.utils.imports import symbol_by_name
from django.urls import resolve

from alerts import schedules
from config.celery import app as celery_app
from config.views import healthz

ROOT = Path(__file__).resolve().parent.parent
SCHEMA_PATH = Path(__file__).resolve().parent / "schemas" / "compose-spec.json"
SHARED_SCHEMA = ROOT.parent / "shared" / "data" / "compose-spec.json"
WORKERS = ("worker-immediate", "worker-digests")
APP_SERVICES = ("web", *WORKERS, "beat")
ENV = {"DJANGO_SECRET_KEY": "test-secret", "POSTGRES_PASSWORD": "test-password"}


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    return json.loads(SCHEMA_PATH.read_text())


# Compose's variable interpolation, enough of it to read the file as compose does:
# ${VAR}, ${VAR:-default}, ${VAR-default}, ${VAR:?error}, ${VAR?error}, $VAR and $$.
_VARIABLE = re.compile(
    r"\$(?:(?P<escaped>\$)|\{(?P<braced>[A-Za-z_]\w*)(?P<op>:?[-?])?(?P<arg>[^}]*)\}|(?P<bare>[A-Za-z_]\w*))"
)


class MissingVariable(Exception):
    pass


def interpolate(value: Any, env: dict[str, str]) -> Any:
    if isinstance(value, dict):
        return {key: interpolate(item, env) for key, item in value.items()}
    if isinstance(value, list):
        return [interpolate(item, env) for item in value]
    if not isinstance(value, str):
        return value

    def substitute(match: re.Match[str]) -> str:
        if match["escaped"]:
            return "$"
        if match["bare"]:
            return env.get(match["bare"], "")
        name, op, arg = match["braced"], match["op"], match["arg"]
        current = env.get(name)
        unset = current is None or (current == "" and op is not None and op.startswith(":"))
        if op in (":?", "?") and unset:
            raise MissingVariable(arg)
        if op in (":-", "-") and unset:
            return arg
        return current or ""

    return _VARIABLE.sub(substitute, value)


@pytest.fixture(scope="module")
def resolved(compose) -> dict[str, Any]:
    return interpolate(compose, ENV)


# The schema --------------------------------------------------------------------------------


def test_the_shipped_schema_is_a_valid_draft_07_schema(schema):
    # Its $schema lacks the trailing "#", so jsonschema's validator_for() does not recognise it
    # and would silently pick the latest draft: the validator class is chosen here on purpose.
    assert "draft-07" in schema["$schema"]
    jsonschema.Draft7Validator.check_schema(schema)


@pytest.mark.shared_data
def test_the_shipped_schema_is_the_reference_copy():
    assert SCHEMA_PATH.read_bytes() == SHARED_SCHEMA.read_bytes()


def _schema_errors(schema: dict[str, Any], document: Any) -> list[str]:
    validator = jsonschema.Draft7Validator(schema)
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(document)]


def test_the_compose_file_follows_the_compose_specification(schema, compose, resolved):
    assert _schema_errors(schema, compose) == []
    assert _schema_errors(schema, resolved) == []


@pytest.mark.parametrize(
    ("service", "key", "bad_value"),
    [
        ("web", "healthcheck", {"test": ["CMD", "true"], "intervall": "10s"}),
        ("worker-immediate", "depends_on", {"redis": {"condition": "service_ready"}}),
        ("beat", "restart", ["always"]),
    ],
)
def test_the_validation_catches_a_broken_compose_file(schema, compose, service, key, bad_value):
    broken = copy.deepcopy(compose)
    broken["services"][service][key] = bad_value
    assert _schema_errors(schema, broken) != []


# How the services fit together -----------------------------------------------------------------


def _one_shot(service: dict[str, Any]) -> bool:
    return service.get("restart") == "no"


def test_every_long_running_service_has_a_healthcheck(compose):
    services = compose["services"]
    assert set(services) >= {"postgres", "redis", *APP_SERVICES, "mailpit", "migrate"}
    for name, service in services.items():
        if _one_shot(service):
            continue
        check = service.get("healthcheck", {})
        assert check.get("test") and not check.get("disable"), f"{name} has no healthcheck"
        assert check["test"][0] in ("CMD", "CMD-SHELL"), name


def test_one_shot_services_are_awaited_until_they_complete(compose):
    services = compose["services"]
    one_shot = {name for name, service in services.items() if _one_shot(service)}
    assert one_shot == {"migrate"}
    for name in APP_SERVICES:
        assert services[name]["depends_on"]["migrate"] == {"condition": "service_completed_successfully"}


@pytest.mark.parametrize("name", [*APP_SERVICES, "migrate"])
def test_app_services_wait_for_a_healthy_postgres(compose, name):
    assert compose["services"][name]["depends_on"]["postgres"] == {"condition": "service_healthy"}


@pytest.mark.parametrize("name", APP_SERVICES)
def test_app_services_wait_for_a_healthy_redis(compose, name):
    assert compose["services"][name]["depends_on"]["redis"] == {"condition": "service_healthy"}


def test_every_dependency_is_a_service_with_a_way_to_be_waited_for(compose):
    services = compose["services"]
    for name, service in services.items():
        for dependency, rule in service.get("depends_on", {}).items():
            assert dependency in services, f"{name} depends on an unknown service {dependency}"
            if rule["condition"] == "service_healthy":
                assert "test" in services[dependency].get("healthcheck", {}), f"{dependency} cannot become healthy"


def test_web_worker_beat_and_migrate_run_the_same_image(compose):
    services = [compose["services"][name] for name in [*APP_SERVICES, "migrate"]]
    builds = {json.dumps(service.get("build"), sort_keys=True) for service in services}
    images = {service.get("image") for service in services}
    assert len(builds) == 1 and builds != {"null"}
    assert len(images) == 1 and images != {None}


def test_app_services_share_one_environment(resolved):
    environments = [resolved["services"][name]["environment"] for name in [*APP_SERVICES, "migrate"]]
    assert all(env == environments[0] for env in environments)
    for variable in ("DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS", "DATABASE_URL", "REDIS_URL", "EMAIL_URL"):
        assert environments[0].get(variable), variable


def test_addresses_point_at_the_services_that_serve_them(resolved):
    env = resolved["services"]["web"]["environment"]
    postgres = resolved["services"]["postgres"]["environment"]
    database = urlsplit(env["DATABASE_URL"])
    assert (database.scheme, database.hostname, database.port) == ("postgres", "postgres", 5432)
    assert (database.username, database.password) == (postgres["POSTGRES_USER"], postgres["POSTGRES_PASSWORD"])
    assert database.path == f"/{postgres['POSTGRES_DB']}"
    assert urlsplit(env["REDIS_URL"]).hostname == "redis"
    assert env["EMAIL_URL"] == "smtp://mailpit:1025"


# Secrets -----------------------------------------------------------------------------------------

_SECRET_NAME = re.compile(r"SECRET|PASSWORD|TOKEN|API_KEY", re.IGNORECASE)
_REQUIRED_VARIABLE = re.compile(r"^\$\{[A-Z_][A-Z0-9_]*:\?[^}]+\}$")
# The password of scheme://user:password@host...; urlsplit() cannot read it here, since the
# raw value's "${VAR:?message}" holds a "?" that it takes for the start of a query string.
_URL_PASSWORD = re.compile(r"^[a-z][a-z0-9+.-]*://[^:/@]*:(?P<password>.*)@[^@/]+(?:/[^@]*)?$", re.IGNORECASE)


def _environments(compose: dict[str, Any]) -> list[tuple[str, str, str]]:
    found = []
    for name, service in compose["services"].items():
        environment = service.get("environment", {})
        if isinstance(environment, list):
            environment = dict(item.split("=", 1) for item in environment)
        found += [(name, key, str(value)) for key, value in environment.items()]
    return found


def test_no_secret_value_is_written_in_the_compose_file(compose):
    checked = set()
    for service, key, value in _environments(compose):
        if _SECRET_NAME.search(key):
            assert _REQUIRED_VARIABLE.match(value), f"{service}: {key} must come from a required variable"
            checked.add(key)
        url = _URL_PASSWORD.match(value)
        if url is not None:
            assert _REQUIRED_VARIABLE.match(url["password"]), f"{service}: {key} has a password written in it"
            checked.add(key)
    # The rules above did meet the secrets this stack has.
    assert checked == {"DJANGO_SECRET_KEY", "POSTGRES_PASSWORD", "DATABASE_URL"}


@pytest.mark.parametrize("missing", ["DJANGO_SECRET_KEY", "POSTGRES_PASSWORD"])
def test_compose_refuses_to_start_without_a_secret(compose, missing):
    env = {key: value for key, value in ENV.items() if key != missing}
    with pytest.raises(MissingVariable, match=f"set {missing}"):
        interpolate(compose, env)


@pytest.mark.parametrize("name", WORKERS)
def test_each_worker_healthcheck_pings_its_own_node(resolved, name):
    # `$$HOSTNAME` reaches the container's shell as `$HOSTNAME`; a single `$` would be
    # replaced by compose, from the host's environment, before the container ever sees it.
    service = resolved["services"][name]
    test = service["healthcheck"]["test"]
    assert test[0] == "CMD-SHELL"
    argv = shlex.split(test[1])
    assert argv[:4] == ["celery", "-A", "config", "inspect"]
    assert "ping" in argv
    # The node the worker names itself (Celery expands %h to the container's host name).
    node = _option(service["command"], "-n", default="celery@%h").replace("%h", "$HOSTNAME")
    assert argv[argv.index("-d") + 1] == node
    assert not service["healthcheck"].get("disable")


# Queues, workers and beat -------------------------------------------------------------------


def _option(command: list[str], flag: str, *, default: str = "") -> str:
    return command[command.index(flag) + 1] if flag in command else default


def _worker_queues(compose: dict[str, Any]) -> dict[str, set[str]]:
    """Each worker service's queues (-Q); a worker without -Q consumes the default queue."""
    found = {}
    for name, service in compose["services"].items():
        command = service.get("command") or []
        if command[:1] == ["celery"] and "worker" in command:
            found[name] = set(_option(command, "-Q", default=celery_app.conf.task_default_queue).split(","))
    return found


def _alerts_queues() -> set[str]:
    """Every queue an alerts task can be sent to: by the task routes, or by a beat schedule's queue."""
    celery_app.loader.import_default_modules()
    names = [name for name in celery_app.tasks if name.startswith("alerts.")]
    assert {schedules.DIGEST_TASK, schedules.SWEEP_TASK} <= set(names)
    routed = {celery_app.amqp.router.route({}, name)["queue"].name for name in names}
    return routed | {schedules.DIGEST_QUEUE, schedules.SWEEP_QUEUE}


def test_the_workers_are_the_worker_services(compose):
    assert set(_worker_queues(compose)) == set(WORKERS)


def test_every_queue_an_alerts_task_is_sent_to_has_a_worker(compose):
    queues = _alerts_queues()
    assert queues >= {"immediate", "digests", "celery"}
    consumed = set().union(*_worker_queues(compose).values())
    assert queues <= consumed, f"no worker consumes {queues - consumed}"


def test_immediate_alerts_have_a_worker_of_their_own(compose):
    # A long digest run must never hold up an alert that has to leave within a minute.
    queues = _worker_queues(compose)
    assert queues["worker-immediate"] == {"immediate"}
    assert all("immediate" not in consumed for name, consumed in queues.items() if name != "worker-immediate")


def test_beat_reads_its_schedules_from_the_database(compose):
    command = compose["services"]["beat"]["command"]
    scheduler = symbol_by_name(_option(command, "--scheduler"))
    assert f"{scheduler.__module__}.{scheduler.__qualname__}" == "django_celery_beat.schedulers.DatabaseScheduler"
    # A schedule file would only matter to the default file-based scheduler.
    assert "--schedule" not in command and "-s" not in command
    # Two beats would send every digest and sweep twice.
    assert compose["services"]["beat"].get("deploy", {}).get("replicas", 1) == 1


def test_the_visibility_timeout_outlasts_the_longest_task(resolved):
    env = resolved["services"]["worker-digests"]["environment"]
    # Otherwise Redis hands a task still running to a second worker, and its e-mails may go twice.
    assert int(env["CELERY_VISIBILITY_TIMEOUT"]) > int(env["CELERY_TASK_TIME_LIMIT"])


# Commands resolve against the code ---------------------------------------------------------


def _celery_app_option(command: list[str]) -> str:
    return command[command.index("-A") + 1]


@pytest.mark.parametrize(("name", "subcommand"), [*((worker, "worker") for worker in WORKERS), ("beat", "beat")])
def test_celery_services_start_the_projects_celery_app(compose, name, subcommand):
    command = compose["services"][name]["command"]
    assert command[0] == "celery"
    assert subcommand in command
    app = find_app(_celery_app_option(command))
    assert isinstance(app, Celery)
    assert app.main == "vigil"


def _dockerfile() -> list[tuple[str, str]]:
    """The Dockerfile's instructions as (INSTRUCTION, arguments), continuation lines joined."""
    text = re.sub(r"\\\n", " ", (ROOT / "Dockerfile").read_text())
    instructions = []
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            keyword, _, rest = line.partition(" ")
            instructions.append((keyword.upper(), rest.strip()))
    return instructions


def _exec_form(arguments: str) -> list[str]:
    return json.loads(arguments[arguments.index("[") :])


def test_the_image_is_python_311_slim_and_runs_as_a_non_root_user():
    instructions = _dockerfile()
    stages = [args for keyword, args in instructions if keyword == "FROM"]
    # The final stage is the image; an earlier one only fetches the npm packages.
    assert stages[-1] == "python:3.11-slim"
    assert all(stage.endswith(" AS assets") for stage in stages[:-1]), stages
    users = [args for keyword, args in instructions if keyword == "USER"]
    assert users and users[-1] not in ("root", "0")
    created = " ".join(args for keyword, args in instructions if keyword == "RUN")
    assert "useradd" in created and users[-1] in created
    keywords = [keyword for keyword, _ in instructions]
    assert keywords.index("USER") < keywords.index("CMD")


def test_the_build_keeps_no_secret_in_the_image():
    for keyword, arguments in _dockerfile():
        if keyword in ("ENV", "ARG"):
            assert "SECRET" not in arguments, arguments


def test_the_image_serves_the_projects_wsgi_app_on_port_8000(compose):
    instructions = dict(_dockerfile())
    command = _exec_form(instructions["CMD"])
    assert command[0] == "gunicorn"
    module, _, attribute = next(arg for arg in command[1:] if not arg.startswith("-")).partition(":")
    assert callable(getattr(importlib.import_module(module), attribute or "application"))
    assert command[command.index("--bind") + 1] == "0.0.0.0:8000"
    assert instructions["EXPOSE"] == "8000"
    assert any(port.endswith(":8000") for port in compose["services"]["web"]["ports"])


def test_the_image_healthcheck_runs_a_script_that_the_image_contains():
    instructions = dict(_dockerfile())
    command = _exec_form(instructions["HEALTHCHECK"])
    script = Path(command[1])
    assert script.parts[:2] == ("/", instructions["WORKDIR"].strip("/"))
    assert (ROOT / script.relative_to(instructions["WORKDIR"])).is_file()
    ignored = (ROOT / ".dockerignore").read_text().split()
    assert not any(script.relative_to(instructions["WORKDIR"]).parts[0] == pattern for pattern in ignored)
    assert resolve("/healthz").func == healthz


# The health check script, run for real -------------------------------------------------------


def _run_healthcheck(check: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(ROOT / "docker" / "healthcheck.py"), check],
        env={"PATH": os.environ.get("PATH", ""), **env},
        capture_output=True,
        text=True,
        timeout=30,
    )


@pytest.mark.django_db
def test_the_web_healthcheck_passes_when_the_site_answers(live_server):
    port = str(urlsplit(live_server.url).port)
    result = _run_healthcheck("web", HEALTHCHECK_PORT=port, DJANGO_ALLOWED_HOSTS="localhost,127.0.0.1")
    assert result.returncode == 0, result.stderr


@pytest.mark.django_db
def test_the_web_healthcheck_fails_when_django_refuses_the_host(live_server):
    port = str(urlsplit(live_server.url).port)
    result = _run_healthcheck("web", HEALTHCHECK_PORT=port, DJANGO_ALLOWED_HOSTS="vigil.example.org")
    assert result.returncode == 1
    assert "400" in result.stderr


def test_the_web_healthcheck_fails_when_nothing_listens():
    result = _run_healthcheck("web", HEALTHCHECK_PORT="9")
    assert result.returncode == 1
    assert "did not answer" in result.stderr


def test_the_broker_healthcheck_passes_when_redis_answers():
    result = _run_healthcheck("broker", REDIS_URL=os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"))
    assert result.returncode == 0, result.stderr


def test_the_broker_healthcheck_fails_when_redis_does_not_answer():
    result = _run_healthcheck("broker", REDIS_URL="redis://127.0.0.1:9/0")
    assert result.returncode == 1
    assert "did not answer" in result.stderr
