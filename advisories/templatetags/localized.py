"""Template tags that show analysts' content in the reader's language (config/translation.py).

Tag libraries are global, so incidents and alerts templates load this one too:

- `{% localized obj "summary" %}`: the text; when it falls back to the other language, wrapped
  in `<span lang="..">` and followed by a short visible note, so the page is never empty and
  screen readers pronounce it right.
- `{% localized page.lead %}`: the same for a `Localized` a selector made.
- `{% localized_linebreaks obj "body" %}`: the same for multi-paragraph text (|linebreaks).
- `{{ obj|localized_text:"summary" }}`: plain text with the note in brackets, for e-mails and feeds.
- `{% localized_value obj "summary" as summary %}`: the `Localized` itself, e.g. for `{% if %}`.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.template.defaultfilters import linebreaks_filter
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import get_language_info
from django.utils.translation import gettext as _

from config.translation import Localized, content_language, localized

register = template.Library()


def untranslated_note(language: str | None = None) -> str:
    """'Not yet translated into français.' in the reader's language, naming the missing language."""
    wanted = content_language(language)
    return _("Not yet translated into %(language)s.") % {"language": get_language_info(wanted)["name_local"]}


@register.simple_tag
def localized_value(obj: Any, field: str) -> Localized:
    return localized(obj, field)


@register.simple_tag(name="localized")
def localized_tag(obj: Any, field: str | None = None) -> SafeString:
    """`{% localized obj "summary" %}`, or `{% localized value %}` for a `Localized` made elsewhere."""
    value = obj if isinstance(obj, Localized) else localized(obj, field or "")
    if not value.is_fallback:
        return format_html("{}", value.text)
    return format_html(
        '<span lang="{}">{}</span> <span class="untranslated">({})</span>',
        value.language,
        value.text,
        untranslated_note(),
    )


@register.simple_tag
def localized_linebreaks(obj: Any, field: str) -> SafeString:
    value = localized(obj, field)
    paragraphs = linebreaks_filter(value.text, autoescape=True)
    if not value.is_fallback:
        return paragraphs
    return format_html(
        '<div lang="{}">{}</div><p class="untranslated">({})</p>', value.language, paragraphs, untranslated_note()
    )


@register.filter
def localized_text(obj: Any, field: str) -> str:
    value = localized(obj, field)
    if not value.is_fallback:
        return value.text
    return f"{value.text} ({untranslated_note()})"


@register.simple_tag(name="untranslated_note")
def untranslated_note_tag() -> str:
    """The note alone, for templates that shorten the text themselves (e-mails)."""
    return untranslated_note()
