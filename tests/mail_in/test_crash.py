"""Exactly once: a night killed at each point of `mail_in` (before recording a message,
between recording and moving it, between moving it and recording the move), or whose moves
fail, then run again, applies each answer once and leaves no message behind."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from ..nights import run_night
from .helpers import MENTEE, day, inbound, message, propose, read, sent

WORKER = Path(__file__).with_name("crash_worker.py")
ROOT = Path(__file__).resolve().parents[2]
PROCESSED, REVIEW = "jumelage/traites", "jumelage/a-verifier"


def worker(config, n: int, point: str, nth: int) -> int:
    env = os.environ | {"PYTHONPATH": f"{ROOT / 'src'}{os.pathsep}{ROOT}"}
    proc = subprocess.run(
        [sys.executable, str(WORKER), str(config.source), day(n).isoformat(), point, str(nth)],
        env=env,
        capture_output=True,
        timeout=300,
    )
    return proc.returncode


@pytest.mark.parametrize(
    ("point", "nth"),
    [("record", 1), ("record", 3), ("move", 1), ("move", 2), ("mark_moved", 2), ("move_fails", 1)],
)
def test_killed_anywhere_each_answer_is_applied_once(mail_config, imap, point, nth):
    pid = propose(mail_config)
    mid, _ = sent(mail_config, "proposal", MENTEE)
    imap.deliver(message("x@evil.example", "J'accepte", in_reply_to=mid))
    imap.deliver(message(MENTEE, "J'accepte !", in_reply_to=mid))
    imap.deliver(
        message(MENTEE, "ooo", in_reply_to=mid, headers={"Auto-Submitted": "auto-replied"})
    )
    code = worker(mail_config, 1, point, nth)
    assert code == (0 if point == "move_fails" else -9)
    if point == "move_fails":
        assert len(imap.messages("INBOX")) == 3  # recorded, still there
    run_night(mail_config, day(1))  # the next run completes the date
    run_night(mail_config, day(2))
    assert read(mail_config, "select status from proposals where proposal_id = ?", [pid]) == [
        ("accepted",)
    ]
    assert read(mail_config, "select count(*) from events where source = 'email'") == [(1,)]
    assert read(mail_config, "select count(*) from relationships") == [(1,)]
    assert sorted(r[2] for r in inbound(mail_config)) == ["auto_reply", "recorded", "to_check"]
    assert imap.messages("INBOX") == []
    assert len(imap.messages(PROCESSED)) == 2 and len(imap.messages(REVIEW)) == 1
