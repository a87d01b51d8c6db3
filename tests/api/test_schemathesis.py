"""The API against its own live schema: requests generated from /api/v1/schema/ by schemathesis.

Every operation gets requests that fit the schema and requests that do not, sent with a
security officer's token to the whole Django application (WSGI, every middleware) over the
demo data. None may answer 5xx, and every answer must be what the schema says it can be.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from io import StringIO
from typing import Any

import hypothesis
import pytest
import schemathesis
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase
from schemathesis.checks import not_a_server_error
from schemathesis.core.result import Err
from schemathesis.generation.hypothesis.builder import add_examples
from schemathesis.generation.modes import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from advisories.models import ContactPoint, SecurityReport, ThreatCategory, ThreatRating
from alerts.models import Subscription
from incidents.models import Actor, IncidentType
from incidents.selectors import incidents_visible_to
from tests.api.clients import api_key_for

pytestmark = pytest.mark.django_db

# Requests per operation and mode; the total must reach MINIMUM_REQUESTS.
EXAMPLES = 30
MINIMUM_REQUESTS = 1000
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


@pytest.fixture
def keep_the_test_connection() -> Iterator[None]:
    """The WSGI handler closes the database connection after each request, which would end the
    test's transaction; Django's own test client disconnects the same signal handlers."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def demo(keep_the_test_connection: None) -> None:
    # (Thousands of requests a minute from one client: tests/api/conftest.py lifts the throttles.)
    call_command("load_demo", "--with-accounts", stdout=StringIO())


def headers_of(user: Any) -> dict[str, str]:
    # Schemathesis's WSGI transport asks for gzip but hands the checks the compressed bytes;
    # an HTTP client would decode them. Compression itself is tested in tests/test_page_weight.py.
    return {"Authorization": f"Bearer {api_key_for(user)}", "Accept-Encoding": "identity"}


def real_path_parameters(path: str, user: Any) -> dict[str, Any] | None:
    """Path parameters that name an object the user may reach, so that generated bodies and
    queries meet the code behind a lookup, not only a 404."""
    resource = path.split("/")[3]
    if "{code}" in path:
        return {"code": {"countries": "ml", "regions": "ml-bko"}[resource]}
    if "{slug}" in path:
        slugs = {"threat-categories": ThreatCategory.objects, "incident-types": IncidentType.objects}[resource]
        return {"slug": slugs.order_by("pk").values_list("slug", flat=True)[0]}
    if "{id}" not in path:
        return None
    objects = {
        "incidents": incidents_visible_to(user).filter(organisation__memberships__user=user),
        "subscriptions": Subscription.objects.filter(organisation__memberships__user=user),
        "security-reports": SecurityReport.objects.all(),
        "threat-ratings": ThreatRating.objects.all(),
        "contact-points": ContactPoint.objects.all(),
        "actors": Actor.objects.all(),
    }[resource]
    return {"id": objects.order_by("pk").values_list("pk", flat=True)[0]}


def exercise(
    operation: Any,
    mode: GenerationMode,
    headers: dict[str, str],
    requests: Counter[str],
    path_parameters: dict[str, Any] | None = None,
) -> None:
    """Send the operation EXAMPLES generated requests of the mode; raise on the first bad answer
    (after hypothesis has shrunk the request to the smallest that still shows it)."""

    @hypothesis.given(case=operation.as_strategy(generation_mode=mode, path_parameters=path_parameters))
    @hypothesis.settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.explicit, Phase.generate, Phase.shrink],
        suppress_health_check=list(HealthCheck),
    )
    def one(case: Any) -> None:
        response = case.call(headers=headers)
        requests[operation.label] += 1
        requests[f"{operation.label} -> {response.status_code}"] += 1
        case.validate_response(response, checks=CHECKS)

    if mode == GenerationMode.POSITIVE:
        # The schema's own examples first (a real officer's incident, a real desk's subscription).
        one = add_examples(one, operation, fill_missing=True)
    one()


def run(username: str, *, paths: str = "/api/v1/") -> Counter[str]:
    """Exercise every operation whose path starts with `paths` as the user; fail with every bad
    answer found. Operations on one object run a third time, on an object the user may reach."""
    user = get_user_model().objects.get(username=username)
    headers = headers_of(user)
    schema = schemathesis.openapi.from_wsgi("/api/v1/schema/", get_wsgi_application())
    requests: Counter[str] = Counter()
    operations: list[str] = []
    failures: list[str] = []
    for result in schema.get_all_operations():
        if isinstance(result, Err):
            failures.append(f"An operation the schema does not describe well enough to test: {result.err()}")
            continue
        operation = result.ok()
        if not operation.path.startswith(paths):
            continue
        operations.append(operation.label)
        rounds: list[tuple[GenerationMode, dict[str, Any] | None]] = [
            (GenerationMode.POSITIVE, None),
            (GenerationMode.NEGATIVE, None),
        ]
        real = real_path_parameters(operation.path, user)
        if real is not None:
            rounds.append((GenerationMode.POSITIVE, real))
        for mode, path_parameters in rounds:
            try:
                exercise(operation, mode, headers, requests, path_parameters)
            except (Exception, BaseExceptionGroup) as error:
                failures.append(f"{operation.label} ({mode.value}, {path_parameters}): {error}")

    assert not failures, "\n\n".join(failures)
    assert operations, f"The schema lists no operation under {paths}."
    assert set(operations) <= set(requests), f"Operations never called: {set(operations) - set(requests)}"
    return requests


def test_no_generated_request_gets_a_server_error_or_an_answer_outside_the_schema(demo):
    requests = run("kora_officer")

    sent = sum(count for label, count in requests.items() if "->" not in label)
    statuses = Counter(label.rsplit(" ", 1)[-1] for label in requests.elements() if "->" in label)
    print(f"{sent} requests to {len([label for label in requests if '->' not in label])} operations: {statuses}")
    assert sent >= MINIMUM_REQUESTS, dict(requests)
    # Generated requests that were valid got through to the services, not only to the validators.
    assert requests["POST /api/v1/incidents/ -> 201"] > 0, sorted(requests.items())
    assert requests["PUT /api/v1/incidents/{id}/ -> 200"] > 0, sorted(requests.items())
    assert requests["PATCH /api/v1/incidents/{id}/ -> 200"] > 0, sorted(requests.items())


def test_a_security_manager_meets_no_server_error_in_the_subscriptions_either(demo):
    """The officer manages no subscriptions, so most of what was generated for those endpoints
    met a 404; the security manager's requests reach the services that create and change them."""
    requests = run("kora_manager", paths="/api/v1/subscriptions/")

    assert requests["POST /api/v1/subscriptions/ -> 201"] > 0, sorted(requests.items())
    assert requests["PATCH /api/v1/subscriptions/{id}/ -> 200"] > 0, sorted(requests.items())
