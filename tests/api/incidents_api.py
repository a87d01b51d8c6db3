"""What the tests of the incident endpoints share: the address, an incident as an officer's tool
sends it, and a POST as a user."""

from __future__ import annotations

from typing import Any

from incidents.api.views import INCIDENT_EXAMPLE
from incidents.models import Incident
from tests.api.clients import client_of
from tests.factories import ActorFactory

INCIDENTS = "/api/v1/incidents/"


def detail(incident: Incident) -> str:
    return f"{INCIDENTS}{incident.pk}/"


def payload(**changes: Any) -> dict[str, Any]:
    """The documentation's example, a robbery near Sévaré, naming an actor; `changes` replace or add fields."""
    data: dict[str, Any] = dict(INCIDENT_EXAMPLE.value)
    data["actors"] = [ActorFactory.create(name="Unidentified armed men").pk]
    data.update(changes)
    return data


def post(user, data: Any, path: str = INCIDENTS):
    return client_of(user).post(path, data, format="json")
