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
