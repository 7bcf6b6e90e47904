"""The send stage: every `queued` message goes out at most once, over SMTP with yagmail.

Transport: yagmail's ``Client`` opens the connection (host, port, `none` / `starttls` /
`ssl`, login when a user is configured). We do not call ``Client.send()``: after a
disconnect it re-logs in and sends the same message again (up to 3 times, sleeping 3 and
6 s), which duplicates a message whose DATA reached the server but whose reply was lost,
and it reports failure by returning False. Instead the MIME message is built here
(``email.message.EmailMessage``: a real text/plain part, an HTML alternative, inline
images) and the SMTP transaction is driven on yagmail's connection step by step, so that
we know whether the failure happened *before* the server could have accepted the message
(the row goes back to `queued`) or *after* (the row becomes `uncertain`, never resent
without a coordinator's word).

Each batch: ``queued`` -> ``sending`` (one commit) -> SMTP, message by message, each
journaled (`notify.journal`) -> ``sent`` + ``sent_at`` (one commit). Every transition is
written and committed by the outbox (`notify.outbox`, the owner of `emails`), which this
stage calls; the journal lets a crash leave only the message in flight `uncertain`.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import json
import logging
import os
import re
import smtplib
import ssl
import time
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from email import policy
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, formataddr
from pathlib import Path
from typing import Any

import duckdb
import keyring
import yagmail

from jumelage.config import Config
from jumelage.notify import outbox
from jumelage.notify.journal import SendJournal, journal_path
from jumelage.progress import progress
from jumelage.warehouse import utcnow

log = logging.getLogger("jumelage.notify")

PASSWORD_ENV = "JUMELAGE_SMTP_PASSWORD"
KEYRING_SERVICE = "jumelage"
#: systemd credential: `LoadCredential=smtp-password:/etc/jumelage/smtp-password` puts the
#: file under `$CREDENTIALS_DIRECTORY`, readable by the service alone.
CREDENTIAL_NAME = "smtp-password"


@dataclass
class SendStats:
    """What one send stage did; `error` says why it stopped early (server down, no password)."""

    attempted: int = 0
    sent: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    uncertain: list[str] = field(default_factory=list)
    still_queued: list[str] = field(default_factory=list)
    capped: list[str] = field(default_factory=list)  # left queued by `[smtp] max_per_run`
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None and not self.still_queued and not self.uncertain


class SmtpUnavailable(Exception):
    """The server cannot take messages now (unreachable, disconnected, 4xx, login refused)."""


def smtp_password(user: str) -> str | None:
    """`JUMELAGE_SMTP_PASSWORD`, else the systemd credential `smtp-password`
    (`$CREDENTIALS_DIRECTORY/smtp-password`, its final newline dropped), else the system
    keyring (service 'jumelage', name = user): a headless server often has no keyring.

    Never prompts; a keyring that cannot be used counts as no password.
    """
    value = os.environ.get(PASSWORD_ENV)
    if value:
        return value
    credentials = os.environ.get("CREDENTIALS_DIRECTORY")
    if credentials:
        try:
            value = (Path(credentials) / CREDENTIAL_NAME).read_text(encoding="utf-8")
        except OSError:
            value = ""
        if value.rstrip("\r\n"):
            return value.rstrip("\r\n")
    try:
        return keyring.get_password(KEYRING_SERVICE, user)
    except Exception as exc:  # no backend, locked backend, ...: never prompt, never block
        log.warning("system keyring unavailable: %s", type(exc).__name__)
        return None


def build_mime(row: dict[str, Any], config: Config, *, now: datetime | None = None) -> bytes:
    """The message as sent: headers, text/plain + text/html alternatives, inline images.

    A message without images (all but the daily report) is written directly (`_plain_mime`):
    the `email` package's generator cost more than the whole SMTP transaction."""
    if not row.get("inline_images"):
        with contextlib.suppress(UnicodeEncodeError):  # an address that is not ASCII
            return _plain_mime(row, config, now or datetime.now(UTC))
    return _rich_mime(row, config, now=now)


def _header(value: str) -> str:
    """A header value on one logical line: as is when ASCII, else RFC 2047 encoded-words
    (base64, at most 45 bytes of UTF-8 each, never splitting a character), folded."""
    value = " ".join(value.splitlines())  # a line break in data must not start a header
    if value.isascii() and len(value) < 900:
        return value
    words, chunk = [], b""
    for char in value:
        piece = char.encode("utf-8")
        if len(chunk) + len(piece) > 45:
            words.append(chunk)
            chunk = b""
        chunk += piece
    words.append(chunk)
    return "\r\n ".join(f"=?utf-8?b?{base64.b64encode(w).decode()}?=" for w in words)


def _sender(name: str, mailbox: str) -> str:
    """From: the program's name (quoted when it holds specials, encoded when not ASCII)."""
    return formataddr((name, mailbox)) if name.isascii() else f"{_header(name)} <{mailbox}>"


def _body(text: str) -> bytes:
    """A text part's body: CRLF line ends, a final one, base64 in 76-column lines."""
    text = "\r\n".join(text.splitlines()) + "\r\n"
    return base64.encodebytes(text.encode("utf-8")).replace(b"\n", b"\r\n")


def _plain_mime(row: dict[str, Any], config: Config, now: datetime) -> bytes:
    """multipart/alternative of a text/plain and a text/html part, both UTF-8 in base64."""
    mailbox = config.program.mailbox
    boundary = "=_jumelage_" + hashlib.sha256(row["email_key"].encode()).hexdigest()[:24]
    headers = [
        ("From", _sender(config.program.name, mailbox)),
        ("Reply-To", mailbox),
        ("To", row["recipient"]),
        *([("Cc", ", ".join(row["cc"]))] if row.get("cc") else []),
        ("Subject", _header(row["subject"])),
        ("Date", format_datetime(now)),
        ("Message-ID", row["message_id"]),
        ("Auto-Submitted", "auto-generated"),
        ("X-Jumelage-Kind", row["kind"]),
        ("X-Jumelage-Key", row["email_key"]),
        ("MIME-Version", "1.0"),
        ("Content-Type", f'multipart/alternative; boundary="{boundary}"'),
        ("Content-Language", row["language"]),
    ]
    head = "".join(f"{name}: {value}\r\n" for name, value in headers).encode("ascii")
    parts = [head, b"\r\n"]
    for subtype, body in (("plain", row["body_text"]), ("html", row["body_html"])):
        parts += [
            f"--{boundary}\r\n".encode(),
            f'Content-Type: text/{subtype}; charset="utf-8"\r\n'.encode(),
            b"Content-Transfer-Encoding: base64\r\n\r\n",
            _body(body),
        ]
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts)


def _rich_mime(row: dict[str, Any], config: Config, *, now: datetime | None = None) -> bytes:
    """The message built by the `email` package (inline images as multipart/related)."""
    msg = EmailMessage(policy=policy.SMTP)
    mailbox = config.program.mailbox
    user, _, domain = mailbox.partition("@")
    msg["From"] = Address(display_name=config.program.name, username=user, domain=domain)
    msg["Reply-To"] = mailbox
    msg["To"] = row["recipient"]
    if row.get("cc"):
        msg["Cc"] = ", ".join(row["cc"])
    msg["Subject"] = row["subject"]
    msg["Date"] = format_datetime(now or datetime.now(UTC))
    msg["Message-ID"] = row["message_id"]
    msg["Auto-Submitted"] = "auto-generated"
    msg["X-Jumelage-Kind"] = row["kind"]
    msg["X-Jumelage-Key"] = row["email_key"]
    msg.set_content(row["body_text"], subtype="plain", charset="utf-8")
    msg.add_alternative(row["body_html"], subtype="html", charset="utf-8")
    msg["Content-Language"] = row["language"]  # after set_content, which drops Content-*
    images = json.loads(row["inline_images"]) if row.get("inline_images") else []
    if images:
        html_part = msg.get_payload()[1]
        for image in images:
            maintype, _, subtype = image["mime"].partition("/")
            html_part.add_related(
                base64.b64decode(image["data"]),
                maintype=maintype,
                subtype=subtype,
                cid=f"<{image['cid']}>",
                disposition="inline",
            )
    return msg.as_bytes(policy=policy.SMTP)


def _data_payload(message: bytes) -> bytes:
    """DATA body: CRLF line ends, leading dots doubled, terminated by CRLF.CRLF. Each
    rewrite runs only when it would change something (counting is cheaper than rewriting,
    and a built message has CRLF ends and no leading dot)."""
    body = message
    crlf = body.count(b"\r\n")
    if body.count(b"\n") != crlf or body.count(b"\r") != crlf:
        body = re.sub(rb"(?:\r\n|\n|\r(?!\n))", b"\r\n", body)
    if body.startswith(b".") or b"\n." in body:
        body = re.sub(rb"(?m)^\.", b"..", body)
    if not body.endswith(b"\r\n"):
        body += b"\r\n"
    return body + b".\r\n"


class _Connection:
    """A yagmail client, (re)connected lazily."""

    def __init__(self, config: Config, password: str | None) -> None:
        self.config = config
        self.password = password
        self.client: yagmail.SMTP | None = None

    def open(self) -> smtplib.SMTP:
        if self.client is not None and self.client.smtp is not None:
            return self.client.smtp
        smtp = self.config.smtp
        user = smtp.user.strip()
        kwargs: dict[str, Any] = {"timeout": smtp.timeout}
        starttls: bool | dict[str, Any] = False
        if smtp.security == "ssl":
            kwargs["context"] = ssl.create_default_context()
        elif smtp.security == "starttls":
            starttls = {"context": ssl.create_default_context()}
        client = yagmail.SMTP(
            user=user or self.config.program.mailbox,
            password=self.password if user else None,
            host=smtp.host,
            port=smtp.port,
            smtp_ssl=smtp.security == "ssl",
            smtp_starttls=starttls,
            smtp_skip_login=not user,
            soft_email_validation=False,
            **kwargs,
        )
        if user:
            # yagmail appends "@gmail.com" to a login without "@": log in as configured.
            client.user = user
        try:
            client.login()
            client.smtp.ehlo_or_helo_if_needed()
        except smtplib.SMTPAuthenticationError as exc:
            self._drop(client)
            raise SmtpUnavailable(f"login refused for user {user!r}: {_reply(exc)}") from None
        except (OSError, smtplib.SMTPException) as exc:
            self._drop(client)
            raise SmtpUnavailable(
                f"cannot reach SMTP server {smtp.host}:{smtp.port} ({smtp.security}): "
                f"{_describe(exc)}"
            ) from None
        self.client = client
        return client.smtp

    @staticmethod
    def _drop(client: yagmail.SMTP) -> None:
        with contextlib.suppress(Exception):
            client.close()
        client.is_closed = True

    def close(self) -> None:
        if self.client is not None:
            self._drop(self.client)
        self.client = None

    def reset(self) -> None:
        """Forget a broken connection (the next open reconnects)."""
        if self.client is not None:
            with contextlib.suppress(Exception):
                self.client.smtp.close()
            self.client.is_closed = True
        self.client = None


def _describe(exc: BaseException) -> str:
    text = str(exc) or type(exc).__name__
    return f"{type(exc).__name__}: {text}"


def _reply(exc: smtplib.SMTPResponseException) -> str:
    message = exc.smtp_error
    if isinstance(message, bytes):
        message = message.decode("utf-8", "replace")
    return f"{exc.smtp_code} {message}"


def _text(code: int, message: bytes | str) -> str:
    if isinstance(message, bytes):
        message = message.decode("utf-8", "replace")
    return f"{code} {message}".strip()


@dataclass
class _Outcome:
    status: str  # sent | failed | queued | uncertain
    detail: str
    connection_broken: bool = False


def _transact(
    smtp: smtplib.SMTP,
    sender: str,
    recipients: Sequence[str],
    payload: bytes,
    before_data: Callable[[], object] = lambda: None,
    while_waiting: Callable[[], object] = lambda: None,
    *,
    announced: bool = False,
) -> _Outcome:
    """One SMTP transaction, knowing whether the server could have accepted the message.
    `before_data` runs just before the message is handed over (the journal's flush);
    `while_waiting` once it is handed over, before its reply is read (the sender builds the
    next message then, and may announce it).

    When the server offers PIPELINING (RFC 2920), MAIL, RCPT and DATA go in one write and
    their replies are read together: two round trips a message instead of four. The
    message itself still waits for the 354 and for `before_data`. `announced`: MAIL, RCPT
    and DATA were already written behind the previous message's content (a group that RFC
    2920 allows: content first, DATA last), so only their replies are read here; nothing of
    this message is handed over before them, as without it."""
    try:
        if announced:
            replies = [smtp.getreply() for _ in range(len(recipients) + 2)]
        elif _can_pipeline(smtp, sender, recipients):
            replies = _pipelined(smtp, sender, recipients)
        else:
            replies = _one_by_one(smtp, sender, recipients)
        code, resp = replies[0]
        if code != 250:
            _abort(smtp, replies)
            # A refused sender is the server's or the configuration's problem, not this
            # message's: keep it queued and stop the stage.
            return _Outcome("queued", f"MAIL FROM refused: {_text(code, resp)}", True)
        refused = []
        for i, (address, (code, resp)) in enumerate(zip(recipients, replies[1:], strict=False)):
            if code in (250, 251):
                continue
            if i == 0:
                broken = _abort(smtp, replies)
                if 500 <= code < 600:
                    return _Outcome(
                        "failed", f"recipient {address} refused: {_text(code, resp)}", broken
                    )
                return _Outcome(
                    "queued", f"recipient {address} deferred: {_text(code, resp)}", broken
                )
            refused.append(f"{address} ({_text(code, resp)})")
        code, resp = replies[-1]
        if code != 354:
            _abort(smtp, replies)
            status = "failed" if 500 <= code < 600 else "queued"
            return _Outcome(status, f"DATA refused: {_text(code, resp)}")
    except (OSError, smtplib.SMTPException) as exc:
        # Nothing was handed over yet: safe to send again later.
        return _Outcome("queued", f"connection lost before DATA: {_describe(exc)}", True)
    before_data()  # raises if the journal could not be flushed: nothing handed over then
    # Point of no return: from here the server may have the message.
    try:
        smtp.send(payload)
        while_waiting()
        code, resp = smtp.getreply()
    except (OSError, smtplib.SMTPException) as exc:
        return _Outcome(
            "uncertain",
            f"connection lost during DATA, the server may have received it: {_describe(exc)}",
            True,
        )
    if code == 250:
        note = f"; cc refused: {', '.join(refused)}" if refused else ""
        return _Outcome("sent", _text(code, resp) + note)
    status = "failed" if 500 <= code < 600 else "queued"
    return _Outcome(status, f"message refused after DATA: {_text(code, resp)}")


Reply = tuple[int, bytes]


def _can_pipeline(smtp: smtplib.SMTP, sender: str, recipients: Sequence[str]) -> bool:
    """The server offers PIPELINING and the commands are plain ASCII (as smtplib sends)."""
    return bool(smtp.has_extn("pipelining")) and all(a.isascii() for a in (sender, *recipients))


def _one_by_one(smtp: smtplib.SMTP, sender: str, recipients: Sequence[str]) -> list[Reply]:
    """MAIL, each RCPT, DATA, each waiting for its reply; stops at the first refusal that
    ends the transaction (the sender, the first recipient), as DATA would be refused."""
    replies = [smtp.mail(sender)]
    if replies[0][0] != 250:
        return replies
    for i, address in enumerate(recipients):
        replies.append(smtp.rcpt(address))
        if i == 0 and replies[-1][0] not in (250, 251):
            return replies
    smtp.putcmd("data")
    replies.append(smtp.getreply())
    return replies


#: A plain address (dot-atom local part and domain): `smtplib.quoteaddr` gives `<address>`
#: for it, after parsing it with the `email` package (a tenth of a message's send time).
_PLAIN_ADDRESS = re.compile(
    r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
    r"@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*"
)


def _quoteaddr(address: str) -> str:
    """`smtplib.quoteaddr`, without its parse when the address is plain."""
    if _PLAIN_ADDRESS.fullmatch(address):
        return f"<{address}>"
    return smtplib.quoteaddr(address)


def _announce(smtp: smtplib.SMTP, sender: str, recipients: Sequence[str]) -> int:
    """Write MAIL, every RCPT and DATA in one write; returns how many replies they await."""
    commands = [f"MAIL FROM:{_quoteaddr(sender)}"]
    commands += [f"RCPT TO:{_quoteaddr(a)}" for a in recipients]
    commands.append("DATA")
    smtp.send("".join(f"{c}\r\n" for c in commands))
    return len(commands)


def _pipelined(smtp: smtplib.SMTP, sender: str, recipients: Sequence[str]) -> list[Reply]:
    """MAIL, every RCPT and DATA in one write, then their replies in order."""
    return [smtp.getreply() for _ in range(_announce(smtp, sender, recipients))]


def _abort(smtp: smtplib.SMTP, replies: list[Reply]) -> bool:
    """End a transaction that will not go on. A pipelined DATA may have been accepted (354)
    although the transaction failed: only closing the connection ends it then (the server
    drops a message without its final dot, so nothing is handed over). Returns whether the
    connection is broken on purpose."""
    if replies[-1][0] == 354:  # only ever DATA's reply
        with contextlib.suppress(OSError, smtplib.SMTPException):
            smtp.close()
        return True
    _rset(smtp)
    return False


def _rset(smtp: smtplib.SMTP) -> None:
    with contextlib.suppress(OSError, smtplib.SMTPException):
        smtp.rset()


#: Messages claimed and recorded per DuckDB commit.
BATCH_SIZE = 200
#: Kinds for the program's own people: they go out even past `[smtp] max_per_run`.
UNCAPPED_KINDS = frozenset({"daily_report", "run_failed"})


class Pace:
    """`[smtp] max_per_minute`: at most `limit` messages in any 60 s (0: no limit).

    `clock` and `sleep` are the process's own; a caller may pass others to simulate time."""

    def __init__(
        self,
        limit: int,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.limit, self.clock, self.sleep = limit, clock, sleep
        self.times: deque[float] = deque()

    def wait(self) -> None:
        """Before a message: wait until it fits in the minute."""
        if self.limit <= 0:
            return
        if len(self.times) >= self.limit:
            delay = self.times[0] + 60.0 - self.clock()
            if delay > 0:
                self.sleep(delay)
            self.times.popleft()
        self.times.append(self.clock())


def within_budget(
    rows: list[dict[str, Any]], limit: int, already: int
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """`[smtp] max_per_run` (0: no limit): the rows that may go now, oldest first, and those
    that wait for the next run; `already` were sent by this run's earlier send stage."""
    if limit <= 0:
        return rows, []
    budget = max(limit - already, 0)
    now, later = [], []
    for row in rows:
        if row["kind"] in UNCAPPED_KINDS or budget > 0:
            now.append(row)
            budget -= row["kind"] not in UNCAPPED_KINDS
        else:
            later.append(row)
    return now, later


def send_queued(
    con: duckdb.DuckDBPyConnection,
    config: Config,
    *,
    run_date: date | None = None,
    keys: Sequence[str] | None = None,
    max_attempts_per_run: int = 3,
    retry_delay: float = 1.0,
    pace: Pace | None = None,
) -> SendStats:
    """Send every `queued` message (or only `keys`); never raises for SMTP trouble.

    Messages go in batches of BATCH_SIZE over one connection: a batch is claimed in one
    commit and its outcomes recorded in one commit, the send journal (`notify.journal`)
    covering what lies between. A message is tried at most `max_attempts_per_run` times in
    this run; after that many failed connections in a row the server is taken as down and
    the rest wait for the next run (each noted with the error and one more attempt).
    `[smtp] max_per_run` leaves the rest queued; `max_per_minute` paces (`pace`).
    `run_date` is recorded as `sent_run_date` for the report.
    """
    stats = SendStats()
    rows = outbox.queued(con, keys)
    if not rows:
        return stats
    already = outbox.sent_by_run(con, run_date) if run_date is not None else 0
    rows, later = within_budget(rows, config.smtp.max_per_run, already)
    stats.capped = [r["email_key"] for r in later]
    user = config.smtp.user.strip()
    password = None
    if user:
        password = smtp_password(user)
        if not password:
            stats.error = (
                f"no SMTP password for user {user!r}: set {PASSWORD_ENV}, give the service the "
                f"systemd credential '{CREDENTIAL_NAME}', or store it in the system keyring "
                f"(service '{KEYRING_SERVICE}', name '{user}'); "
                "the emails stay queued"
            )
            outbox.note_unsent(con, [r["email_key"] for r in rows], stats.error)
            stats.still_queued = [r["email_key"] for r in rows]
            log.error(stats.error)
            return stats

    sender = _Sender(con, config, password, run_date, (max_attempts_per_run, retry_delay), stats)
    pace = pace or Pace(config.smtp.max_per_minute)
    journal = SendJournal(journal_path(config.data_dir))
    pending = list(rows)
    noted: set[str] = set()  # put back by a batch: their attempt and error are recorded
    with progress("sending", len(rows)) as shown:
        try:
            while pending and sender.smtp() is not None:  # connected before claiming
                shown(len(rows) - len(pending))
                batch, pending = pending[:BATCH_SIZE], pending[BATCH_SIZE:]
                journal.begin([r["email_key"] for r in batch])  # on disk before the claim
                claimed = set(outbox.claim(con, [r["email_key"] for r in batch]))
                left = sender.send_batch(
                    [r for r in batch if r["email_key"] in claimed], journal, pace
                )
                journal.clear()
                noted.update(r["email_key"] for r in left)
                pending = left + pending
                if stats.error is not None:
                    break
        finally:
            sender.connection.close()
            journal.close()
    if pending:
        # Those already tried in this run keep their own error and attempt count.
        outbox.note_unsent(
            con,
            [r["email_key"] for r in pending if r["email_key"] not in noted],
            stats.error or "not tried",
        )
        stats.still_queued.extend(r["email_key"] for r in pending)
    return stats


class _Sender:
    """One send stage's connection, retries and outcomes."""

    def __init__(
        self,
        con: duckdb.DuckDBPyConnection,
        config: Config,
        password: str | None,
        run_date: date | None,
        retries: tuple[int, float],
        stats: SendStats,
    ) -> None:
        self.con, self.config, self.run_date, self.stats = con, config, run_date, stats
        self.max_attempts, self.retry_delay = retries
        self.connection = _Connection(config, password)
        self.failed_connects = 0
        self.tries: dict[str, int] = {}

    def smtp(self) -> smtplib.SMTP | None:
        """The open connection, reconnecting with back-off; None when the server is down."""
        while True:
            try:
                smtp = self.connection.open()
            except SmtpUnavailable as exc:
                self.failed_connects += 1
                given_up = self.failed_connects >= self.max_attempts
                log.log(  # the tries before the last one: only with --verbose
                    logging.WARNING if given_up else logging.INFO,
                    "SMTP unavailable (%d/%d): %s",
                    self.failed_connects,
                    self.max_attempts,
                    exc,
                )
                if self.failed_connects >= self.max_attempts:
                    self.stats.error = str(exc)
                    return None
                time.sleep(self.retry_delay * 2 ** (self.failed_connects - 1))
                continue
            self.failed_connects = 0
            return smtp

    def send_batch(
        self, rows: list[dict[str, Any]], journal: SendJournal, pace: Pace
    ) -> list[dict[str, Any]]:
        """Send claimed rows; commit their outcomes together. Returns the rows put back to
        `queued` untried (the server went down), for the caller's bookkeeping."""
        outcomes: dict[str, outbox.Outcome] = {}
        queue = deque(rows)
        untried: list[dict[str, Any]] = []
        sender = self.config.program.mailbox
        built: dict[str, bytes | Exception] = {}  # payloads built ahead (see _transact)
        # the message whose MAIL, RCPT and DATA went behind the previous one's content, on
        # which connection: its replies come first on that connection
        announced: list[tuple[smtplib.SMTP, str]] = []

        def next_one(smtp: smtplib.SMTP) -> None:
            """While the server takes a message: build the next one and, when nothing has
            to wait between them (no pace), announce it."""
            if not queue:
                return
            row = queue[0]
            key = row["email_key"]
            if key not in built:
                built[key] = self._payload(row)
            recipients = [row["recipient"], *(row["cc"] or [])]
            if (
                pace.limit <= 0
                and isinstance(built[key], bytes)
                and _can_pipeline(smtp, sender, recipients)
            ):
                _announce(smtp, sender, recipients)
                announced.append((smtp, key))

        while queue:
            row = queue.popleft()
            key = row["email_key"]
            smtp = self.smtp()
            if smtp is None:
                untried = [row, *queue]
                break
            ahead = announced.pop() if announced else None
            if ahead is not None and ahead != (smtp, key):  # never expected: start afresh
                self.connection.reset()
                smtp, ahead = self.smtp(), None
                if smtp is None:
                    untried = [row, *queue]
                    break
            payload = built.pop(key, None) or self._payload(row)
            if isinstance(payload, Exception):  # a row that cannot become a message: never
                outcomes[key] = self._outcome(  # blocks the rest
                    key, "failed", f"cannot build the message: {payload!r}"
                )
                self.stats.failed.append(key)
                continue
            pace.wait()
            # the journal's `start` is flushed while MAIL/RCPT/DATA go back and forth, and is
            # on disk before the message itself is handed over
            flushed = journal.started(key)
            self.stats.attempted += 1
            self.tries[key] = self.tries.get(key, 0) + 1
            recipients = [row["recipient"], *(row["cc"] or [])]
            outcome = _transact(
                smtp,
                sender,
                recipients,
                payload,
                flushed.result,
                lambda smtp=smtp: next_one(smtp),
                announced=ahead is not None,
            )
            outcomes[key] = self._outcome(key, outcome.status, outcome.detail)
            journal.ended(*outcomes[key][:3], outcomes[key][3].isoformat())
            if outcome.status == "sent":
                self.stats.sent.append(key)
            elif outcome.status == "failed":
                self.stats.failed.append(key)
                log.warning("email %s refused permanently: %s", key, outcome.detail)
            elif outcome.status == "uncertain":
                self.stats.uncertain.append(key)
                log.error("email %s uncertain: %s", key, outcome.detail)
            elif self.tries[key] < self.max_attempts:
                if outcome.connection_broken:
                    queue.appendleft(row)
                else:
                    queue.append(row)
            else:
                self.stats.still_queued.append(key)
            if outcome.connection_broken:
                announced.clear()  # whatever was announced went with the connection
                self.connection.reset()
                if outcome.status == "queued" and "MAIL FROM" in outcome.detail:
                    self.stats.error = outcome.detail
                    untried = list(queue)
                    break
        for row in untried:  # claimed but not sent: back to `queued`, nothing reached the server
            key = row["email_key"]
            if key not in outcomes:
                outcomes[key] = self._outcome(key, "queued", self.stats.error or "not tried")
        outbox.commit_outcomes(self.con, list(outcomes.values()), run_date=self.run_date)
        return untried

    def _payload(self, row: dict[str, Any]) -> bytes | Exception:
        """The DATA bytes of a row, or why it cannot become a message."""
        try:
            return _data_payload(build_mime(row, self.config))
        except Exception as exc:
            return exc

    def _outcome(self, key: str, status: str, detail: str) -> outbox.Outcome:
        return (key, status, detail, utcnow(), max(self.tries.get(key, 0) - 1, 0))
