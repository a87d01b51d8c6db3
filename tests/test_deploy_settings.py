"""The production environment the README documents passes `manage.py check --deploy` with no
issue, and every page carries a strict Content-Security-Policy and a Permissions-Policy."""

from __future__ import annotations

import re
import secrets
import sys

import pytest
from django.test import Client

from tests.environment import ROOT, clean_environment
from tests.processes import run

README = ROOT / "README.md"
TEMPLATES = ROOT / "templates"
# E-mails are not pages: mail readers ignore <style> blocks, so their styles are inline.
EMAIL_TEMPLATES = TEMPLATES / "alerts" / "email"


def documented_production_environment() -> dict[str, str]:
    section = README.read_text(encoding="utf-8").split("### Production settings", 1)[1]
    block = re.search(r"^```env\n(.*?)^```", section, flags=re.MULTILINE | re.DOTALL)
    assert block, "README's production settings have no env block"
    lines = dict(line.split("=", 1) for line in block.group(1).splitlines() if line.strip())
    return lines


def test_manage_py_check_deploy_passes_with_the_documented_production_environment():
    documented = documented_production_environment()
    assert documented["DJANGO_SECRET_KEY"].startswith("<"), "the README must not print a real secret"
    documented["DJANGO_SECRET_KEY"] = secrets.token_urlsafe(50)

    output = run([sys.executable, "manage.py", "check", "--deploy"], env=clean_environment(**documented))

    assert "System check identified no issues" in output, output


def test_without_the_https_settings_check_deploy_names_what_is_missing():
    env = clean_environment(DJANGO_SECRET_KEY=secrets.token_urlsafe(50), DJANGO_ALLOWED_HOSTS="vigil.example.org")

    output = run([sys.executable, "manage.py", "check", "--deploy"], env=env)

    for warning in ("W004", "W008", "W012", "W016"):
        assert f"security.{warning}" in output


@pytest.mark.django_db
def test_a_page_carries_a_strict_content_security_policy_and_a_permissions_policy():
    response = Client().get("/")

    policy = dict(part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";"))
    assert response.status_code == 200
    assert policy["default-src"] == "'self'"
    assert policy["script-src"] == "'self'"
    assert policy["style-src"] == "'self'"
    assert policy["frame-ancestors"] == "'none'"
    assert policy["object-src"] == "'none'"
    assert "unsafe" not in response["Content-Security-Policy"]
    assert "camera=()" in response["Permissions-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]


@pytest.mark.django_db
def test_the_api_answers_carry_the_headers_too():
    response = Client().get("/api/v1/countries/")

    assert "default-src 'self'" in response["Content-Security-Policy"].split("; ")
    assert response["Permissions-Policy"]


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/api/v1/docs/", "/api/v1/redoc/"])
def test_the_api_documentation_inline_script_carries_the_policys_nonce(path):
    response = Client().get(path)

    html = response.content.decode()
    nonce = re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"])
    assert response.status_code == 200
    assert nonce
    inline = re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", html)
    # Swagger UI's page starts it inline; ReDoc's start-up script is a static file, so it has none.
    assert bool(inline) == (path == "/api/v1/docs/")
    assert all(f'nonce="{nonce.group(1)}"' in attributes for attributes in inline)
    assert "fonts.googleapis.com" not in html


def test_no_page_template_has_an_inline_script_or_style_without_a_nonce():
    offenders = []
    for path in TEMPLATES.rglob("*.html"):
        if EMAIL_TEMPLATES in path.parents:
            continue
        text = path.read_text(encoding="utf-8")
        scripts = re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", text)
        styles = re.findall(r"<style[^>]*>", text)
        offenders += [f"{path}: {tag}" for tag in scripts + styles if "nonce=" not in tag]
        offenders += [f"{path}: style attribute" for _ in re.findall(r"\sstyle=\"", text)]
        offenders += [f"{path}: event handler" for _ in re.findall(r"\son[a-z]+=\"", text)]

    assert offenders == []


def test_development_mode_serves_plain_http_without_hsts():
    # `make run` (DJANGO_DEBUG=true, no DJANGO_HTTPS): the settings module's defaults.
    output = run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings as s; "
            "print(s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS, s.SESSION_COOKIE_SECURE)",
        ],
        env=clean_environment(DJANGO_DEBUG="true", DJANGO_SETTINGS_MODULE="config.settings"),
    )

    assert output.strip().splitlines()[-1] == "False 0 False"
