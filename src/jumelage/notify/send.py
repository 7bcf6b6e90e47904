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

Each message: ``queued`` -> ``sending`` (committed) -> SMTP -> ``sent`` + ``sent_at``.
Every transition is written and committed by the outbox (`notify.outbox`, the owner of
`emails`), which this stage calls.
"""

from __future__ import annotations

import base64
import contextlib
import json
import logging
import os
import re
import smtplib
import ssl
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from email import policy
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path
from typing import Any

import duckdb
import keyring
import yagmail

from jumelage.config import Config
from jumelage.notify import outbox
from jumelage.progress import progress

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
    """The message as sent: headers, text/plain + text/html alternatives, inline images."""
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
    """DATA body: CRLF line ends, leading dots doubled, terminated by CRLF.CRLF."""
    body = re.sub(rb"(?:\r\n|\n|\r(?!\n))", b"\r\n", message)
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
    smtp: smtplib.SMTP, sender: str, recipients: Sequence[str], payload: bytes
) -> _Outcome:
    """One SMTP transaction, knowing whether the server could have accepted the message."""
    try:
        code, resp = smtp.mail(sender)
        if code != 250:
            _rset(smtp)
            # A refused sender is the server's or the configuration's problem, not this
            # message's: keep it queued and stop the stage.
            return _Outcome("queued", f"MAIL FROM refused: {_text(code, resp)}", True)
        refused = []
        for i, address in enumerate(recipients):
            code, resp = smtp.rcpt(address)
            if code in (250, 251):
                continue
            if i == 0:
                _rset(smtp)
                if 500 <= code < 600:
                    return _Outcome("failed", f"recipient {address} refused: {_text(code, resp)}")
                return _Outcome("queued", f"recipient {address} deferred: {_text(code, resp)}")
            refused.append(f"{address} ({_text(code, resp)})")
        smtp.putcmd("data")
        code, resp = smtp.getreply()
        if code != 354:
            _rset(smtp)
            status = "failed" if 500 <= code < 600 else "queued"
            return _Outcome(status, f"DATA refused: {_text(code, resp)}")
    except (OSError, smtplib.SMTPException) as exc:
        # Nothing was handed over yet: safe to send again later.
        return _Outcome("queued", f"connection lost before DATA: {_describe(exc)}", True)
    # Point of no return: from here the server may have the message.
    try:
        smtp.send(payload)
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


def _rset(smtp: smtplib.SMTP) -> None:
    with contextlib.suppress(OSError, smtplib.SMTPException):
        smtp.rset()


def send_queued(
    con: duckdb.DuckDBPyConnection,
    config: Config,
    *,
    run_date: date | None = None,
    keys: Sequence[str] | None = None,
    max_attempts_per_run: int = 3,
    retry_delay: float = 1.0,
) -> SendStats:
    """Send every `queued` message (or only `keys`); never raises for SMTP trouble.

    A message is tried at most `max_attempts_per_run` times in this run; after that many
    failed connections in a row the server is taken as down and the rest wait for the next
    run (each noted with the error and one more attempt). `run_date` is recorded as
    `sent_run_date` for the report.
    """
    stats = SendStats()
    rows = outbox.queued(con, keys)
    if not rows:
        return stats
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

    connection = _Connection(config, password)
    sender = config.program.mailbox
    failed_connects = 0
    pending = list(rows)
    tries: dict[str, int] = {}
    with progress("sending", len(rows)) as shown:
        try:
            while pending:
                shown(len(rows) - len(pending))
                row = pending[0]
                key = row["email_key"]
                try:
                    smtp = connection.open()
                except SmtpUnavailable as exc:
                    failed_connects += 1
                    given_up = failed_connects >= max_attempts_per_run
                    log.log(  # the tries before the last one: only with --verbose
                        logging.WARNING if given_up else logging.INFO,
                        "SMTP unavailable (%d/%d): %s",
                        failed_connects,
                        max_attempts_per_run,
                        exc,
                    )
                    if failed_connects >= max_attempts_per_run:
                        stats.error = str(exc)
                        break
                    time.sleep(retry_delay * 2 ** (failed_connects - 1))
                    continue
                failed_connects = 0
                try:
                    payload = _data_payload(build_mime(row, config))
                except (
                    Exception
                ) as exc:  # a row that cannot become a message: never blocks the rest
                    pending.pop(0)
                    _record(
                        con, key, _Outcome("failed", f"cannot build the message: {exc!r}"), run_date
                    )
                    stats.failed.append(key)
                    continue
                claimed = outbox.claim(con, key)  # `sending`, committed before SMTP starts
                pending.pop(0)
                if not claimed:
                    continue  # no longer queued (changed elsewhere): leave it alone
                stats.attempted += 1
                tries[key] = tries.get(key, 0) + 1
                outcome = _transact(smtp, sender, [row["recipient"], *(row["cc"] or [])], payload)
                _record(con, key, outcome, run_date)
                if outcome.status == "sent":
                    stats.sent.append(key)
                elif outcome.status == "failed":
                    stats.failed.append(key)
                    log.warning("email %s refused permanently: %s", key, outcome.detail)
                elif outcome.status == "uncertain":
                    stats.uncertain.append(key)
                    log.error("email %s uncertain: %s", key, outcome.detail)
                elif tries[key] < max_attempts_per_run:
                    pending.insert(0 if outcome.connection_broken else len(pending), row)
                else:
                    stats.still_queued.append(key)
                if outcome.connection_broken:
                    connection.reset()
                    if outcome.status == "queued" and "MAIL FROM" in outcome.detail:
                        stats.error = outcome.detail
                        break
        finally:
            connection.close()
    left = [r["email_key"] for r in pending]
    if left:
        # Those already tried in this run keep their own error and attempt count.
        outbox.note_unsent(con, [k for k in left if k not in tries], stats.error or "not tried")
        stats.still_queued.extend(left)
    return stats


def _record(
    con: duckdb.DuckDBPyConnection, key: str, outcome: _Outcome, run_date: date | None
) -> None:
    """The outcome of one message, committed by the outbox (its owner) right away."""
    if outcome.status == "sent":
        outbox.mark_sent(con, key, response=outcome.detail, run_date=run_date)
    elif outcome.status == "failed":
        outbox.mark_failed(con, key, error=outcome.detail, run_date=run_date)
    elif outcome.status == "queued":
        outbox.mark_queued(con, key, error=outcome.detail)
    elif outcome.status == "uncertain":
        outbox.mark_uncertain(con, key, error=outcome.detail)
    else:
        raise ValueError(f"unknown outcome {outcome.status!r} for email {key}")
