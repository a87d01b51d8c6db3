"""An officer's incident submissions in the outage drills: each one planned before the outage,
sent again until it is saved, every try timed and recorded."""

from __future__ import annotations

import re
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import requests

from incidents.models import TargetType
from tests.incidents.pages import incident_form


@dataclass
class Attempt:
    seconds: float
    status: int | None  # None: no answer (the connection failed or timed out)
    replayed: bool = False  # the answer said the incident had been saved by an earlier try


@dataclass
class Submission:
    """One incident an officer means to log, and each time it was sent."""

    title: str
    via: str  # "form" or "api"
    send: Callable[[], requests.Response]
    attempts: list[Attempt] = field(default_factory=list)

    def try_once(self) -> bool:
        started = time.monotonic()
        replayed = False
        try:
            response = self.send()
            status: int | None = response.status_code
            replayed = response.headers.get("Idempotent-Replayed") == "true" or "already logged" in response.text
        except requests.RequestException:
            status = None
        self.attempts.append(Attempt(seconds=time.monotonic() - started, status=status, replayed=replayed))
        return status is not None and status < 400

    @property
    def succeeded(self) -> bool:
        return any(a.status is not None and a.status < 400 for a in self.attempts)


def form_submission(url: str, session: requests.Session, title: str) -> Submission:
    """The incident form at `url` as an officer signed in with `session` opened it before the
    outage: its CSRF token and submission key."""
    page = session.get(f"{url}/incidents/new/", timeout=10)
    assert page.status_code == 200, page.text[-2000:]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    key = re.search(r'name="submission_key" value="([^"]+)"', page.text)
    assert token and key
    data = incident_form(
        "armed-robbery",
        "ML-5",
        csrfmiddlewaretoken=token.group(1),
        submission_key=key.group(1),
        title=title,
        occurred_on="2026-11-20",
        place_name="Sévaré",
        location_precision="near",
        target_types=[TargetType.objects.get(slug="ngo-staff").pk],
        injured="1",
        sharing_level="amber",
    )

    def send() -> requests.Response:
        # Following the redirect, as a browser does: the incident's page says whether it was
        # logged now or already.
        return session.post(
            f"{url}/incidents/new/", data=data, headers={"Referer": f"{url}/incidents/new/"}, timeout=10
        )

    return Submission(title=title, via="form", send=send)


def api_submission(url: str, api: requests.Session, title: str) -> Submission:
    """An incident sent to the API at `url` with `api`'s token, with an Idempotency-Key of its own."""
    body: dict[str, Any] = {
        "title": title,
        "type": "armed-robbery",
        "occurred_on": "2026-11-20",
        "country": "ml",
        "region": "ml-5",
        "severity": 3,
        "injured": 1,
        "sharing_level": "amber",
    }
    key = f"drill-{uuid.uuid4().hex}"

    def send() -> requests.Response:
        return api.post(f"{url}/api/v1/incidents/", json=body, headers={"Idempotency-Key": key}, timeout=10)

    return Submission(title=title, via="api", send=send)
