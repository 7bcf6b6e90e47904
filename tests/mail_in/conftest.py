"""A real IMAP server (pymap, in memory) for the session, emptied before each test; a
program whose `[mailbox_in]` reads it; the tokens' secret and the IMAP password set."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from jumelage.config import Config
from jumelage.imapserver import ImapServer

SECRET = "test-secret-for-tokens"
PASSWORD = "imap-pass"


@pytest.fixture(scope="session")
def imap_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ImapServer]:
    log = tmp_path_factory.mktemp("pymap") / "pymap.log"
    with ImapServer("mentorat@example.org", PASSWORD, log=log) as server:
        yield server


@pytest.fixture
def imap(imap_server: ImapServer, monkeypatch: pytest.MonkeyPatch) -> ImapServer:
    imap_server.clear()
    monkeypatch.setenv("JUMELAGE_IMAP_PASSWORD", PASSWORD)
    monkeypatch.setenv("JUMELAGE_SECRET", SECRET)
    monkeypatch.delenv("JUMELAGE_IMAP_OAUTH2_TOKEN", raising=False)
    return imap_server


def mailbox_section(
    server: ImapServer, security: str = "none", port: int | None = None, timeout: float = 10
) -> str:
    """`port`: a front's (TLS, OAuth2) instead of the server's own."""
    return f"""
[mailbox_in]
host = "127.0.0.1"
port = {port or server.port}
security = "{security}"
user = "{server.user}"
folder = "INBOX"
processed_folder = "jumelage/traites"
review_folder = "jumelage/a-verifier"
timeout = {timeout}
"""


@pytest.fixture
def mail_config(program: Callable[..., Config], imap: ImapServer) -> Config:
    return program(mailbox_section(imap))


@pytest.fixture
def mail_inbox(mail_config: Config) -> Path:
    path = mail_config.data_dir / "inbox"
    path.mkdir(parents=True, exist_ok=True)
    return path
