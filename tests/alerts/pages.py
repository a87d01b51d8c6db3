"""What the tests of the subscription pages share: a signed-in browser, and what a manager and a
traveler fill in."""

import re
from typing import Any

from django.test import Client

from advisories.models import Country


def signed_in(user, **kwargs) -> Client:
    client = Client(**kwargs)
    client.force_login(user)
    return client


def form_data(**changes: Any) -> dict[str, Any]:
    """What a manager fills in for a daily digest of Mali; `changes` replace or add fields (None removes one)."""
    data = {
        "name": "Sahel desk",
        "countries": [Country.objects.get(code="ML").pk],
        "min_severity": "3",
        "frequency": "daily",
        "time_zone": "Africa/Bamako",
        "time_zone_other": "",
        "include_members": "on",
        "addresses": "Desk@Sahel.example\nops@sahel.example, desk@sahel.example",
        "include_advisories": "on",
    }
    data.update(changes)
    return {name: value for name, value in data.items() if value is not None}


def traveler_data(**changes: Any) -> dict[str, Any]:
    """What a traveler fills in for immediate alerts about Mali; `changes` replace or add fields."""
    traveler = {"email": "Traveler@Example.net", "min_severity": "1", "frequency": "immediate", "time_zone": "UTC"}
    organisation_only = dict.fromkeys(("name", "time_zone_other", "include_members", "addresses"))
    return form_data(**organisation_only | traveler | changes)


def csrf_token_of(response) -> str:
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.content.decode())
    assert match is not None
    return match.group(1)
