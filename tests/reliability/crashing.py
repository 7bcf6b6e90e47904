"""Crash anywhere: `jumelage run` as a real process, SIGKILLed at a stage boundary or at a random
moment, then run again to the end; the result is compared with an uninterrupted run.

Invariants after every cycle: the warehouse opens; no email reaches the SMTP server twice (by
Message-ID and by X-Jumelage-Key); every file's rows_read = accepted + quarantined +
superseded; the final state (files, participants, proposals, relationships, flags, emails'
keys) equals that of an uninterrupted run; an email is `sent` as in the reference run, or
`uncertain` when the kill fell inside its SMTP transaction (never sent twice).

Used by test_crash_anywhere.py (two cycles) and crash_campaign.py (`make reliability`).
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import threading
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import duckdb

from jumelage.demo.files import write_csv
from jumelage.mailsink import MailSink, free_port
from tests.conftest import BASE_CONFIG, reg

from .helpers import JUMELAGE, MENTOR, ROOT

STAGES = ["ingest", "validate", "apply", "match", "follow_up", "notify", "report"]
DAY = date(2026, 1, 10)


def make_program(root: Path, port: int) -> Path:
    """Six mentees, four mentors, a quarantined and a superseded row; SMTP to `port`."""
    root.mkdir(parents=True, exist_ok=True)
    path = root / "jumelage.toml"
    path.write_text(
        BASE_CONFIG + f'[smtp]\nhost = "127.0.0.1"\nport = {port}\ntimeout = 5\n', "utf-8"
    )
    rows = [reg(email=f"e{i}@x.ca", first_name=f"E{i}") for i in range(6)]
    rows += [
        reg(email=f"m{i}@y.ca", first_name=f"M{i}", organization="MCC", **MENTOR) for i in range(4)
    ]
    rows.append(reg(email="bad@x.ca", consent="non"))
    rows.append(reg(email="e0@x.ca", submitted_at="2026-01-01"))  # superseded
    write_csv(root / "data" / "inbox" / "inscriptions.csv", rows)
    return path


@dataclass
class Attempt:
    returncode: int | None
    killed_at: str  # "after <stage>", "at 3.2 s", "" (not killed)
    stderr: str


def run(
    config: Path,
    env: dict[str, str],
    *,
    kill_after_stage: str | None = None,
    kill_at: float | None = None,
    timeout: float = 300,
    on_start: Any = None,
) -> Attempt:
    """`jumelage run --date DAY`, SIGKILLed right after a stage finished or after `kill_at` s."""
    process = subprocess.Popen(
        [*JUMELAGE, "run", "--config", str(config), "--date", DAY.isoformat()],
        env={**os.environ, "PREFECT_LOGGING_LEVEL": "INFO", **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    killed = ""
    lines: list[str] = []
    lock = threading.Lock()
    if on_start is not None:
        on_start(lambda why: kill(why))

    def kill(why: str) -> None:
        nonlocal killed
        with lock:
            if not killed and process.poll() is None:
                process.send_signal(signal.SIGKILL)
                killed = why

    def watch() -> None:
        assert process.stderr is not None
        for line in process.stderr:
            lines.append(line)
            if (
                kill_after_stage
                and f"Task run '{kill_after_stage}-" in line
                and "Finished in state" in line
            ):
                kill(f"after {kill_after_stage}")

    reader = threading.Thread(target=watch, daemon=True)
    reader.start()
    timer = threading.Timer(kill_at, kill, [f"at {kill_at:.1f} s"]) if kill_at else None
    if timer:
        timer.start()
    try:
        process.wait(timeout=timeout)
    finally:
        if timer:
            timer.cancel()
        if process.poll() is None:
            process.kill()
            process.wait()
    reader.join(timeout=10)
    if process.stdout:
        process.stdout.read()
    return Attempt(process.returncode, killed, "".join(lines))


def state(data_dir: Path) -> dict[str, Any]:
    """What an uninterrupted night must leave, independent of timing."""
    con = duckdb.connect(str(data_dir / "warehouse.duckdb"), read_only=True)
    try:

        def q(sql: str) -> list[tuple[Any, ...]]:
            return sorted(con.execute(sql).fetchall(), key=repr)

        return {
            "files": q(
                "select name, status, rows_read, rows_accepted, rows_quarantined, "
                "rows_superseded from files"
            ),
            "quarantine": q("select source_file, row_number from quarantine"),
            "participants": q("select email, role, status from participants"),
            "proposals": q("select proposal_id, mentee_email, mentor_email, status from proposals"),
            "relationships": q("select relationship_id, status from relationships"),
            "flags": q("select flag_id, kind from flags"),
            "emails": q("select email_key, kind, recipient from emails"),
            "sent": dict(con.execute("select email_key, status from emails").fetchall()),
            "runs": q("select run_date, status from runs"),
            "unbalanced": q(
                "select name from files where rows_read <> rows_accepted + rows_quarantined "
                "+ rows_superseded"
            ),
        }
    finally:
        con.close()


@dataclass
class Cycle:
    killed_at: str
    first_code: int | None
    duplicates: int
    rows_lost: int
    uncertain: int
    problems: list[str]


def cycle(
    root: Path,
    env: dict[str, str],
    reference: dict[str, Any],
    *,
    kill_after_stage: str | None = None,
    kill_at: float | None = None,
    kill_on_delivery: int | None = None,
) -> Cycle:
    """One program: a killed run, then a run to the end; checked against `reference`.

    `kill_on_delivery=n`: SIGKILL as the server takes the n-th message, before it answers
    250 (the client dies between the SMTP transaction and its record).
    """
    port = free_port()
    config = make_program(root, port)
    problems: list[str] = []
    killer: list[Any] = []
    with MailSink(root / "sink", port=port, delay=0.05) as sink:
        if kill_on_delivery:
            keep = sink.keep

            def keep_then_kill(content: bytes, mail_from: str, rcpt: list[str]) -> None:
                keep(content, mail_from, rcpt)
                if killer and len(sink.messages) == kill_on_delivery:
                    killer[0](f"on delivery {kill_on_delivery}")

            sink.keep = keep_then_kill  # type: ignore[method-assign]
        first = run(
            config, env, kill_after_stage=kill_after_stage, kill_at=kill_at,
            on_start=killer.append,
        )  # fmt: skip
        killer.clear()
        second = run(config, env)
        if second.returncode != 0:
            problems.append(f"second run exited {second.returncode}: {second.stderr[-2000:]}")
        keys = [str(m["X-Jumelage-Key"]) for m in sink.messages]
        ids = sink.message_ids()
    duplicates = (len(keys) - len(set(keys))) + (len(ids) - len(set(ids)))
    if duplicates:
        problems.append(f"{duplicates} duplicate deliveries")
    try:
        got = state(root / "data")
    except duckdb.Error as exc:
        return Cycle(first.killed_at, first.returncode, duplicates, -1, 0,
                     [*problems, f"warehouse does not open: {exc}"])  # fmt: skip
    uncertain = 0
    for key in ("files", "quarantine", "participants", "proposals", "relationships", "flags",
                "emails", "runs"):  # fmt: skip
        if got[key] != reference[key]:
            problems.append(f"{key} differs: {got[key]} != {reference[key]}")
    for key, status in reference["sent"].items():
        mine = got["sent"].get(key)
        if mine == "uncertain":
            uncertain += 1
            if keys.count(key) > 1:
                problems.append(f"{key} uncertain and delivered twice")
        elif mine != status:
            problems.append(f"{key}: {mine} != {status}")
        elif status == "sent" and key not in keys:
            problems.append(f"{key} marked sent, never delivered")
    if got["unbalanced"]:
        problems.append(f"rows not accounted for: {got['unbalanced']}")
    ref_rows = sum(f[2] for f in reference["files"])
    rows_lost = ref_rows - sum(f[2] for f in got["files"])
    return Cycle(first.killed_at, first.returncode, duplicates, rows_lost, uncertain, problems)


def reference_state(root: Path, env: dict[str, str]) -> tuple[dict[str, Any], float]:
    """The uninterrupted night, and how long it took (to draw random kill moments)."""
    port = free_port()
    config = make_program(root, port)
    with MailSink(root / "sink", port=port, delay=0.05):
        started = time.monotonic()
        attempt = run(config, env)
        seconds = time.monotonic() - started
    assert attempt.returncode == 0, attempt.stderr[-3000:]
    return state(root / "data"), seconds


def random_kill(rng: random.Random, seconds: float) -> dict[str, Any]:
    if rng.random() < 0.5:
        return {"kill_after_stage": rng.choice(STAGES)}
    return {"kill_at": rng.uniform(0.5, seconds)}
