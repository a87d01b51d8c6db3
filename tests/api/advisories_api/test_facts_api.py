"""/api/v1/ threat categories and ratings, security reports and contact points through HTTP: what
a row and a detail hold, and each filter."""

from __future__ import annotations

import pytest

from advisories import selectors
from advisories.models import Country, ThreatCategory
from tests.factories import SecurityReportFactory, SecurityReportRevisionFactory

from .helpers import codes, get, results

pytestmark = pytest.mark.django_db


# Threat categories ------------------------------------------------------------------------------


def test_threat_categories_are_listed_with_their_indicator(db):
    rows = {row["slug"]: row for row in results("/threat-categories/")}

    assert set(rows) == set(ThreatCategory.objects.values_list("slug", flat=True))
    assert rows["kidnapping"] == {
        "slug": "kidnapping",
        "name": "Kidnapping",
        "indicator": {"letter": "K", "name": "Kidnapping or hostage taking"},
        "description": "Kidnapping and hostage taking, for ransom or for leverage.",
    }
    assert rows["cyber"]["indicator"] is None


def test_a_threat_category_is_found_by_its_slug(db):
    assert get("/threat-categories/terrorism/").json()["name"] == "Terrorism"
    response = get("/threat-categories/piracy/")
    assert response.status_code == 404
    assert response.json() == {"detail": "There is no threat category piracy."}


def test_threat_categories_filter_by_indicator(db):
    assert codes("/threat-categories/", {"indicator": "T"}, key="slug") == ["terrorism"]


# Threat ratings ---------------------------------------------------------------------------------


def test_a_threat_rating_row_names_the_place_the_category_and_the_osac_rating(ratings):
    rating = ratings["city_crime"]

    (row,) = [row for row in results("/threat-ratings/") if row["id"] == rating.pk]

    assert row == {
        "id": rating.pk,
        "country": {"code": "ML", "name": "Mali"},
        "region": {"code": "ML-BKO", "name": "Bamako"},
        "city": {"name": "Kati (test)", "latitude": None, "longitude": None},
        "place": "Kati (test)",
        "category": {"slug": "crime", "name": "Crime"},
        "rating": "LOW",
        "assessed_on": "2024-11-29",
        "note": "",
        "source": {
            "title": rating.source.title,
            "publisher": "Test Publisher",
            "published_on": "2024-11-29",
            "url": "",
        },
    }
    assert get(f"/threat-ratings/{rating.pk}/").json() == row


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        pytest.param({"country": "ml"}, {"mali_crime", "mali_terrorism", "bamako_crime", "city_crime"}, id="country"),
        pytest.param({"region": "ml-bko"}, {"bamako_crime", "city_crime"}, id="region-with-its-cities"),
        pytest.param({"category": "terrorism"}, {"mali_terrorism"}, id="category"),
        pytest.param({"rating": "high"}, {"mali_crime", "niger_crime"}, id="rating-in-any-case"),
        pytest.param({"min_rating": "HIGH", "country": "ml"}, {"mali_crime", "mali_terrorism"}, id="minimum-rating"),
        pytest.param({"min_rating": "medium", "region": "ml-bko"}, {"bamako_crime"}, id="minimum-rating-in-region"),
    ],
)
def test_threat_ratings_filter_by(ratings, params, expected):
    assert set(codes("/threat-ratings/", params, key="id")) == {ratings[key].pk for key in expected}


# Security reports -------------------------------------------------------------------------------


def test_a_report_row_has_its_latest_published_revision(report):
    (row,) = results("/security-reports/", {"country": "ml"})

    assert row == {
        "id": report.pk,
        "country": {"code": "ML", "name": "Mali"},
        "title": "Mali Country Security Report",
        "current_revision": {"number": 2, "published_at": "2024-11-29T00:00:00Z", "what_changed": "Kidnapping."},
    }


def test_a_report_detail_has_the_sections_of_its_current_revision_in_order(report):
    body = get(f"/security-reports/{report.pk}/").json()

    revision = body["current_revision"]
    assert (revision["number"], revision["what_changed"]) == (2, "Kidnapping.")
    assert [(s["position"], s["heading"], s["kind"]) for s in revision["sections"]] == [
        (1, "Crime", "crime"),
        (2, "Kidnapping", "kidnapping"),
    ]
    assert revision["sections"][0]["body"] == "Robberies on the roads out of the capital are common at night."


def test_the_revisions_of_a_report_are_the_published_ones_newest_first(report):
    rows = results(f"/security-reports/{report.pk}/revisions/")

    assert [(row["number"], row["what_changed"]) for row in rows] == [(2, "Kidnapping."), (1, "First edition.")]
    assert set(rows[0]) == {"number", "published_at", "what_changed", "source"}


def test_the_report_matches_the_current_revision_the_country_page_shows(report):
    country = selectors.country_by_code("ml")
    assert country is not None
    page = selectors.country_page_of(country)

    (row,) = results("/security-reports/", {"country": "ml"})

    assert [revision.number for revision in page.revisions] == [row["current_revision"]["number"]]


def test_a_report_without_a_published_revision_is_not_shown(mali):
    draft = SecurityReportFactory.create(country=mali, title="Unfinished")
    SecurityReportRevisionFactory.create(report=draft, number=1, published_at=None)

    assert results("/security-reports/") == []
    for path in (f"/security-reports/{draft.pk}/", f"/security-reports/{draft.pk}/revisions/"):
        response = get(path)
        assert response.status_code == 404
        assert response.json() == {"detail": f"There is no security report {draft.pk}."}


def test_security_reports_filter_by_country(report):
    niger_report = SecurityReportFactory.create(country=Country.objects.get(code="NE"))
    SecurityReportRevisionFactory.create(report=niger_report, number=1)

    assert codes("/security-reports/", {"country": "ne"}, key="id") == [niger_report.pk]
    assert codes("/security-reports/", {"country": "ML"}, key="id") == [report.pk]


def test_an_enormous_report_id_is_a_404_not_a_server_error(db):
    assert get(f"/security-reports/{10**30}/").status_code == 404


# Contact points ---------------------------------------------------------------------------------


def test_a_contact_point_row_says_whom_to_call(contacts):
    embassy = contacts["embassy"]

    row = get(f"/contact-points/{embassy.pk}/").json()

    assert row == {
        "id": embassy.pk,
        "country": {"code": "ML", "name": "Mali"},
        "region": {"code": "ML-BKO", "name": "Bamako"},
        "kind": "embassy",
        "name": "U.S. Embassy Bamako",
        "address": "",
        "phones": ["+223 2070 2300"],
        "email": "acsbamako@state.gov",
        "website": "",
        "hours": "",
        "languages": "",
        "notes": "",
        "last_verified_on": "2024-11-29",
        "source": None,
    }
    assert row in results("/contact-points/")


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        pytest.param({"country": "ml"}, {"embassy", "police"}, id="country"),
        pytest.param({"region": "ML-bko"}, {"embassy"}, id="region"),
        pytest.param({"kind": "police"}, {"police", "niger"}, id="kind"),
    ],
)
def test_contact_points_filter_by(contacts, params, expected):
    assert set(codes("/contact-points/", params, key="id")) == {contacts[key].pk for key in expected}
