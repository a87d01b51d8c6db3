"""The README's commands, run exactly as printed, in a copy of the project in another folder.

As a new user would: `make run` on a port of its own in the copy (the fixture), then every
command of the README's `sh` blocks, one after the other, each from the copy's folder, in an
environment without Vigil's settings. Each must exit 0. Two things are supplied the way the
README tells its reader to supply them: `$VIGIL_TOKEN` holds a real API token, and the address
`http://127.0.0.1:8000` is the one `make run` printed (its port is free for this run, so that two
runs on one machine do not meet).

The commands that are not run are listed in NOT_RUN with the reason; a test makes sure that
each of them is still in the README, so that the list cannot grow stale.
"""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import http.cookiejar
import re
import sys
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path

import pytest

from tests.environment import ROOT, SHARED, clean_environment, free_port, require, shared_missing
from tests.processes import copy_project, get, run, running, wait_until_served

README = ROOT / "README.md"
VENV = Path(sys.prefix)
PRINTED_ADDRESS = "http://127.0.0.1:8000"
# make run installs nothing here (the copy shares this run's virtualenv), but migrating and
# loading the demo on a loaded machine take a while.
MAKE_RUN_SECONDS = 300.0

NOT_RUN = {
    "make run": "run by the fixture, with PORT set to a free port, before every other command",
    "make test": "this very suite",
    "make test TEST_DATABASE_URL=sqlite:///var/test.sqlite3": "this very suite, on SQLite",
    "docker compose up -d": "no Docker engine on the machines the suite runs on; tests/test_compose.py checks the file",
    "docker compose run --rm web python manage.py load_demo": "no Docker engine (see above)",
    "docker compose run --rm web python manage.py createsuperuser": "no Docker engine, and it asks questions",
}


def _strip_comment(line: str) -> str:
    """The line without a shell comment: a # at its start or after a blank, outside quotes."""
    quote = ""
    for index, char in enumerate(line):
        if quote:
            if char == quote:
                quote = ""
        elif char in "'\"":
            quote = char
        elif char == "#" and (index == 0 or line[index - 1].isspace()):
            return line[:index].rstrip()
    return line.rstrip()


def readme_commands(text: str) -> list[str]:
    """Every command of the `sh` blocks, in order: continuation lines joined, comments removed."""
    commands: list[str] = []
    for block in re.findall(r"^```sh\n(.*?)^```", text, flags=re.MULTILINE | re.DOTALL):
        pending = ""
        for raw in block.splitlines():
            line = _strip_comment(raw)
            if line.endswith("\\"):
                pending += line[:-1].rstrip() + " "
                continue
            command = (pending + line.strip()).strip()
            pending = ""
            if command:
                commands.append(re.sub(r"\s+", " ", command))
    return commands


COMMANDS = readme_commands(README.read_text(encoding="utf-8"))


@dataclass
class ServedCopy:
    path: Path
    url: str
    log: Path

    def manage(self, *args: str) -> str:
        return run([".venv/bin/python", "manage.py", *args], cwd=self.path, env=clean_environment())


@pytest.fixture(scope="module")
def served_copy(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServedCopy]:
    """`make run PORT=<free>` in a copy of the project in another folder, serving, for the module."""
    base = tmp_path_factory.mktemp("elsewhere") / "a clone's folder"
    copy = copy_project(base / "vigil")
    # The copy shares this run's virtualenv: setting it up again would only test pip.
    (copy / ".venv").symlink_to(VENV, target_is_directory=True)
    if SHARED.is_dir():
        (base / "shared").symlink_to(SHARED, target_is_directory=True)
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    log = base / "make-run.log"
    with running(["make", "run", f"PORT={port}"], cwd=copy, env=clean_environment(), log=log) as process:
        status, _, _ = wait_until_served(process, log, url + "/", what="make run", timeout=MAKE_RUN_SECONDS)
        assert status == 200, log.read_text(errors="replace")[-6000:]
        yield ServedCopy(path=copy, url=url, log=log)


def test_make_run_serves_the_mali_demo_from_a_copy_in_another_folder(served_copy):
    status, _, page = get(served_copy.url + "/countries/ml/")

    assert status == 200 and "Mali" in page
    assert f"Vigil is serving on {served_copy.url}/" in served_copy.log.read_text(errors="replace")


def _subscribe(url: str, address: str) -> None:
    """A traveler asks for Mali's daily digest on the served site's form."""
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    with opener.open(url + "/alerts/subscribe/", timeout=20) as response:
        page = response.read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    mali = re.search(r'name="countries" value="(\d+)" id="([^"]+)"> <label for="\2">Mali</label>', page)
    assert token and mali, page[-3000:]
    fields = {
        "csrfmiddlewaretoken": token.group(1),
        "email": address,
        "countries": mali.group(1),
        "min_severity": "1",
        "include_advisories": "on",
        "frequency": "daily",
        "time_zone": "UTC",
    }
    request = urllib.request.Request(url + "/alerts/subscribe/", data=urllib.parse.urlencode(fields).encode())
    with opener.open(request, timeout=20) as response:
        assert response.url.endswith("/alerts/subscribe/sent/"), response.read().decode()[-3000:]


def _messages(mail_dir: Path) -> list[EmailMessage]:
    """The e-mails Django's file backend wrote: each file holds messages separated by a line of dashes."""
    messages = []
    for path in sorted(mail_dir.glob("*.log")):
        for raw in re.split(r"^-{79}$", path.read_text(encoding="utf-8"), flags=re.MULTILINE):
            if raw.strip():
                messages.append(email.message_from_string(raw.lstrip("\n"), policy=email.policy.default))
    return messages


def _links(message: EmailMessage) -> list[str]:
    texts = [str(value) for name, value in message.items() if name.lower().startswith("list-")]
    texts += [part.get_content() for part in message.walk() if part.get_content_maintype() == "text"]
    return [link for text in texts for link in re.findall(r"https?://[^\s<>\"')]+", text)]


def test_every_link_in_the_emails_of_make_run_on_another_port_uses_that_port(served_copy):
    # One e-mail sent by the server make run started, the others by a command run afterwards.
    _subscribe(served_copy.url, "port-check@vigil.localhost")
    tomorrow = dt.datetime.now(tz=dt.UTC).date() + dt.timedelta(days=1)
    served_copy.manage("send_digests", "--frequency", "daily", "--now", tomorrow.isoformat())

    messages = _messages(served_copy.path / "var" / "mail")
    links = [link for message in messages for link in _links(message)]
    ours = [link for link in links if urllib.parse.urlsplit(link).hostname in {"127.0.0.1", "localhost"}]

    assert any(message["To"] == "port-check@vigil.localhost" for message in messages)
    assert any("/alerts/confirm/" in link for link in ours)
    assert any("/alerts/unsubscribe/" in link for link in ours)
    assert len(messages) >= 3
    assert [link for link in ours if not link.startswith(served_copy.url + "/")] == []


def test_every_command_not_run_is_still_in_the_readme():
    assert sorted(set(NOT_RUN) - set(COMMANDS)) == []


@pytest.mark.parametrize(
    "command", [command for command in COMMANDS if command not in NOT_RUN], ids=lambda command: command[:80]
)
def test_the_readme_command_exits_0_as_printed_after_make_run(served_copy, command):
    if "../shared" in command:
        require(shared_missing())
    token = served_copy.manage("api_token_create", "kora_officer", "--name", "README").split()[0]
    env = clean_environment(VIGIL_TOKEN=token)

    run(["bash", "-c", command.replace(PRINTED_ADDRESS, served_copy.url)], cwd=served_copy.path, env=env, timeout=900)
