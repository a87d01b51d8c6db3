"""E-mails that many recipients read alike, built and encoded once for all of them.

Django builds and encodes a message's MIME tree anew each time it is sent: for a digest read by
ten thousand travelers, ten thousand times the same work for messages that differ only by the
address, the Message-ID and the unsubscribe link. `Prepared` is one such message built and
encoded by Django once, with stand-ins where those go. Each recipient's `PreparedEmail` is an
ordinary EmailMultiAlternatives (its subject, bodies and headers are the recipient's own, so
every mail backend and every test sees what it always saw) whose `message().as_bytes()` is that
encoding with the recipient's values in place of the stand-ins: byte for byte what Django would
have built, but for the random MIME boundary.

Values are put in only where that certainly gives Django's bytes; otherwise the message is built
as usual:
- if Django encoded a part (quoted-printable for a line over 998 bytes, base64), a stand-in may
  be cut in two: no e-mail of that rendering is prepared;
- a value that is not printable ASCII without spaces (an address Django would RFC 2047-encode),
  that makes a body line longer than 998 bytes, or that would bring the MIME boundary into the
  text, is not put in: that recipient's message is built as usual.
Headers that hold a stand-in, and the Date, are folded again for each recipient by the policy
Django's generator folds them with.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from email.utils import formatdate
from functools import cached_property
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.core.mail.message import RFC5322_EMAIL_LINE_LENGTH_LIMIT, SafeMIMEMultipart

# What may be put in without Django writing it any differently: printable ASCII, no space.
_PLAIN = re.compile(r"[!-~]+")
# How Django writes a part's text when it has not encoded it.
_UNENCODED = {"7bit", "8bit"}


class _Encoding:
    """The prepared message written with one line separator: its header lines (a stand-in's, and
    the Date, to be folded for each recipient) and its body cut at the stand-ins."""

    def __init__(self, message: SafeMIMEMultipart, stand_ins: Collection[str], linesep: str) -> None:
        whole = message.as_bytes(linesep=linesep)
        self.policy = message.policy.clone(linesep=linesep)
        self.linesep = linesep.encode()
        self.headers: list[bytes | tuple[str, str]] = []
        head = []
        for name, value in message.raw_items():
            folded = self.policy.fold_binary(name, value)
            head.append(folded)
            recipients_own = name.lower() == "date" or any(stand_in in value for stand_in in stand_ins)
            self.headers.append((name, value) if recipients_own else folded)
        head.append(self.linesep)
        header_bytes = b"".join(head)
        # The generator writes the headers as folded above; anything else and nothing is prepared.
        self.usable = whole.startswith(header_bytes)
        body = whole[len(header_bytes) :]
        pattern = re.compile(b"(" + b"|".join(re.escape(stand_in.encode()) for stand_in in stand_ins) + b")")
        # Even places: the message's own bytes; odd places: a stand-in, to be replaced.
        self.body = pattern.split(body)
        self.boundary = str(message.get_boundary()).encode()
        self.boundaries = body.count(self.boundary)

    def encode(self, values: Mapping[str, str], date: str) -> tuple[bytes, bytes]:
        """The header lines and the body with these values and this Date."""
        head: list[bytes] = []
        for header in self.headers:
            if isinstance(header, bytes):
                head.append(header)
                continue
            name, value = header
            if name.lower() == "date":
                value = date
            else:
                for stand_in, own in values.items():
                    value = value.replace(stand_in, own)
            head.append(self.policy.fold_binary(name, value))
        head.append(self.linesep)
        own_bytes = {stand_in.encode(): own.encode() for stand_in, own in values.items()}
        body = [self.body[0]]
        for index in range(1, len(self.body), 2):
            body += (own_bytes[self.body[index]], self.body[index + 1])
        return b"".join(head), b"".join(body)


class Prepared:
    """One rendering's e-mail, built by Django once with `stand_ins` where each recipient's own
    values go; `email` must say everything else exactly as each recipient's e-mail does."""

    def __init__(self, email: EmailMultiAlternatives, stand_ins: Collection[str]) -> None:
        self.stand_ins = frozenset(stand_ins)
        self._message = email.message()
        leaves = [part for part in self._message.walk() if not part.is_multipart()]
        self._encodings: dict[str, _Encoding] = {}
        self._usable = all(part.get("Content-Transfer-Encoding") in _UNENCODED for part in leaves) and (
            self._encoding("\r\n").usable
        )
        # The lines with a stand-in in each text: Django encodes a part whose line would pass the limit.
        texts = [email.body, *(str(content) for content, _mimetype in email.alternatives)]
        self._lines = [
            (len(line.encode(errors="surrogateescape")), {s: line.count(s) for s in self.stand_ins if s in line})
            for text in texts
            for line in text.splitlines()
            if any(stand_in in line for stand_in in self.stand_ins)
        ]

    def _encoding(self, linesep: str) -> _Encoding:
        encoding = self._encodings.get(linesep)
        if encoding is None:
            encoding = self._encodings[linesep] = _Encoding(self._message, self.stand_ins, linesep)
        return encoding

    def fits(self, values: Mapping[str, str]) -> bool:
        """Whether putting these values in gives the bytes Django would build with them."""
        if not self._usable or values.keys() != self.stand_ins:
            return False
        if not all(_PLAIN.fullmatch(value) for value in values.values()):
            return False
        return all(
            length + sum(count * (len(values[stand_in]) - len(stand_in)) for stand_in, count in counts.items())
            <= RFC5322_EMAIL_LINE_LENGTH_LIMIT
            for length, counts in self._lines
        )

    def encode(self, values: Mapping[str, str], *, date: str, linesep: str) -> bytes | None:
        """The message with these values and this Date, or None if a value would bring the MIME
        boundary into its text (Django would have chosen another)."""
        encoding = self._encoding(linesep)
        head, body = encoding.encode(values, date)
        if body.count(encoding.boundary) != encoding.boundaries:
            return None
        return head + body

    def __deepcopy__(self, memo: dict[int, Any]) -> Prepared:
        """Shared with a copy of an e-mail (the locmem backend's outbox copies each one), as it is
        by the e-mails of its rendering: what it holds is the same for all of them."""
        return self


class PreparedEmail(EmailMultiAlternatives):
    """An e-mail like any other, whose message() is `prepared` with `values` put in, when `prepared.fits`
    them, and otherwise the message Django builds from the e-mail's subject, bodies and headers."""

    def __init__(self, prepared: Prepared, values: Mapping[str, str], **fields: Any) -> None:
        super().__init__(**fields)
        self.prepared = prepared
        self.values = dict(values)

    def message(self) -> Any:
        if self.prepared.fits(self.values):
            return PreparedMessage(self, date=formatdate(localtime=settings.EMAIL_USE_LOCALTIME))
        return super().message()


class PreparedMessage:
    """What PreparedEmail.message() gives: its bytes from the prepared message; for anything else
    (a header asked for, as_string()), the message Django builds, with the same Date."""

    def __init__(self, email: PreparedEmail, *, date: str) -> None:
        self._email = email
        self._date = date

    def as_bytes(self, unixfrom: bool = False, linesep: str = "\n") -> bytes:
        if not unixfrom:
            raw = self._email.prepared.encode(self._email.values, date=self._date, linesep=linesep)
            if raw is not None:
                return raw
        return bytes(self.built.as_bytes(unixfrom=unixfrom, linesep=linesep))

    @cached_property
    def built(self) -> Any:
        message = EmailMultiAlternatives.message(self._email)
        message.replace_header("Date", self._date)
        return message

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        return getattr(self.built, name)

    def __getitem__(self, name: str) -> Any:
        return self.built[name]

    def __contains__(self, name: str) -> bool:
        return name in self.built
