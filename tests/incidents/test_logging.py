"""An officer logs and edits an incident through the form: what is saved, what is refused with
which message (keeping everything typed), and who may do it."""

import datetime as dt
import re
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from advisories.models import Country, Region
from incidents.models import Incident, ReviewStatus, Role, SharingLevel, TargetType
from tests.factories import ActorFactory, IncidentFactory, MembershipFactory
from tests.incidents.pages import incident_form

pytestmark = pytest.mark.django_db

CREATE = reverse("incidents:create")


def form_data(**changes: Any) -> dict[str, Any]:
    """What an officer types for a robbery near Sévaré; `changes` replace or add fields."""
    typed = {
        "title": "Staff vehicle robbed at a false checkpoint",
        "occurred_on": "2025-03-02",
        "occurred_at_time": "17:40",
        "place_name": "Sévaré",
        "latitude": "",
        "longitude": "",
        "location_precision": "near",
        "actors": [ActorFactory.create(name="Unidentified armed men").pk],
        "target_types": [TargetType.objects.get(slug="ngo-staff").pk],
        "injured": "2",
        "description": "Four armed men stopped the vehicle and took phones, cash and a laptop.",
        "sources": "Driver's account",
        "sharing_level": "amber",
    }
    return incident_form("armed-robbery", "ML-5", **(typed | changes))


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_it_shows_the_form_with_the_country_the_officer_last_used(cast):
    IncidentFactory.create(organisation=cast.org_a, reporter=cast.officer_a, sharing_level="amber")

    response = signed_in(cast.officer_a).get(CREATE)

    assert response.status_code == 200
    html = response.content.decode()
    mali = Country.objects.get(code="ML")
    assert f'<option value="{mali.pk}" selected>Mali</option>' in html
    # The regions offered are Mali's.
    assert ">Mopti</option>" in html and ">Agadez</option>" not in html
    # Types are grouped by threat category; the sharing levels say who sees what; AMBER is the default.
    assert "<optgroup" in html
    assert "The reporting organisation and its partner organisations." in html
    assert 'name="sharing_level" value="amber" id="id_sharing_level_2" required checked' in html
    assert "Mass casualties, hostages" in html
    # One organisation: nothing to choose.
    assert 'name="organisation"' not in html


def test_it_defaults_to_where_the_organisation_usually_logs(cast):
    IncidentFactory.create(organisation=cast.org_a, reporter=cast.manager_a, sharing_level="amber")

    response = signed_in(cast.officer_a).get(CREATE)

    mali = Country.objects.get(code="ML")
    assert f'<option value="{mali.pk}" selected>Mali</option>' in response.content.decode()


def test_it_logs_an_incident_for_the_officers_organisation(cast):
    data = form_data()

    response = signed_in(cast.officer_a).post(CREATE, data)

    incident = Incident.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("incidents:detail", kwargs={"pk": incident.pk})
    assert incident.organisation == cast.org_a
    assert incident.reporter == cast.officer_a
    assert incident.status == ReviewStatus.SUBMITTED
    assert incident.sharing_level == SharingLevel.AMBER
    assert incident.region is not None and incident.region.code == "ML-5"
    assert incident.occurred_on == dt.date(2025, 3, 2)
    assert incident.occurred_at_time == dt.time(17, 40)
    assert incident.injured == 2 and incident.severity == 3
    assert [actor.pk for actor in incident.actors.all()] == data["actors"]
    assert list(incident.target_types.values_list("slug", flat=True)) == ["ngo-staff"]


def test_it_asks_an_officer_of_several_organisations_which_one_reports(cast):
    MembershipFactory.create(user=cast.officer_a, organisation=cast.org_b, role=Role.SECURITY_MANAGER)
    client = signed_in(cast.officer_a)

    assert 'name="organisation"' in client.get(CREATE).content.decode()
    response = client.post(CREATE, form_data(organisation=cast.org_b.pk))

    assert response.status_code == 302
    assert Incident.objects.get().organisation == cast.org_b


def test_it_refuses_an_organisation_the_user_is_not_an_officer_of(cast):
    MembershipFactory.create(user=cast.officer_a, organisation=cast.org_b, role=Role.SECURITY_MANAGER)

    response = signed_in(cast.officer_a).post(CREATE, form_data(organisation=cast.partner.pk))

    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert not Incident.objects.exists()


def test_it_finds_the_region_from_the_coordinates(cast):
    # Mali's region boundaries come with the migrations; Mopti town is in Mopti region.
    mopti = Region.objects.get(code="ML-5")

    response = signed_in(cast.officer_a).post(CREATE, form_data(region="", latitude="14.4936123", longitude="-4.19821"))

    assert response.status_code == 302
    incident = Incident.objects.get()
    assert incident.region == mopti
    # Kept to five decimal places, about a metre.
    assert incident.latitude == Decimal("14.49361")


def test_it_accepts_coordinates_in_the_region_named(cast):
    response = signed_in(cast.officer_a).post(CREATE, form_data(latitude="14.4936", longitude="-4.1982"))

    assert response.status_code == 302
    assert Incident.objects.get().region == Region.objects.get(code="ML-5")


def test_it_keeps_a_count_left_empty_as_not_known(cast):
    response = signed_in(cast.officer_a).post(CREATE, form_data(killed="", injured="0", abducted=""))

    assert response.status_code == 302
    incident = Incident.objects.get()
    assert (incident.killed, incident.injured, incident.abducted) == (None, 0, None)


def test_it_offers_the_counts_empty_for_not_known(cast):
    html = signed_in(cast.officer_a).get(CREATE).content.decode()

    killed = re.search(r"<input[^>]*name=\"killed\"[^>]*>", html)
    assert killed is not None
    assert "value=" not in killed.group(0) and 'placeholder="not known"' in killed.group(0)
    assert "Leave empty if not known; 0 means nobody." in html


def test_editing_shows_a_count_not_known_as_empty_and_a_zero_as_zero(cast):
    incident = IncidentFactory.create(
        organisation=cast.org_a, reporter=cast.officer_a, sharing_level="amber", killed=None, injured=0
    )

    html = signed_in(cast.officer_a).get(reverse("incidents:edit", kwargs={"pk": incident.pk})).content.decode()

    killed = re.search(r"<input[^>]*name=\"killed\"[^>]*>", html)
    injured = re.search(r"<input[^>]*name=\"injured\"[^>]*>", html)
    assert killed is not None and "value=" not in killed.group(0)
    assert injured is not None and 'value="0"' in injured.group(0)


@time_machine.travel(dt.datetime(2026, 3, 1, 9, 30, tzinfo=dt.UTC), tick=False)
def test_it_refuses_a_time_later_today_where_the_incident_happened(cast):
    response = signed_in(cast.officer_a).post(CREATE, form_data(occurred_on="2026-03-01", occurred_at_time="10:15"))

    assert response.status_code == 400
    assert "It is 09:30 in Mali now: 10:15 today has not come yet." in response.content.decode()
    assert not Incident.objects.exists()


# Bad input: a message next to the field, everything typed still there, nothing saved ----------


def _tomorrow() -> str:
    return (timezone.now() + dt.timedelta(days=2)).date().isoformat()


BAD_INPUT = {
    "latitude 95": (
        {"region": "", "latitude": "95", "longitude": "0"},
        "Latitude 95 is out of range: it goes from -90 to 90.",
    ),
    "latitude without longitude": ({"region": "", "latitude": "14.5"}, "Give both latitude and longitude, or neither."),
    "coordinates outside the country": (
        {"region": "", "latitude": "48.8566", "longitude": "2.3522"},
        "The point 48.85660, 2.35220 is not in Mali; check the coordinates or the country.",
    ),
    "a date in the future": ({"occurred_on": _tomorrow}, "is in the future."),
    "Paris' coordinates with region Kayes": (
        {"region": lambda: Region.objects.get(code="ML-1").pk, "latitude": "48.8566", "longitude": "2.3522"},
        "The point 48.85660, 2.35220 is not in Mali; check the coordinates or the country.",
    ),
    "Bamako's coordinates with region Kayes": (
        {"region": lambda: Region.objects.get(code="ML-1").pk, "latitude": "12.65", "longitude": "-8.0"},
        "The point 12.65000, -8.00000 is in Bamako, not in Kayes; check the coordinates or the region.",
    ),
    "neither region nor coordinates": (
        {"region": ""},
        "Pick the region, or give the coordinates so the region can be found from them.",
    ),
    "a region of another country": (
        {"region": lambda: Region.objects.get(code="NE-1").pk},
        "Agadez is not a region of Mali.",
    ),
    "a description one character too long": (
        {"description": "x" * 20_001},
        "The description is 20,001 characters long; shorten it to 20,000 at most.",
    ),
    "a null character": ({"place_name": "Sévaré\x00"}, "Null characters are not allowed."),
    "a negative count": ({"killed": "-1"}, "Ensure this value is greater than or equal to 0."),
    "no title": ({"title": "   "}, "This field is required."),
}


@pytest.mark.parametrize("changes, message", BAD_INPUT.values(), ids=BAD_INPUT.keys())
def test_it_refuses_bad_input_with_a_message_and_keeps_what_was_typed(cast, changes, message):
    changes = {name: value() if callable(value) else value for name, value in changes.items()}
    data = form_data(**changes)

    response = signed_in(cast.officer_a).post(CREATE, data)

    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert "Please correct the following; nothing has been saved yet." in html
    assert not Incident.objects.exists()
    # Everything typed is still in the form.
    if "title" not in changes:
        assert 'value="Staff vehicle robbed at a false checkpoint"' in html
    if "description" not in changes:
        assert "Four armed men stopped the vehicle and took phones, cash and a laptop.</textarea>" in html
    assert f'type="checkbox" name="actors" value="{data["actors"][0]}" id="id_actors_0" checked' in html
    assert 'value="3" id="id_severity_2" required checked' in html


def test_the_error_summary_links_each_error_to_its_field_or_to_the_first_box_of_a_choice(cast):
    data = form_data(title="", severity="9", sharing_level="", target_types=["0"])

    response = signed_in(cast.officer_a).post(CREATE, data)

    assert response.status_code == 400
    html = response.content.decode()
    assert '<a href="#id_title">Title: This field is required.</a>' in html
    for field in ("severity", "sharing_level", "target_types"):
        assert f'<a href="#id_{field}_0">' in html and f'id="id_{field}_0"' in html
    # The choices keep their legends, explanations and anchors.
    assert '<fieldset class="choices explained" id="severity">' in html
    assert '<fieldset class="choices explained" id="sharing-level">' in html
    assert '<span class="note-inline">(Traffic Light Protocol)</span></legend>' in html
    assert "Mass casualties, hostages" in html


def test_a_ten_megabyte_description_gets_a_page_that_explains_it_and_nothing_is_written(cast):
    # Through the CSRF middleware, as a browser meets it: it reads the POST before any view.
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.officer_a)
    client.get(CREATE)
    token = client.cookies["csrftoken"].value

    response = client.post(CREATE, form_data(description="x" * (10 * 1024 * 1024), csrfmiddlewaretoken=token))

    assert response.status_code == 413
    html = response.content.decode()
    assert "The form was too large to read" in html
    assert "nothing was saved" in html and "at most 20,000 characters" in html
    assert "Back button: it keeps what you typed" in html
    assert not Incident.objects.exists()


def test_the_form_still_needs_its_csrf_token(cast):
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.officer_a)

    response = client.post(CREATE, form_data())

    assert response.status_code == 403
    assert not Incident.objects.exists()


def test_script_in_any_text_is_stored_as_typed_and_shown_escaped_in_the_form(cast):
    script = "<script>alert('x')</script>"
    data = form_data(title=script, place_name=script, description=script, sources=script, region="")

    response = signed_in(cast.officer_a).post(CREATE, data)

    html = response.content.decode()
    assert response.status_code == 400  # no region: the form comes back
    assert "<script>" not in html
    assert html.count("&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;") >= 4

    response = signed_in(cast.officer_a).post(CREATE, {**data, "region": Region.objects.get(code="ML-5").pk})
    incident = Incident.objects.get()
    assert (incident.title, incident.place_name, incident.description, incident.sources) == (script,) * 4


def test_show_regions_redisplays_the_form_with_the_new_countrys_regions_and_saves_nothing(cast):
    niger = Country.objects.get(code="NE")

    response = signed_in(cast.officer_a).post(CREATE, form_data(country=niger.pk, show_regions="1"))

    assert response.status_code == 200
    html = response.content.decode()
    assert ">Agadez</option>" in html and ">Mopti</option>" not in html
    assert 'value="Staff vehicle robbed at a false checkpoint"' in html
    assert "Please correct" not in html
    assert not Incident.objects.exists()


# Who may log and edit ----------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["reader_a", "partner_reader", "outsider", "analyst"])
def test_only_officers_may_log_incidents(cast, who):
    client = signed_in(getattr(cast, who))

    for response in (client.get(CREATE), client.post(CREATE, form_data())):
        assert response.status_code == 403
        assert "Only an organisation&#x27;s security officers" in response.content.decode()
    assert not Incident.objects.exists()


def test_an_anonymous_visitor_is_sent_to_sign_in(cast):
    for response in (Client().get(CREATE), Client().post(CREATE, form_data())):
        assert response.status_code == 302
        assert response["Location"] == f"{reverse('login')}?next={CREATE}"
    assert not Incident.objects.exists()


@pytest.fixture
def a_incident(cast):
    """An incident officer A logged: GREEN, so every member sees it."""
    incident = IncidentFactory.create(
        organisation=cast.org_a,
        reporter=cast.officer_a,
        sharing_level=SharingLevel.GREEN,
        status=ReviewStatus.VERIFIED,
        title="Roadblock near Konna",
    )
    return incident


def _edit(incident: Incident) -> str:
    return reverse("incidents:edit", kwargs={"pk": incident.pk})


def test_an_officer_of_the_organisation_edits_its_incident_and_its_review_is_kept(cast, a_incident):
    client = signed_in(cast.manager_a)

    form = client.get(_edit(a_incident))
    response = client.post(_edit(a_incident), form_data(title="Roadblock near Konna, two hurt"))

    assert form.status_code == 200 and 'value="Roadblock near Konna"' in form.content.decode()
    assert response.status_code == 302
    a_incident.refresh_from_db()
    assert a_incident.title == "Roadblock near Konna, two hurt"
    assert a_incident.status == ReviewStatus.VERIFIED
    assert a_incident.organisation == cast.org_a and a_incident.reporter == cast.officer_a


def test_an_edit_with_bad_input_changes_nothing(cast, a_incident):
    response = signed_in(cast.officer_a).post(_edit(a_incident), form_data(title="Changed", latitude="95"))

    assert response.status_code == 400
    assert "Latitude 95 is out of range" in response.content.decode()
    a_incident.refresh_from_db()
    assert a_incident.title == "Roadblock near Konna"


@pytest.mark.parametrize("who", ["officer_b", "reader_a"])
def test_others_cannot_edit_an_incident_they_can_see(cast, a_incident, who):
    client = signed_in(getattr(cast, who))

    for response in (client.get(_edit(a_incident)), client.post(_edit(a_incident), form_data(title="Changed"))):
        assert response.status_code == 403
        assert "Only the security officers of Sahel Relief may edit its incidents." in response.content.decode()
    a_incident.refresh_from_db()
    assert a_incident.title == "Roadblock near Konna"


def test_an_officer_of_another_organisation_cannot_even_find_an_amber_incident(cast):
    incident = IncidentFactory.create(organisation=cast.org_a, reporter=cast.officer_a, sharing_level="amber")

    response = signed_in(cast.officer_b).post(_edit(incident), form_data(title="Changed"))

    assert response.status_code == 404


def test_an_imported_incident_cannot_be_edited_here(cast):
    imported = IncidentFactory.create(organisation=None, sharing_level="clear", status="published")

    response = signed_in(cast.officer_a).get(_edit(imported))

    assert response.status_code == 403
    assert "corrected at its source and imported again" in response.content.decode()


# The header ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "who, shown, hidden",
    [
        ("officer_a", ["Log an incident", "My organisation's incidents", "All incidents"], ["Review queue"]),
        ("reader_a", ["My organisation's incidents", "All incidents"], ["Log an incident", "Review queue"]),
        ("analyst", ["Review queue", "All incidents"], ["Log an incident"]),
        ("anonymous", ["Sign in"], ["Log an incident", "Review queue", "Sign out"]),
    ],
)
def test_the_header_offers_what_the_user_may_do(cast, who, shown, hidden):
    client = Client() if who == "anonymous" else signed_in(getattr(cast, who))

    html = client.get(reverse("advisories:home")).content.decode()

    for text in shown:
        assert f">{text}</a>" in html
    for text in hidden:
        assert text not in html


def test_an_officer_of_two_organisations_gets_one_log_link(cast):
    MembershipFactory.create(user=cast.officer_a, organisation=cast.org_b, role=Role.ADMIN)

    html = signed_in(cast.officer_a).get(reverse("advisories:home")).content.decode()

    assert html.count(">Log an incident</a>") == 1


def test_signing_out_is_a_post_from_the_header(cast):
    client = signed_in(cast.officer_a)
    html = client.get(reverse("advisories:home")).content.decode()
    assert f'action="{reverse("logout")}"' in html and ">Sign out</button>" in html and "officer_a" in html

    response = client.post(reverse("logout"))

    assert response.status_code == 302
    assert client.get(CREATE).status_code == 302  # signed out: back to the sign-in page


# A form sent twice ------------------------------------------------------------------------


def _shown_submission_key(client: Client) -> str:
    import re

    page = client.get(CREATE).content.decode()
    found = re.search(r'name="submission_key" value="([^"]+)"', page)
    assert found, "the form carries no submission key"
    return found.group(1)


def test_the_same_form_sent_twice_logs_one_incident(cast, mailoutbox):
    client = signed_in(cast.officer_a)
    data = form_data(submission_key=_shown_submission_key(client))

    first = client.post(CREATE, data)
    again = client.post(CREATE, data, follow=True)  # the answer to the first was lost; the officer sends again

    incident = Incident.objects.get()
    assert first.status_code == 302
    assert again.redirect_chain[-1][0] == reverse("incidents:detail", kwargs={"pk": incident.pk})
    assert "already logged" in again.content.decode()


def test_each_form_shown_logs_its_own_incident(cast):
    client = signed_in(cast.officer_a)

    client.post(CREATE, form_data(submission_key=_shown_submission_key(client)))
    client.post(CREATE, form_data(submission_key=_shown_submission_key(client)))

    assert Incident.objects.count() == 2


def test_a_form_sent_again_with_changes_points_to_the_incident_saved_first(cast):
    client = signed_in(cast.officer_a)
    key = _shown_submission_key(client)
    client.post(CREATE, form_data(submission_key=key))

    again = client.post(CREATE, form_data(submission_key=key, injured="3"), follow=True)

    incident = Incident.objects.get()
    assert incident.injured == 2
    assert again.redirect_chain[-1][0] == reverse("incidents:detail", kwargs={"pk": incident.pk})
    assert "were not" in again.content.decode()


def test_two_officers_may_send_the_same_key_without_meeting(cast):
    signed_in(cast.officer_a).post(CREATE, form_data(submission_key="same-key-123"))
    signed_in(cast.officer_b).post(CREATE, form_data(submission_key="same-key-123"))

    assert Incident.objects.count() == 2
