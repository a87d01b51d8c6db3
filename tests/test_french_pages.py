"""Every page a person sees and every e-mail Vigil sends, rendered in English and in French: no
English sentence is left in the French. What reads the same in both is data (names, numbers,
dates, codes, what people wrote), or one of the few words French and English share.

A French text is "left in English" when the same text is in the English rendering and is not
data. Texts shown in their own language (inside an element whose `lang` is not the page's: an
analyst's English summary not yet translated), and code (`<code>`, `<kbd>`, `<pre>`, `<samp>`,
`translate="no"`), are not compared. And what analysts wrote in both languages (summary and
summary_fr...) must show its French: its English in a French rendering is a leftover wherever it
is, even inside a longer sentence.

The French catalogue comes with its own change (locale/fr/LC_MESSAGES); without it, these fail.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import zoneinfo
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from lxml import html as lxml_html  # type: ignore[import-untyped]

from advisories.models import City, ContactPoint, Country, Region, SecurityReportRevision, Source, ThreatCategory
from alerts.emails import confirmation_message, delivery_message
from alerts.models import Delivery, DeliveryStatus, ImmediateAlert, Subscription
from alerts.tokens import confirmation_token, unsubscribe_token
from incidents.models import (
    Actor,
    Incident,
    IncidentActor,
    IncidentType,
    Organisation,
    ReviewStatus,
    SharingLevel,
    TargetType,
)
from tests.alerts.factories import DeliveryFactory, DigestRunFactory, a_day_of_deliveries, a_subscription
from tests.alerts.makers import subscribe
from tests.factories import (
    ActorFactory,
    AdvisoryFactory,
    CityFactory,
    ContactPointFactory,
    IncidentFactory,
    ReportSectionFactory,
    SecurityReportFactory,
    SecurityReportRevisionFactory,
    SourceFactory,
    ThreatRatingFactory,
    make_cast,
)

pytestmark = pytest.mark.django_db

# Words written the same in French and English, that a French page shows as the English one
# does. Kept to those the pages use; each is a word of both languages, or a name.
SAME_IN_BOTH = {
    "vigil",  # the service's name
    "incident",
    "incidents",
    "date",
    "type",
    "description",
    "sources",
    "contacts",
    "police",
    "latitude",
    "longitude",
    "europe",
    "e-mail",  # French says "un e-mail" too (Vigil's French glossary)
    "e-mails",
}

# Names of standards that French writes in English.
SAME_PHRASES = {"traffic light protocol"}

# Separators between the pieces of a text that may each be data: "Mopti (Mali)", "TLP:CLEAR",
# "officer_a · Sahel Relief", "17/09/2024", "Mali - Bamako"; not the hyphen inside a word (e-mail).
# (\u2013 and \u2014 are the en and em dashes, \u201c and \u201d curly quotes.)
SEPARATORS = re.compile(r"[,·:;()\[\]\u2013\u2014/|•*=+#>«»\"\u201c\u201d]|(?<!\w)-|-(?!\w)")
# Whole tokens that are codes however they are spelled: addresses, links, file names.
CODE_TOKENS = re.compile(
    r"\S+@\S+|https?://\S+|\S*\.(?:csv|atom|xml|json|svg|png|txt|html)\b|/\S*|\S+_\S+"
    r"|\b(?=[a-z0-9-]*\d)[a-z0-9]+(?:-[a-z0-9]+)+\b",  # slugs with a number (source-3); not "e-mail"
)
WORD_EDGES = " .!?'\u2019\u2026\u00a0"  # the typographic apostrophe, the ellipsis, a no-break space


def normalized(text: str) -> str:
    return " ".join(text.split())


def _is_code_or_name(word: str) -> bool:
    """ML, TLP, CLEAR, ISO codes, UTC, CTK, the index letters of a list (B, C...); and names
    capitalized inside (geoBoundaries, OpenStreetMap, GeoJSON)."""
    letters = [c for c in word if c.isalpha()]
    return not letters or all(c.isupper() for c in letters) or any(c.isupper() for c in letters[1:])


@dataclass
class Data:
    """What reads the same in both languages because it is not Vigil's own text."""

    phrases: set[str]
    words: set[str]

    def is_data(self, text: str) -> bool:
        text = normalized(text)
        if text.lower() in self.phrases:
            return True
        text = CODE_TOKENS.sub(" ", text)
        return all(self._fragment_is_data(fragment) for fragment in SEPARATORS.split(text))

    def _fragment_is_data(self, fragment: str) -> bool:
        fragment = normalized(fragment).strip(WORD_EDGES)
        if not fragment or not any(c.isalpha() for c in fragment):
            return True
        if fragment.lower() in self.phrases or fragment.lower() in SAME_PHRASES:
            return True
        words = [word.strip(WORD_EDGES) for word in fragment.split()]
        return all(
            not word or _is_code_or_name(word) or word.lower() in self.words or word.lower() in SAME_IN_BOTH
            for word in words
        )


def data_of_the_database() -> Data:
    """Names and what people wrote, as the database of the test holds them. Fields with a French
    twin (summary_fr, name_fr...) are not data: the French page must show the French."""
    names: list[str] = []
    names += Country.objects.values_list("name", flat=True)
    names += Region.objects.values_list("name", flat=True)
    names += City.objects.values_list("name", flat=True)
    names += Organisation.objects.values_list("name", flat=True)
    names += Actor.objects.values_list("name", flat=True)
    names += Source.objects.values_list("publisher", flat=True)
    names += get_user_model().objects.values_list("username", flat=True)
    written: list[str] = []
    written += Source.objects.values_list("title", flat=True)
    written += Source.objects.values_list("notes", flat=True)
    for incident in Incident.objects.values_list("title", "description", "sources", "retraction_reason"):
        written += incident
    for contact in ContactPoint.objects.values_list("address", "languages"):
        written += contact
    for phones in ContactPoint.objects.values_list("phones", flat=True):
        written += phones or []
    written += Subscription.objects.exclude(name="").values_list("name", flat=True)
    written += Delivery.objects.values_list("subject", flat=True)
    written += Delivery.objects.values_list("last_error", flat=True)
    written += SecurityReportRevision.objects.values_list("what_changed", flat=True)
    # What analysts wrote the same in French ("Cyber"): the French, as written.
    written += [fr for en, fr in written_in_both_languages() if en == fr]
    names += time_zone_places()
    phrases = {normalized(text).lower() for text in [*names, *written] if text}
    # Each word of a proper name, capitalized as names are ("Sahel", "Mopti"; not "of").
    words = {word.lower() for name in names for word in re.split(r"[\s\-']+", name) if word[:1].isupper()}
    words |= {word.lower() for name in names for word in name.split() if word[:1].isupper()}  # Port-au-Prince
    return Data(phrases=phrases, words=words)


@functools.cache
def time_zone_places() -> list[str]:
    """Time zones are named after places of the tz database: Ouagadougou, London, Port-au-Prince."""
    return sorted({zone.rpartition("/")[2].replace("_", " ") for zone in zoneinfo.available_timezones()})


def written_in_both_languages() -> list[tuple[str, str]]:
    """(English, French) of every text analysts wrote in both languages: every field with a French
    twin (summary and summary_fr, name and name_fr...) where the French is written."""
    pairs: list[tuple[str, str]] = []
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            english = field.name.removesuffix("_fr")
            if english != field.name and hasattr(model, english):
                rows = model._default_manager.exclude(**{field.name: ""}).values_list(english, field.name)
                pairs += [(normalized(en), normalized(fr)) for en, fr in rows if en]
    return pairs


# Reading a rendering ------------------------------------------------------------------------

SKIPPED_ELEMENTS = {"script", "style", "template", "code", "kbd", "pre", "samp"}
READ_ATTRIBUTES = ("title", "alt", "aria-label", "placeholder")


def html_texts(html: str) -> tuple[str, list[str]]:
    """The page's language and the texts a person reads in it, in its language."""
    root = lxml_html.document_fromstring(html)
    language = root.get("lang", "")
    texts: list[str] = []

    def own(element: Any) -> bool:
        return not (
            element.tag in SKIPPED_ELEMENTS
            or element.get("translate") == "no"
            or (element.get("lang") is not None and element.get("lang") != language)
        )

    def walk(element: Any) -> None:
        if not isinstance(element.tag, str):  # comments, processing instructions
            return
        if not own(element):
            return
        if element.text:
            texts.append(element.text)
        texts.extend(element.get(name, "") for name in READ_ATTRIBUTES)
        if element.tag == "optgroup":
            texts.append(element.get("label", ""))
        if element.tag == "input" and element.get("type") in ("submit", "button", "reset"):
            texts.append(element.get("value", ""))
        for child in element:
            walk(child)
            if child.tail:
                texts.append(child.tail)

    walk(root)
    return language, [text for text in map(normalized, texts) if text]


def text_lines(text: str) -> list[str]:
    return [line for line in map(normalized, text.splitlines()) if line]


def left_in_english(english: Iterable[str], french: Iterable[str], data: Data) -> list[str]:
    """The French texts that are also in the English rendering and are not data."""
    seen = set(english)
    leftovers: list[str] = []
    for text in french:
        if text in seen and not data.is_data(text) and text not in leftovers:
            leftovers.append(text)
    return leftovers


def html_leftovers(english_html: str, french_html: str, data: Data) -> list[str]:
    _, english = html_texts(english_html)
    _, french = html_texts(french_html)
    return left_in_english(english, french, data)


def english_with_a_french_twin() -> list[str]:
    """What analysts wrote in English and, differently, in French: a French rendering shows the
    French, so the English may only appear marked as English (lang="en"), which is not compared."""
    return sorted({en for en, fr in written_in_both_languages() if en != fr})


def english_twins_shown(french: Iterable[str], twins: Iterable[str]) -> list[str]:
    """The English twins found in the French texts: a text of several words even as part of a
    longer text, a single word ("Crime") only as a whole piece of text, since one word may be part
    of a name ("Global Initiative Against Transnational Organized Crime") or of a title."""
    french = list(french)
    shown = " \u2029 ".join(french)
    pieces = {normalized(piece).strip(WORD_EDGES) for text in french for piece in SEPARATORS.split(text)}
    found = []
    for text in twins:
        if " " in text:
            if re.search(rf"(?<!\w){re.escape(text)}(?!\w)", shown):
                found.append(text)
        elif text in pieces:
            found.append(text)
    return found


def assert_nothing_left(what: str, leftovers: list[str]) -> None:
    assert not leftovers, f"{what}: {len(leftovers)} text(s) left in English in the French rendering:\n" + "\n".join(
        f"  {text!r}" for text in leftovers
    )


# The comparison itself can fail -----------------------------------------------------------

ENGLISH_PAGE = """<html lang="en"><head><title>Incidents · Vigil</title></head><body>
<h1>Mali</h1><p>Reported by <b>officer_a</b> on 17/09/2024.</p>
<input type="submit" value="Save"><a href="/" title="Back to the map">Map</a>
<p lang="fr">Une phrase française.</p><code>make messages</code>
<p>The roads are closed at night.</p></body></html>"""


def test_an_english_sentence_left_on_a_french_page_is_caught():
    french = """<html lang="fr"><head><title>Incidents · Vigil</title></head><body>
    <h1>Mali</h1><p>Signalé par <b>officer_a</b> le 17/09/2024.</p>
    <input type="submit" value="Save"><a href="/" title="Back to the map">Carte</a>
    <p>The roads are closed at night.</p></body></html>"""
    data = Data(phrases={"officer_a"}, words={"mali"})

    leftovers = html_leftovers(ENGLISH_PAGE, french, data)

    assert leftovers == ["Save", "Back to the map", "The roads are closed at night."]


def test_names_numbers_codes_and_text_in_its_own_language_are_not_leftovers():
    french = """<html lang="fr"><head><title>Incidents · Vigil</title></head><body>
    <h1>Mali</h1><p>Signalé par <b>officer_a</b> le 17/09/2024.</p>
    <input type="submit" value="Enregistrer"><a href="/" title="Retour à la carte">Carte</a>
    <p lang="en">The roads are closed at night.</p><code>make messages</code></body></html>"""
    data = Data(phrases={"officer_a"}, words={"mali"})

    assert html_leftovers(ENGLISH_PAGE, french, data) == []


def test_the_data_rule_knows_codes_names_and_numbers_from_english():
    data = Data(phrases={"armed men stopped vehicles.", "port-au-prince"}, words={"mopti", "sahel", "relief"})

    for text in ("TLP:CLEAR", "ML-5", "Mopti (ML)", "Sahel Relief", "desk@sahel.example", "2024-09-17 · 3", "B"):
        assert data.is_data(text), text
    assert data.is_data("Armed men stopped vehicles.")
    assert data.is_data("3 e-mails") and data.is_data("Port-au-Prince (UTC-5)")
    for text in ("Sign in", "Mopti: no incident", "Relief of the north", "17 Sep 2024", "sign-in page"):
        assert not data.is_data(text), text


def test_an_analysts_english_shown_where_the_french_is_written_is_caught():
    twins = ["Mali security report", "Crime"]

    assert english_twins_shown(["Mali security report, révision 2, publiée le 3 mai 2024."], twins) == [
        "Mali security report"
    ]
    assert english_twins_shown(["Criminalité", "Crime"], twins) == ["Crime"]
    assert english_twins_shown(["Global Initiative Against Transnational Organized Crime"], twins) == []


# The world the pages show -----------------------------------------------------------------


def make_world() -> SimpleNamespace:
    """Mali with an advisory, ratings, contacts and a security report (each with its French),
    organisations with members, published and waiting incidents, and subscriptions."""
    cast = make_cast()
    mali = Country.objects.get(code="ML")
    mopti = Region.objects.get(code="ML-5")
    source = SourceFactory.create(title="Mali Travel Advisory", publisher="U.S. Department of State")
    AdvisoryFactory.create(
        country=mali,
        level=4,
        indicators="CTK",
        summary="Do not travel to Mali due to crime, terrorism and kidnapping.",
        summary_fr="Ne vous rendez pas au Mali en raison de la criminalité, du terrorisme et des enlèvements.",
        source=source,
    )
    AdvisoryFactory.create(
        country=mali,
        region=mopti,
        level=4,
        indicators="T",
        summary="Armed groups attack convoys on the roads of Mopti.",
        summary_fr="Des groupes armés attaquent les convois sur les routes de Mopti.",
        source=source,
    )
    city = CityFactory.create(country=mali, name="Sévaré")
    category = ThreatCategory.objects.order_by("position").first()
    ThreatRatingFactory.create(
        country=mali, category=category, source=source, note="Frequent attacks.", note_fr="Attaques fréquentes."
    )
    ThreatRatingFactory.create(country=mali, region=mopti, city=city, category=category, source=source)
    ContactPointFactory.create(
        country=mali,
        name="Police post of Bamako",
        name_fr="Commissariat de Bamako",
        address="Avenue de l'Indépendance, Bamako",
        hours="Open day and night",
        hours_fr="Ouvert jour et nuit",
        notes="Ask for the duty officer.",
        notes_fr="Demandez l'officier de permanence.",
        languages="French, Bambara",
        source=source,
    )
    report = SecurityReportFactory.create(country=mali, title="Mali security report", title_fr="Rapport de sécurité")
    revision = SecurityReportRevisionFactory.create(report=report, what_changed="First edition.")
    ReportSectionFactory.create(
        revision=revision,
        heading="Crime",
        heading_fr="Criminalité",
        body="Robberies are common at night.",
        body_fr="Les vols sont fréquents la nuit.",
    )
    published = IncidentFactory.create(
        title="Roadblock near Sévaré",
        description="Armed men stopped vehicles and took phones and cash.",
        sources="Local radio report",
        region=mopti,
        organisation=cast.org_a,
        reporter=cast.officer_a,
        killed=1,
        injured=None,
        status=ReviewStatus.PUBLISHED,
        published_at=timezone.now(),
    )
    IncidentActor.objects.create(incident=published, actor=ActorFactory.create(name="JNIM"))
    published.target_types.set(TargetType.objects.order_by("position")[:2])
    waiting = IncidentFactory.create(
        title="Theft at the Mopti market",
        region=mopti,
        organisation=cast.org_a,
        reporter=cast.officer_a,
        sharing_level=SharingLevel.GREEN,
        status=ReviewStatus.SUBMITTED,
    )
    subscription = a_subscription(cast, categories=list(ThreatCategory.objects.filter(slug__in=["terrorism", "crime"])))
    a_day_of_deliveries(subscription)
    traveler = subscribe(email="traveler@example.net", confirmed_at=None, regions=["ML-5"], categories=["terrorism"])
    confirmed = subscribe(email="confirmed@example.net")
    return SimpleNamespace(
        cast=cast,
        mali=mali,
        mopti=mopti,
        published=published,
        waiting=waiting,
        subscription=subscription,
        traveler=traveler,
        confirmed=confirmed,
    )


# Every page a person sees ------------------------------------------------------------------


@dataclass(frozen=True)
class Page:
    """A page: who looks at it (an attribute of the cast, or nobody), and how it is asked for."""

    name: str
    user: str | None
    ask: Callable[[Client, SimpleNamespace], Any]


def get(path: Callable[[SimpleNamespace], str]) -> Callable[[Client, SimpleNamespace], Any]:
    return lambda client, world: client.get(path(world))


def _reset_confirm(client: Client, world: SimpleNamespace) -> Any:
    user = world.cast.officer_a
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    link = reverse("password_reset_confirm", kwargs={"uidb64": uid, "token": default_token_generator.make_token(user)})
    return client.get(link, follow=True)


def _confirm_post(client: Client, world: SimpleNamespace) -> Any:
    fresh = subscribe(email=f"new-{Subscription.objects.count()}@example.net", confirmed_at=None)
    token = confirmation_token(subscription_id=fresh.pk, email=fresh.email)
    return client.post(reverse("alerts:confirm", kwargs={"token": token}))


def _unsubscribe_post(client: Client, world: SimpleNamespace) -> Any:
    fresh = subscribe(email=f"leaving-{Subscription.objects.count()}@example.net")
    token = unsubscribe_token(subscription_id=fresh.pk, email=fresh.email)
    return client.post(reverse("alerts:unsubscribe", kwargs={"token": token}))


def _with_errors(path: str) -> Callable[[Client, SimpleNamespace], Any]:
    return lambda client, world: client.post(path, {})


def _sign_in_refused(client: Client, world: SimpleNamespace) -> Any:
    return client.post(reverse("login"), {"username": "officer_a", "password": "not the password"})


PAGES = [
    Page("home", None, get(lambda w: reverse("advisories:home"))),
    Page("country", None, get(lambda w: reverse("advisories:country", args=["ml"]))),
    Page("region", None, get(lambda w: reverse("advisories:region", args=["ml", "ml-5"]))),
    Page("incident list", "analyst", get(lambda w: reverse("incidents:list"))),
    Page("incident list, anonymous", None, get(lambda w: reverse("incidents:list"))),
    Page("country incidents", None, get(lambda w: reverse("incidents:country", args=["ml"]))),
    Page("region incidents", None, get(lambda w: reverse("incidents:region", args=["ml", "ml-5"]))),
    Page("incident", "officer_a", get(lambda w: reverse("incidents:detail", args=[w.published.pk]))),
    Page("incident waiting", "analyst", get(lambda w: reverse("incidents:detail", args=[w.waiting.pk]))),
    Page("new incident", "officer_a", get(lambda w: reverse("incidents:create"))),
    Page("new incident with errors", "officer_a", _with_errors(reverse("incidents:create"))),
    Page("edit incident", "officer_a", get(lambda w: reverse("incidents:edit", args=[w.waiting.pk]))),
    Page("my organisation's incidents", "officer_a", get(lambda w: reverse("incidents:organisation"))),
    Page("review queue", "analyst", get(lambda w: reverse("incidents:review"))),
    Page("api token", "officer_a", get(lambda w: reverse("incidents:api-token"))),
    Page("alerts", "manager_a", get(lambda w: reverse("alerts:list"))),
    Page("alerts, not a manager", "reader_a", get(lambda w: reverse("alerts:list"))),
    Page("new alert", "manager_a", get(lambda w: reverse("alerts:create"))),
    Page("new alert with errors", "manager_a", _with_errors(reverse("alerts:create"))),
    Page("edit alert", "manager_a", get(lambda w: reverse("alerts:edit", args=[w.subscription.pk]))),
    Page("end alert", "manager_a", get(lambda w: reverse("alerts:end", args=[w.subscription.pk]))),
    Page("deliveries", "manager_a", get(lambda w: reverse("alerts:deliveries"))),
    Page("subscribe", None, get(lambda w: reverse("alerts:subscribe") + "?country=ml")),
    Page("subscribe with errors", None, _with_errors(reverse("alerts:subscribe"))),
    Page("subscribe sent", None, get(lambda w: reverse("alerts:subscribe_sent"))),
    Page(
        "confirm",
        None,
        get(
            lambda w: reverse(
                "alerts:confirm",
                kwargs={"token": confirmation_token(subscription_id=w.traveler.pk, email=w.traveler.email)},
            )
        ),
    ),
    Page("confirmed", None, _confirm_post),
    Page("confirm, bad link", None, get(lambda w: reverse("alerts:confirm", kwargs={"token": "nonsense"}))),
    Page(
        "unsubscribe",
        None,
        get(
            lambda w: reverse(
                "alerts:unsubscribe",
                kwargs={"token": unsubscribe_token(subscription_id=w.confirmed.pk, email=w.confirmed.email)},
            )
        ),
    ),
    Page("unsubscribed", None, _unsubscribe_post),
    Page("unsubscribe, bad link", None, get(lambda w: reverse("alerts:unsubscribe", kwargs={"token": "nonsense"}))),
    Page("sign in", None, get(lambda w: reverse("login"))),
    Page("sign in refused", None, _sign_in_refused),
    Page("password reset", None, get(lambda w: reverse("password_reset"))),
    Page("password reset sent", None, get(lambda w: reverse("password_reset_done"))),
    Page("password reset link", None, _reset_confirm),
    Page(
        "password reset, used link",
        None,
        get(lambda w: reverse("password_reset_confirm", kwargs={"uidb64": "MQ", "token": "used-token"})),
    ),
    Page("password reset complete", None, get(lambda w: reverse("password_reset_complete"))),
    Page("password change", "officer_a", get(lambda w: reverse("password_change"))),
    Page("password changed", "officer_a", get(lambda w: reverse("password_change_done"))),
    Page("not found", None, get(lambda w: "/no-such-page/")),
]


def render_page(page: Page, world: SimpleNamespace, language: str) -> str:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    if page.user is not None:
        client.force_login(getattr(world.cast, page.user))
    response = page.ask(client, world)
    assert response.status_code in (200, 400, 403, 404), (page.name, response.status_code)
    assert "text/html" in response["Content-Type"], page.name
    return response.content.decode()


@pytest.mark.parametrize("page", PAGES, ids=[page.name for page in PAGES])
def test_the_page_has_no_english_left_in_french(page):
    world = make_world()

    english = render_page(page, world, "en")
    french = render_page(page, world, "fr")

    french_language, french_texts = html_texts(french)
    _, english_texts = html_texts(english)
    assert french_language == "fr", f"{page.name}: <html lang={french_language!r}>"
    leftovers = left_in_english(english_texts, french_texts, data_of_the_database())
    leftovers += english_twins_shown(french_texts, english_with_a_french_twin())
    assert_nothing_left(page.name, leftovers)


# Every e-mail ----------------------------------------------------------------------------


def _in_language(make: Callable[[], EmailMultiAlternatives], language: str) -> EmailMultiAlternatives:
    with translation.override(language):
        return make()


def _set_language(subscription: Subscription, language: str) -> None:
    # Where a subscription chooses the language of its e-mails, it chooses this one.
    if hasattr(subscription, "language"):
        type(subscription).objects.filter(pk=subscription.pk).update(language=language)
        subscription.language = language


def _digest(world: SimpleNamespace) -> Delivery:
    now = timezone.now()
    mali = world.mali
    AdvisoryFactory.create(
        country=mali,
        level=3,
        indicators="CT",
        is_current=False,
        summary="Reconsider travel to Mali.",
        summary_fr="Reconsidérez votre voyage au Mali.",
    )
    IncidentFactory.create(title="Kidnapping in Gao", incident_type=IncidentType.objects.get(slug="kidnapping"))
    subscription = subscribe(email="digest@example.net", frequency="daily", regions=["ML-5"])
    run = DigestRunFactory.create(window_end=now + dt.timedelta(hours=1))
    return DeliveryFactory.create(
        subscription=subscription,
        email="digest@example.net",
        run=run,
        window_start=now - dt.timedelta(days=1),
        status=DeliveryStatus.PENDING,
    )


def _incident_alert(world: SimpleNamespace) -> Delivery:
    subscription = subscribe(email="immediate@example.net")
    alert = ImmediateAlert.objects.create(kind=ImmediateAlert.Kind.INCIDENT, incident=world.published)
    return DeliveryFactory.create(
        subscription=subscription, email="immediate@example.net", run=None, alert=alert, status=DeliveryStatus.PENDING
    )


def _organisation_incident_alert(world: SimpleNamespace) -> Delivery:
    alert = ImmediateAlert.objects.create(kind=ImmediateAlert.Kind.INCIDENT, incident=world.published)
    return DeliveryFactory.create(
        subscription=world.subscription,
        email="desk@sahel.example",
        run=None,
        alert=alert,
        status=DeliveryStatus.PENDING,
    )


def _advisory_alert(world: SimpleNamespace) -> Delivery:
    subscription = subscribe(email="advisories@example.net")
    advisory = AdvisoryFactory.create(
        country=world.mali,
        level=4,
        indicators="CTKU",
        is_current=False,
        summary="Do not travel to Mali: unrest, crime, terrorism and kidnapping.",
        summary_fr="Ne vous rendez pas au Mali : troubles, criminalité, terrorisme et enlèvements.",
    )
    alert = ImmediateAlert.objects.create(kind=ImmediateAlert.Kind.ADVISORY, advisory=advisory)
    return DeliveryFactory.create(
        subscription=subscription, email="advisories@example.net", run=None, alert=alert, status=DeliveryStatus.PENDING
    )


def _delivered(make: Callable[[SimpleNamespace], Delivery]) -> Callable[[SimpleNamespace], Callable[[str], Any]]:
    def prepare(world: SimpleNamespace) -> Callable[[str], EmailMultiAlternatives]:
        delivery = make(world)

        def build(language: str) -> EmailMultiAlternatives:
            _set_language(delivery.subscription, language)
            return _in_language(lambda: delivery_message(delivery), language)

        return build

    return prepare


def _confirmation(world: SimpleNamespace) -> Callable[[str], EmailMultiAlternatives]:
    subscription = subscribe(email="confirm@example.net", confirmed_at=None, regions=["ML-5"], categories=["terrorism"])

    def build(language: str) -> EmailMultiAlternatives:
        _set_language(subscription, language)
        return _in_language(lambda: confirmation_message(subscription), language)

    return build


def _password_reset(world: SimpleNamespace) -> Callable[[str], EmailMultiAlternatives]:
    def build(language: str) -> EmailMultiAlternatives:
        mail.outbox = []
        Client(HTTP_ACCEPT_LANGUAGE=language).post(reverse("password_reset"), {"email": world.cast.officer_a.email})
        [message] = mail.outbox
        assert isinstance(message, EmailMultiAlternatives)  # as PasswordResetForm sends it
        return message

    return build


EMAILS = {
    "digest": _delivered(_digest),
    "incident alert": _delivered(_incident_alert),
    "incident alert to an organisation": _delivered(_organisation_incident_alert),
    "advisory change": _delivered(_advisory_alert),
    "confirmation": _confirmation,
    "password reset": _password_reset,
}


@pytest.mark.parametrize("name", EMAILS)
def test_the_e_mail_has_no_english_left_in_french(name):
    world = make_world()

    build = EMAILS[name](world)
    english, french = build("en"), build("fr")

    data, twins = data_of_the_database(), english_with_a_french_twin()
    english_lines, french_lines = text_lines(english.body), text_lines(french.body)
    leftovers = [f"subject: {text}" for text in left_in_english([english.subject], [french.subject], data)]
    leftovers += [f"subject: {text}" for text in english_twins_shown([french.subject], twins)]
    leftovers += [f"text: {text}" for text in left_in_english(english_lines, french_lines, data)]
    leftovers += [f"text: {text}" for text in english_twins_shown(french_lines, twins)]
    if french.alternatives:  # the HTML part
        _, english_texts = html_texts(str(english.alternatives[0][0]))
        french_language, french_texts = html_texts(str(french.alternatives[0][0]))
        assert french_language == "fr", f"{name}: <html lang={french_language!r}>"
        leftovers += [f"html: {text}" for text in left_in_english(english_texts, french_texts, data)]
        leftovers += [f"html: {text}" for text in english_twins_shown(french_texts, twins)]
    assert_nothing_left(name, leftovers)
