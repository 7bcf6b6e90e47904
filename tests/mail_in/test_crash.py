"""Exactly once: a night killed (SIGKILL, in a child process) at each point of `mail_in` (before
recording a message, between recording and moving it, between moving it and recording the
move), or whose moves fail, or applied and then killed the next night before the move, with
the same message delivered twice, then run again, applies each answer once and leaves no
message behind."""

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
    "runs",
    [
        [("record", 1)],  # killed before the first message is recorded
        [("record", 3)],  # killed before the third, two recorded
        [("move", 1)],  # recorded (its event too), killed before moving it
        [("move", 2)],
        [("mark_moved", 2)],  # moved, killed before the move is recorded
        [("move_fails", 1)],  # every move refused: the run goes on, answers applied
        # applied by a night whose moves failed, then the next night killed before moving it
        [("move_fails", 1), ("move", 1)],
    ],
    ids=lambda runs: "+".join(f"{point}{nth}" for point, nth in runs),
)
def test_killed_anywhere_each_answer_is_applied_once(mail_config, imap, runs):
    pid = propose(mail_config)
    mid, _ = sent(mail_config, "proposal", MENTEE)
    accept = message(MENTEE, "J'accepte !", in_reply_to=mid)
    imap.deliver(message("x@evil.example", "J'accepte", in_reply_to=mid))
    imap.deliver(accept)
    imap.deliver(
        message(MENTEE, "ooo", in_reply_to=mid, headers={"Auto-Submitted": "auto-replied"})
    )
    imap.deliver(accept)  # the same message again (a second delivery)
    for point, nth in runs:
        code = worker(mail_config, 1, point, nth)
        assert code == (0 if point == "move_fails" else -9)  # -9: SIGKILL
        if point == "move_fails":
            assert len(imap.messages("INBOX")) == 4  # recorded, still there
            assert status_of(mail_config, pid) == "accepted"  # applied by that night
    run_night(mail_config, day(1))  # the next run completes the date
    run_night(mail_config, day(2))
    assert status_of(mail_config, pid) == "accepted"
    assert read(mail_config, "select count(*) from events where source = 'email'") == [(1,)]
    assert read(mail_config, "select count(*) from relationships") == [(1,)]
    assert sorted(r[2] for r in inbound(mail_config)) == ["auto_reply", "recorded", "to_check"]
    assert imap.messages("INBOX") == []
    assert len(imap.messages(PROCESSED)) == 3 and len(imap.messages(REVIEW)) == 1


def status_of(config, pid: str) -> str:
    return read(config, "select status from proposals where proposal_id = ?", [pid])[0][0]
