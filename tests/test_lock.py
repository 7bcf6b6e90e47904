"""Only one run at a time on a data directory."""

import os
import signal
import subprocess
import sys
import time

import pytest

from jumelage.cli import main
from jumelage.errors import LockedError
from jumelage.lock import data_dir_lock

HOLDER = """
import sys, time
from pathlib import Path
from jumelage.lock import data_dir_lock
with data_dir_lock(Path(sys.argv[1])):
    print("locked", flush=True)
    time.sleep(60)
"""


def hold_lock(data_dir):
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(data_dir)], stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout.readline().strip() == "locked"
    return proc


def test_second_holder_fails_at_once_with_a_clear_message(tmp_path):
    proc = hold_lock(tmp_path)
    try:
        with (
            pytest.raises(LockedError, match=rf"pid {proc.pid}\) is already working on"),
            data_dir_lock(tmp_path),
        ):
            pass
    finally:
        proc.kill()
        proc.wait()


def test_lock_is_released_when_the_holder_is_killed(tmp_path):
    proc = hold_lock(tmp_path)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    with data_dir_lock(tmp_path):
        assert (tmp_path / ".jumelage.lock").read_text() == str(os.getpid())


def test_reentrant_in_one_process(tmp_path):
    with data_dir_lock(tmp_path), data_dir_lock(tmp_path):
        pass
    with data_dir_lock(tmp_path):
        pass


def test_cli_run_exits_non_zero_while_another_run_holds_the_directory(config, capsys):
    proc = hold_lock(config.data_dir)
    try:
        started = time.monotonic()
        code = main(["run", "--config", str(config.source), "--date", "2026-01-10"])
        assert code == 3
        assert "already working on" in capsys.readouterr().err
        assert time.monotonic() - started < 30  # at once, not after a Prefect start-up
        assert not (config.data_dir / "warehouse.duckdb").exists()
    finally:
        proc.kill()
        proc.wait()
