"""The account menu offers "My organisation's incidents" only to members of an organisation,
who alone may open it, and finds that out in one query."""

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

pytestmark = pytest.mark.django_db

LINK = ">My organisation's incidents</a>"


def menu_for(user) -> tuple[str, int]:
    """The site's frame as the user gets it, and how many queries drawing it took."""
    request = RequestFactory().get("/incidents/")
    request.user = user
    with CaptureQueriesContext(connection) as queries:
        html = render_to_string("base.html", request=request)
    return html, len(queries)


@pytest.mark.parametrize("person", ["officer_a", "reader_a", "manager_b", "partner_reader"])
def test_members_of_an_organisation_are_offered_its_incidents(cast, client, person):
    user = getattr(cast, person)
    html, queries = menu_for(user)

    assert LINK in html
    assert queries == 1
    client.force_login(user)
    assert client.get("/incidents/mine/").status_code == 200


@pytest.mark.parametrize("person", ["analyst", "outsider"])
def test_users_of_no_organisation_are_not_offered_a_page_they_may_not_open(cast, client, person):
    user = getattr(cast, person)
    html, queries = menu_for(user)

    assert LINK not in html
    assert "All incidents" in html
    assert queries == 1
    client.force_login(user)
    assert client.get("/incidents/mine/").status_code == 403
