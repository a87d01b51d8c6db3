"""The sharing rules, decided in one place (incidents.access) and read through
incidents_visible_to by every page, export, feed, API endpoint and e-mail; and, beside them,
who may log and edit an incident. The people are those of tests/factories.py `make_cast`."""

import pytest
from django.contrib.auth.models import Group, Permission

from incidents.access import can_edit_incident, is_platform_operator, officer_organisations
from incidents.models import ReviewStatus, SharingLevel
from incidents.selectors import incidents_visible_to
from tests.factories import PEOPLE, IncidentFactory, UserFactory

pytestmark = pytest.mark.django_db

CLEAR, GREEN, AMBER = SharingLevel.CLEAR, SharingLevel.GREEN, SharingLevel.AMBER
STRICT, RED = SharingLevel.AMBER_STRICT, SharingLevel.RED
EVERY_LEVEL = [CLEAR, GREEN, AMBER, STRICT, RED]

# Who sees an incident of organisation A, logged by officer_a, in each sharing level,
# once it is published. Everyone not listed must not see it.
ORG_A = {"officer_a", "second_officer_a", "manager_a", "admin_a", "reader_a"}
WHO_SEES_PUBLISHED = {
    CLEAR: set(PEOPLE),
    GREEN: ORG_A | {"officer_b", "manager_b", "partner_reader", "analyst"},
    AMBER: ORG_A | {"partner_reader"},
    STRICT: ORG_A,
    RED: ORG_A - {"reader_a"},
}
# Who may edit an incident that organisation A reported, whatever its sharing level and status.
WHO_EDITS = {"officer_a", "second_officer_a", "manager_a", "admin_a"}


def _visible(cast, person, incident):
    return incidents_visible_to(getattr(cast, person)).filter(pk=incident.pk).exists()


@pytest.mark.parametrize("level", EVERY_LEVEL)
def test_each_sharing_level_reaches_exactly_its_audience(cast, level):
    incident = IncidentFactory.create(
        sharing_level=level, status=ReviewStatus.PUBLISHED, organisation=cast.org_a, reporter=cast.officer_a
    )
    seen_by = {person for person in PEOPLE if _visible(cast, person, incident)}
    assert seen_by == WHO_SEES_PUBLISHED[level]


@pytest.mark.parametrize("level", EVERY_LEVEL)
@pytest.mark.parametrize("status", ReviewStatus.values)
def test_only_the_reporting_organisations_officers_edit_an_incident(cast, level, status):
    incident = IncidentFactory.create(
        sharing_level=level, status=status, organisation=cast.org_a, reporter=cast.officer_a
    )
    editors = {person for person in PEOPLE if can_edit_incident(getattr(cast, person), incident)}
    assert editors == WHO_EDITS


def test_nobody_edits_an_imported_incident(cast):
    incident = IncidentFactory.create(sharing_level=GREEN, organisation=None)
    assert not [person for person in PEOPLE if can_edit_incident(getattr(cast, person), incident)]


def test_officers_log_incidents_for_their_own_organisation_only(cast):
    logs_for = {person: set(officer_organisations(getattr(cast, person))) for person in PEOPLE}
    officers = {person for person, organisations in logs_for.items() if organisations}
    assert officers == WHO_EDITS | {"officer_b", "manager_b"}
    assert logs_for["officer_a"] == logs_for["admin_a"] == {cast.org_a}
    assert logs_for["officer_b"] == {cast.org_b}


def test_a_deactivated_organisations_officers_edit_nothing(cast):
    incident = IncidentFactory.create(sharing_level=GREEN, organisation=cast.org_a)
    cast.org_a.is_active = False
    cast.org_a.save()
    assert not can_edit_incident(cast.officer_a, incident)
    assert not officer_organisations(cast.officer_a).exists()


def test_a_red_incident_is_seen_by_its_reader_reporter_but_not_by_other_readers(cast):
    # A reader cannot log incidents, but may have been the reporter before a change of role.
    incident = IncidentFactory.create(
        sharing_level=RED, status=ReviewStatus.SUBMITTED, organisation=cast.org_a, reporter=cast.reader_a
    )
    assert _visible(cast, "reader_a", incident)
    assert not _visible(cast, "officer_b", incident)
    assert _visible(cast, "manager_a", incident)


def test_anonymous_visitors_see_only_published_clear_incidents(cast):
    for status in ReviewStatus.values:
        IncidentFactory.create(sharing_level=CLEAR, status=status, organisation=cast.org_a)
    visible = incidents_visible_to(cast.anonymous)
    assert list(visible.values_list("status", flat=True)) == [ReviewStatus.PUBLISHED]


@pytest.mark.parametrize("status", [ReviewStatus.SUBMITTED, ReviewStatus.VERIFIED])
def test_other_organisations_see_unpublished_green_incidents_but_the_public_does_not(cast, status):
    incident = IncidentFactory.create(sharing_level=GREEN, status=status, organisation=cast.org_a)
    assert _visible(cast, "officer_b", incident)
    assert _visible(cast, "analyst", incident)
    assert not _visible(cast, "outsider", incident)
    assert not _visible(cast, "anonymous", incident)


@pytest.mark.parametrize("level", [CLEAR, GREEN, AMBER])
def test_a_retracted_incident_stays_visible_only_to_its_own_organisation(cast, level):
    incident = IncidentFactory.create(sharing_level=level, status=ReviewStatus.RETRACTED, organisation=cast.org_a)
    assert _visible(cast, "reader_a", incident)
    for person in ["officer_b", "partner_reader", "analyst", "anonymous"]:
        assert not _visible(cast, person, incident), person


def test_partnership_works_both_ways(cast):
    from_partner = IncidentFactory.create(sharing_level=AMBER, organisation=cast.partner)
    assert _visible(cast, "reader_a", from_partner)
    assert not _visible(cast, "officer_b", from_partner)


def test_a_deactivated_organisation_gives_its_members_nothing_beyond_the_public(cast):
    incident = IncidentFactory.create(sharing_level=STRICT, organisation=cast.org_a)
    cast.org_a.is_active = False
    cast.org_a.save()
    assert not _visible(cast, "officer_a", incident)


def test_an_inactive_user_is_treated_as_anonymous(cast):
    incident = IncidentFactory.create(sharing_level=GREEN, organisation=cast.org_b)
    cast.officer_a.is_active = False
    cast.officer_a.save()
    assert not _visible(cast, "officer_a", incident)


def test_reading_the_visible_incidents_costs_a_fixed_number_of_queries(cast, django_assert_num_queries):
    IncidentFactory.create_batch(5, sharing_level=GREEN, organisation=cast.org_b)
    # memberships, partners, incidents, actors, target types
    with django_assert_num_queries(5):
        incidents = list(incidents_visible_to(cast.officer_a))
        for incident in incidents:
            list(incident.actors.all())
            list(incident.target_types.all())
    assert len(incidents) == 5


# Superusers and platform operators -------------------------------------------------------


def test_a_superuser_is_not_an_operator_and_sees_what_an_analyst_sees(cast):
    root = UserFactory.create(username="root", is_staff=True, is_superuser=True)
    incidents = {
        level: IncidentFactory.create(sharing_level=level, status=ReviewStatus.SUBMITTED, organisation=cast.org_a)
        for level in SharingLevel
    }

    assert not is_platform_operator(root)
    seen = {
        level for level, incident in incidents.items() if incidents_visible_to(root).filter(pk=incident.pk).exists()
    }
    assert seen == {SharingLevel.CLEAR, SharingLevel.GREEN}


def test_an_operator_sees_every_incident_whatever_its_level_and_status(cast):
    operator = UserFactory.create(username="operator", is_staff=True)
    group = Group.objects.create(name="Platform operators")
    group.permissions.add(Permission.objects.get(codename="view_all_incidents"))
    operator.groups.add(group)
    retracted = IncidentFactory.create(
        sharing_level=SharingLevel.RED, status=ReviewStatus.RETRACTED, organisation=cast.org_b
    )

    assert is_platform_operator(operator)
    assert incidents_visible_to(operator).filter(pk=retracted.pk).exists()
