"""A local SMTP server that keeps what it receives: for `jumelage demo` and the tests.

    with MailSink(outbox_dir) as sink:          # 127.0.0.1, a free port
        ... send to sink.host:sink.port ...
        sink.messages                           # list of email.message.EmailMessage

Each delivered message is written as ``<dir>/<n>-<kind>-<key>.eml`` (kind and key from
the ``X-Jumelage-Kind`` / ``X-Jumelage-Key`` headers). Receiving only keeps the raw bytes:
``messages`` parses them when first read, so that a launch night's thousands of messages
are not parsed by a server that nobody reads (parsing cost more than the SMTP exchange).
``stop()`` then ``start()`` reopens the same port, to simulate an outage. ``refuse`` holds
addresses answered with a permanent 550, ``defer`` those answered with a temporary 451;
``delay`` (seconds) slows every DATA down, before the message is kept; ``users`` (login ->
password) makes AUTH required (without TLS: for tests only);
``starttls_context`` / ``ssl_context`` (server-side ``ssl.SSLContext``) offer STARTTLS or
implicit TLS; ``pipelining=False`` stops offering PIPELINING.
"""

from __future__ import annotations

import asyncio
import re
import socket
import ssl
import threading
import time
import warnings
from collections.abc import Callable, Iterable
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import MISSING, AuthResult, LoginPassword
from aiosmtpd.smtp import SMTP as SMTPProtocol

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((host, 0))
        return int(s.getsockname()[1])


def _header(head: bytes, name: bytes) -> str:
    """A header's value from a message's raw header block ('' when absent), without parsing
    the message: enough for the file name."""
    found = re.search(
        rb"^" + name + rb"[ \t]*:[ \t]*([^\r\n]*)", head, re.IGNORECASE | re.MULTILINE
    )
    return found.group(1).decode("ascii", "replace").strip() if found else ""


class _Protocol(SMTPProtocol):
    """aiosmtpd's protocol, reading a message's DATA in a few reads instead of one
    coroutine step per line (the per-line loop was most of the server's time)."""

    async def smtp_DATA(self, arg: str) -> None:
        if await self.check_helo_needed() or await self.check_auth_needed("DATA"):
            return
        assert self.envelope is not None
        if not self.envelope.rcpt_tos:
            await self.push("503 Error: need RCPT command")
            return
        if arg:
            await self.push("501 Syntax: DATA")
            return
        await self.push("354 End data with <CR><LF>.<CR><LF>")
        data = bytearray(await self._reader.readuntil(b"\r\n"))
        while data != b".\r\n" and not data.endswith(b"\r\n.\r\n"):
            try:
                data += await self._reader.readuntil(b"\r\n.\r\n")
            except asyncio.LimitOverrunError as exc:  # longer than the stream's buffer
                data += await self._reader.readexactly(exc.consumed)
        # the lone dot off, then the transparency dots (RFC 5321 4.5.2)
        body = bytes(data[: len(data) - 3]).replace(b"\r\n.", b"\r\n")
        content = body[1:] if body.startswith(b".") else body
        self.envelope.content = self.envelope.original_content = content
        status = await self._call_handler_hook("DATA")
        self._set_post_data_state()
        await self.push("250 OK" if status is MISSING else status)


class _Handler:
    def __init__(self, sink: MailSink) -> None:
        self.sink = sink

    async def handle_EHLO(
        self, server: Any, session: Any, envelope: Any, hostname: str, responses: list[str]
    ) -> list[str]:
        """Offer PIPELINING (RFC 2920), as real relays do: aiosmtpd reads commands in order
        from one stream, so MAIL, RCPT and DATA may come in one packet."""
        session.host_name = hostname
        if not self.sink.pipelining:
            return responses
        return [*responses[:-1], "250-PIPELINING", responses[-1]]

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: Any
    ) -> str:
        if address.lower() in self.sink.refuse:
            return f"550 5.1.1 <{address}>: recipient refused (mailbox unavailable)"
        if address.lower() in self.sink.defer:
            return f"451 4.2.1 <{address}>: mailbox busy, try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.sink.delay:
            # Blocking on purpose (the controller runs its own loop in its own thread):
            # a slow server widens the window in which a client can die mid-transaction.
            time.sleep(self.sink.delay)
        content = envelope.original_content or envelope.content
        if isinstance(content, str):
            content = content.encode("utf-8")
        self.sink.keep(content, envelope.mail_from, list(envelope.rcpt_tos))
        return "250 2.0.0 OK: kept"


class MailSink:
    """An aiosmtpd server on `host` (default 127.0.0.1) and a free port."""

    def __init__(
        self,
        directory: Path | str | None = None,
        *,
        host: str = "127.0.0.1",
        port: int | None = None,
        refuse: Iterable[str] = (),
        defer: Iterable[str] = (),
        delay: float = 0.0,
        users: dict[str, str] | None = None,
        starttls_context: ssl.SSLContext | None = None,
        ssl_context: ssl.SSLContext | None = None,
        forward: dict[str, Callable[[bytes], None]] | None = None,
        pipelining: bool = True,
    ) -> None:
        self.directory = Path(directory) if directory is not None else None
        self.host = host
        self.port = port or free_port(host)
        self.refuse = {a.lower() for a in refuse}
        self.defer = {a.lower() for a in defer}
        self.delay = delay
        self.users = users  # when set, AUTH (PLAIN/LOGIN, no TLS) is required
        self.logins: list[str] = []
        self.starttls_context = starttls_context  # offer STARTTLS with this server context
        self.ssl_context = ssl_context  # implicit TLS (SMTPS) with this server context
        # recipients whose mail is handed on rather than kept (the demo: the program mailbox,
        # delivered into its IMAP server)
        self.forward = {a.lower(): f for a, f in (forward or {}).items()}
        self.pipelining = pipelining  # offer PIPELINING (False: a server that does not)
        self.raw: list[bytes] = []  # every message kept, as received
        self._parsed: list[EmailMessage] = []  # the first len(_parsed) of raw, parsed
        self.envelopes: list[tuple[str, list[str]]] = []
        self.files: list[Path] = []
        self._lock = threading.Lock()
        self._controller: Controller | None = None
        self._number = 0  # of the last file written in `directory`

    # -- life cycle --------------------------------------------------------------------
    def start(self) -> MailSink:
        if self._controller is not None:
            return self
        if self.directory is not None:
            self.directory.mkdir(parents=True, exist_ok=True)
            self._number = self._last_number()
        handler = _Handler(self)
        controller = Controller(
            handler,
            hostname=self.host,
            port=self.port,
            ready_timeout=10,
            ssl_context=self.ssl_context,
        )
        auth: dict[str, Any] = {}
        if self.starttls_context is not None:
            auth["tls_context"] = self.starttls_context
        if self.users is not None:
            auth.update(
                authenticator=self._authenticate, auth_required=True, auth_require_tls=False
            )

        def factory() -> SMTPProtocol:
            with warnings.catch_warnings():
                # "Requiring AUTH while not requiring TLS": wanted, this sink is for tests.
                warnings.simplefilter("ignore", UserWarning)
                return _Protocol(handler, hostname="jumelage-sink", decode_data=False, **auth)

        controller.factory = factory  # type: ignore[method-assign]
        controller.start()
        self._controller = controller
        return self

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    @property
    def running(self) -> bool:
        return self._controller is not None

    def __enter__(self) -> MailSink:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _authenticate(
        self, server: Any, session: Any, envelope: Any, mechanism: str, auth_data: Any
    ) -> AuthResult:
        if isinstance(auth_data, LoginPassword) and self.users is not None:
            login = auth_data.login.decode("utf-8", "replace")
            if self.users.get(login) == auth_data.password.decode("utf-8", "replace"):
                self.logins.append(login)
                return AuthResult(success=True)
        return AuthResult(success=False, handled=False)

    # -- what was received -------------------------------------------------------------
    def keep(self, content: bytes, mail_from: str, rcpt_tos: list[str]) -> None:
        handed = [r for r in rcpt_tos if r.lower() in self.forward]
        for rcpt in handed:
            self.forward[rcpt.lower()](content)
        if handed and len(handed) == len(rcpt_tos):
            return
        with self._lock:
            self.raw.append(content)
            self.envelopes.append((mail_from, rcpt_tos))
            if self.directory is not None:
                self._number += 1
                head = content.split(b"\r\n\r\n", 1)[0]
                kind = _UNSAFE.sub("_", _header(head, b"X-Jumelage-Kind") or "email")
                key = _UNSAFE.sub("_", _header(head, b"X-Jumelage-Key"))[:80]
                name = f"{self._number:04d}-{kind}" + (f"-{key}" if key else "") + ".eml"
                path = self.directory / name
                tmp = path.with_suffix(".eml.tmp")
                tmp.write_bytes(content)
                tmp.replace(path)
                self.files.append(path)

    @property
    def messages(self) -> list[EmailMessage]:
        """Every message kept, parsed (each once, when first asked for)."""
        with self._lock:
            for content in self.raw[len(self._parsed) :]:
                message = message_from_bytes(content, policy=policy.default)
                assert isinstance(message, EmailMessage)
                self._parsed.append(message)
            return list(self._parsed)

    def _last_number(self) -> int:
        """The highest number among the files already in `directory` (a sink restarted
        on the same directory goes on from there)."""
        assert self.directory is not None
        numbers = [
            int(p.name.split("-", 1)[0])
            for p in self.directory.glob("*.eml")
            if p.name.split("-", 1)[0].isdigit()
        ]
        return max(numbers, default=0)

    def message_ids(self) -> list[str]:
        return [str(m.get("Message-ID", "")) for m in self.messages]

    def by_kind(self, kind: str) -> list[EmailMessage]:
        return [m for m in self.messages if m.get("X-Jumelage-Kind") == kind]

    def clear(self) -> None:
        with self._lock:
            self.raw.clear()
            self._parsed.clear()
            self.envelopes.clear()
            self.files.clear()
