"""`jumelage forget EMAIL`: erase one person's personal data (a program office's duty on request).

Wired into the main parser by ``register(subparsers)``; the handler takes (args, config).
"""

from __future__ import annotations

import argparse
from typing import Any

from jumelage.cli_command import add_command
from jumelage.config import Config


def cmd_forget(args: argparse.Namespace, config: Config) -> int:
    """erase one person's personal data

    Erase the personal data of the person with this email address, as a program office
    must on request: their registrations are deleted; their participant row, events,
    quarantined rows, proposals, relationships, flags and emails stay for the program's
    counts under a pseudonym, with names, free text and message bodies cleared; pending
    proposals to them are withdrawn, active relationships ended, unsent emails to them
    cancelled; other cells and reports that name them get the pseudonym and [effacé].
    Archived inbox files are rewritten without their rows; inbox copies already read are
    deleted. Takes the data directory's lock: no run may be in progress. Prints what it did.
    """
    from jumelage.forget import forget

    result = forget(config.data_dir, args.email, inbox=config.inbox)
    if not result.found:
        print(f"{result.email}: no personal data found in {config.data_dir}; nothing changed")
        return 0
    print("\n".join(result.lines()))
    return 0


def register(subparsers: Any) -> argparse.ArgumentParser:
    """Add `forget EMAIL` to the main parser's subparsers."""
    parser = add_command(subparsers, "forget", cmd_forget)
    parser.add_argument("email", metavar="EMAIL", help="the person's email address")
    return parser
