"""`manage.py load_demo` loads the incidents demo data: the seed documents' incidents, their
actors, and (in development only) two demo NGOs whose users see what their sharing levels allow."""

import dataclasses
import datetime as dt
import os
import subprocess
import sys
import textwrap
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.core.management import CommandError, call_command

from advisories.demo import registry
from advisories.demo import sources as demo_sources
from advisories.models import Advisory, RiskAssessment, Source
from incidents.demo import actors, loader, organisations, seed_incidents
from incidents.models import (
    Actor,
    DatePrecision,
    Incident,
    IncidentActor,
    LocationPrecision,
    Membership,
    Organisation,
    ReviewStatus,
    Role,
    SharingLevel,
)
from incidents.selectors import incidents_visible_to
from tests.demo_text import copied_seed_runs, text_fields_left_out

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
OSAC, UNODC = demo_sources.OSAC_2024, demo_sources.UNODC_SAHEL
DAY, MONTH, YEAR = DatePrecision.DAY, DatePrecision.MONTH, DatePrecision.YEAR

# external id -> (date, precision, region code or None, source slug, killed, injured, abducted);
# N: the document gives no figure, so the count is not known.
N = None
SEED_INCIDENTS = {
    "osac-2024-09-17-bamako-faladie-air-base-101": (dt.date(2024, 9, 17), DAY, "ML-BKO", OSAC, 70, N, N),
    "osac-2022-05-koutiala-italian-family": (dt.date(2022, 5, 1), MONTH, "ML-3", OSAC, N, N, 3),
    "osac-2021-05-gao-french-journalist": (dt.date(2021, 5, 1), MONTH, "ML-7", OSAC, N, N, 1),
    "osac-2022-11-bamako-german-priest": (dt.date(2022, 11, 1), MONTH, "ML-BKO", OSAC, N, N, 1),
    "osac-2019-05-border-hostage-rescue": (dt.date(2019, 5, 1), MONTH, None, OSAC, N, N, 0),
    "osac-2018-timbuktu-un-camp-vbied": (dt.date(2018, 1, 1), YEAR, "ML-6", OSAC, N, N, N),
    "osac-2015-bamako-radisson-blu": (dt.date(2015, 1, 1), YEAR, "ML-BKO", OSAC, N, N, N),
    "unodc-2018-02-28-bamako-airport-methamphetamine": (dt.date(2018, 2, 28), DAY, "ML-BKO", UNODC, N, N, N),
    "unodc-2018-03-09-tramadol-70000-tablets": (dt.date(2018, 3, 9), DAY, None, UNODC, N, N, N),
    "unodc-2017-06-bamako-airport-heroin": (dt.date(2017, 6, 1), MONTH, "ML-BKO", UNODC, N, N, N),
    "unodc-2017-06-cannabis-in-wooden-doors": (dt.date(2017, 6, 1), MONTH, None, UNODC, N, N, N),
    "unodc-2016-10-trafficking-network-leader-arrested": (dt.date(2016, 10, 1), MONTH, None, UNODC, N, N, N),
}
GREEN_ID = "demo-kora-2024-central-mali-vehicle-thefts"
AMBER_ID = "demo-tamarind-2024-kayes-highway-robberies"
RED_ID = "demo-kora-2024-ngo-warned-off-villages"
# Which of the demo organisations' incidents each demo user sees, besides the public ones.
SEES = {
    "anonymous": set(),
    "analyst": {GREEN_ID},
    "kora_officer": {GREEN_ID, RED_ID},
    "kora_manager": {GREEN_ID, RED_ID},
    "kora_reader": {GREEN_ID},
    "tamarind_officer": {GREEN_ID, AMBER_ID},
    "tamarind_reader": {GREEN_ID, AMBER_ID},
}


def load(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("load_demo", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def dump() -> dict[str, list[dict]]:
    """Every value of every row the incidents loader may touch, updated_at included."""
    models: list[Any] = [
        Source,
        Actor,
        Incident,
        IncidentActor,
        Incident.target_types.through,
        Organisation,
        Organisation.partners.through,
        Membership,
        get_user_model(),
    ]
    return {model.__name__: list(model.objects.order_by("pk").values()) for model in models}


def user(username: str) -> Any:
    if username == "anonymous":
        return AnonymousUser()
    return get_user_model().objects.get(username=username)


def test_it_loads_each_seed_incident_with_its_date_precision_region_and_source(mali):
    load()
    incidents = {i.external_id: i for i in Incident.objects.filter(external_source="demo", organisation=None)}
    assert set(incidents) == set(SEED_INCIDENTS)
    for key, (date, precision, region, source, *counts) in SEED_INCIDENTS.items():
        incident = incidents[key]
        assert (incident.occurred_on, incident.date_precision) == (date, precision), key
        assert (incident.region.code if incident.region else None) == region, key
        assert incident.country == mali, key
        assert incident.source_document is not None and incident.source_document.slug == source, key
        # The sources line names the document, in words a reader recognises.
        assert incident.source_document.title in incident.sources, key
        assert [incident.killed, incident.injured, incident.abducted] == counts, key
        assert (incident.sharing_level, incident.status) == (SharingLevel.CLEAR, ReviewStatus.PUBLISHED), key
        assert incident.reporter is None and incident.published_at is not None, key
        # No document gives coordinates; a place the document does not locate is country-wide.
        assert incident.latitude is None and incident.longitude is None, key
        assert (incident.location_precision == LocationPrecision.COUNTRY) == (region is None), key
        # A count the document does not give is not known, and the description says so.
        if None in counts:
            assert "not stated" in incident.description, key


def test_the_bamako_attack_is_jnims_against_the_army_at_five_in_the_morning():
    load()
    attack = Incident.objects.get(external_id="osac-2024-09-17-bamako-faladie-air-base-101")
    assert attack.occurred_at_time == dt.time(5, 0)
    assert attack.incident_type.slug == "armed-attack" and attack.severity == 5
    roles = set(attack.actor_links.values_list("actor__name", "role"))
    assert roles == {(actors.JNIM, IncidentActor.Role.PERPETRATOR), (actors.FAMA, IncidentActor.Role.TARGET)}
    assert list(attack.target_types.values_list("slug", flat=True)) == ["security-forces"]
    # Public: an anonymous visitor sees it, and JNIM with it.
    visible = incidents_visible_to(AnonymousUser()).filter(pk=attack.pk)
    assert visible.filter(actors__name=actors.JNIM).exists()


def test_the_actors_carry_the_spellings_acled_uses():
    load()
    assert "JNIM: Group for Support of Islam and Muslims" in Actor.objects.get(name=actors.JNIM).aliases
    assert "Islamic State (Greater Sahara)" in Actor.objects.get(name=actors.IS_SAHEL).aliases
    assert "Military Forces of Mali (2013-2020)" in Actor.objects.get(name=actors.FAMA).aliases
    assert Actor.objects.get(name=actors.FAMA).kind == Actor.Kind.STATE_FORCES
    assert Actor.objects.get(name=actors.WAGNER).kind == Actor.Kind.FOREIGN_FORCES
    assert Actor.objects.get(name=actors.FLA).kind == Actor.Kind.ARMED_GROUP


def test_severity_follows_the_documented_rule():
    load()
    severity = dict(Incident.objects.values_list("external_id", "severity"))
    assert severity["osac-2024-09-17-bamako-faladie-air-base-101"] == 5  # 70 killed
    for key in ("osac-2022-05-koutiala-italian-family", "osac-2018-timbuktu-un-camp-vbied"):
        assert severity[key] == 4, key  # abduction, or attack without a stated toll of ten
    assert severity["osac-2019-05-border-hostage-rescue"] == 3
    assert {severity[key] for key in SEED_INCIDENTS if key.startswith("unodc-")} == {1}


def test_running_it_twice_changes_nothing(settings):
    settings.DEBUG = True
    with time_machine.travel(dt.datetime(2025, 1, 1, tzinfo=dt.UTC), tick=False):
        load()
    before = dump()
    assert len(before["Incident"]) == len(SEED_INCIDENTS) + 3
    # A later clock: any row saved again would get a new updated_at.
    with time_machine.travel(dt.datetime(2025, 6, 1, tzinfo=dt.UTC), tick=False):
        out, _err = load()
    assert dump() == before
    for label in ("Actors", "Incidents of the seed documents", "Demo organisations", "Demo memberships"):
        assert f"{label}: 0 created, 0 updated, " in out, label
    assert "Demo organisations' incidents: 0 created, 0 updated, 3 unchanged" in out


def test_an_edited_incident_is_put_back_but_a_retraction_stands():
    load()
    bamako = Incident.objects.get(external_id="osac-2024-09-17-bamako-faladie-air-base-101")
    Incident.objects.filter(pk=bamako.pk).update(killed=3)
    bamako.target_types.clear()
    Incident.objects.filter(external_id="osac-2015-bamako-radisson-blu").update(
        status=ReviewStatus.RETRACTED, retraction_reason="Checked against another source."
    )
    out, _err = load()
    assert f"Incidents of the seed documents: 0 created, 1 updated, {len(SEED_INCIDENTS) - 1} unchanged" in out
    bamako.refresh_from_db()
    assert bamako.killed == 70 and bamako.target_types.exists()
    # The review state is the analysts' once the incident exists.
    assert Incident.objects.get(external_id="osac-2015-bamako-radisson-blu").status == ReviewStatus.RETRACTED


def test_without_debug_or_the_flag_there_are_no_demo_organisations_users_or_their_incidents(settings):
    settings.DEBUG = False
    out, err = load()
    assert Incident.objects.count() == len(SEED_INCIDENTS)
    assert not Organisation.objects.exists() and not Membership.objects.exists()
    assert not get_user_model().objects.exists()
    assert "Demo accounts skipped" in err and "kora_officer" in err
    assert "Demo organisations" not in out
    assert all(account.password not in out + err for account in organisations.ACCOUNTS)


@pytest.mark.parametrize(("debug", "args"), [(True, ()), (False, ("--with-accounts",))])
def test_with_debug_or_the_flag_it_creates_two_ngos_and_their_members(settings, debug, args):
    settings.DEBUG = debug
    out, _err = load(*args)
    kora, tamarind = (Organisation.objects.get(slug=slug) for slug in (organisations.KORA, organisations.TAMARIND))
    assert kora.time_zone == tamarind.time_zone == "Africa/Bamako"
    assert not kora.partners.exists() and not tamarind.partners.exists()
    roles = set(Membership.objects.values_list("user__username", "organisation__slug", "role"))
    assert roles == {
        ("kora_officer", organisations.KORA, Role.OFFICER),
        ("kora_manager", organisations.KORA, Role.SECURITY_MANAGER),
        ("kora_reader", organisations.KORA, Role.READER),
        ("tamarind_officer", organisations.TAMARIND, Role.OFFICER),
        ("tamarind_reader", organisations.TAMARIND, Role.READER),
    }
    # The analyst and every NGO user are printed with their password and what they can do.
    for username in ("analyst", *(a.username for a in organisations.ACCOUNTS)):
        account_user = user(username)
        line = next(line for line in out.splitlines() if line.startswith(f"  {username} / "))
        password = line.split(" / ", 1)[1].split(":", 1)[0]
        assert account_user.check_password(password), username
        assert account_user.is_staff == (username == "analyst"), username


def test_a_partnership_added_between_the_demo_ngos_is_undone(settings):
    settings.DEBUG = True
    load()
    kora = Organisation.objects.get(slug=organisations.KORA)
    kora.partners.add(Organisation.objects.get(slug=organisations.TAMARIND))
    out, _err = load()
    assert "Demo organisations: 0 created, 1 updated, 1 unchanged" in out
    assert not kora.partners.exists()


@pytest.mark.parametrize("username", list(SEES))
def test_each_demo_user_sees_what_the_sharing_levels_allow(settings, username):
    settings.DEBUG = True
    load()
    visible = incidents_visible_to(user(username))
    assert set(visible.filter(organisation=None).values_list("external_id", flat=True)) == set(SEED_INCIDENTS)
    assert set(visible.exclude(organisation=None).values_list("external_id", flat=True)) == SEES[username]


def test_the_demo_organisations_incidents_cover_green_amber_and_red_with_their_reporters(settings):
    settings.DEBUG = True
    load()
    rows = {
        i.external_id: (
            i.sharing_level,
            i.organisation.slug if i.organisation else None,
            i.reporter.username if i.reporter else None,
        )
        for i in Incident.objects.exclude(organisation=None).select_related("organisation", "reporter")
    }
    assert rows == {
        GREEN_ID: (SharingLevel.GREEN, organisations.KORA, "kora_officer"),
        AMBER_ID: (SharingLevel.AMBER, organisations.TAMARIND, "tamarind_officer"),
        RED_ID: (SharingLevel.RED, organisations.KORA, "kora_officer"),
    }
    assert set(Incident.objects.exclude(organisation=None).values_list("status", flat=True)) == {ReviewStatus.SUBMITTED}
    for incident in Incident.objects.exclude(organisation=None):
        assert incident.description.startswith("Demo record of a fictional NGO.")


@pytest.mark.parametrize("error", [RuntimeError("bug"), loader.DemoDataError("Incident type kidnapping is missing")])
def test_a_failure_in_the_incidents_step_leaves_the_advisories_data_unwritten_too(monkeypatch, settings, error):
    settings.DEBUG = True
    reached = []

    def failing(record, lookups):
        reached.append((Advisory.objects.count(), Actor.objects.count()))
        raise error

    monkeypatch.setattr(loader, "_incident_ensure", failing)
    with pytest.raises((CommandError, RuntimeError)):
        load()
    # By then the advisories data and the actors had been written, in the same transaction.
    assert reached == [(12, len(actors.ACTORS))]
    assert not Source.objects.exists() and not Advisory.objects.exists()
    assert not Actor.objects.exists() and not Incident.objects.exists()
    assert not get_user_model().objects.exists()


def test_a_bad_demo_incident_is_refused_with_its_key_and_the_reason(monkeypatch):
    future = dataclasses.replace(seed_incidents.INCIDENTS[0], key="from-the-future", occurred_on=dt.date(2999, 1, 1))
    monkeypatch.setattr(seed_incidents, "INCIDENTS", (future,))
    with pytest.raises(CommandError, match=r"from-the-future.*2999-01-01 is in the future"):
        load()
    assert not Source.objects.exists()


def test_registered_demo_loaders_run_in_installed_apps_order_and_only_for_installed_apps(monkeypatch):
    monkeypatch.setattr(
        registry, "_loaders", {"alerts": "a.load", "ghost": "g.load", "incidents": "incidents.demo.loader.load"}
    )
    assert registry.registered_loaders() == [("incidents", "incidents.demo.loader.load"), ("alerts", "a.load")]


def test_advisories_loads_its_demo_data_with_incidents_not_installed(tmp_path):
    """advisories is the lowest app: its code, load_demo included, must work without incidents."""
    (tmp_path / "advisories_only_settings.py").write_text(
        textwrap.dedent(
            f"""
            from config.settings import *  # noqa: F403

            INSTALLED_APPS = [app for app in INSTALLED_APPS if app not in ("incidents", "alerts")]  # noqa: F405
            ROOT_URLCONF = "advisories_only_urls"
            DATABASES = {{"default": {{"ENGINE": "django.db.backends.sqlite3", "NAME": "{tmp_path / "db.sqlite3"}"}}}}
            """
        )
    )
    (tmp_path / "advisories_only_urls.py").write_text(
        "from django.contrib import admin\nfrom django.urls import path\n\n"
        "urlpatterns = [path('admin/', admin.site.urls)]\n"
    )
    script = textwrap.dedent(
        """
        import importlib, pkgutil, sys
        import django
        django.setup()
        from django.core.management import call_command
        call_command("migrate", verbosity=0)
        call_command("load_demo", "--with-accounts")
        import advisories
        for module in pkgutil.walk_packages(advisories.__path__, "advisories."):
            importlib.import_module(module.name)
        print("IMPORTED:", sorted(m for m in sys.modules if m.split(".")[0] in ("incidents", "alerts")))
        """
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "advisories_only_settings",
        "PYTHONPATH": os.pathsep.join([str(tmp_path), str(ROOT)]),
        "DJANGO_SECRET_KEY": "x",
    }
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=False
    )
    assert result.returncode == 0, result.stderr
    assert "Sources: 6 created" in result.stdout
    assert "Actors" not in result.stdout and "Demo organisations" not in result.stdout
    assert "IMPORTED: []" in result.stdout


def _prose() -> list[str]:
    """The sentences we wrote (not names, places or citations, which are quoted on purpose)."""
    texts = [a.description for a in actors.ACTORS]
    for record in (*seed_incidents.INCIDENTS, *organisations.INCIDENTS):
        texts += [record.title, record.description]
    texts += [account.can for account in organisations.ACCOUNTS]
    return texts


def test_the_prose_list_covers_every_text_field_of_the_data():
    # Guards the copy check below: a new text field must be added to _prose().
    quoted = {"name", "key", "incident_type", "region_code", "place_name", "source", "sources", "kind"}
    quoted |= {"date_precision", "location_precision", "organisation", "reporter", "sharing_level"}
    quoted |= {"username", "password", "email", "slug", "time_zone", "role"}
    records: list[Any] = [*actors.ACTORS, *seed_incidents.INCIDENTS, *organisations.INCIDENTS]
    records += [*organisations.ORGANISATIONS, *organisations.ACCOUNTS, *organisations.MEMBERS]
    assert text_fields_left_out(records, quoted, _prose()) == []


@pytest.mark.shared_data
def test_no_incident_demo_text_repeats_twelve_words_of_a_seed_document():
    assert copied_seed_runs(_prose(), run=12) == []


def test_the_demo_computes_the_risk_index_of_mali_and_its_regions_from_the_seed_incidents(mali):
    # A week after the last seed incident (17 Sep 2024): the 90-day window holds those of the summer.
    today = dt.date(2024, 9, 24)
    with time_machine.travel(dt.datetime(2024, 9, 24, 12, tzinfo=dt.UTC), tick=False):
        load()
    current = RiskAssessment.objects.current()
    assert current.of_country(mali).count() == 1
    assert {row.region_id for row in current.filter(region__isnull=False)} == set(
        mali.regions.values_list("pk", flat=True)
    )
    in_window = [
        key for key, (date, *_rest) in SEED_INCIDENTS.items() if today - dt.timedelta(days=89) <= date <= today
    ]
    country = current.of_country(mali).get()
    assert in_window and country.breakdown["incidents"] == len(in_window)
    assert country.index > 0
