"""The message an officer reads after logging an incident says what really happens to it at its
sharing level: analysts review only TLP:CLEAR and TLP:GREEN reports, which are the only ones
their review queue ever holds."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.incidents.test_logging import CREATE, form_data

pytestmark = pytest.mark.django_db

EXPECTED = {
    "clear": ("An analyst will review it; once it is published, anyone can read it.", True),
    "green": ("Members of every registered organisation can read it now, and an analyst will review it.", True),
    "amber": (
        "Your organisation and its partner organisations can read it. Analysts do not see TLP:AMBER reports, "
        "so it will not be reviewed or published.",
        False,
    ),
    "amber_strict": (
        "Only your organisation can read it. Analysts do not see TLP:AMBER+STRICT reports, "
        "so it will not be reviewed or published.",
        False,
    ),
    "red": (
        "Only you and your organisation's officers, security managers and administrators can read it. "
        "Analysts do not see TLP:RED reports, so it will not be reviewed or published.",
        False,
    ),
}


@pytest.mark.parametrize("level", EXPECTED)
def test_the_confirmation_says_what_happens_at_each_sharing_level(cast, level):
    officer, analyst = Client(), Client()
    officer.force_login(cast.officer_a)
    analyst.force_login(cast.analyst)
    title = f"Robbery logged as {level}"
    said, reviewed = EXPECTED[level]

    response = officer.post(CREATE, form_data(title=title, sharing_level=level), follow=True)

    shown = [str(message) for message in response.context["messages"]]
    assert shown == [f"Incident logged. {said}"]
    # What the message promises is what the analysts' queue holds.
    queue = analyst.get(reverse("incidents:review")).content.decode()
    assert (title in queue) is reviewed
