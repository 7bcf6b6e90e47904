"""`jumelage emails list|resend`, through an argparse parser built like the main one."""

from __future__ import annotations

import argparse

import pytest

from jumelage import warehouse
from jumelage.cli_emails import register
from jumelage.notify import enqueue, recover_interrupted, send_queued
from tests.notify.helpers import sample_messages


def run(argv, config):
    parser = argparse.ArgumentParser(prog="jumelage")
    register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    assert args.needs_config
    return args.handler(args, config)


def test_help_texts(capsys):
    parser = argparse.ArgumentParser(prog="jumelage")
    register(parser.add_subparsers(dest="command", required=True))
    for argv in (["emails", "--help"], ["emails", "list", "--help"], ["emails", "resend", "-h"]):
        with pytest.raises(SystemExit) as exit_:
            parser.parse_args(argv)
        assert exit_.value.code == 0
    out = capsys.readouterr().out
    assert "uncertain" in out and "--status" in out and "KEY" in out
    with pytest.raises(SystemExit):
        parser.parse_args(["emails", "list", "--status", "lost"])


def test_list_and_resend(config, sink, capsys):
    con = warehouse.connect(config.data_dir)
    messages = sample_messages(config, 3)
    with warehouse.transaction(con):
        enqueue(con, messages)
    send_queued(con, config)
    key = messages[2].email_key
    con.execute("update emails set status = 'sending' where email_key = ?", [key]).fetchall()
    recover_interrupted(con)
    con.close()

    assert run(["emails", "list"], config) == 0
    out = capsys.readouterr().out
    assert "2 sent" in out and "1 uncertain" in out and key in out
    assert run(["emails", "list", "--status", "uncertain"], config) == 0
    out = capsys.readouterr().out
    assert key in out and messages[0].email_key not in out

    assert run(["emails", "resend", key], config) == 0
    assert f"email {key} sent" in capsys.readouterr().out
    assert [m["X-Jumelage-Key"] for m in sink.messages].count(key) == 2  # on request only
    assert run(["emails", "list", "--status", "uncertain"], config) == 0
    assert "no email with status uncertain" in capsys.readouterr().out

    from jumelage.errors import JumelageError

    with pytest.raises(JumelageError, match="only an uncertain or failed"):
        run(["emails", "resend", key], config)


def test_list_on_a_big_outbox_mixing_nulls_prints_keys_whole_in_every_format(config, capsys):
    """1,200 emails whose last_error, about, due_on and sent_at are null in the first thousand
    rows and set afterwards (polars once guessed their types from the first rows only)."""
    import csv
    import io
    import json

    con = warehouse.connect(config.data_dir)
    con.execute(
        """
        insert into emails (email_key, kind, recipient, language, about, due_on, subject,
            body_text, body_html, message_id, status, attempts, last_error, created_run_date,
            created_at, sent_at)
        select
            'followup-' || lpad(i::varchar, 4, '0') || '-0123456789abcdef0123456789abcdef',
            'followup', 'personne' || i || '@tres-longue-organisation.gouv.qc.ca', 'fr',
            case when i >= 1000 then 'R-' || i end,
            case when i >= 1000 then date '2026-11-01' end,
            's', 't', 'h', '<m' || i || '@x>',
            case when i >= 1100 then 'failed' when i >= 1000 then 'sent' else 'queued' end,
            (i % 3)::integer,
            case when i >= 1100 then '550 mailbox unavailable: ' || repeat('x', 80) end,
            date '2026-11-01', timestamp '2026-11-01 02:00:00' + to_seconds(i),
            case when i >= 1000 and i < 1100 then timestamp '2026-11-02 02:00:00' end
        from range(1200) as t(i)
        """
    ).fetchall()
    con.close()
    keys = [f"followup-{i:04d}-0123456789abcdef0123456789abcdef" for i in range(1200)]

    assert run(["emails", "list"], config) == 0
    out = capsys.readouterr().out
    assert all(key in out for key in keys)  # whole: each pastes into `emails resend`
    assert "100 failed, 1000 queued, 100 sent" in out

    assert run(["emails", "list", "--format", "csv"], config) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [r["email_key"] for r in rows] == keys
    assert rows[0]["last_error"] == "" and rows[-1]["last_error"].endswith("x" * 80)

    assert run(["emails", "list", "--format", "json", "--status", "failed"], config) == 0
    failed = json.loads(capsys.readouterr().out)
    assert [r["email_key"] for r in failed] == keys[1100:]
    assert failed[0]["sent_at"] is None and failed[0]["created_run_date"] == "2026-11-01"
