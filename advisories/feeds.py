"""Atom 1.0 feeds of advisory changes: /feed.atom for every country, /countries/<code>/feed.atom
for one.

An entry is a published change: a place's first advisory, a new level or new risk indicators
(the changes `advisory_changed` announces), or a newly published security report revision.
Entries never change once written, and their ids are tag URIs made from the public address's
host and the row's primary key, so a reader never sees one twice. Links are absolute, built
from VIGIL_PUBLIC_URL as in e-mails, so a feed fetched through a proxy or an internal address
still points at the public site.

Everything here is public (advisories and published revisions are), so the feeds are the same
for every visitor and may be cached by shared caches.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import F, Q, QuerySet, Window
from django.db.models.functions import Lag
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.views.decorators.http import conditional_page

from config.translation import localized

from .models import Advisory, AdvisoryLevel, Country, RiskIndicator, SecurityReportRevision
from .selectors import published_revisions

# Readers poll; one feed is at most this many entries, the latest first.
FEED_LENGTH = 50
# How long shared caches and readers may keep a feed before asking again.
FEED_MAX_AGE = 300
# The date of the tag URIs (RFC 4151): a day on which the public address was the service's.
# Never change it: it is part of every entry's id.
TAG_DATE = "2024"
SITE_NAME = "Vigil"

# XML 1.0 cannot carry these characters, not even escaped; imported text may hold them.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_text(text: str) -> str:
    """Text with the characters XML cannot carry left out."""
    return _NOT_XML.sub("", text)


def public_url(path: str) -> str:
    """The absolute address of a path on the public site (the one e-mails link to)."""
    return settings.VIGIL_PUBLIC_URL.rstrip("/") + path


def tag_uri(kind: str, pk: int) -> str:
    """A permanent id for an entry (RFC 4151): tag:vigil.example,2024:advisory/12."""
    host = urlsplit(settings.VIGIL_PUBLIC_URL).hostname or "vigil.localhost"
    return f"tag:{host},{TAG_DATE}:{kind}/{pk}"


def midnight_utc(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)


@dataclass(frozen=True)
class FeedLink:
    href: str
    rel: str = "alternate"
    type: str = ""


@dataclass(frozen=True)
class FeedEntry:
    id: str
    title: str
    link: str
    updated: dt.datetime
    summary: str
    author: str
    # More links than the page's: the CAP document of an alert.
    links: tuple[FeedLink, ...] = field(default_factory=tuple)


class PlainTextAtomFeed(Atom1Feed):
    """Atom 1.0 with plain-text summaries (Django writes them as type="html") and typed links."""

    def add_item_elements(self, handler: Any, item: dict[str, Any]) -> None:
        summary = item["description"]
        super().add_item_elements(handler, {**item, "description": None})
        for link in item.get("links", ()):
            attributes = {"rel": link.rel, "href": link.href}
            if link.type:
                attributes["type"] = link.type
            handler.addQuickElement("link", "", attributes)
        if summary:
            handler.addQuickElement("summary", summary, {"type": "text"})


# Advisory changes ----------------------------------------------------------------------------


def _at_same_place(expression: Any) -> Window:
    """`expression` over the advisories of one place (a country as a whole, or a region), oldest first."""
    return Window(
        expression, partition_by=[F("country_id"), F("region_id")], order_by=[F("issued_on").asc(), F("id").asc()]
    )


def advisory_changes(country: Country | None = None, *, limit: int = FEED_LENGTH) -> list[Advisory]:
    """The latest advisory changes, newest first: each place's first advisory, and each one whose
    level or risk indicators differ from the one before it at the same place. A new row that only
    rewords the summary or names another source is not a change travellers need to hear of.

    Each advisory carries the `previous_id`, `previous_created_at`, `previous_level` and
    `previous_indicators` of the one it replaced (None for a place's first). One query.
    """
    advisories: QuerySet[Advisory] = Advisory.objects.all()
    if country is not None:
        advisories = advisories.filter(country=country)
    changes = (
        advisories.annotate(
            previous_id=_at_same_place(Lag("id")),
            previous_created_at=_at_same_place(Lag("created_at")),
            previous_level=_at_same_place(Lag("level")),
            previous_indicators=_at_same_place(Lag("indicators")),
        )
        .filter(
            Q(previous_level__isnull=True) | ~Q(previous_level=F("level")) | ~Q(previous_indicators=F("indicators"))
        )
        .select_related("country", "region", "source")
        .order_by("-issued_on", "-id")
    )
    return list(changes[:limit])


def advisory_place_name(advisory: Advisory) -> str:
    if advisory.region is not None:
        return _("%(region)s (%(country)s)") % {"region": advisory.region.name, "country": advisory.country.name}
    return advisory.country.name


def advisory_title(advisory: Advisory) -> str:
    """ "Mali: Level 4: Do Not Travel", "Mopti (Mali): level raised to 4: Do Not Travel"."""
    previous: int | None = getattr(advisory, "previous_level", None)
    values = {
        "place": advisory_place_name(advisory),
        "level": advisory.level,
        "label": AdvisoryLevel(advisory.level).label,
    }
    if previous is None:
        return _("%(place)s: Level %(level)s: %(label)s") % values
    if advisory.level > previous:
        return _("%(place)s: level raised to %(level)s: %(label)s") % values
    if advisory.level < previous:
        return _("%(place)s: level lowered to %(level)s: %(label)s") % values
    if getattr(advisory, "previous_indicators", None) != advisory.indicators:
        return _("%(place)s: Level %(level)s: %(label)s, risk indicators changed") % values
    return _("%(place)s: Level %(level)s: %(label)s") % values


def advisory_summary(advisory: Advisory) -> str:
    parts = []
    # The reader's language where the analysts wrote it (the response varies on Accept-Language).
    summary = localized(advisory, "summary").text
    if summary:
        parts.append(summary)
    if advisory.indicators:
        names = ", ".join(str(RiskIndicator(letter).label) for letter in advisory.indicators)
        parts.append(_("Risk indicators: %(names)s.") % {"names": names})
    previous: int | None = getattr(advisory, "previous_level", None)
    if previous is not None and previous != advisory.level:
        parts.append(
            _("Previously level %(level)s: %(label)s.") % {"level": previous, "label": AdvisoryLevel(previous).label}
        )
    parts.append(_("Issued on %(date)s.") % {"date": advisory.issued_on.isoformat()})
    return " ".join(parts)


def advisory_page(advisory: Advisory) -> str:
    place = advisory.region if advisory.region is not None else advisory.country
    return public_url(place.get_absolute_url())


def advisory_author(advisory: Advisory) -> str:
    return advisory.source.publisher if advisory.source is not None else SITE_NAME


def advisory_entry(advisory: Advisory) -> FeedEntry:
    return FeedEntry(
        id=tag_uri("advisory", advisory.pk),
        title=xml_text(advisory_title(advisory)),
        link=advisory_page(advisory),
        updated=midnight_utc(advisory.issued_on),
        summary=xml_text(advisory_summary(advisory)),
        author=xml_text(advisory_author(advisory)),
    )


# Security report revisions -------------------------------------------------------------------


def revision_changes(country: Country | None = None, *, limit: int = FEED_LENGTH) -> list[SecurityReportRevision]:
    """The latest published report revisions, newest first. One query."""
    revisions = published_revisions()
    if country is not None:
        revisions = revisions.filter(report__country=country)
    return list(revisions.select_related("report__country", "source").order_by("-published_at", "-id")[:limit])


def revision_entry(revision: SecurityReportRevision) -> FeedEntry:
    assert revision.published_at is not None  # published_revisions() reads only published ones
    values = {"country": revision.report.country.name, "report": revision.report.title, "number": revision.number}
    return FeedEntry(
        id=tag_uri("report-revision", revision.pk),
        title=xml_text(_("%(country)s: %(report)s, revision %(number)s") % values),
        link=public_url(revision.report.country.get_absolute_url()),
        updated=revision.published_at,
        summary=xml_text(revision.what_changed),
        author=xml_text(revision.source.publisher if revision.source is not None else SITE_NAME),
    )


def latest_entries(country: Country | None = None, *, limit: int = FEED_LENGTH) -> list[FeedEntry]:
    """Advisory changes and report revisions together, the latest `limit` of them. Two queries."""
    entries = [advisory_entry(a) for a in advisory_changes(country, limit=limit)]
    entries += [revision_entry(r) for r in revision_changes(country, limit=limit)]
    return sorted(entries, key=lambda entry: (entry.updated, entry.id), reverse=True)[:limit]


# The feeds -----------------------------------------------------------------------------------


def country_for_feed(country_code: str) -> Country:
    """The country of a lower-case code in an address; a 404 for any other."""
    if not (country_code.isascii() and len(country_code) == 2):
        raise Http404(_("There is no country with the code %(code)s.") % {"code": country_code.upper()})
    country = Country.objects.filter(code=country_code.upper()).first()
    if country is None:
        raise Http404(_("There is no country with the code %(code)s.") % {"code": country_code.upper()})
    return country


class EntryFeed(Feed):
    """What every Atom feed of FeedEntry rows shares; the concrete feeds give the rows and the names."""

    feed_type = PlainTextAtomFeed
    author_name = SITE_NAME

    def item_title(self, item: FeedEntry) -> str:
        return item.title

    def item_link(self, item: FeedEntry) -> str:
        return item.link

    def item_guid(self, item: FeedEntry) -> str:
        return item.id

    def item_description(self, item: FeedEntry) -> str:
        return item.summary

    def item_updateddate(self, item: FeedEntry) -> dt.datetime:
        return item.updated

    def item_author_name(self, item: FeedEntry) -> str:
        return item.author

    def item_extra_kwargs(self, item: FeedEntry) -> dict[str, Any]:
        return {"links": item.links}


class AdvisoryFeed(EntryFeed):
    """Every country's changes (no country in the address), or one country's."""

    def get_object(self, request: HttpRequest, country_code: str | None = None) -> Country | None:
        return None if country_code is None else country_for_feed(country_code)

    def items(self, obj: Country | None) -> list[FeedEntry]:
        return latest_entries(obj)

    def title(self, obj: Country | None) -> str:
        if obj is None:
            return _("Vigil: travel advisory changes")
        return _("Vigil: travel advisory changes for %(country)s") % {"country": obj.name}

    def subtitle(self, obj: Country | None) -> str:
        return _("New advisory levels and risk indicators, and new security report revisions.")

    def link(self, obj: Country | None) -> str:
        return public_url(obj.get_absolute_url() if obj is not None else reverse("advisories:home"))

    def feed_url(self, obj: Country | None) -> str:
        if obj is None:
            return public_url(reverse("advisories:feed"))
        return public_url(reverse("advisories:country-feed", kwargs={"country_code": obj.code.lower()}))

    def feed_guid(self, obj: Country | None) -> str:
        return self.feed_url(obj)


def public_feed(response: HttpResponseBase) -> HttpResponseBase:
    """The same for everyone: shared caches may keep it a few minutes. The views answer a
    request that names the feed's ETag with 304 (`conditional_page`).

    Django's feeds send the latest entry's date as Last-Modified, which is not when the feed
    last changed: an advisory issued on an earlier day can arrive later, and a reader asking
    If-Modified-Since would be told nothing changed. The ETag alone says it right."""
    del response["Last-Modified"]
    patch_cache_control(response, public=True, max_age=FEED_MAX_AGE)
    return response


@conditional_page
def advisory_feed(request: HttpRequest) -> HttpResponseBase:
    return public_feed(AdvisoryFeed()(request))


@conditional_page
def country_advisory_feed(request: HttpRequest, country_code: str) -> HttpResponseBase | HttpResponse:
    if country_code != country_code.lower():
        return redirect("advisories:country-feed", country_code=country_code.lower(), permanent=True)
    return public_feed(AdvisoryFeed()(request, country_code=country_code))
