"""Reading the incident list pages in tests (the titles listed, the text shown), and filling in
the incident form."""

import re
from typing import Any

from advisories.models import Country, Region
from incidents.models import IncidentType

INCIDENT_LINK = re.compile(r'<a href="/incidents/\d+/">([^<]*)</a>')


def listed_titles(response) -> list[str]:
    """The titles of the incidents a list page shows, in order."""
    html = response.content.decode()
    return INCIDENT_LINK.findall(html.split('class="incidents"', 1)[1]) if 'class="incidents"' in html else []


def text_of(response) -> str:
    html = response.content.decode()
    text = " ".join(re.sub(r"<[^>]+>", " ", html).split())
    return re.sub(r" ([,.:;)])", r"\1", text)


def sign_in(client, user) -> None:
    if user.is_authenticated:
        client.force_login(user)


def region(code: str) -> Region:
    return Region.objects.get(code=code)


def incident_form(incident_type: str, region_code: str, **fields: Any) -> dict[str, Any]:
    """What the incident form (the officers' or the admin's) is sent for an incident of this type
    (slug) in this region of Mali (code): severity 3, dated to the day, no one hurt unless
    `fields`, which add to these or replace them, say otherwise."""
    return {
        "incident_type": IncidentType.objects.get(slug=incident_type).pk,
        "country": Country.objects.get(code="ML").pk,
        "region": region(region_code).pk,
        "date_precision": "day",
        "severity": "3",
        "killed": "0",
        "injured": "0",
        "abducted": "0",
        **fields,
    }
