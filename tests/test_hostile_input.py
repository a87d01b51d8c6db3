"""A hostile corpus against every operation of the API schema and every page's URL pattern.

Crafted cursors, NUL characters in the path, the query string, the cookies and the body,
numbers that overflow, JSON nested past any parser's depth and bodies over the upload limit:
each may be refused with a 4xx, none may reach a server error. Sent signed out and signed in,
over the demo data, with path parameters that name real objects and with hostile ones.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterator
from io import StringIO
from typing import Any
from urllib.parse import urlencode

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.admin import ModelAdmin
from django.contrib.admin import site as admin_site
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from drf_spectacular.generators import SchemaGenerator
from rest_framework.throttling import SimpleRateThrottle

from advisories.models import Country, Region
from alerts.models import Subscription
from incidents.api.views import INCIDENT_EXAMPLE
from incidents.demo.organisations import KORA
from incidents.models import Incident, IncidentType, Organisation
from tests.api.conftest import ROOMY
from tests.api.test_hostile_api_input import MALFORMED, MISFIT, encoded_cursor

pytestmark = pytest.mark.django_db


# The crafted cursors of tests/api/test_hostile_api_input.py, and a few more.
CURSORS = [
    MALFORMED[0],
    *MISFIT,
    *MALFORMED[1:],
    encoded_cursor("o=99999999999999999999999"),
    encoded_cursor("p=99999999999999999999999"),
    encoded_cursor("p=-99999999999999999999999&r=1"),
    encoded_cursor("p=9999-12-31T23:59:59"),
]

OVERFLOWING = {
    "bbox": "1E-20000,0,1,1",
    "date_to": "9999-12-31",
    "date_from": "9999-12-31",
    "occurred_after": "9999-12-31",
    "occurred_before": "9999-12-31",
    "latitude": "1E+999999999",
    "longitude": "-1E+999999999",
    "radius_km": "1E+999999999",
    "occurred_on__year": "99999999999999999999999",
    "occurred_on__month": "99999999999999999999999",
    "occurred_on__day": "99999999999999999999999",
    "page": "99999999999999999999999",
    "page_size": "99999999999999999999999",
    "p": "99999999999999999999999",
    "o": "-99999999999999999999999",
}

NUL_QUERY = {"q": "x\x00", "cursor\x00": "1"}

# Bodies: a plausible incident, subscription and retraction with one hostile value each, so that
# the value meets the code behind the validators rather than a missing field's message.
PLAUSIBLE: dict[str, Any] = {
    **INCIDENT_EXAMPLE.value,
    "organisation": KORA,
    "countries": ["ml"],
    "frequency": "immediate",
    "min_severity": 1,
    "time_zone": "Africa/Bamako",
    "email": "someone@example.org",
    "reason": "A duplicate of another report.",
}
HOSTILE_VALUES: list[dict[str, Any]] = [
    {},  # the plausible body as it is: the baseline that must get through
    {"latitude": "1E+999999999", "longitude": "1"},
    {"latitude": "-1E+999999999", "longitude": "1E+999999999"},
    {"latitude": "1E-20000", "longitude": "1E-20000"},
    {"latitude": "NaN", "longitude": "-Infinity"},
    {"killed": "99999999999999999999999", "severity": "1E+999999999", "min_severity": "99999999999999999999999"},
    {"occurred_on": "9999-12-31", "occurred_at_time": "23:59"},
    {"occurred_on": "0001-01-01", "occurred_at_time": "00:00"},
    {"title": "x\x00", "description": "\x00", "sources": "a\x00b"},
    {"sources": "x" * 20_001, "description": "x" * 100_001, "reason": "x" * 100_001},
    {"email": "a@[127.0.0.1]", "addresses": ["a@[IPv6:::1]"]},
]

DEEP_JSON = "[" * 100_000 + "]" * 100_000
# Raw Cookie headers (the test client would quote a NUL): a session key long enough to be looked up.
COOKIES = ["sessionid=abc\x00defghijk", "sessionid=\x00; csrftoken=x\x00; django_language=\x00"]


class Responses:
    """What was sent and what came back: every 5xx with the request that caused it."""

    def __init__(self) -> None:
        self.statuses: Counter[int] = Counter()
        self.errors: list[str] = []

    def check(self, response: Any, what: str) -> None:
        self.statuses[response.status_code] += 1
        if response.status_code >= 500:
            self.errors.append(f"{response.status_code} for {what[:300]!r}")


@pytest.fixture
def demo(monkeypatch: pytest.MonkeyPatch) -> None:
    # Thousands of requests a minute from one client: lift the API's throttles (tests/api/conftest.py).
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", ROOMY)
    cache.clear()
    call_command("load_demo", "--with-accounts", stdout=StringIO())


def client_of(username: str | None) -> Client:
    client = Client(raise_request_exception=False)
    if username is not None:
        client.force_login(get_user_model().objects.get(username=username))
    return client


def send_corpus(
    client: Client,
    path: str,
    methods: list[str],
    responses: Responses,
    *,
    form_base: dict[str, Any],
    deep: bool,
    cursors: list[str] = CURSORS,
) -> None:
    """The corpus on one address: hostile queries and cookies on GET, hostile bodies on the rest.
    Not `deep` (an address that names no object): a sample of it."""
    responses.check(client.get(path, OVERFLOWING), f"GET {path} overflowing query")
    responses.check(client.get(path, NUL_QUERY), f"GET {path} NUL query")
    for cursor in cursors if deep else []:
        responses.check(client.get(path, {"cursor": cursor}), f"GET {path} cursor {cursor[:40]}")
    for cookies in COOKIES if deep else COOKIES[:1]:
        responses.check(Client(raise_request_exception=False).get(path, HTTP_COOKIE=cookies), f"GET {path} {cookies!r}")
    for method in methods:
        if method != "get":
            send_bodies(client, method, path, responses, form_base=form_base, deep=deep)


def send_bodies(
    client: Client, method: str, path: str, responses: Responses, *, form_base: dict[str, Any], deep: bool
) -> None:
    send = getattr(client, method)
    for values in HOSTILE_VALUES if deep else HOSTILE_VALUES[1:2]:
        body = {**PLAUSIBLE, **values}
        sent = send(path, json.dumps(body), content_type="application/json")
        responses.check(sent, f"{method} {path} JSON {values}")
        form = {**form_base, **values}
        if method == "post":
            responses.check(send(path, form), f"{method} {path} form {values}")
        else:
            encoded = urlencode(form, doseq=True)
            sent = send(path, encoded, content_type="application/x-www-form-urlencoded")
            responses.check(sent, f"{method} {path} form {values}")
    if deep:
        responses.check(send(path, DEEP_JSON, content_type="application/json"), f"{method} {path} deep JSON")
        big = '{"title": "' + "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1) + '"}'
        responses.check(send(path, big, content_type="application/json"), f"{method} {path} body over the limit")


# The API, from its schema.


def api_operations() -> list[tuple[str, list[str]]]:
    schema = SchemaGenerator().get_schema(request=None, public=True)
    return [
        (path, [method for method in item if method in {"get", "post", "put", "patch", "delete"}])
        for path, item in schema["paths"].items()
    ]


# The model behind each resource of the API that names one object in its path.
RESOURCES = {
    "countries": "advisories.Country",
    "regions": "advisories.Region",
    "threat-categories": "advisories.ThreatCategory",
    "security-reports": "advisories.SecurityReport",
    "threat-ratings": "advisories.ThreatRating",
    "contact-points": "advisories.ContactPoint",
    "incidents": "incidents.Incident",
    "incident-types": "incidents.IncidentType",
    "actors": "incidents.Actor",
    "subscriptions": "alerts.Subscription",
}


def real_api_parameters(path: str) -> dict[str, str]:
    """Path parameters that name the resource's first object: by code, slug or id."""
    objects = apps.get_model(RESOURCES[path.split("/")[3]]).objects.order_by("pk") if "{" in path else None
    values: dict[str, str] = {}
    for name in re.findall(r"{(\w+)}", path):
        assert objects is not None
        field = "pk" if name == "id" else name
        values[name] = str(objects.values_list(field, flat=True)[0]).lower()
    return values


HOSTILE_PARAMETERS = ["%00", "99999999999999999999999", "1E%2B999999999", "-1"]


def filled(fill: Any, real: dict[str, str], names: list[str]) -> Iterator[tuple[str, bool]]:
    """The address with real parameters (True), with a NUL after each, and with hostile values."""
    if not names:
        yield fill({}), True
        return
    yield fill(real), True
    yield fill({name: value + "%00" for name, value in real.items()}), False
    for hostile in HOSTILE_PARAMETERS:
        yield fill(dict.fromkeys(names, hostile)), False


def test_no_operation_of_the_api_answers_a_hostile_request_with_a_server_error(demo):
    responses = Responses()
    for username in (None, "kora_officer"):
        client = client_of(username)
        for path, methods in api_operations():
            names = re.findall(r"{(\w+)}", path)
            for address, real in filled(path.format_map, real_api_parameters(path), names):
                send_corpus(client, address, methods, responses, form_base=PLAUSIBLE, deep=real)

    print(dict(responses.statuses))
    assert not responses.errors, "\n".join(responses.errors)
    assert responses.statuses[201] > 0, "No hostile body met a plausible one's success, so none reached the services."


# The pages, from the URL resolver.


def page_patterns() -> Iterator[str]:
    def walk(patterns: list[Any], prefix: str) -> Iterator[str]:
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, route)
            elif isinstance(pattern, URLPattern):
                yield route

    for route in walk(get_resolver().url_patterns, "/"):
        if not route.startswith("/api/"):
            yield route


def real_page_parameters(route: str) -> dict[str, str]:
    region = Region.objects.filter(country__code="ML").order_by("pk").values_list("code", flat=True)[0]
    values = {
        "country_code": "ml",
        "code": "fr",  # a language (/language/<code>/)
        "region_code": region.lower(),
        "uidb64": "MQ",
        "token": "set-password",
        "app_label": "incidents",
        "url": "nothing-here/",
        "content_type_id": str(ContentType.objects.get_for_model(Incident).pk),
        "object_id": str(Incident.objects.order_by("pk").values_list("pk", flat=True)[0]),
        "pk": str(Incident.objects.order_by("pk").values_list("pk", flat=True)[0]),
    }
    if route.startswith("/alerts/"):
        values["pk"] = str(Subscription.objects.order_by("pk").values_list("pk", flat=True)[0])
        values["token"] = "not-a-token"
    admin = model_admin_of(route)
    if admin is not None:
        first = admin.model.objects.order_by("pk").values_list("pk", flat=True).first()
        values["object_id"] = values["id"] = str(first or 1)
    return values


def model_admin_of(route: str) -> ModelAdmin[Any] | None:
    if not route.startswith("/admin/") or route.count("/") < 4:
        return None
    app_label, model_name = route.split("/")[2:4]
    try:
        return admin_site._registry.get(apps.get_model(app_label, model_name))
    except (LookupError, ValueError):
        return None


def page_form() -> dict[str, Any]:
    """The plausible body in the pages' terms: choices by primary key."""
    mali = Country.objects.get(code="ML")
    return {
        **PLAUSIBLE,
        "incident_type": IncidentType.objects.get(slug=PLAUSIBLE["type"]).pk,
        "country": mali.pk,
        "countries": [mali.pk],
        "region": "",
        "target_types": [],
        "organisation": Organisation.objects.get(slug=KORA).pk,
    }


def date_hierarchy_queries(route: str) -> list[dict[str, str]]:
    """The admin's date hierarchy at and past the calendar's end."""
    admin = model_admin_of(route)
    if admin is None or not admin.date_hierarchy or not route.endswith(f"/{admin.opts.model_name}/"):
        return []
    name = admin.date_hierarchy
    return [
        {f"{name}__year": "99999999999999999999999"},
        {f"{name}__year": "9999"},
        {f"{name}__year": "9999", f"{name}__month": "12"},
        {f"{name}__year": "9999", f"{name}__month": "12", f"{name}__day": "31"},
        {f"{name}__year": "0", f"{name}__month": "-1"},
    ]


PARAMETER = re.compile(r"<(?:\w+:)?(\w+)>|\(\?P<(\w+)>[^)]*\)")


def test_no_page_answers_a_hostile_request_with_a_server_error(demo):
    responses = Responses()
    form_base = page_form()
    routes = list(page_patterns())
    for username in (None, "kora_officer", "kora_manager", "analyst"):
        for route in routes:
            if route.startswith("/admin/") and username != "analyst":
                continue  # the sign-in page, for everyone else
            # Signed in afresh for each route: the corpus posts to the sign-out pages too.
            client = client_of(username)
            names = [first or second for first, second in PARAMETER.findall(route)]

            def fill(values: dict[str, str], route: str = route) -> str:
                path = PARAMETER.sub(lambda match: values[match.group(1) or match.group(2)], route)
                return path.replace("^", "").replace("$", "")

            for path, real in filled(fill, real_page_parameters(route), names):
                # The admin's forms: those of the incidents and alerts in full, on their real objects.
                deep = real and (
                    not route.startswith("/admin/") or route.startswith(("/admin/incidents/", "/admin/alerts/"))
                )
                # The admin deletes on any POST to its confirmation page: those are only read.
                methods = ["get"] if route.endswith("/delete/") else ["get", "post"]
                send_corpus(client, path, methods, responses, form_base=form_base, deep=deep, cursors=CURSORS[:3])
                for query in date_hierarchy_queries(route):
                    responses.check(client.get(path, query), f"GET {path} {query}")

    print(len(routes), dict(responses.statuses))
    assert not responses.errors, "\n".join(responses.errors)
    assert len(routes) > 100
    assert responses.statuses[200] > 1000, "Too few pages answered: the corpus no longer reaches the views."


# Each finding on its own, with the answer it must get.


@pytest.mark.parametrize("path", ["/countries/ml%00/", "/countries/ml/regions/ml-2%00/", "/incidents/%00", "/%00"])
def test_a_nul_in_a_page_s_path_is_a_400_that_says_so(path):
    response = Client().get(path)

    assert response.status_code == 400
    assert "NUL character" in response.content.decode()


@pytest.mark.parametrize("path", ["/", "/incidents/", "/alerts/subscribe/", "/accounts/login/", "/admin/"])
def test_a_session_cookie_holding_a_nul_is_no_session(cast, path):
    # Long enough to be taken for a session key, and so looked up in the database.
    response = Client().get(path, HTTP_COOKIE="sessionid=abc\x00defghijk; csrftoken=x\x00")

    assert response.status_code in (200, 302)
    assert response.wsgi_request.user.is_anonymous
    assert "sessionid" not in response.wsgi_request.COOKIES


def test_a_csrf_cookie_holding_a_nul_is_no_csrf_cookie(cast):
    client = Client(enforce_csrf_checks=True)
    client.cookies["csrftoken"] = "x\x00"
    client.cookies["django_language"] = "\x00"

    page = client.get("/accounts/login/")
    sent = client.post("/accounts/login/", {"username": "officer_a", "password": "x"})

    assert page.status_code == 200
    assert sent.status_code == 403


def dated_admins() -> list[str]:
    return sorted(
        f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
        for model, model_admin in admin_site._registry.items()
        if model_admin.date_hierarchy
    )


@pytest.mark.parametrize("path", dated_admins())
@pytest.mark.parametrize("when", [("99999999999999999999999",), ("9999",), ("9999", "12"), ("9999", "12", "31")])
def test_a_date_hierarchy_past_the_calendar_s_end_is_an_invalid_filter_in_the_admin(cast, path, when):
    # A superuser who is also a platform operator: the change records are read by operators only.
    cast.analyst.is_superuser = True
    cast.analyst.save()
    cast.analyst.user_permissions.add(Permission.objects.get(codename="view_all_incidents"))
    client = client_of("analyst")
    name = admin_site._registry[apps.get_model(*path.split("/")[2:4])].date_hierarchy
    query = dict(zip((f"{name}__year", f"{name}__month", f"{name}__day"), when, strict=False))

    response = client.get(path, query)

    assert response.status_code == 302
    assert response["Location"] == f"{path}?e=1"
