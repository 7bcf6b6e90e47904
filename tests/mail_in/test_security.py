"""How jumelage reaches the mailbox: TLS with verified certificates (`ssl`, `starttls`), the
password from the system keyring, an OAuth2 access token (XOAUTH2), the tokens' secret from the
keyring. Real servers: pymap, a TLS front before it, an XOAUTH2 gateway before it (see
fronts.py for why pymap needs them); a throwaway certificate authority made here (trustme),
trusted through `SSL_CERT_FILE`, which the product's `ssl.create_default_context()` reads as
it would read the system's trust store."""

from __future__ import annotations

import os
import ssl
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import keyring
import keyring.core
import pytest
import trustme

from jumelage import stages, warehouse
from jumelage.config import Config
from jumelage.imapserver import ImapServer
from jumelage.mail_in.stage import MailInResult, mail_in
from jumelage.night import open_night
from jumelage.report import Report

from ..nights import run_night
from .conftest import PASSWORD, SECRET, mailbox_section
from .fronts import OAuth2Gateway, TlsFront
from .helpers import MENTEE, day, inbound, mark, message, propose, read, sent

USER = "mentorat@example.org"
OAUTH_TOKEN = "ya29.a0-test-access-token"


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A certificate authority that issued the servers' certificate (and one for another
    host), and an authority that did not."""
    where = tmp_path_factory.mktemp("pki")
    ca, stranger = trustme.CA(), trustme.CA()
    names = ("ca", "stranger", "chain", "key", "elsewhere_chain", "elsewhere_key")
    paths = {name: where / f"{name}.pem" for name in names}
    ca.cert_pem.write_to_path(str(paths["ca"]))
    stranger.cert_pem.write_to_path(str(paths["stranger"]))
    issued = (("", ca.issue_cert("127.0.0.1", "localhost")),
              ("elsewhere_", ca.issue_cert("imap.elsewhere.example")))  # fmt: skip
    for prefix, cert in issued:
        for i, pem in enumerate(cert.cert_chain_pems):
            pem.write_to_path(str(paths[f"{prefix}chain"]), append=i > 0)
        cert.private_key_pem.write_to_path(str(paths[f"{prefix}key"]))
    return paths


@pytest.fixture(scope="module")
def starttls_server(
    pki: dict[str, Path], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[ImapServer]:
    trusting = ssl.create_default_context(cafile=str(pki["ca"]))
    log = tmp_path_factory.mktemp("pymap-tls") / "pymap.log"
    with ImapServer(
        USER, PASSWORD, log=log, tls=(pki["chain"], pki["key"]), client_context=trusting
    ) as server:
        yield server


@pytest.fixture(scope="module")
def tls_front(pki: dict[str, Path], imap_server: ImapServer) -> Iterator[TlsFront]:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(pki["chain"], pki["key"])
    with TlsFront((imap_server.host, imap_server.port), context) as front:
        yield front


@pytest.fixture
def trust(monkeypatch: pytest.MonkeyPatch, pki: dict[str, Path]) -> Callable[[str], None]:
    """trust("ca") or trust("stranger"): the only authority the process trusts."""
    return lambda name: monkeypatch.setenv("SSL_CERT_FILE", str(pki[name]))


def mail_in_once(config: Config, n: int) -> MailInResult:
    con = warehouse.connect(config.data_dir)
    try:
        return mail_in(con, config, day(n))
    finally:
        con.close()


def night_with_report(config: Config, n: int) -> Report:
    """A night with its report stage (tests.nights.run_night leaves the report out)."""
    with open_night(config, day(n)) as night:
        stages.run(night, skip=("notify", "send_report"))
    return night.results["report"]


def accept_by_reply(config: Config, server: ImapServer) -> str:
    """A proposal, and its mentee's reply « J'accepte » in the mailbox: the proposal's id."""
    pid = propose(config)
    mid, _ = sent(config, "proposal", MENTEE)
    server.deliver(message(MENTEE, "J'accepte, merci.", in_reply_to=mid))
    return pid


def status_of(config: Config, pid: str) -> str:
    return read(config, "select status from proposals where proposal_id = ?", [pid])[0][0]


def test_ssl_reads_the_mailbox_over_verified_tls(program, imap, tls_front, trust):
    trust("ca")
    config = program(mailbox_section(imap, "ssl", tls_front.port))
    pid = accept_by_reply(config, imap)
    before = tls_front.sessions
    run_night(config, day(1))
    assert tls_front.sessions > before  # it went through the TLS port
    assert status_of(config, pid) == "accepted"
    assert imap.messages("INBOX") == []


def test_starttls_reads_the_mailbox_over_verified_tls(program, imap, starttls_server, trust):
    trust("ca")
    starttls_server.clear()
    config = program(mailbox_section(starttls_server, "starttls"))
    pid = accept_by_reply(config, starttls_server)
    run_night(config, day(1))
    assert status_of(config, pid) == "accepted"
    assert starttls_server.messages("INBOX") == []


@pytest.mark.parametrize("security", ["ssl", "starttls"])
def test_an_untrusted_certificate_is_refused_and_loses_nothing(
    program, imap, starttls_server, tls_front, trust, security
):
    server = starttls_server if security == "starttls" else imap
    server.clear()
    port = tls_front.port if security == "ssl" else None
    config = program(mailbox_section(server, security, port))
    trust("ca")
    pid = accept_by_reply(config, server)
    trust("stranger")  # the certificate's authority is no longer trusted
    result = mail_in_once(config, 1)
    assert result.error is not None
    assert "\n" not in result.error
    assert f"IMAP server 127.0.0.1:{port or server.port}" in result.error
    assert "certificate" in result.error and "cannot be verified" in result.error
    assert PASSWORD not in result.error
    report = night_with_report(config, 1)  # the night goes on with files alone
    assert "Boîte du programme non lue cette nuit" in report.html  # under « À traiter »
    assert f"IMAP server 127.0.0.1:{port or server.port}" in report.html
    assert report.numbers["todo_mailbox"] == 1
    assert status_of(config, pid) == "proposed"
    assert len(server.messages("INBOX")) == 1 and inbound(config) == []
    trust("ca")  # fixed: the next night reads the answer left in the mailbox
    run_night(config, day(2))
    assert status_of(config, pid) == "accepted"
    assert server.messages("INBOX") == []


def test_a_certificate_for_another_host_is_refused(program, imap, pki, trust):
    """Signed by a trusted authority, but for another name: refused all the same."""
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(pki["elsewhere_chain"], pki["elsewhere_key"])
    trust("ca")
    imap.deliver(message(MENTEE, "J'accepte"))
    with TlsFront((imap.host, imap.port), context) as front:
        result = mail_in_once(program(mailbox_section(imap, "ssl", front.port)), 0)
    assert result.error is not None and "\n" not in result.error
    assert f"IMAP server 127.0.0.1:{front.port} cannot be verified" in result.error
    assert "mismatch" in result.error  # what OpenSSL says of the name
    assert len(imap.messages("INBOX")) == 1


@pytest.fixture
def file_keyring(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A real keyring backend (keyrings.alt's file), chosen as an operator would: by
    PYTHON_KEYRING_BACKEND; its file under a temporary XDG_DATA_HOME."""
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyrings.alt.file.PlaintextKeyring")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    monkeypatch.setattr(keyring.core, "_keyring_backend", None)  # chosen again, restored after
    return tmp_path / "xdg-data" / "python_keyring" / "keyring_pass.cfg"


def keyring_set(service: str, name: str, value: str) -> None:
    """`keyring set SERVICE NAME`, the command the README gives, the value on its stdin."""
    subprocess.run(
        [sys.executable, "-m", "keyring", "set", service, name],
        input=value + "\n",
        text=True,
        check=True,
        env=os.environ.copy(),
        capture_output=True,
        timeout=60,
    )


def test_password_and_secret_from_the_keyring(mail_config, imap, file_keyring, monkeypatch):
    monkeypatch.delenv("JUMELAGE_IMAP_PASSWORD")
    monkeypatch.delenv("JUMELAGE_SECRET")
    keyring_set("jumelage-imap", USER, PASSWORD)
    keyring_set("jumelage-secret", "token", SECRET)
    stored = file_keyring.read_text()  # the file backend's own file, nothing else
    assert "[jumelage_2Dimap]" in stored and "[jumelage_2Dsecret]" in stored
    pid = propose(mail_config)
    # a button's token: it verifies only with the secret the keyring holds
    imap.deliver(message(MENTEE, "Je décline, pas le temps.", subject=mark(pid, "decline", MENTEE)))
    run_night(mail_config, day(1))
    assert status_of(mail_config, pid) == "declined"
    assert [r[2] for r in inbound(mail_config)] == ["recorded"]


def test_a_wrong_password_in_the_keyring_reads_nothing(
    mail_config, imap, file_keyring, monkeypatch
):
    monkeypatch.delenv("JUMELAGE_IMAP_PASSWORD")
    keyring_set("jumelage-imap", USER, "not-the-password")
    result = mail_in_once(mail_config, 0)
    assert result.error and "not-the-password" not in result.error


@pytest.fixture
def gateway(imap: ImapServer) -> Iterator[OAuth2Gateway]:
    with OAuth2Gateway((imap.host, imap.port), USER, PASSWORD, OAUTH_TOKEN) as front:
        yield front


def test_an_oauth2_token_logs_in_with_xoauth2(program, imap, gateway, monkeypatch):
    monkeypatch.delenv("JUMELAGE_IMAP_PASSWORD")
    monkeypatch.setenv("JUMELAGE_IMAP_OAUTH2_TOKEN", OAUTH_TOKEN)
    config = program(mailbox_section(imap, "none", gateway.port))
    pid = accept_by_reply(config, imap)
    run_night(config, day(1))
    assert status_of(config, pid) == "accepted"
    assert gateway.attempts[-1] == (USER, OAUTH_TOKEN) and gateway.refused == []


def test_a_refused_oauth2_token_reads_nothing(program, imap, gateway, monkeypatch):
    monkeypatch.setenv("JUMELAGE_IMAP_OAUTH2_TOKEN", "expired-token")
    config = program(mailbox_section(imap, "none", gateway.port))
    imap.deliver(message(MENTEE, "J'accepte"))
    result = mail_in_once(config, 0)
    assert result.error and "expired-token" not in result.error
    assert gateway.attempts == [(USER, "expired-token")]
    assert gateway.refused == []  # the password was not tried instead
    assert len(imap.messages("INBOX")) == 1
