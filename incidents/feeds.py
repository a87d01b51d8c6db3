"""CAP 1.2 (Common Alerting Protocol) alerts of advisory changes and severe public incidents.

Addresses:

- /cap/feed.atom and /countries/<code>/cap.atom: Atom indexes of the latest 50 alerts, every
  country's or one country's; each entry links to one CAP document.
- /cap/advisories/<id>.xml: the CAP alert of one advisory.
- /cap/incidents/<id>.xml: the CAP alert of one severe, published TLP:CLEAR incident.

Only what anyone may see is ever in them: incidents are read through
`incidents_visible_to(ANONYMOUS)` (incidents/access.py), which keeps published TLP:CLEAR
incidents only, whoever asks. A retracted incident leaves the index and its document answers
404. The reporting organisation and the reporter are never written: the public never learns
who reported an incident (`may_see_reporter`).

Which incidents: the severe ones, severity 4 ("Severe": someone killed or abducted, an attack
on a compound or convoy) and 5 ("Critical"), the scale officers log with (incidents/forms.py
SEVERITY_SCALE). The alert e-mails have no threshold of their own to reuse: every published
incident is alerted at once, and each subscription picks its own minimum severity.

How Vigil's values become CAP's:

Advisories (category Security, certainty Likely: a level is an assessment of risk, not an
observed event):

    level                     severity   urgency    responseType
    4 Do Not Travel           Extreme    Expected   Avoid
    3 Reconsider Travel       Severe     Future     Assess
    2 Exercise Increased      Moderate   Future     Monitor
      Caution
    1 Exercise Normal         Minor      Future     None
      Precautions

A place's first advisory is msgType Alert; a later one is an Update whose `references` name the
alert of the advisory it replaced. `sent` is when Vigil recorded the advisory, `effective` the
day it was issued.

Incidents (category Security, certainty Observed: an analyst reviewed and published it,
responseType Avoid):

    severity                  CAP severity
    5 Critical                Extreme
    4 Severe                  Severe
    3 Serious                 Moderate     (not in the feeds)
    1-2 Minor, Moderate       Minor        (not in the feeds)

Urgency is Immediate when the incident was published within a week of the day it happened, and
Past for an older event published late (an import, a late report). `sent` is the publication
time, `onset` the day it happened (00:00 UTC; left out when only the week, month or year is
known). Casualty counts are CAP parameters only when known; an unknown count is said to be
unknown in the description, never written as 0. The area is the
place named, the region and the country, with their ISO 3166 codes, and a circle around the
coordinates when the location is exact (1 km) or near the place named (10 km).
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field
from urllib.parse import urlsplit
from xml.sax.xmlreader import AttributesImpl

from django.conf import settings
from django.db.models import F, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.utils.xmlutils import SimplerXMLGenerator
from django.views.decorators.http import conditional_page

from advisories.feeds import (
    FEED_LENGTH,
    EntryFeed,
    FeedEntry,
    FeedLink,
    advisory_changes,
    advisory_place_name,
    advisory_summary,
    advisory_title,
    country_for_feed,
    midnight_utc,
    public_feed,
    public_url,
    tag_uri,
    xml_text,
)
from advisories.models import Advisory, AdvisoryLevel, Country

from .access import ANONYMOUS
from .casualties import casualty_text
from .models import DatePrecision, Incident, LocationPrecision
from .selectors import incidents_visible_to

CAP_NAMESPACE = "urn:oasis:names:tc:emergency:cap:1.2"
CAP_CONTENT_TYPE = "application/cap+xml; charset=utf-8"
CAP_MEDIA_TYPE = "application/cap+xml"
SENDER_NAME = "Vigil"

# The least severity of an incident that makes an alert: 4, "Severe" on the officers' scale.
SEVERE_INCIDENT = 4
# An incident published later than this after it happened is no longer news to act on.
IMMEDIATE_WITHIN = dt.timedelta(days=7)

ADVISORY_SEVERITY = {4: "Extreme", 3: "Severe", 2: "Moderate", 1: "Minor"}
ADVISORY_URGENCY = {4: "Expected", 3: "Future", 2: "Future", 1: "Future"}
ADVISORY_RESPONSE = {4: "Avoid", 3: "Assess", 2: "Monitor", 1: "None"}
INCIDENT_SEVERITY = {5: "Extreme", 4: "Severe", 3: "Moderate", 2: "Minor", 1: "Minor"}
# Kilometres around the coordinates, by how precisely the place is known; none beyond "near".
CIRCLE_RADIUS_KM = {LocationPrecision.EXACT: 1, LocationPrecision.NEAR: 10}


@dataclass(frozen=True)
class CapAlert:
    """One CAP alert with one info block and one area: what Vigil says, in CAP's terms."""

    identifier: str
    sent: dt.datetime
    msg_type: str
    event: str
    urgency: str
    severity: str
    certainty: str
    headline: str
    description: str
    web: str
    area_desc: str
    response_type: str = ""
    references: str = ""
    effective: dt.datetime | None = None
    onset: dt.datetime | None = None
    instruction: str = ""
    parameters: tuple[tuple[str, str], ...] = ()
    geocodes: tuple[tuple[str, str], ...] = ()
    circles: tuple[str, ...] = field(default_factory=tuple)


def cap_datetime(moment: dt.datetime) -> str:
    """CAP's form: whole seconds and an explicit offset, 2024-11-29T10:00:00+00:00."""
    return moment.astimezone(dt.UTC).replace(microsecond=0).isoformat()


def cap_sender() -> str:
    """The public site's host name: CAP senders have no spaces, commas or reserved characters."""
    return urlsplit(settings.VIGIL_PUBLIC_URL).hostname or "vigil.localhost"


def cap_reference(identifier: str, sent: dt.datetime) -> str:
    """How an Update names the alert it follows: sender,identifier,sent."""
    return f"{cap_sender()},{identifier},{cap_datetime(sent)}"


def cap_language() -> str:
    return get_language() or settings.LANGUAGE_CODE


# Advisories ---------------------------------------------------------------------------------


def _advisory_identifier(advisory_id: int) -> str:
    return f"advisory-{advisory_id}"


@dataclass(frozen=True)
class Replaced:
    """What an advisory's alert says of the advisory it replaced: its level, and how to name its alert."""

    pk: int
    level: int
    indicators: str
    sent: dt.datetime


def replaced_advisory(advisory: Advisory) -> Replaced | None:
    """The advisory this one replaced at the same place, in the order advisory_changes() reads."""
    earlier = Q(issued_on__lt=advisory.issued_on) | Q(issued_on=advisory.issued_on, pk__lt=advisory.pk)
    previous = (
        Advisory.objects.of_place(advisory.country_id, advisory.region_id)
        .filter(earlier)
        .order_by("-issued_on", "-pk")
        .first()
    )
    if previous is None:
        return None
    return Replaced(pk=previous.pk, level=previous.level, indicators=previous.indicators, sent=previous.created_at)


def _replaced_as_annotated(advisory: Advisory) -> Replaced | None:
    """The same, from the annotations of advisory_changes()."""
    previous_id = getattr(advisory, "previous_id", None)
    if previous_id is None:
        return None
    return Replaced(
        pk=previous_id,
        level=advisory.previous_level,  # type: ignore[attr-defined]
        indicators=advisory.previous_indicators,  # type: ignore[attr-defined]
        sent=advisory.previous_created_at,  # type: ignore[attr-defined]
    )


def advisory_alert(advisory: Advisory, replaced: Replaced | None) -> CapAlert:
    level = advisory.level
    # advisory_title() and advisory_summary() read the level replaced as advisory_changes() annotates it.
    advisory.previous_level = replaced.level if replaced else None  # type: ignore[attr-defined]
    advisory.previous_indicators = replaced.indicators if replaced else None  # type: ignore[attr-defined]
    geocodes = [("ISO 3166-1", advisory.country.code)]
    if advisory.region is not None:
        geocodes.append(("ISO 3166-2", advisory.region.code))
    place = advisory.region if advisory.region is not None else advisory.country
    return CapAlert(
        identifier=_advisory_identifier(advisory.pk),
        sent=advisory.created_at,
        msg_type="Update" if replaced is not None else "Alert",
        references=cap_reference(_advisory_identifier(replaced.pk), replaced.sent) if replaced else "",
        event=_("Travel advisory"),
        response_type=ADVISORY_RESPONSE[level],
        urgency=ADVISORY_URGENCY[level],
        severity=ADVISORY_SEVERITY[level],
        certainty="Likely",
        effective=midnight_utc(advisory.issued_on),
        headline=advisory_title(advisory),
        description=advisory_summary(advisory),
        instruction=str(AdvisoryLevel(level).label),
        web=public_url(place.get_absolute_url()),
        area_desc=advisory_place_name(advisory),
        geocodes=tuple(geocodes),
    )


def advisory_alert_url(advisory_id: int) -> str:
    return public_url(reverse("incidents:cap-advisory", kwargs={"pk": advisory_id}))


# Incidents ----------------------------------------------------------------------------------


def _severe_public() -> QuerySet[Incident]:
    """The severe incidents anyone may see: published TLP:CLEAR ones (incidents/access.py), whoever asks."""
    return incidents_visible_to(ANONYMOUS).prefetch_related(None).filter(severity__gte=SEVERE_INCIDENT)


def severe_public_incidents(country: Country | None = None, *, limit: int = FEED_LENGTH) -> list[Incident]:
    """The latest of them, by publication, newest first. One query."""
    incidents = _severe_public()
    if country is not None:
        incidents = incidents.filter(country=country)
    return list(incidents.order_by(F("published_at").desc(nulls_last=True), "-id")[:limit])


def _incident_sent(incident: Incident) -> dt.datetime:
    return incident.published_at or incident.created_at


def _incident_urgency(incident: Incident) -> str:
    late = _incident_sent(incident) - midnight_utc(incident.occurred_on)
    return "Immediate" if late <= IMMEDIATE_WITHIN else "Past"


def _incident_area(incident: Incident) -> str:
    names = [incident.place_name.strip(), incident.region.name if incident.region else "", incident.country.name]
    return ", ".join(name for name in names if name)


def _incident_circles(incident: Incident) -> tuple[str, ...]:
    radius = CIRCLE_RADIUS_KM.get(LocationPrecision(incident.location_precision))
    if radius is None or incident.latitude is None or incident.longitude is None:
        return ()
    return (f"{incident.latitude},{incident.longitude} {radius}",)


def incident_alert(incident: Incident) -> CapAlert:
    casualties = casualty_text(killed=incident.killed, injured=incident.injured, abducted=incident.abducted)
    description = "\n\n".join(part for part in (incident.description.strip(), casualties + ".") if part)
    counts = (("killed", incident.killed), ("injured", incident.injured), ("abducted", incident.abducted))
    geocodes = [("ISO 3166-1", incident.country.code)]
    if incident.region is not None:
        geocodes.append(("ISO 3166-2", incident.region.code))
    return CapAlert(
        identifier=f"incident-{incident.pk}",
        sent=_incident_sent(incident),
        msg_type="Alert",
        event=incident.incident_type.name,
        response_type="Avoid",
        urgency=_incident_urgency(incident),
        severity=INCIDENT_SEVERITY[incident.severity],
        certainty="Observed",
        onset=midnight_utc(incident.occurred_on) if incident.date_precision == DatePrecision.DAY else None,
        headline=_("%(place)s: %(title)s") % {"place": incident.country.name, "title": incident.title},
        description=description,
        web=public_url(incident.get_absolute_url()),
        parameters=(
            ("severity", f"{incident.severity}/5"),
            *((name, str(count)) for name, count in counts if count is not None),
        ),
        area_desc=_incident_area(incident),
        geocodes=tuple(geocodes),
        circles=_incident_circles(incident),
    )


def incident_alert_url(incident_id: int) -> str:
    return public_url(reverse("incidents:cap-incident", kwargs={"pk": incident_id}))


# The CAP document ---------------------------------------------------------------------------


def cap_document(alert: CapAlert) -> bytes:
    """The alert as a CAP 1.2 XML document (valid against the OASIS schema)."""
    out = io.StringIO()
    xml = SimplerXMLGenerator(out, "utf-8", short_empty_elements=True)

    def element(name: str, text: str) -> None:
        xml.addQuickElement(name, xml_text(text))

    def pair(name: str, value_name: str, value: str) -> None:
        xml.startElement(name, AttributesImpl({}))
        element("valueName", value_name)
        element("value", value)
        xml.endElement(name)

    xml.startDocument()
    xml.startElement("alert", AttributesImpl({"xmlns": CAP_NAMESPACE}))
    element("identifier", alert.identifier)
    element("sender", cap_sender())
    element("sent", cap_datetime(alert.sent))
    element("status", "Actual")
    element("msgType", alert.msg_type)
    element("scope", "Public")
    if alert.references:
        element("references", alert.references)
    xml.startElement("info", AttributesImpl({}))
    element("language", cap_language())
    element("category", "Security")
    element("event", alert.event)
    if alert.response_type:
        element("responseType", alert.response_type)
    element("urgency", alert.urgency)
    element("severity", alert.severity)
    element("certainty", alert.certainty)
    if alert.effective is not None:
        element("effective", cap_datetime(alert.effective))
    if alert.onset is not None:
        element("onset", cap_datetime(alert.onset))
    element("senderName", SENDER_NAME)
    element("headline", alert.headline)
    element("description", alert.description)
    if alert.instruction:
        element("instruction", alert.instruction)
    element("web", alert.web)
    for name, value in alert.parameters:
        pair("parameter", name, value)
    xml.startElement("area", AttributesImpl({}))
    element("areaDesc", alert.area_desc)
    for circle in alert.circles:
        element("circle", circle)
    for name, value in alert.geocodes:
        pair("geocode", name, value)
    xml.endElement("area")
    xml.endElement("info")
    xml.endElement("alert")
    xml.endDocument()
    return out.getvalue().encode("utf-8")


def cap_response(alert: CapAlert) -> HttpResponseBase:
    response = HttpResponse(cap_document(alert), content_type=CAP_CONTENT_TYPE)
    return public_feed(response)


@conditional_page
def advisory_cap(request: HttpRequest, pk: int) -> HttpResponseBase:
    advisory = get_object_or_404(Advisory.objects.select_related("country", "region"), pk=pk)
    return cap_response(advisory_alert(advisory, replaced_advisory(advisory)))


@conditional_page
def incident_cap(request: HttpRequest, pk: int) -> HttpResponseBase:
    """A severe incident anyone may see; a 404 for any other, so nothing else is revealed."""
    incident = _severe_public().filter(pk=pk).first()
    if incident is None:
        raise Http404(_("No such alert."))
    return cap_response(incident_alert(incident))


# The Atom index of alerts -------------------------------------------------------------------


def _entry(entry_id: str, alert: CapAlert, document: str) -> FeedEntry:
    return FeedEntry(
        id=entry_id,
        title=xml_text(alert.headline),
        link=alert.web,
        updated=alert.sent.replace(microsecond=0),
        summary=xml_text(alert.description),
        author=SENDER_NAME,
        links=(FeedLink(href=document, rel="alternate", type=CAP_MEDIA_TYPE),),
    )


def latest_alert_entries(country: Country | None = None, *, limit: int = FEED_LENGTH) -> list[FeedEntry]:
    """The latest advisory changes and severe public incidents as index entries, newest first. Two queries."""
    entries = [
        _entry(
            tag_uri("cap-advisory", advisory.pk),
            advisory_alert(advisory, _replaced_as_annotated(advisory)),
            advisory_alert_url(advisory.pk),
        )
        for advisory in advisory_changes(country, limit=limit)
    ]
    entries += [
        _entry(tag_uri("cap-incident", incident.pk), incident_alert(incident), incident_alert_url(incident.pk))
        for incident in severe_public_incidents(country, limit=limit)
    ]
    return sorted(entries, key=lambda entry: (entry.updated, entry.id), reverse=True)[:limit]


class AlertFeed(EntryFeed):
    """The Atom index of CAP alerts: every country's (no country in the address), or one country's."""

    def get_object(self, request: HttpRequest, country_code: str | None = None) -> Country | None:
        return None if country_code is None else country_for_feed(country_code)

    def items(self, obj: Country | None) -> list[FeedEntry]:
        return latest_alert_entries(obj)

    def title(self, obj: Country | None) -> str:
        if obj is None:
            return _("Vigil: CAP alerts")
        return _("Vigil: CAP alerts for %(country)s") % {"country": obj.name}

    def subtitle(self, obj: Country | None) -> str:
        return _("Advisory changes and severe incidents, each as a Common Alerting Protocol 1.2 document.")

    def link(self, obj: Country | None) -> str:
        return public_url(obj.get_absolute_url() if obj is not None else reverse("advisories:home"))

    def feed_url(self, obj: Country | None) -> str:
        if obj is None:
            return public_url(reverse("incidents:cap-feed"))
        return public_url(reverse("incidents:country-cap-feed", kwargs={"country_code": obj.code.lower()}))

    def feed_guid(self, obj: Country | None) -> str:
        return self.feed_url(obj)


@conditional_page
def alert_feed(request: HttpRequest) -> HttpResponseBase:
    return public_feed(AlertFeed()(request))


@conditional_page
def country_alert_feed(request: HttpRequest, country_code: str) -> HttpResponseBase:
    if country_code != country_code.lower():
        return redirect("incidents:country-cap-feed", country_code=country_code.lower(), permanent=True)
    return public_feed(AlertFeed()(request, country_code=country_code))
