"""Country and region pages are kept whole for signed-out visitors and answered 304 when nothing
changed; whatever they show, changed through the services, the admin's saves or an import, shows at
once; signed-in visitors and visitors with a message waiting always get a page of their own."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import pytest
from django.utils.http import http_date

from advisories.models import AdvisoryLevel, Region, ThreatLevel
from advisories.services import advisory_publish, contact_point_upsert, threat_rating_set
from incidents.models import ReviewStatus, SharingLevel
from incidents.services import incident_publish, incident_retract
from tests.advisories.helpers import text_of
from tests.factories import AdvisoryFactory, IncidentFactory, ThreatCategoryFactory, UserFactory, make_cast
from tests.importing import run_import

pytestmark = pytest.mark.django_db

ACLED_SAMPLE = Path(__file__).parent.parent / "incidents" / "samples" / "acled_mali_sample.csv"
MALI = "/countries/ml/"
MOPTI = "/countries/ml/regions/ml-5/"


def today() -> dt.date:
    return dt.datetime.now(dt.UTC).date()


def staff_car_stolen(cast):
    """An incident of Mopti that organisation A shares with members (TLP:GREEN), not with the public."""
    return IncidentFactory.create(
        region=Region.objects.get(code="ML-5"),
        title="Staff car stolen",
        sharing_level=SharingLevel.GREEN,
        organisation=cast.org_a,
        occurred_on=today(),
    )


@pytest.fixture
def mali_page(mali):
    AdvisoryFactory(country=mali, level=AdvisoryLevel.DO_NOT_TRAVEL, summary="Terrorism and kidnapping.")
    return mali


@pytest.fixture
def analyst():
    return UserFactory.create(is_staff=True)


def test_a_second_visitor_gets_the_kept_page_without_a_query(client, mali_page, django_assert_num_queries):
    first = client.get(MALI)

    with django_assert_num_queries(0):
        second = client.get(MALI)

    assert second.status_code == 200 and second.content == first.content
    assert second["ETag"] == first["ETag"] and second["ETag"].startswith('W/"')
    assert second["Last-Modified"] == first["Last-Modified"]
    assert "public" in second["Cache-Control"] and "no-cache" in second["Cache-Control"]


def test_a_conditional_request_for_an_unchanged_page_is_answered_304_without_a_query(
    client, mali_page, django_assert_num_queries
):
    first = client.get(MOPTI)

    with django_assert_num_queries(0):
        by_etag = client.get(MOPTI, headers={"if-none-match": first["ETag"]})
        by_date = client.get(MOPTI, headers={"if-modified-since": first["Last-Modified"]})

    assert by_etag.status_code == 304 and by_date.status_code == 304
    assert by_etag.content == b"" and by_etag["ETag"] == first["ETag"]
    # An older date, or another ETag, gets the page.
    older = http_date((dt.datetime.now(dt.UTC) - dt.timedelta(days=2)).timestamp())
    assert client.get(MOPTI, headers={"if-modified-since": older}).status_code == 200
    assert client.get(MOPTI, headers={"if-none-match": 'W/"other-en"'}).status_code == 200


def test_a_browser_with_an_old_etag_gets_the_kept_page_without_a_query(client, mali_page, django_assert_num_queries):
    current = client.get(MOPTI)

    with django_assert_num_queries(0):
        answer = client.get(MOPTI, headers={"if-none-match": 'W/"an-older-version-en"'})

    assert answer.status_code == 200 and answer.content == current.content


def test_an_address_with_a_query_string_is_rendered_for_it_and_kept_for_nobody(client, mali_page):
    marked = client.get(MALI + "?from=PLANTED")
    plain = client.get(MALI)

    assert marked.status_code == 200 and "PLANTED" in marked.content.decode()
    assert "PLANTED" not in plain.content.decode()


def test_a_region_that_does_not_exist_is_a_404_whatever_etag_the_request_carries(client, mali_page):
    etag = client.get(MOPTI)["ETag"]
    # The API's ETag names its address too: the one this address would have under Mali's version.
    token_and_language = client.get("/api/v1/regions/ml-5/")["ETag"].removeprefix('W/"').rsplit("-", 1)[0]
    address = hashlib.blake2s(b"/api/v1/regions/ml-zz/ ", digest_size=6).hexdigest()
    api_etag = f'W/"{token_and_language}-{address}"'

    assert client.get("/countries/ml/regions/ml-zz/", headers={"if-none-match": etag}).status_code == 404
    assert client.get("/api/v1/regions/ml-zz/", headers={"if-none-match": api_etag}).status_code == 404


def test_a_transaction_that_changes_a_country_many_times_renews_its_pages_once_when_it_commits(mali_page):
    from django.db import connection

    from advisories import page_cache

    for number in range(5):
        contact_point_upsert(
            country=mali_page,
            kind="police",
            name=f"Police desk {number}",
            phones=[f"+223 20 22 00 0{number}"],
            last_verified_on=today(),
        )

    # The test's transaction (which never commits) holds every callback registered since it began.
    renewals = [
        callback for _ids, callback, *_rest in connection.run_on_commit if callback is page_cache._renew_at_commit
    ]
    assert len(renewals) == 1


def test_publishing_an_incident_shows_it_at_once_on_the_kept_pages(client, mali_page, analyst):
    mopti = Region.objects.get(code="ML-5")
    incident = IncidentFactory.create(
        region=mopti, title="Bus stopped near Konna", status=ReviewStatus.VERIFIED, occurred_on=today()
    )
    before = {path: client.get(path) for path in (MALI, MOPTI)}
    assert all("Bus stopped near Konna" not in text_of(page) for page in before.values())

    incident_publish(incident=incident, analyst=analyst)

    for path, page in before.items():
        after = client.get(path, headers={"if-none-match": page["ETag"]})
        assert after.status_code == 200 and "Bus stopped near Konna" in text_of(after), path
        assert after["ETag"] != page["ETag"]

    incident_retract(incident=incident, analyst=analyst, reason="Reported twice")
    assert "Bus stopped near Konna" not in text_of(client.get(MOPTI))


def test_a_new_level_rating_or_contact_shows_at_once(client, mali_page, analyst):
    client.get(MALI)

    advisory_publish(country=mali_page, level=AdvisoryLevel.RECONSIDER_TRAVEL, issued_on=today())
    assert "Level 3: Reconsider Travel" in text_of(client.get(MALI))

    category = ThreatCategoryFactory.create(name="Road banditry")
    threat_rating_set(country=mali_page, category=category, level=ThreatLevel.CRITICAL, assessed_on=today())
    assert "Road banditry" in text_of(client.get(MALI))

    contact_point_upsert(
        country=mali_page,
        kind="police",
        name="Bamako police HQ",
        phones=["+223 20 22 00 00"],
        last_verified_on=today(),
    )
    assert "Bamako police HQ" in text_of(client.get(MALI))


def test_an_import_shows_its_incidents_at_once(client, mali_page):
    before = client.get(MALI)
    assert "No incident report has been published for Mali" in text_of(before)

    run_import("import_acled", ACLED_SAMPLE)

    after = client.get(MALI, headers={"if-none-match": before["ETag"]})
    assert after.status_code == 200
    assert "No incident report has been published for Mali" not in text_of(after)


def test_signed_in_members_never_get_or_leave_a_kept_page(client, mali_page):
    cast = make_cast()
    AdvisoryFactory(country=mali_page, region=Region.objects.get(code="ML-5"), level=4)
    staff_car_stolen(cast)
    anonymous = client.get(MOPTI)

    client.force_login(cast.officer_a)
    member = client.get(MOPTI, headers={"if-none-match": anonymous["ETag"]})
    assert member.status_code == 200 and "officer_a" in text_of(member)
    assert "ETag" not in member and "no-store" in member["Cache-Control"]

    client.logout()
    again = client.get(MOPTI)
    assert "officer_a" not in text_of(again) and "Staff car stolen" not in text_of(again)


def test_each_language_is_kept_apart(client, mali_page):
    english = client.get(MALI)
    french = client.get(MALI, headers={"accept-language": "fr"})

    assert english["ETag"] != french["ETag"]
    assert "Level 4: Do Not Travel" in text_of(client.get(MALI))
    assert "Niveau 4" in text_of(client.get(MALI, headers={"accept-language": "fr"}))


def test_a_visitor_with_a_message_waiting_gets_a_page_of_their_own(client, mali_page):
    client.get(MALI)
    client.cookies["messages"] = "something"

    response = client.get(MALI)

    assert response.status_code == 200 and "ETag" not in response


def test_the_api_answers_304_for_an_unchanged_country_or_region_and_the_new_level_at_once(client, mali_page):
    country = client.get("/api/v1/countries/ml/")
    region = client.get("/api/v1/regions/ml-5/")
    assert country.status_code == 200 and region.status_code == 200
    assert country["ETag"] != region["ETag"]  # another address, another variant

    assert client.get("/api/v1/countries/ml/", headers={"if-none-match": country["ETag"]}).status_code == 304
    assert client.get("/api/v1/regions/ml-5/", headers={"if-none-match": region["ETag"]}).status_code == 304
    # The same country at another address (a query string) is another answer.
    other = client.get("/api/v1/countries/ml/?format=json", headers={"if-none-match": country["ETag"]})
    assert other.status_code == 200 and other["ETag"] != country["ETag"]

    advisory_publish(country=mali_page, level=AdvisoryLevel.RECONSIDER_TRAVEL, issued_on=today())

    changed = client.get("/api/v1/countries/ml/", headers={"if-none-match": country["ETag"]})
    assert changed.status_code == 200 and changed.json()["level"] == 3
    assert client.get("/api/v1/regions/ml-5/", headers={"if-none-match": region["ETag"]}).status_code == 200


def test_a_made_up_country_code_leaves_nothing_in_the_cache(client, mali_page):
    from django.core.cache import cache

    assert client.get("/countries/zz/").status_code == 404
    assert client.get("/api/v1/countries/zz/").status_code == 404
    assert cache.get("vigil:page-version:zz") is None


def test_a_page_rendered_for_its_visitor_reads_the_parts_kept_by_an_earlier_one(
    client, mali_page, django_assert_num_queries
):
    client.cookies["messages"] = "waiting"
    first = {path: client.get(path) for path in (MALI, MOPTI)}

    for path, page in first.items():
        # Every part kept: not even the country or the region is read.
        with django_assert_num_queries(0):
            again = client.get(path)
        assert again.status_code == 200 and "ETag" not in again
        assert again.content == page.content and "Level 4: Do Not Travel" in text_of(again)


def test_the_kept_parts_of_one_region_are_not_another_regions_and_a_made_up_region_is_still_not_found(
    client, mali_page
):
    client.cookies["messages"] = "waiting"
    mopti = text_of(client.get(MOPTI))
    other = Region.objects.filter(country=mali_page).exclude(code="ML-5").order_by("code")[0]

    page = text_of(client.get(other.get_absolute_url()))

    assert other.name in page and "Mopti" in mopti and page != mopti
    assert client.get(MALI + "regions/ml-99/").status_code == 404


def test_a_signed_in_member_sees_each_change_at_once_though_the_public_parts_are_kept(client, mali_page, analyst):
    cast = make_cast()
    mopti = Region.objects.get(code="ML-5")
    incident = IncidentFactory.create(
        region=mopti, title="Bus stopped near Konna", status=ReviewStatus.VERIFIED, occurred_on=today()
    )
    client.force_login(cast.officer_a)
    for path in (MALI, MOPTI):
        page = text_of(client.get(path))
        assert "Level 4: Do Not Travel" in page and "Bus stopped near Konna" not in page

    advisory_publish(country=mali_page, level=AdvisoryLevel.RECONSIDER_TRAVEL, issued_on=today())
    incident_publish(incident=incident, analyst=analyst)

    for path in (MALI, MOPTI):
        page = text_of(client.get(path))
        assert "Level 3: Reconsider Travel" in page and "Bus stopped near Konna" in page, path


def test_the_parts_kept_from_a_members_page_carry_nothing_of_theirs(client, mali_page):
    cast = make_cast()
    staff_car_stolen(cast)
    client.force_login(cast.officer_a)
    members = {path: client.get(path) for path in (MALI, MOPTI)}
    assert all("officer_a" in text_of(page) for page in members.values())

    client.force_login(cast.officer_b)
    for path in (MALI, MOPTI):
        page = text_of(client.get(path))
        assert "officer_b" in page and "officer_a" not in page and "Staff car stolen" not in page
    client.logout()
    client.cookies["messages"] = "waiting"
    for path in (MALI, MOPTI):
        page = text_of(client.get(path))
        assert "officer_" not in page and "Staff car stolen" not in page
