"""Starting the project's own programs as a user or a deployment would: separate processes."""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Sequence
from pathlib import Path

from tests.environment import ROOT

START_SECONDS = 60.0


def run(args: Sequence[str], *, env: dict[str, str], cwd: Path = ROOT, timeout: float = 120) -> str:
    """Run a command to its end; fail with its output unless it exits 0. Returns its output."""
    result = subprocess.run(
        list(args), cwd=cwd, env=env, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=timeout
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, f"{' '.join(args)} exited {result.returncode} in {cwd}:\n{output[-6000:]}"
    return output


def copy_project(destination: Path, *, npm_packages: bool = True) -> Path:
    """The project's files, as a clone would hold them once `make` has set it up, in another folder
    (with `npm_packages=False`: as `git clone` leaves it, before `npm ci`).

    The npm packages (`npm ci`, run by `make run` and `make test`) are copied with the rest: a link
    would let an `npm ci` in the copy empty this checkout's.
    """
    shutil.copytree(
        ROOT,
        destination,
        ignore=shutil.ignore_patterns(".venv", "var", ".git", "__pycache__", ".*_cache", "node_modules", "*.sqlite3"),
    )
    if npm_packages and (ROOT / "node_modules").is_dir():
        shutil.copytree(ROOT / "node_modules", destination / "node_modules")
    return destination


@contextlib.contextmanager
def running(
    args: Sequence[str], *, env: dict[str, str], log: Path, cwd: Path = ROOT
) -> Iterator[subprocess.Popen[bytes]]:
    """A program running in its own process group, its output in `log`; stopped, children and all, at the end."""
    with log.open("wb") as out:
        process = subprocess.Popen(
            list(args),
            cwd=cwd,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        yield process
    finally:
        for sig in (signal.SIGTERM, signal.SIGKILL):
            if process.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, sig)
                with contextlib.suppress(subprocess.TimeoutExpired):
                    process.wait(timeout=15)
        # A child the leader left behind (runserver's reloader) goes with the group.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)


def wait_for_log(
    process: subprocess.Popen[bytes], log: Path, pattern: str, *, what: str, timeout: float = START_SECONDS
) -> str:
    """Until `pattern` appears in the log; fail with the log if the program exits or the time runs out."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        text = log.read_text(errors="replace")
        if re.search(pattern, text):
            return text
        if process.poll() is not None:
            raise AssertionError(f"{what} exited ({process.returncode}) before {pattern!r}:\n{text[-6000:]}")
        time.sleep(0.1)
    raise AssertionError(f"{what}: no {pattern!r} in {timeout:.0f} s:\n{log.read_text(errors='replace')[-6000:]}")


def get(url: str) -> tuple[int, str, str]:
    """(status, content type, body) of a GET."""
    try:
        with urllib.request.urlopen(url, timeout=20) as response:
            return response.status, response.headers.get_content_type(), response.read().decode(errors="replace")
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get_content_type(), error.read().decode(errors="replace")


def wait_until_served(
    process: subprocess.Popen[bytes], log: Path, url: str, *, what: str, timeout: float = START_SECONDS
) -> tuple[int, str, str]:
    """The first answer of a server that is starting, to a GET of `url`."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            return get(url)
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(
                    f"{what} did not answer {url}:\n{log.read_text(errors='replace')[-6000:]}"
                ) from None
            time.sleep(0.2)
