"""The command line: help on every command."""

import subprocess
import sys

import pytest

from jumelage.cli import build_parser

COMMANDS = sorted(build_parser()._subparsers._group_actions[0].choices)


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help(command, tmp_path):
    out = subprocess.run(
        [sys.executable, "-m", "jumelage.cli", command, "--help"],
        capture_output=True,
        text=True,
        cwd=tmp_path,  # works from any directory
        check=True,
    ).stdout
    assert f"usage: jumelage {command}" in out
    assert len(out.splitlines()) > 3


def test_top_level_help_lists_the_commands():
    out = subprocess.run(
        [sys.executable, "-m", "jumelage.cli", "--help"], capture_output=True, text=True, check=True
    ).stdout
    for command in ("run", "demo"):
        assert command in out


@pytest.mark.parametrize(
    ("setting", "expected"),
    [
        # Prefect's temporary server that does not come up in time
        ({"PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "0"}, "did not start within 0 s"),
        # a configured server that is not running
        ({"PREFECT_API_URL": "http://127.0.0.1:9/api"}, "cannot reach the Prefect server"),
    ],
)
def test_prefect_that_cannot_start_is_one_line_with_the_fix(config, setting, expected, tmp_path):
    import os

    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    env.update(PREFECT_HOME=str(tmp_path / "prefect"), **setting)
    done = subprocess.run(
        [sys.executable, "-m", "jumelage.cli", "run", "--config", str(config.source),
         "--date", "2026-01-05"],
        capture_output=True, text=True, env=env, timeout=300,
    )  # fmt: skip
    assert done.returncode == 1
    errors = [line for line in done.stderr.splitlines() if line.startswith("jumelage: error:")]
    assert len(errors) == 1 and expected in errors[0], done.stderr
    assert "prefect server start" in errors[0]
    assert "Traceback" not in done.stderr
