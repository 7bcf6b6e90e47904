"""`jumelage forget EMAIL`: erase one person's personal data (a program office's duty on request).

Wired into the main parser by ``register(subparsers)``; the handler takes (args, config).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from jumelage.config import Config

CONFIG_HELP = "configuration file (default: $JUMELAGE_CONFIG, else ./jumelage.toml)"
DESCRIPTION = (
    "Erase the personal data of the person with this email address, as a program office "
    "must on request: their registrations are deleted; their participant row, events, "
    "quarantined rows, proposals, relationships, flags and emails stay for the program's "
    "counts under a pseudonym, with names, free text and message bodies cleared; pending "
    "proposals to them are withdrawn, active relationships ended, unsent emails to them "
    "cancelled; other cells and reports that name them get the pseudonym and [effacé]. "
    "Archived inbox files are rewritten without their rows; inbox copies already read are "
    "deleted. Takes the data directory's lock: no run may be in progress. Prints what it did."
)


def cmd_forget(args: argparse.Namespace, config: Config) -> int:
    from jumelage.forget import forget

    result = forget(config.data_dir, args.email)
    if not result.found:
        print(f"{result.email}: no personal data found in {config.data_dir}; nothing changed")
        return 0
    print("\n".join(result.lines()))
    return 0


def register(subparsers: Any) -> argparse.ArgumentParser:
    """Add `forget EMAIL` to the main parser's subparsers."""
    parser = subparsers.add_parser(
        "forget", help="erase one person's personal data", description=DESCRIPTION
    )
    parser.add_argument("email", metavar="EMAIL", help="the person's email address")
    parser.add_argument("--config", type=Path, default=None, help=CONFIG_HELP)
    parser.set_defaults(handler=cmd_forget, needs_config=True)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """`python -m jumelage.cli_forget EMAIL --config PATH` (until the main parser wires it)."""
    from jumelage.config import load_config
    from jumelage.errors import JumelageError

    parser = argparse.ArgumentParser(prog="jumelage")
    register(parser.add_subparsers(dest="command", required=True))
    argv = list(argv if argv is not None else sys.argv[1:])
    args = parser.parse_args(argv if argv[:1] == ["forget"] else ["forget", *argv])
    try:
        return cmd_forget(args, load_config(args.config))
    except JumelageError as exc:
        print(f"jumelage: error: {exc}", file=sys.stderr)
        return exc.exit_code


if __name__ == "__main__":
    sys.exit(main())
