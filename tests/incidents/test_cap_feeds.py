"""CAP 1.2 alerts (/cap/advisories/<id>.xml, /cap/incidents/<id>.xml) and their Atom indexes
(/cap/feed.atom, /countries/<code>/cap.atom). Every CAP document is checked against the OASIS
schema and every index against Atom's RELAX NG schema, both shipped in tests/schemas."""

from __future__ import annotations

import datetime as dt
import filecmp
from decimal import Decimal
from pathlib import Path

import pytest
from django.template.loader import render_to_string
from lxml import etree  # type: ignore[import-untyped]

from advisories.models import Country, Region
from advisories.services import advisory_set
from incidents.models import SharingLevel
from incidents.services import incident_retract
from tests.environment import SHARED_DATA
from tests.factories import IncidentFactory

pytestmark = pytest.mark.django_db

SCHEMAS = Path(__file__).resolve().parent.parent / "schemas"
ATOM = "{http://www.w3.org/2005/Atom}"
CAP = "{urn:oasis:names:tc:emergency:cap:1.2}"
ALL = "/cap/feed.atom"
MALI = "/countries/ml/cap.atom"
PUBLISHED = dt.datetime(2024, 9, 18, 8, 15, 30, 123456, tzinfo=dt.UTC)


@pytest.fixture(scope="module")
def cap_schema() -> etree.XMLSchema:
    return etree.XMLSchema(file=str(SCHEMAS / "cap" / "CAP-v1.2.xsd"))


@pytest.fixture(scope="module")
def atom_schema() -> etree.RelaxNG:
    return etree.RelaxNG(file=str(SCHEMAS / "atom" / "atom_rfc4287.converted.rng"))


@pytest.fixture(autouse=True)
def _public_address(settings):
    settings.VIGIL_PUBLIC_URL = "https://vigil.example/"


def severe(title: str = "Attack on a convoy near Sévaré", **fields):
    """A severe incident anyone may see, unless `fields` say otherwise."""
    values = {"severity": 4, "published_at": PUBLISHED, "killed": 2, "injured": 5, "abducted": 0, **fields}
    return IncidentFactory.create(title=title, **values)


def fetch_alert(client, cap_schema, url: str) -> etree._Element:
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/cap+xml; charset=utf-8"
    document = etree.fromstring(response.content)
    cap_schema.assertValid(document)
    return document


def fetch_index(client, atom_schema, cap_schema, url: str) -> list[dict[str, str]]:
    """The index's entries, after checking the index and every CAP document it links to."""
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/atom+xml; charset=utf-8"
    feed = etree.fromstring(response.content)
    atom_schema.assertValid(feed)
    entries = []
    for entry in feed.iter(f"{ATOM}entry"):
        document = entry.find(f"{ATOM}link[@type='application/cap+xml']").get("href")
        assert document.startswith("https://vigil.example/cap/")
        fetch_alert(client, cap_schema, document.removeprefix("https://vigil.example"))
        entries.append(
            {
                "id": entry.findtext(f"{ATOM}id"),
                "title": entry.findtext(f"{ATOM}title"),
                "document": document,
                "page": entry.find(f"{ATOM}link[@rel='alternate']").get("href"),
            }
        )
    return entries


def titles(entries: list[dict[str, str]]) -> list[str]:
    return [entry["title"] for entry in entries]


def info(alert: etree._Element, name: str) -> str:
    return alert.findtext(f"{CAP}info/{CAP}{name}")


def parameters(alert: etree._Element) -> dict[str, str]:
    return {
        parameter.findtext(f"{CAP}valueName"): parameter.findtext(f"{CAP}value")
        for parameter in alert.iter(f"{CAP}parameter")
    }


# The schemas bite ------------------------------------------------------------------------


def test_the_cap_schema_refuses_an_alert_without_a_scope_and_accepts_a_valid_one(cap_schema):
    assert not cap_schema.validate(etree.parse(str(SCHEMAS / "cap" / "google_invalid.cap")))
    assert cap_schema.validate(etree.parse(str(SCHEMAS / "cap" / "google_thunderstorm.cap")))


@pytest.mark.shared_data
@pytest.mark.parametrize("name", ["CAP-v1.2.xsd", "google_invalid.cap", "google_thunderstorm.cap"])
def test_the_shipped_cap_schema_and_examples_are_the_shared_ones_unchanged(name):
    assert filecmp.cmp(SCHEMAS / "cap" / name, SHARED_DATA / "cap" / name, shallow=False)


@pytest.mark.shared_data
def test_the_shared_invalid_alert_fails_and_the_shared_valid_ones_pass(cap_schema):
    for path in (SHARED_DATA / "cap").glob("*.cap"):
        assert cap_schema.validate(etree.parse(str(path))) == (path.name != "google_invalid.cap"), path.name


# Incident alerts ---------------------------------------------------------------------------


def test_a_severe_public_incident_is_an_alert_in_the_country_index_and_the_all_countries_index(
    client, atom_schema, cap_schema, mali
):
    incident = severe(latitude=Decimal("14.49"), longitude=Decimal("-4.18"), place_name="Sévaré")

    for url in (MALI, ALL):
        [entry] = fetch_index(client, atom_schema, cap_schema, url)
        assert entry["title"] == "Mali: Attack on a convoy near Sévaré"
        assert entry["document"] == f"https://vigil.example/cap/incidents/{incident.pk}.xml"
        assert entry["page"] == f"https://vigil.example/incidents/{incident.pk}/"
        assert entry["id"] == f"tag:vigil.example,2024:cap-incident/{incident.pk}"

    alert = fetch_alert(client, cap_schema, f"/cap/incidents/{incident.pk}.xml")
    assert alert.findtext(f"{CAP}identifier") == f"incident-{incident.pk}"
    assert alert.findtext(f"{CAP}sender") == "vigil.example"
    assert alert.findtext(f"{CAP}sent") == "2024-09-18T08:15:30+00:00"
    assert alert.findtext(f"{CAP}scope") == "Public"
    assert (info(alert, "severity"), info(alert, "urgency"), info(alert, "certainty")) == (
        "Severe",
        "Immediate",
        "Observed",
    )
    assert info(alert, "onset") == "2024-09-17T00:00:00+00:00"
    assert info(alert, "web") == f"https://vigil.example/incidents/{incident.pk}/"
    assert client.get(f"/incidents/{incident.pk}/").status_code == 200  # the page anyone may read
    assert alert.findtext(f"{CAP}info/{CAP}area/{CAP}areaDesc") == f"Sévaré, {incident.region.name}, Mali"
    assert alert.findtext(f"{CAP}info/{CAP}area/{CAP}circle") == "14.49000,-4.18000 1"
    assert parameters(alert) == {"severity": "4/5", "killed": "2", "injured": "5", "abducted": "0"}


def test_unknown_casualty_counts_are_said_to_be_unknown_never_zero(client, cap_schema, mali):
    incident = severe(killed=None, injured=3, abducted=None)

    alert = fetch_alert(client, cap_schema, f"/cap/incidents/{incident.pk}.xml")

    assert parameters(alert) == {"severity": "4/5", "injured": "3"}
    assert info(alert, "description").endswith("3 injured; killed and abducted not known.")
    assert "0 killed" not in info(alert, "description")


def test_an_incident_with_every_count_unknown_and_no_description_is_still_a_valid_alert(client, cap_schema, mali):
    incident = severe(killed=None, injured=None, abducted=None, description="", region=None)

    alert = fetch_alert(client, cap_schema, f"/cap/incidents/{incident.pk}.xml")

    assert info(alert, "description") == "Killed, injured and abducted: not known."
    assert alert.findtext(f"{CAP}info/{CAP}area/{CAP}areaDesc") == "Mali"


def test_the_cap_severity_follows_the_incident_severity_and_a_late_publication_is_past(client, cap_schema, mali):
    critical = severe(severity=5, published_at=dt.datetime(2025, 3, 1, tzinfo=dt.UTC))

    alert = fetch_alert(client, cap_schema, f"/cap/incidents/{critical.pk}.xml")

    assert (info(alert, "severity"), info(alert, "urgency")) == ("Extreme", "Past")


def test_a_serious_but_not_severe_incident_is_not_an_alert(client, atom_schema, cap_schema, mali):
    serious = severe(severity=3)

    assert fetch_index(client, atom_schema, cap_schema, ALL) == []
    assert client.get(f"/cap/incidents/{serious.pk}.xml").status_code == 404


@pytest.mark.parametrize("level", [SharingLevel.GREEN, SharingLevel.AMBER, SharingLevel.AMBER_STRICT, SharingLevel.RED])
def test_an_incident_shared_beyond_clear_never_appears_even_to_its_own_organisation(
    client, atom_schema, cap_schema, cast, mali, level
):
    hidden = severe(
        title="Kept within the community",
        sharing_level=level,
        organisation=cast.org_a,
        reporter=cast.officer_a,
    )
    severe(title="Public attack")

    for user in (None, cast.officer_a, cast.analyst):
        client.logout()
        if user is not None:
            client.force_login(user)
        for url in (ALL, MALI):
            assert titles(fetch_index(client, atom_schema, cap_schema, url)) == ["Mali: Public attack"]
        assert client.get(f"/cap/incidents/{hidden.pk}.xml").status_code == 404
        assert b"Kept within the community" not in client.get("/feed.atom").content


@pytest.mark.parametrize("status", ["submitted", "verified"])
def test_an_unpublished_clear_incident_does_not_appear(client, atom_schema, cap_schema, mali, status):
    incident = severe(status=status, published_at=None)

    assert fetch_index(client, atom_schema, cap_schema, ALL) == []
    assert client.get(f"/cap/incidents/{incident.pk}.xml").status_code == 404


def test_a_retracted_incident_leaves_the_index_and_its_alert_is_gone(client, atom_schema, cap_schema, cast, mali):
    incident = severe()
    assert len(fetch_index(client, atom_schema, cap_schema, MALI)) == 1

    incident_retract(incident=incident, analyst=cast.analyst, reason="A duplicate of an earlier report.")

    assert fetch_index(client, atom_schema, cap_schema, MALI) == []
    assert client.get(f"/cap/incidents/{incident.pk}.xml").status_code == 404


def test_the_reporting_organisation_is_never_named(client, atom_schema, cap_schema, cast, mali):
    cast.org_a.named_publicly = True
    cast.org_a.save()
    incident = severe(organisation=cast.org_a, reporter=cast.officer_a)

    index = client.get(ALL).content
    document = fetch_alert(client, cap_schema, f"/cap/incidents/{incident.pk}.xml")

    for text in (index, etree.tostring(document)):
        assert b"Sahel Relief" not in text
        assert b"officer_a" not in text


def test_a_countrys_index_does_not_carry_another_countrys_alerts(client, atom_schema, cap_schema, mali):
    niger = Country.objects.get(code="NE")
    severe(title="In Mali")
    severe(title="In Niger", country=niger, region=niger.regions.order_by("code").first())
    advisory_set(country=niger, level=4, issued_on=dt.date(2024, 11, 29))

    assert titles(fetch_index(client, atom_schema, cap_schema, MALI)) == ["Mali: In Mali"]
    assert len(fetch_index(client, atom_schema, cap_schema, ALL)) == 3


# Advisory alerts ---------------------------------------------------------------------------


def test_a_level_change_is_an_update_that_names_the_alert_it_replaces(client, atom_schema, cap_schema, mali):
    first, _ = advisory_set(country=mali, level=3, issued_on=dt.date(2023, 7, 31))
    raised, _ = advisory_set(country=mali, level=4, issued_on=dt.date(2024, 11, 29), indicators="CTK")

    entries = fetch_index(client, atom_schema, cap_schema, MALI)
    assert titles(entries) == ["Mali: level raised to 4: Do Not Travel", "Mali: Level 3: Reconsider Travel"]
    assert entries[0]["document"] == f"https://vigil.example/cap/advisories/{raised.pk}.xml"
    assert entries[0]["page"] == "https://vigil.example/countries/ml/"

    original = fetch_alert(client, cap_schema, f"/cap/advisories/{first.pk}.xml")
    update = fetch_alert(client, cap_schema, f"/cap/advisories/{raised.pk}.xml")
    assert original.findtext(f"{CAP}msgType") == "Alert"
    assert original.find(f"{CAP}references") is None
    assert update.findtext(f"{CAP}msgType") == "Update"
    sent = original.findtext(f"{CAP}sent")
    assert update.findtext(f"{CAP}references") == f"vigil.example,advisory-{first.pk},{sent}"
    assert (info(update, "severity"), info(update, "urgency"), info(update, "responseType")) == (
        "Extreme",
        "Expected",
        "Avoid",
    )
    assert (info(original, "severity"), info(original, "urgency")) == ("Severe", "Future")
    assert info(update, "effective") == "2024-11-29T00:00:00+00:00"


def test_a_region_advisory_alert_names_the_region(client, cap_schema, mali):
    mopti = Region.objects.get(code="ML-5")
    advisory, _ = advisory_set(country=mali, region=mopti, level=4, issued_on=dt.date(2024, 11, 29))

    alert = fetch_alert(client, cap_schema, f"/cap/advisories/{advisory.pk}.xml")

    assert info(alert, "headline") == "Mopti (Mali): Level 4: Do Not Travel"
    assert alert.findtext(f"{CAP}info/{CAP}area/{CAP}areaDesc") == "Mopti (Mali)"
    geocodes = [g.findtext(f"{CAP}value") for g in alert.iter(f"{CAP}geocode")]
    assert geocodes == ["ML", "ML-5"]


def test_incidents_and_advisory_changes_share_the_index_newest_first(client, atom_schema, cap_schema, mali):
    severe(title="Older attack", published_at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC))
    advisory_set(country=mali, level=4, issued_on=dt.date(2024, 11, 29))
    severe(title="Newest attack", published_at=dt.datetime(2999, 1, 1, tzinfo=dt.UTC))

    assert titles(fetch_index(client, atom_schema, cap_schema, MALI)) == [
        "Mali: Newest attack",
        "Mali: Level 4: Do Not Travel",
        "Mali: Older attack",
    ]


# Addresses and answers -----------------------------------------------------------------------


def test_unknown_countries_and_alerts_are_404s(client, mali):
    assert client.get("/countries/xx/cap.atom").status_code == 404
    assert client.get("/cap/advisories/999999.xml").status_code == 404
    assert client.get("/cap/incidents/999999.xml").status_code == 404


def test_an_upper_case_code_redirects_to_the_lower_case_index(client, mali):
    response = client.get("/countries/ML/cap.atom")
    assert response.status_code == 301
    assert response["Location"] == MALI


def test_the_index_reads_a_fixed_number_of_queries(client, mali, django_assert_num_queries):
    for day in range(5):
        advisory_set(country=mali, level=3 + day % 2, issued_on=dt.date(2024, 1, 1 + day))
        severe(title=f"Attack {day}")

    # The country, its advisory changes, its severe public incidents.
    with django_assert_num_queries(3):
        client.get(MALI)


def test_the_feed_links_point_at_the_cap_indexes(mali):
    country_links = render_to_string("incidents/_feed_links.html", {"country": mali})
    site_links = render_to_string("incidents/_feed_links.html", {})

    assert 'rel="alternate" type="application/atom+xml"' in country_links
    assert f'href="{MALI}"' in country_links
    assert f'href="{ALL}"' in site_links
    assert MALI not in site_links


def test_a_reader_that_has_an_alert_is_answered_304(client, mali):
    incident = severe()
    first = client.get(f"/cap/incidents/{incident.pk}.xml")

    assert client.get(f"/cap/incidents/{incident.pk}.xml", headers={"If-None-Match": first["ETag"]}).status_code == 304
