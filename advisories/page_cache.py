"""The public country and region pages, cached whole and answered 304 when nothing changed.

An advisory changes a few times a year; its page is read all day. Each country has a *version* in
the cache (a random token and the time it was made): a page rendered for a signed-out visitor is
kept under its country's version and its language, and sent with a weak ETag and a Last-Modified
from that version, so that a browser or a proxy asking again with If-None-Match or
If-Modified-Since is answered 304 without rendering anything, and any other visitor gets the kept
bytes without a query.

Whatever a page shows and changes makes a new version of its country (`page_changed`): the
advisories, threat ratings, contacts, security reports, crime profiles, regions and risk
assessments here (receivers in apps.py), and published incidents in the incidents app, which
calls `page_changed` for every incident it saves or deletes and for every import. The new version
is made at once and again when the transaction commits, so that a page rendered from the data
before the commit cannot be kept under the version that follows it.

Signed-in visitors (who may see more, and whose header names them), visitors with a message
waiting (shown once, on the next page) and addresses with a query string always get a page
rendered for them. Versions and kept pages expire after PAGE_TIMEOUT anyway, so that a change made
outside the code paths above (a report revision whose publication time comes, a new release's
templates, a version renewed while the cache was unreachable) shows within that time.

A round trip to the cache costs more than the rest of a 304, so each process trusts the version
it read for VERSION_MEMO_SECONDS and keeps the last pages it served in its own memory: a change
shows at once in the process that made it, and within that second in the others.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date
from django.utils.translation import get_language

from config.cache_control import carries_credentials

# How long a rendered page is kept at most, in seconds.
PAGE_TIMEOUT = 600
# How long a process trusts the version it read, and how many pages it keeps in its own memory.
VERSION_MEMO_SECONDS = 1.0
LOCAL_PAGES = 64
_VERSION_KEY = "vigil:page-version:{code}"
_PAGE_KEY = "vigil:page:{code}:{language}:{path}"


@dataclass(frozen=True)
class PageVersion:
    token: str
    changed_at: dt.datetime

    @property
    def timestamp(self) -> int:
        return int(self.changed_at.timestamp())


class _LocalCopies:
    """This process's copies: of each version it read, for VERSION_MEMO_SECONDS, and of the last
    LOCAL_PAGES pages it served, each with the version it was rendered for. The cache's round trip
    costs more than answering a 304; another process's change shows here within that time."""

    def __init__(self) -> None:
        self.versions: dict[str, tuple[float, PageVersion]] = {}
        self.pages: OrderedDict[str, tuple[str, bytes, str]] = OrderedDict()

    def version(self, code: str) -> PageVersion | None:
        entry = self.versions.get(code)
        return entry[1] if entry is not None and entry[0] > time.monotonic() else None

    def remember_version(self, code: str, version: PageVersion) -> None:
        self.versions[code] = (time.monotonic() + VERSION_MEMO_SECONDS, version)

    def page(self, key: str, token: str) -> tuple[str, bytes, str] | None:
        page = self.pages.get(key)
        if page is None or page[0] != token:
            return None
        self.pages.move_to_end(key)
        return page

    def remember_page(self, key: str, page: tuple[str, bytes, str]) -> None:
        self.pages[key] = page
        self.pages.move_to_end(key)
        while len(self.pages) > LOCAL_PAGES:
            self.pages.popitem(last=False)

    def forget(self) -> None:
        self.versions.clear()
        self.pages.clear()


_local = _LocalCopies()


def forget_local_copies() -> None:
    """Drop this process's copies (the tests do, with the cache, between tests)."""
    _local.forget()


def _new_versions(codes: list[str]) -> dict[str, PageVersion]:
    keys = {_VERSION_KEY.format(code=code.lower()): code.lower() for code in codes}
    previous = cache.get_many(list(keys))
    now = int(timezone.now().timestamp())
    versions = {}
    for key, code in keys.items():
        # Last-Modified has whole seconds: a new version must be at least a second later than the
        # one it replaces, or If-Modified-Since would be answered 304 for a change in that second.
        timestamp = max(now, previous[key][1] + 1) if key in previous else now
        versions[code] = PageVersion(
            token=secrets.token_hex(8), changed_at=dt.datetime.fromtimestamp(timestamp, tz=dt.UTC)
        )
    cache.set_many(
        {key: (versions[code].token, versions[code].timestamp) for key, code in keys.items()}, timeout=PAGE_TIMEOUT
    )
    for code, version in versions.items():
        _local.remember_version(code, version)
    return versions


def _new_version(code: str) -> PageVersion:
    return _new_versions([code])[code.lower()]


def page_version(code: str, *, also: str = "") -> tuple[PageVersion | None, Any]:
    """The current version of a country's pages (made now if the cache has none; None for a code
    no country has, so that made-up addresses leave nothing in the cache), and the page kept
    under the key `also` if it was rendered for that version, read in the same round trip."""
    code = code.lower()
    version = _local.version(code)
    if version is not None:
        if not also:
            return version, None
        return version, _local.page(also, version.token) or _page_of(cache.get(also), also, version)
    version_key = _VERSION_KEY.format(code=code)
    found = cache.get_many([version_key, also] if also else [version_key])
    kept = found.get(version_key)
    if kept is None:
        from .models import Country

        if not Country.objects.filter(code=code.upper()).exists():
            return None, None
        return _new_version(code), None
    token, timestamp = kept
    version = PageVersion(token=token, changed_at=dt.datetime.fromtimestamp(timestamp, tz=dt.UTC))
    _local.remember_version(code, version)
    return version, _page_of(found.get(also), also, version)


def _page_of(kept: Any, key: str, version: PageVersion) -> tuple[str, bytes, str] | None:
    if kept is None or kept[0] != version.token:
        return None
    _local.remember_page(key, kept)
    return tuple(kept)


_PART_KEY = "vigil:part:{key}:{name}"


class KeptParts:
    """The parts of a country's or region's page that are the same for every visitor (everything
    but the page's frame and a member's own figures), kept in the cache under the country's
    version, the language and the page (`kept_parts`). The template writes each as
    `{% kept "name" %}...{% endkept %}` (advisories/templatetags/kept.py): a part found is written
    as it was kept, a missing one is rendered and kept by `keep_rendered` once the page is done.

    All of a page's parts are read in one round trip, with no query: when every one was found,
    the view needs neither its country nor the page's data."""

    def __init__(self, key: str | None, names: tuple[str, ...], found: dict[str, str]) -> None:
        self.key = key
        self.names = names
        self.found = found
        self.rendered: dict[str, str] = {}

    @property
    def complete(self) -> bool:
        return all(name in self.found for name in self.names)

    def kept(self, name: str) -> str | None:
        if name not in self.names:
            raise ValueError(f"The page's view does not read a part named {name!r}: add it to its names.")
        return self.found.get(name)

    def rendered_now(self, name: str, content: str) -> None:
        self.rendered[name] = content

    def keep_rendered(self) -> None:
        """Keep the parts this request rendered (the view calls it once its page answered 200)."""
        if self.key is not None and self.rendered:
            parts = {_PART_KEY.format(key=self.key, name=name): content for name, content in self.rendered.items()}
            cache.set_many(parts, timeout=PAGE_TIMEOUT)


def kept_parts(code: str, names: tuple[str, ...], *, region: str = "") -> KeptParts:
    """The kept parts `names` of the page of the country `code` (or of its region `region`) for the
    current version and language, read in one round trip (none found for a code no country has)."""
    version, _kept = page_version(code)
    if version is None:
        return KeptParts(None, names, {})
    language = get_language() or settings.LANGUAGE_CODE
    key = ":".join(filter(None, (code.lower(), region.lower(), version.token, language)))
    keys = {_PART_KEY.format(key=key, name=name): name for name in names}
    found = {keys[found_key]: content for found_key, content in cache.get_many(list(keys)).items()}
    return KeptParts(key, names, found)


def page_changed(*codes: str) -> None:
    """What the pages of the countries `codes` show has changed (or is changing in this
    transaction). Without codes: every country's (a source, a threat category, a kind of incident)."""

    _renew(set(codes) or None)
    connection = transaction.get_connection()
    if connection.in_atomic_block:
        _at_commit().add(codes or _EVERY_COUNTRY)
        # Once per transaction (a rolled-back one drops its callbacks: the next registers again).
        if not any(callback is _renew_at_commit for _savepoints, callback, *_rest in connection.run_on_commit):
            transaction.on_commit(_renew_at_commit)


# The countries whose pages are renewed again when the current transaction commits, all in one
# write: a transaction that saves a thousand rows renews each country once. (Left over by a
# transaction rolled back, they are renewed at the next commit, which costs nothing but a render.)
_EVERY_COUNTRY: tuple[str, ...] = ()
_this_thread = threading.local()


def _at_commit() -> set[tuple[str, ...]]:
    if not hasattr(_this_thread, "pending"):
        _this_thread.pending = set()
    pending: set[tuple[str, ...]] = _this_thread.pending
    return pending


def _renew_at_commit() -> None:
    changed = set(_at_commit())
    _at_commit().clear()
    if _EVERY_COUNTRY in changed:
        _renew(None)
    elif changed:
        _renew({code for codes in changed for code in codes})


def _renew(codes: set[str] | None) -> None:
    """New versions of these countries' pages; None: of every country's."""
    if codes is None:
        from .models import Country

        codes = set(Country.objects.values_list("code", flat=True))
    _new_versions(sorted(codes))


def _cacheable(request: HttpRequest) -> bool:
    if request.method not in ("GET", "HEAD"):
        return False
    return not carries_credentials(request) and "messages" not in request.COOKIES


@dataclass(frozen=True)
class Validators:
    """The ETag and Last-Modified of one answer about a country, from its version."""

    version: PageVersion
    etag: str

    def not_modified(self, request: HttpRequest) -> HttpResponseBase | None:
        """The 304 (or 412) answer to a conditional request the version satisfies; None otherwise."""
        answer = get_conditional_response(request, etag=self.etag, last_modified=self.version.timestamp)
        return self.apply(answer) if answer is not None else None

    def apply(self, response: HttpResponseBase) -> HttpResponseBase:
        response.headers["ETag"] = self.etag
        response.headers["Last-Modified"] = http_date(self.version.timestamp)
        # Kept by browsers and shared caches, but asked again each time: a change shows at once.
        patch_cache_control(response, public=True, no_cache=True)
        return response


def validators_for(
    request: HttpRequest, code: str, *, variant: str = "", also: str = ""
) -> tuple[Validators | None, Any]:
    """The validators of an answer about the country `code` to a signed-out visitor (None for a
    signed-in one, or one with a message waiting, or for a code no country has), and the value
    kept under `also` (page_version). `variant` tells apart answers of the same address in other
    forms (the API's formats)."""
    if not _cacheable(request):
        return None, None
    version, kept = page_version(code, also=also)
    if version is None:
        return None, None
    language = get_language() or settings.LANGUAGE_CODE
    tag = f"{version.token}-{language}"
    if variant:
        tag += "-" + hashlib.blake2s(variant.encode(), digest_size=6).hexdigest()
    # Weak: the same version may be rendered again after PAGE_TIMEOUT, with equivalent content.
    return Validators(version=version, etag=f'W/"{tag}"'), kept


View = Callable[..., HttpResponseBase]


def cached_country_page(view: View) -> View:
    """Serve the view's 200 answers to signed-out visitors from the cache of its country's
    version (the view's `country_code` argument), with ETag and Last-Modified.

    A kept page is stored with the version it was rendered for, under a key of its address and
    language, so that one round trip to the cache reads both the version and the page."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, country_code: str, **kwargs: Any) -> HttpResponseBase:
        # A query string changes what the page says (its language and sign-in links carry the
        # address whole): such an answer is rendered for its request and kept for nobody.
        if country_code != country_code.lower() or request.GET:
            return view(request, *args, country_code=country_code, **kwargs)
        language = get_language() or settings.LANGUAGE_CODE
        key = _PAGE_KEY.format(code=country_code, language=language, path=request.path)
        validators, kept = validators_for(request, country_code, also=key)
        if validators is None:
            return view(request, *args, country_code=country_code, **kwargs)
        if kept is not None:
            # This address answered 200 under this version: a client that has it gets a 304.
            not_modified = validators.not_modified(request)
            if not_modified is not None:
                return not_modified
            _token, content, content_type = kept
            return validators.apply(HttpResponse(content, content_type=content_type))
        response = view(request, *args, country_code=country_code, **kwargs)
        if response.status_code != 200 or response.streaming or response.cookies:
            return response
        assert isinstance(response, HttpResponse)
        page = (validators.version.token, response.content, response.headers["Content-Type"])
        cache.set(key, page, timeout=PAGE_TIMEOUT)
        _local.remember_page(key, page)
        return validators.not_modified(request) or validators.apply(response)

    return wrapper
