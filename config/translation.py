"""Content written by analysts in English and French, read in the reader's language.

English is the canonical field (`summary`); French sits beside it with the `_fr` suffix
(`summary_fr`). Queries, importers, constraints and the API keep using the English field.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _

FRENCH_HELP_TEXT = _("Shown to readers using French; leave blank to show the English with a note.")

# The languages content is written in, each with the suffix of its field.
CONTENT_LANGUAGES: dict[str, str] = {"en": "", "fr": "_fr"}


def language_field(**kwargs: Any) -> models.CharField:
    """The language a person reads e-mail in: one of settings.LANGUAGES."""
    options: dict[str, Any] = {
        "max_length": 8,
        "choices": settings.LANGUAGES,
        "default": settings.LANGUAGE_CODE,
        "help_text": _("The language of the e-mails sent."),
    }
    return models.CharField(_("language"), **(options | kwargs))


def supported_language(code: str | None) -> str | None:
    """`code` as one of settings.LANGUAGES ("fr-FR" -> "fr"), or None when Vigil has no such language."""
    if not code:
        return None
    base = code.split("-")[0].lower()
    return base if base in dict(settings.LANGUAGES) else None


@dataclass(frozen=True)
class Localized:
    text: str
    language: str
    is_fallback: bool

    def __str__(self) -> str:
        return self.text

    def __bool__(self) -> bool:
        return bool(self.text)


def content_language(language: str | None = None) -> str:
    """The content language closest to `language` (default: the active one); English otherwise."""
    code = (language or translation.get_language() or "en").split("-")[0].lower()
    return code if code in CONTENT_LANGUAGES else "en"


def localized(obj: Any, field: str, language: str | None = None) -> Localized:
    """The text of `obj.<field>` in the reader's language, or in the other language when missing."""
    wanted = content_language(language)
    text = _field_text(obj, field, wanted)
    if text:
        return Localized(text, wanted, is_fallback=False)
    for other in CONTENT_LANGUAGES:
        if other != wanted:
            text = _field_text(obj, field, other)
            if text:
                return Localized(text, other, is_fallback=True)
    return Localized("", wanted, is_fallback=False)


def _field_text(obj: Any, field: str, language: str) -> str:
    value = getattr(obj, field + CONTENT_LANGUAGES[language], "")
    return str(value).strip() if value else ""
