"""Casualty counts in words, where a count that is not known (None) is said to be so, never 0."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import ngettext


def casualty_text(*, killed: int | None, injured: int | None, abducted: int | None) -> str:
    """For example "70 killed, 3 injured, 0 abducted", "70 killed; injured and abducted not known",
    "Killed, injured and abducted: not known"."""
    # Plural forms, as in French: "1 tué", "70 tués".
    counts = [
        (killed, ngettext("%(count)s killed", "%(count)s killed", killed or 0), _("killed")),
        (injured, ngettext("%(count)s injured", "%(count)s injured", injured or 0), _("injured")),
        (abducted, ngettext("%(count)s abducted", "%(count)s abducted", abducted or 0), _("abducted")),
    ]
    known = ", ".join(phrase % {"count": count} for count, phrase, _word in counts if count is not None)
    unknown = [word for count, _phrase, word in counts if count is None]
    if not unknown:
        return known
    names = unknown[-1]
    if len(unknown) > 1:
        names = _("%(first)s and %(last)s") % {"first": ", ".join(unknown[:-1]), "last": names}
    if not known:
        return _("%(names)s: not known") % {"names": names[:1].upper() + names[1:]}
    return _("%(known)s; %(names)s not known") % {"known": known, "names": names}
