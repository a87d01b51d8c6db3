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
from django.core.cache import cache
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.core.result import Err
from schemathesis.generation.modes import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

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
def officer_headers(settings: Any, keep_the_test_connection: None) -> dict[str, str]:
    # Thousands of requests in a minute from one client: this test is not about throttling.
    settings.REST_FRAMEWORK = settings.REST_FRAMEWORK | {
        "DEFAULT_THROTTLE_RATES": {"anon": "100000/minute", "user": "100000/minute"}
    }
    cache.clear()
    call_command("load_demo", "--with-accounts", stdout=StringIO())
    token, _created = Token.objects.get_or_create(user=get_user_model().objects.get(username="kora_officer"))
    return {"Authorization": f"Bearer {token.key}"}


def exercise(operation: Any, mode: GenerationMode, headers: dict[str, str], requests: Counter[str]) -> None:
    """Send the operation EXAMPLES generated requests of the mode; raise on the first bad answer
    (after hypothesis has shrunk the request to the smallest that still shows it)."""

    @hypothesis.given(case=operation.as_strategy(generation_mode=mode))
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
        case.validate_response(response, checks=CHECKS)

    one()


def test_no_generated_request_gets_a_server_error_or_an_answer_outside_the_schema(officer_headers):
    schema = schemathesis.openapi.from_wsgi("/api/v1/schema/", get_wsgi_application())
    requests: Counter[str] = Counter()
    operations: list[str] = []
    failures: list[str] = []
    for result in schema.get_all_operations():
        if isinstance(result, Err):
            failures.append(f"An operation the schema does not describe well enough to test: {result.err()}")
            continue
        operation = result.ok()
        operations.append(operation.label)
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            try:
                exercise(operation, mode, officer_headers, requests)
            except (Exception, BaseExceptionGroup) as error:
                failures.append(f"{operation.label} ({mode.value}): {error}")

    assert not failures, "\n\n".join(failures)
    assert operations, "The schema lists no operation."
    assert set(requests) == set(operations), f"Operations never called: {set(operations) - set(requests)}"
    assert sum(requests.values()) >= MINIMUM_REQUESTS, dict(requests)
