"""`[mailbox_in]` is optional and strict: a wrong value names the key and the file, and a
password in the file is refused with where to put it instead."""

from __future__ import annotations

import pytest

from jumelage.errors import ConfigError

SECTION = """
[mailbox_in]
host = "imap.example.org"
user = "mentorat@example.org"
"""


def test_defaults(program):
    box = program(SECTION).mailbox_in
    assert (box.port, box.security, box.folder) == (993, "ssl", "INBOX")
    assert (box.processed_folder, box.review_folder) == ("jumelage/traites", "jumelage/a-verifier")


def test_absent_means_no_mailbox(program):
    assert program().mailbox_in is None


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ('security = "tls"', "key 'mailbox_in.security'"),
        ("port = 0", "key 'mailbox_in.port'"),
        ('folders = "x"', "unknown key 'mailbox_in.folders'"),
    ],
)
def test_wrong_values_name_the_key_and_the_file(program, extra, message):
    with pytest.raises(ConfigError, match=r"jumelage\.toml") as err:
        program(SECTION + extra + "\n")
    assert message in str(err.value)


def test_a_password_in_the_file_is_refused(program):
    with pytest.raises(ConfigError, match="JUMELAGE_IMAP_PASSWORD") as err:
        program(SECTION + 'password = "hunter2"\n')
    assert "hunter2" not in str(err.value) and "mailbox_in.password" in str(err.value)


def test_missing_host_names_the_key(program):
    with pytest.raises(ConfigError, match=r"missing required key 'mailbox_in\.host'"):
        program('[mailbox_in]\nuser = "u"\n')


def test_run_without_the_secret_stops_with_a_clear_message(program, monkeypatch, capsys):
    from jumelage.cli import main

    monkeypatch.delenv("JUMELAGE_SECRET", raising=False)
    monkeypatch.setattr("jumelage.mail_in.token.keyring.get_password", lambda *a: None)
    config = program(SECTION)
    assert main(["run", "--config", str(config.source), "--date", "2026-03-02"]) != 0
    err = capsys.readouterr().err
    assert "[mailbox_in] is configured but no secret" in err and "JUMELAGE_SECRET" in err
    assert not (config.data_dir / "warehouse.duckdb").exists()  # nothing read or written
