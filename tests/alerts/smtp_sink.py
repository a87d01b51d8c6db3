"""A real SMTP server on loopback, in a thread of the test process, that records what it accepts.

    with SmtpSink() as sink:
        sink.refuse_temporarily(2)                # 451 to the next two RCPT commands
        sink.refuse_permanently("gone@example.org")  # 550 to RCPT of this address
        sink.stall_at_rcpt(3)                     # hold the 3rd RCPT command until release()
        ... send mail to 127.0.0.1:sink.port ...
        sink.wait_for_messages(5)

A message counts as received only once the server has answered 250 to its DATA, as a real
mail server would: a client that dies before that has not delivered anything.
"""

from __future__ import annotations

import asyncio
import email
import email.policy
import socket
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from email.message import EmailMessage
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session

TEMPORARY_REFUSAL = "451 4.3.0 Temporary failure, try again later"
PERMANENT_REFUSAL = "550 5.1.1 Mailbox unavailable"


@dataclass(frozen=True)
class ReceivedMessage:
    mail_from: str
    rcpt_tos: tuple[str, ...]
    raw: bytes
    message: EmailMessage = field(repr=False)

    @property
    def message_id(self) -> str:
        return str(self.message["Message-ID"])


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((host, 0))
        return int(probe.getsockname()[1])


class _Handler:
    def __init__(self, sink: SmtpSink) -> None:
        self.sink = sink

    async def handle_RCPT(
        self, server: SMTP, session: Session, envelope: Envelope, address: str, rcpt_options: list[str]
    ) -> str:
        answer, stall = self.sink._on_rcpt(address)
        if stall:
            self.sink.stalled.set()
            # Polled rather than awaited: the release comes from another thread. If the client
            # goes away meanwhile, aiosmtpd cancels this coroutine.
            while not self.sink._release.is_set():
                await asyncio.sleep(0.02)
        if answer is None:
            envelope.rcpt_tos.append(address)
            return "250 OK"
        return answer

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        answer = self.sink._on_data()
        if answer is not None:
            return answer
        raw = envelope.original_content or b""
        self.sink._record(str(envelope.mail_from), tuple(envelope.rcpt_tos), raw)
        return "250 Message accepted for delivery"


class SmtpSink:
    """An aiosmtpd server on 127.0.0.1 with a free port; every accepted message is recorded."""

    def __init__(self, host: str = "127.0.0.1") -> None:
        self.host = host
        self.port = free_port(host)
        self._lock = threading.Lock()
        self._messages: list[ReceivedMessage] = []
        self.rcpt_commands = 0
        self.rcpt_attempts: Counter[str] = Counter()  # RCPT commands per address, refused ones included
        self.data_commands = 0
        self._temporary: dict[str, int] = {"RCPT": 0, "DATA": 0}
        self._permanent: set[str] = set()
        self._stall_at: int | None = None
        self.stalled = threading.Event()
        self._release = threading.Event()
        self._controller = Controller(_Handler(self), hostname=host, port=self.port)

    # Lifecycle -------------------------------------------------------------------------

    def start(self) -> SmtpSink:
        self._controller.start()
        return self

    def stop(self) -> None:
        self._release.set()
        self._controller.stop()

    def go_down(self) -> None:
        """Stop listening: connections are refused, as from a server that is down."""
        self._controller.stop()

    def come_back(self) -> None:
        """Listen again on the same port."""
        self._controller = Controller(self._controller.handler, hostname=self.host, port=self.port)
        self._controller.start()

    def __enter__(self) -> SmtpSink:
        return self.start()

    def __exit__(self, *exc_info: Any) -> None:
        self.stop()

    # Behaviour -------------------------------------------------------------------------

    def refuse_temporarily(self, count: int, *, at: str = "RCPT") -> None:
        """Answer 451 to the next `count` RCPT (or DATA) commands."""
        if at not in self._temporary:
            raise ValueError("Temporary refusals are given at RCPT or DATA.")
        with self._lock:
            self._temporary[at] = count

    def refuse_permanently(self, *addresses: str) -> None:
        """Answer 550 to every RCPT of these addresses."""
        with self._lock:
            self._permanent |= {address.lower() for address in addresses}

    def stall_at_rcpt(self, number: int) -> None:
        """Hold the `number`-th RCPT command from now on (1 is the next one) until release()."""
        with self._lock:
            self._stall_at = self.rcpt_commands + number
            self.stalled.clear()
            self._release.clear()

    def release(self) -> None:
        self._release.set()

    # What happened ---------------------------------------------------------------------

    @property
    def messages(self) -> list[ReceivedMessage]:
        with self._lock:
            return list(self._messages)

    def recipients(self) -> list[str]:
        """Every envelope recipient of every accepted message, repeats included."""
        return [rcpt.lower() for message in self.messages for rcpt in message.rcpt_tos]

    def wait_for_messages(self, count: int, timeout: float = 30.0) -> list[ReceivedMessage]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            messages = self.messages
            if len(messages) >= count:
                return messages
            time.sleep(0.05)
        raise AssertionError(
            f"The SMTP sink accepted {len(self.messages)} messages within {timeout:.0f} s; expected {count}."
        )

    # Called from the server's thread ----------------------------------------------------

    def _on_rcpt(self, address: str) -> tuple[str | None, bool]:
        with self._lock:
            self.rcpt_commands += 1
            self.rcpt_attempts[address.lower()] += 1
            stall = self._stall_at is not None and self.rcpt_commands == self._stall_at
            if address.lower() in self._permanent:
                return PERMANENT_REFUSAL, stall
            if self._temporary["RCPT"] > 0:
                self._temporary["RCPT"] -= 1
                return TEMPORARY_REFUSAL, stall
            return None, stall

    def _on_data(self) -> str | None:
        with self._lock:
            self.data_commands += 1
            if self._temporary["DATA"] > 0:
                self._temporary["DATA"] -= 1
                return TEMPORARY_REFUSAL
            return None

    def _record(self, mail_from: str, rcpt_tos: tuple[str, ...], raw: bytes) -> None:
        parsed = email.message_from_bytes(raw, policy=email.policy.default)
        assert isinstance(parsed, EmailMessage)
        with self._lock:
            self._messages.append(ReceivedMessage(mail_from=mail_from, rcpt_tos=rcpt_tos, raw=raw, message=parsed))
