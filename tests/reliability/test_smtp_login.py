"""The SMTP login is the configured user as typed, even without '@' (yagmail appends @gmail.com)."""

from __future__ import annotations

from datetime import date

from jumelage import warehouse
from jumelage.demo.files import write_csv
from jumelage.mailsink import MailSink, free_port
from jumelage.notify.send import PASSWORD_ENV, send_queued
from tests.nights import run_night

from .helpers import tiny_program


def _night_sent_to(program, tmp_path, password: str) -> tuple[object, list[str]]:
    """One night of a tiny program, then its outbox sent to a server that wants the user
    `mentorat` with `password`: (the send stage's stats, the logins the server saw)."""
    port = free_port()
    config = program(f'[smtp]\nhost = "127.0.0.1"\nport = {port}\nuser = "mentorat"\n')
    write_csv(config.data_dir / "inbox" / "inscriptions.csv", tiny_program(1, 1))
    run_night(config, date(2026, 1, 10))
    con = warehouse.connect(config.data_dir)
    try:
        with MailSink(tmp_path / "sink", port=port, users={"mentorat": password}) as sink:
            stats = send_queued(con, config, retry_delay=0)
    finally:
        con.close()
    return stats, sink.logins


def test_plain_login_name_is_used_as_is(program, monkeypatch, tmp_path):
    monkeypatch.setenv(PASSWORD_ENV, "pw")
    stats, logins = _night_sent_to(program, tmp_path, "pw")
    assert stats.error is None and len(stats.sent) == 1
    assert logins == ["mentorat"]


def test_password_from_a_systemd_credential(program, monkeypatch, tmp_path):
    """A headless server has no keyring: `LoadCredential=smtp-password:...` gives the
    password as a file under $CREDENTIALS_DIRECTORY, which the send stage reads."""
    from jumelage.notify.send import smtp_password

    monkeypatch.delenv(PASSWORD_ENV, raising=False)
    credentials = tmp_path / "credentials"
    credentials.mkdir()
    (credentials / "smtp-password").write_text("s3cret du service\n", encoding="utf-8")
    monkeypatch.setenv("CREDENTIALS_DIRECTORY", str(credentials))
    assert smtp_password("mentorat") == "s3cret du service"  # the final newline dropped

    stats, logins = _night_sent_to(program, tmp_path, "s3cret du service")
    assert stats.error is None and len(stats.sent) == 1 and logins == ["mentorat"]

    # the environment variable still wins (a root-only EnvironmentFile=)
    monkeypatch.setenv(PASSWORD_ENV, "from-env")
    assert smtp_password("mentorat") == "from-env"
