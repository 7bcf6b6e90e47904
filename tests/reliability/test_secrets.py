"""The SMTP password never leaves the process: not in the warehouse, files, logs or errors.

A sentinel password is put in JUMELAGE_SMTP_PASSWORD; the sink requires AUTH with it. Nights
run with the server accepting the login, refusing it (wrong password on the server's side) and
down; then every byte the program wrote (warehouse, archive, reports, .eml files, Prefect
artifacts, captured logs and output, `runs.error`, `emails.last_error`) is searched for it,
in clear, base64 (AUTH PLAIN / LOGIN encodings) and hex.
"""

from __future__ import annotations

import base64
import logging
from datetime import date

import pytest

from jumelage.config import ConfigError, load_config
from jumelage.demo.files import write_csv
from jumelage.mailsink import MailSink, free_port
from jumelage.notify.send import PASSWORD_ENV

from .helpers import (
    files_containing,
    prefect_env,
    run_cli,
    tiny_program,
    warehouse_values_containing,
)

SENTINEL = "S3ntinel-pa55word-9f1c2e"
USER = "mentorat"


def _needles() -> list[bytes]:
    raw = SENTINEL.encode()
    return [
        raw,
        base64.b64encode(raw),
        base64.b64encode(b"\0" + USER.encode() + b"\0" + raw),  # AUTH PLAIN
        raw.hex().encode(),
        SENTINEL[4:-4].encode(),  # a fragment, in case of truncation or re-encoding
    ]


def _assert_nowhere(root, text: str = "") -> None:
    leaks = files_containing(root, _needles())
    assert not leaks, f"password found in files: {leaks}"
    for needle in _needles():
        assert needle.decode() not in text, f"password found in output/logs: {needle!r}"
    db = (
        root / "data" / "warehouse.duckdb"
        if (root / "data").exists()
        else root / "warehouse.duckdb"
    )
    if db.exists():
        assert warehouse_values_containing(db, SENTINEL[4:-4]) == []


@pytest.mark.prefect
def test_password_never_written_anywhere(
    prefect_harness, program, tmp_path, monkeypatch, caplog, capsys
):
    """Three real nights: login accepted, login refused, server down; then a full scan."""
    from prefect.client.orchestration import get_client

    from flows.nightly import nightly

    caplog.set_level(logging.DEBUG)
    monkeypatch.setenv(PASSWORD_ENV, SENTINEL)
    port = free_port()
    config = program(f'[smtp]\nhost = "127.0.0.1"\nport = {port}\nuser = "{USER}"\ntimeout = 5\n')
    inbox = config.data_dir / "inbox"
    write_csv(inbox / "inscriptions.csv", tiny_program())
    outcomes = []
    # 1. the server takes the login: the proposals and the report go out
    with MailSink(tmp_path / "sink", port=port, users={USER: SENTINEL}) as sink:
        outcomes.append(nightly(run_date=date(2026, 1, 10), config_path=str(config.source)))
        assert sink.logins and len(sink.messages) >= 3, outcomes
    # 2. the server refuses the login (its password changed): everything stays queued
    write_csv(inbox / "inscriptions-2.csv", tiny_program(1, 0, email="late@x.ca"))
    with MailSink(tmp_path / "sink", port=port, users={USER: "another"}) as refusing:
        outcomes.append(nightly(run_date=date(2026, 1, 11), config_path=str(config.source)))
        assert not refusing.messages
    # 3. the server is down
    outcomes.append(nightly(run_date=date(2026, 1, 12), config_path=str(config.source)))
    assert outcomes[0]["emails_sent"] >= 3
    assert outcomes[1]["smtp_error"] and "login refused" in outcomes[1]["smtp_error"]
    assert outcomes[2]["smtp_error"] and "cannot reach" in outcomes[2]["smtp_error"]

    # Everything the Prefect server keeps: artifacts, flow and task runs (parameters, states)
    # and the logs it received.
    server_text = ""
    with get_client(sync_client=True) as client:
        for route in ("artifacts", "flow_runs", "task_runs", "logs"):
            response = client._client.post(f"/{route}/filter", json={"limit": 200, "offset": 0})
            response.raise_for_status()
            server_text += response.text
    assert "daily_report" in server_text.lower() or "rapport" in server_text.lower()
    captured = capsys.readouterr()
    text = caplog.text + captured.out + captured.err + server_text + repr(outcomes)
    _assert_nowhere(tmp_path, text)


@pytest.mark.prefect
def test_password_not_in_subprocess_output(program, tmp_path, prefect_harness):
    """`jumelage run` as a real process, login refused then server down: stdout/stderr clean."""
    port = free_port()
    config = program(f'[smtp]\nhost = "127.0.0.1"\nport = {port}\nuser = "{USER}"\ntimeout = 5\n')
    write_csv(config.data_dir / "inbox" / "inscriptions.csv", tiny_program(1, 1))
    env = {PASSWORD_ENV: SENTINEL, "PREFECT_LOGGING_LEVEL": "DEBUG", **prefect_env()}
    with MailSink(tmp_path / "sink", port=port, users={USER: "not-the-sentinel"}):
        refused = run_cli("run", "--config", str(config.source), "--date", "2026-01-10", env=env)
    down = run_cli("run", "--config", str(config.source), "--date", "2026-01-11", env=env)
    for result in (refused, down):
        assert result.returncode == 0, result.stderr
    assert "login refused" in refused.stdout
    _assert_nowhere(tmp_path, refused.stdout + refused.stderr + down.stdout + down.stderr)


def test_password_in_toml_refused_without_echo(tmp_path):
    """A password key in the file stops the command; the message names the key, not the value."""
    path = tmp_path / "jumelage.toml"
    path.write_text(
        '[program]\nname = "P"\nmailbox = "m@x.ca"\ncoordinators = ["c@x.ca"]\n'
        f'[smtp]\nuser = "u"\npassword = "{SENTINEL}"\n',
        encoding="utf-8",
    )
    with pytest.raises(ConfigError) as info:
        load_config(path)
    assert "password" in str(info.value) and SENTINEL not in str(info.value)
    result = run_cli("run", "--config", str(path), "--date", "2026-01-10")
    assert result.returncode == 2
    assert "password" in result.stderr and SENTINEL not in result.stdout + result.stderr


def test_connection_error_messages_do_not_carry_the_password(program, monkeypatch, tmp_path):
    """The send stage's own errors (login refused, server down) never quote the password."""
    from jumelage import warehouse
    from jumelage.notify.send import send_queued
    from tests.nights import run_night

    monkeypatch.setenv(PASSWORD_ENV, SENTINEL)
    port = free_port()
    config = program(f'[smtp]\nhost = "127.0.0.1"\nport = {port}\nuser = "{USER}"\ntimeout = 5\n')
    write_csv(config.data_dir / "inbox" / "inscriptions.csv", tiny_program(1, 1))
    run_night(config, date(2026, 1, 10))
    con = warehouse.connect(config.data_dir)
    try:
        with MailSink(tmp_path / "sink", port=port, users={USER: "nope"}):
            refused = send_queued(con, config, retry_delay=0)
        down = send_queued(con, config, retry_delay=0)
        errors = con.execute("select last_error from emails").fetchall()
    finally:
        con.close()
    assert refused.error and down.error
    for text in (refused.error, down.error, repr(errors)):
        assert SENTINEL not in text
