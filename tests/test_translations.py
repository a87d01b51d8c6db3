"""The French catalogue is complete, compiled from its source, and holds every string the code marks.

`make messages` runs the same makemessages command (read from the Makefile) and compiles the catalogue;
these tests fail when someone adds a string and forgets to run it, or leaves a message untranslated
or fuzzy.
"""

from __future__ import annotations

import difflib
import gettext
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.environment import ROOT, clean_environment, require

LOCALE = ROOT / "locale"
CATALOGUES = sorted(LOCALE.glob("*/LC_MESSAGES/django.po"))
# The header line that makemessages rewrites on every run.
CREATION_DATE = re.compile(r'^"POT-Creation-Date: .*\\n"$', re.MULTILINE)


def _makemessages_command() -> list[str]:
    """The Makefile's MAKEMESSAGES, with this run's Python in place of the virtualenv's."""
    makefile = (ROOT / "Makefile").read_text()
    match = re.search(r"^MAKEMESSAGES := (.+)$", makefile, re.MULTILINE)
    assert match, "the Makefile defines no MAKEMESSAGES"
    words = shlex.split(match.group(1))
    assert words[0] == "$(BIN)/python", words
    return [sys.executable, *words[1:]]


def _msgfmt() -> str:
    path = shutil.which("msgfmt")
    require("" if path else "msgfmt is not installed (make browser-deps installs gettext)")
    assert path
    return path


def test_there_is_a_french_catalogue() -> None:
    assert LOCALE / "fr" / "LC_MESSAGES" / "django.po" in CATALOGUES


@pytest.mark.parametrize("catalogue", CATALOGUES, ids=lambda path: path.parts[-3])
def test_every_message_of_the_catalogue_is_translated_and_none_is_fuzzy(catalogue: Path) -> None:
    result = subprocess.run(
        [_msgfmt(), "--check", "--statistics", "-o", "/dev/null", str(catalogue)],
        capture_output=True,
        text=True,
        check=False,
    )
    statistics = result.stderr.strip()
    assert result.returncode == 0, statistics
    assert re.fullmatch(r"\d+ translated messages?\.", statistics), statistics


@pytest.mark.parametrize("catalogue", CATALOGUES, ids=lambda path: path.parts[-3])
def test_the_compiled_catalogue_holds_exactly_what_its_source_says(catalogue: Path, tmp_path: Path) -> None:
    compiled = catalogue.with_suffix(".mo")
    assert compiled.exists(), f"{compiled.relative_to(ROOT)} is missing: run make messages"
    fresh = tmp_path / "django.mo"
    subprocess.run([_msgfmt(), "-o", str(fresh), str(catalogue)], check=True)

    def messages(path: Path) -> dict[object, str]:
        with path.open("rb") as file:
            return dict(gettext.GNUTranslations(file)._catalog)  # type: ignore[attr-defined]

    assert messages(compiled) == messages(fresh), "the .mo is older than the .po: run make messages"


def test_makemessages_finds_no_string_missing_from_the_catalogues(tmp_path: Path) -> None:
    _msgfmt()  # makemessages needs gettext's xgettext and msgmerge
    copy = tmp_path / "vigil"
    shutil.copytree(
        ROOT,
        copy,
        ignore=shutil.ignore_patterns(".venv", "var", ".git", "__pycache__", ".*_cache", "node_modules", "*.sqlite3"),
    )
    subprocess.run(
        _makemessages_command(),
        cwd=copy,
        env=clean_environment(DJANGO_SECRET_KEY="makemessages"),
        capture_output=True,
        check=True,
        timeout=300,
    )
    for catalogue in CATALOGUES:
        committed = CREATION_DATE.sub("", catalogue.read_text())
        collected = CREATION_DATE.sub("", (copy / catalogue.relative_to(ROOT)).read_text())
        changes = list(difflib.unified_diff(committed.splitlines(), collected.splitlines(), lineterm="", n=1))
        assert not changes, (
            f"makemessages changes {catalogue.relative_to(ROOT)}: run make messages and translate what it adds\n"
            + "\n".join(changes[:60])
        )
