"""The program mailbox over IMAP (imapclient): log in, list, fetch without marking read, move.

Certificates are always verified (`ssl` and `starttls` use the system's trust store). The
password comes from `JUMELAGE_IMAP_PASSWORD`, else the system keyring (service
'jumelage-imap', name = user); an OAuth2 access token in `JUMELAGE_IMAP_OAUTH2_TOKEN` logs in
with XOAUTH2 instead (Microsoft 365, Gmail). Nothing is ever prompted for.
"""

from __future__ import annotations

import contextlib
import logging
import os
import ssl
from collections.abc import Iterator
from contextlib import contextmanager

import keyring
from imapclient import IMAPClient

from jumelage.config import MailboxInConfig

PASSWORD_ENV = "JUMELAGE_IMAP_PASSWORD"
TOKEN_ENV = "JUMELAGE_IMAP_OAUTH2_TOKEN"
KEYRING_SERVICE = "jumelage-imap"
FETCH_BATCH = 25

log = logging.getLogger(__name__)


class MailboxUnavailable(Exception):
    """The mailbox cannot be read now (unreachable, login refused, no credentials)."""


def password(user: str) -> str | None:
    value = os.environ.get(PASSWORD_ENV)
    if value:
        return value
    try:
        return keyring.get_password(KEYRING_SERVICE, user)
    except Exception as exc:  # no usable keyring backend: never prompt, never block
        log.warning("system keyring unavailable: %s", type(exc).__name__)
        return None


class Mailbox:
    """One logged-in session on the configured folder."""

    def __init__(self, client: IMAPClient, config: MailboxInConfig) -> None:
        self.client = client
        self.config = config
        selected = client.select_folder(config.folder)
        self.uidvalidity = int(selected[b"UIDVALIDITY"])
        for folder in (config.processed_folder, config.review_folder):
            if not client.folder_exists(folder):
                client.create_folder(folder)
        self.can_move = client.has_capability("MOVE")

    def uids(self) -> list[int]:
        """Every message in the folder: what was handled has been moved out of it."""
        return sorted(int(u) for u in self.client.search(["ALL"]))

    def fetch(self, uids: list[int]) -> Iterator[tuple[int, bytes]]:
        """(uid, raw message) in batches, without setting \\Seen (BODY.PEEK)."""
        for start in range(0, len(uids), FETCH_BATCH):
            batch = uids[start : start + FETCH_BATCH]
            got = self.client.fetch(batch, ["BODY.PEEK[]"])
            for uid in batch:
                data = got.get(uid, {})
                raw = data.get(b"BODY[]")
                if isinstance(raw, bytes):
                    yield uid, raw

    def move(self, uid: int, folder: str) -> None:
        if self.can_move:
            self.client.move([uid], folder)
            return
        self.client.copy([uid], folder)
        self.client.delete_messages([uid])
        if self.client.has_capability("UIDPLUS"):
            self.client.uid_expunge([uid])
        else:
            self.client.expunge()


@contextmanager
def open_mailbox(config: MailboxInConfig) -> Iterator[Mailbox]:
    """A logged-in session, or MailboxUnavailable saying why (never a secret)."""
    token = os.environ.get(TOKEN_ENV)
    secret = None if token else password(config.user)
    if not token and not secret:
        raise MailboxUnavailable(
            f"no password for the IMAP user '{config.user}': set {PASSWORD_ENV}, store it in "
            f"the system keyring (service '{KEYRING_SERVICE}', name '{config.user}'), or set "
            f"{TOKEN_ENV} to an OAuth2 access token"
        )
    client = _connect(config)
    try:
        if token:
            client.oauth2_login(config.user, token)
        else:
            client.login(config.user, secret)
        yield Mailbox(client, config)
    except (OSError, ssl.SSLError, IMAPClient.Error) as exc:
        raise MailboxUnavailable(f"{config.host}: {type(exc).__name__}: {exc}") from None
    finally:
        with contextlib.suppress(Exception):  # already gone: nothing to close
            client.logout()


def _connect(config: MailboxInConfig) -> IMAPClient:
    """A connection, encrypted as configured, before any login: a certificate that cannot be
    verified stops here, so no password crosses an unverified channel."""
    context = ssl.create_default_context()  # the system's trust store (or SSL_CERT_FILE)
    where = f"{config.host}:{config.port}"
    client: IMAPClient | None = None
    try:
        client = IMAPClient(
            config.host,
            port=config.port,
            ssl=config.security == "ssl",
            ssl_context=context,
            timeout=config.timeout,
        )
        if config.security == "starttls":
            client.starttls(context)
        return client
    except ssl.SSLCertVerificationError as exc:
        _close(client)
        reason = exc.verify_message or exc.reason or "not trusted"
        raise MailboxUnavailable(
            f"the certificate of the IMAP server {where} cannot be verified ({reason}): "
            "nothing was read; add its issuing authority to the system's trust store, or "
            "check [mailbox_in] host and security"
        ) from None
    except (OSError, ssl.SSLError, IMAPClient.Error) as exc:
        _close(client)
        raise MailboxUnavailable(f"cannot reach {where}: {type(exc).__name__}: {exc}") from None


def _close(client: IMAPClient | None) -> None:
    if client is not None:
        with contextlib.suppress(Exception):  # a half-open connection: nothing to say
            client.shutdown()
