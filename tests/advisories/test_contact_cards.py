"""A contact card says when its details were checked in words for people, never with a field name."""

import datetime as dt
import re

import pytest

from advisories.demo.mali import CONTACTS
from tests.advisories.helpers import text_of
from tests.factories import AdvisoryFactory, ContactPointFactory

# A name as code spells it: words joined by underscores ("last_verified_on").
FIELD_NAME = re.compile(r"\b[a-z]+(?:_[a-z]+)+\b")


@pytest.mark.django_db
def test_a_contact_card_says_when_it_was_checked(client, mali):
    AdvisoryFactory(country=mali, level=4)
    ContactPointFactory(country=mali, name="Police emergency", last_verified_on=dt.date(2024, 11, 29))

    response = client.get("/countries/ml/")
    html, text = response.content.decode(), text_of(response)

    assert "Checked on 29 Nov 2024" in text
    assert '<time datetime="2024-11-29">29 Nov 2024</time>' in html
    assert "last_verified" not in html and "Last verified" not in text


@pytest.mark.parametrize("contact", CONTACTS, ids=lambda contact: contact.name)
def test_the_demo_contacts_notes_name_no_fields(contact):
    assert FIELD_NAME.search(contact.notes) is None, contact.notes
