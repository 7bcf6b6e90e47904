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
