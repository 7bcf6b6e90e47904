"""A local SMTP server that keeps what it receives: for `jumelage demo` and the tests.

    with MailSink(outbox_dir) as sink:          # 127.0.0.1, a free port
        ... send to sink.host:sink.port ...
        sink.messages                           # list of email.message.EmailMessage

Each delivered message is written as ``<dir>/<n>-<kind>-<key>.eml`` (kind and key from
the ``X-Jumelage-Kind`` / ``X-Jumelage-Key`` headers). ``stop()`` then ``start()`` reopens
the same port, to simulate an outage. ``refuse`` holds addresses answered with a permanent
550, ``defer`` those answered with a temporary 451; ``delay`` (seconds) slows every DATA
down, before the message is kept; ``users`` (login -> password) makes AUTH required
(without TLS: for tests only);
``starttls_context`` / ``ssl_context`` (server-side ``ssl.SSLContext``) offer STARTTLS or
implicit TLS.
"""

from __future__ import annotations

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
from aiosmtpd.smtp import SMTP as SMTPProtocol
from aiosmtpd.smtp import AuthResult, LoginPassword

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((host, 0))
        return int(s.getsockname()[1])


class _Handler:
    def __init__(self, sink: MailSink) -> None:
        self.sink = sink

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
        self.messages: list[EmailMessage] = []
        self.envelopes: list[tuple[str, list[str]]] = []
        self.files: list[Path] = []
        self._lock = threading.Lock()
        self._controller: Controller | None = None

    # -- life cycle --------------------------------------------------------------------
    def start(self) -> MailSink:
        if self._controller is not None:
            return self
        if self.directory is not None:
            self.directory.mkdir(parents=True, exist_ok=True)
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
                return SMTPProtocol(handler, hostname="jumelage-sink", decode_data=False, **auth)

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
        message = message_from_bytes(content, policy=policy.default)
        assert isinstance(message, EmailMessage)
        with self._lock:
            self.messages.append(message)
            self.envelopes.append((mail_from, rcpt_tos))
            if self.directory is not None:
                n = self._next_number()
                kind = _UNSAFE.sub("_", str(message.get("X-Jumelage-Kind", "email")))
                key = _UNSAFE.sub("_", str(message.get("X-Jumelage-Key", "")))[:80]
                name = f"{n:04d}-{kind}" + (f"-{key}" if key else "") + ".eml"
                path = self.directory / name
                tmp = path.with_suffix(".eml.tmp")
                tmp.write_bytes(content)
                tmp.replace(path)
                self.files.append(path)

    def _next_number(self) -> int:
        assert self.directory is not None
        numbers = [
            int(p.name.split("-", 1)[0])
            for p in self.directory.glob("*.eml")
            if p.name.split("-", 1)[0].isdigit()
        ]
        return max(numbers, default=0) + 1

    def message_ids(self) -> list[str]:
        with self._lock:
            return [str(m.get("Message-ID", "")) for m in self.messages]

    def by_kind(self, kind: str) -> list[EmailMessage]:
        with self._lock:
            return [m for m in self.messages if m.get("X-Jumelage-Kind") == kind]

    def clear(self) -> None:
        with self._lock:
            self.messages.clear()
            self.envelopes.clear()
            self.files.clear()
