"""`jumelage init [--dir PATH]`: a commented starter configuration and its data directories.

Wired into the main parser by ``register(subparsers)``; the handler takes (args) only: there
is no configuration to read yet.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from jumelage.cli_command import CONFIG_HELP, add_command
from jumelage.errors import JumelageError

CONFIG_NAME = "jumelage.toml"
DATA_DIRS = ("inbox", "archive", "reports", "outbox")
STARTER = Path(__file__).parent / "templates" / "init" / CONFIG_NAME


def starter_text() -> str:
    """The starter configuration: every section and key, with its default and a comment."""
    return STARTER.read_text(encoding="utf-8")


def init(directory: Path) -> tuple[Path, list[Path]]:
    """Write `<directory>/jumelage.toml` and the data directories it names; an existing
    configuration is never overwritten. Returns the file and the directories created."""
    from jumelage.config import load_config

    directory = directory.resolve()
    path = directory / CONFIG_NAME
    if path.exists():
        raise JumelageError(
            f"{path} already exists and is left as it is; edit it, or choose another --dir"
        )
    directory.mkdir(parents=True, exist_ok=True)
    with path.open("x", encoding="utf-8") as out:  # "x": never over a file made meanwhile
        out.write(starter_text())
    data_dir = load_config(path).data_dir
    made = [data_dir / name for name in DATA_DIRS if not (data_dir / name).is_dir()]
    for sub in made:
        sub.mkdir(parents=True)
    return path, made


def cmd_init(args: argparse.Namespace) -> int:
    """write a commented starter jumelage.toml and its data directories

    Write PATH/jumelage.toml, a starter configuration with every section and key, its
    default and a comment, and the data directories it names (inbox/, archive/, reports/,
    outbox/ under data_dir). An existing jumelage.toml is never overwritten.

    With --from-form FILE, write nothing: print the [inbox.headers] and [inbox.values]
    sections for a form tool's export (Microsoft Forms, Google Forms, LimeSurvey), guessed
    from its questions and the answers seen, commented: check each line, remove its '#',
    and add them to jumelage.toml (--config: the vocabulary to recognise tags with).
    """
    if args.from_form:
        from jumelage.cli_inbox import print_form_sections

        return print_form_sections(args)
    path, made = init(Path(args.dir))
    print(f"configuration written to {path}")
    for sub in made:
        print(f"  created {sub}/")
    print(
        "next: set [program] name, mailbox and coordinators and [smtp] in it, drop files in "
        "inbox/, then: jumelage run --config " + str(path)
    )
    return 0


def register(subparsers: Any) -> argparse.ArgumentParser:
    """Add `init` to the main parser's subparsers."""
    parser = add_command(subparsers, "init", cmd_init, needs_config=False)
    parser.add_argument(
        "--dir", default=".", help="where to write jumelage.toml (default: the current directory)"
    )
    parser.add_argument("--from-form", metavar="FILE", help="a form's export: print its sections")
    parser.add_argument("--config", type=Path, default=None, help=CONFIG_HELP)
    return parser
