"""A quiet console: no nanobind leak lines at exit, Prefect's and GX's INFO lines only with
--verbose, a progress bar only on a terminal."""

from __future__ import annotations

import io
import os
import subprocess
import sys

import pytest

from jumelage.demo.files import write_csv
from jumelage.mailsink import MailSink, free_port
from jumelage.progress import progress
from tests.conftest import reg
from tests.reliability.helpers import prefect_env

# A daemon thread still holding a DuckDB connection when the program ends: what Prefect's
# worker threads do after a flow run.
HELD_AT_EXIT = """
import sys, threading, time
import duckdb
from jumelage.cli_command import exit_quietly
con = duckdb.connect()
def hold(c=con):
    time.sleep(60)
threading.Thread(target=hold, daemon=True).start()
print("done", flush=True)
if sys.argv[1] == "quietly":
    exit_quietly(0)
"""


def test_exit_quietly_ends_without_the_leak_report_a_plain_exit_prints():
    plain, quiet = (
        subprocess.run(
            [sys.executable, "-c", HELD_AT_EXIT, how], capture_output=True, text=True, timeout=60
        )
        for how in ("plainly", "quietly")
    )
    assert "leaked" in plain.stderr  # the problem, as DuckDB 2.0 shows it
    assert quiet.returncode == 0 and quiet.stdout == "done\n"
    assert quiet.stderr == ""


def _cli(*args, env):
    return subprocess.run(
        [sys.executable, "-m", "jumelage.cli", *args],
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
    )


@pytest.mark.prefect
def test_jumelage_run_prints_its_own_lines_and_no_leak(prefect_harness, program, tmp_path):
    port = free_port()
    config = program(f'[smtp]\nhost = "127.0.0.1"\nport = {port}\n')
    write_csv(
        config.data_dir / "inbox" / "inscriptions.csv",
        [reg(email="a@x.ca"), reg(email="m@x.ca", role="mentor", management_level="3",
                                  competencies="leadership")],
    )  # fmt: skip
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_LOGGING_LEVEL"}
    env |= prefect_env()
    with MailSink(tmp_path / "sink", port=port):
        quiet = _cli("run", "--config", str(config.source), "--date", "2026-03-02", env=env)
        loud = _cli("--verbose", "run", "--config", str(config.source), "--date", "2026-03-03",
                    env=env)  # fmt: skip
    assert quiet.returncode == 0, quiet.stderr
    assert quiet.stdout.startswith("nightly 2026-03-02 finished: 1 file(s) read, 1 proposal(s)")
    assert "leaked" not in quiet.stderr and "nanobind" not in quiet.stderr
    assert "INFO" not in quiet.stderr, quiet.stderr  # Prefect's and GX's lines stay out
    assert "\r" not in quiet.stderr  # no progress bar off a terminal
    assert loud.returncode == 0, loud.stderr
    assert "INFO" in loud.stderr and "Finished in state" in loud.stderr
    assert "leaked" not in loud.stderr


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_shows_a_bar_on_a_terminal_only(monkeypatch):
    monkeypatch.setattr(sys, "stderr", io.StringIO())
    with progress("sending", 3) as shown:
        shown(2)
    assert sys.stderr.getvalue() == ""
    terminal = _Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    with progress("sending", 3) as shown:
        shown(1)
        shown(3, "sending: done")
    assert "sending" in terminal.getvalue()
    monkeypatch.setenv("JUMELAGE_PROGRESS", "0")
    terminal = _Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    with progress("sending", 3) as shown:
        shown(1)
    assert terminal.getvalue() == ""
