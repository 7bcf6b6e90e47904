"""`jumelage inbox check FILE` and `jumelage init --from-form FILE`: a form export, before it
goes in the inbox.

Wired into the main parser by ``register(subparsers)``.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from jumelage.cli_command import CONFIG_HELP, add_command
from jumelage.config import Config, default_config_path, load_config

CHECK_DESCRIPTION = (
    "A dry run of one inbox file: how each column is understood (its field, or ignored), how "
    "many rows would be accepted, quarantined or superseded with the first reasons, the "
    "unknown tags, and for a file already read under the same name what the correction would "
    "change (rows added, removed and changed, pending proposals withdrawn). Writes and sends "
    "nothing: the warehouse is read only, into memory. Exit 0: the file would go in cleanly; "
    "1: rows would be quarantined; 2: the file cannot be read."
)
INIT_DESCRIPTION = (
    "With --from-form FILE: the [inbox.headers] and [inbox.values] sections for a form tool's "
    "export (Microsoft Forms, Google Forms, LimeSurvey), guessed from its questions and the "
    "answers seen, printed commented: check each line, remove its '#', and add them to "
    "jumelage.toml."
)


def cmd_check(args: argparse.Namespace, config: Config) -> int:
    from jumelage.forms.check import check_file

    code, text = check_file(Path(args.file), config)
    print(text, end="")
    return code


def cmd_init(args: argparse.Namespace) -> int:
    from jumelage.errors import JumelageError
    from jumelage.forms.suggest import suggest_sections
    from jumelage.ingest.reader import UnreadableFile

    path = args.config or default_config_path()
    config = load_config(path) if args.config or path.is_file() else None
    try:
        print(suggest_sections(Path(args.from_form), config), end="")
    except UnreadableFile as exc:
        raise JumelageError(f"{args.from_form}: {exc}") from None
    except OSError as exc:
        raise JumelageError(f"{args.from_form}: {exc.strerror}") from None
    return 0


def register(subparsers: Any) -> None:
    """Add `inbox check FILE` and `init --from-form FILE` to the main parser's subparsers."""
    inbox = subparsers.add_parser(
        "inbox",
        help="check an inbox file before dropping it",
        description="What the night would make of an inbox file.",
    )
    sub = inbox.add_subparsers(dest="inbox_command", required=True, metavar="ACTION")
    check = add_command(
        sub, "check", cmd_check, help="dry run of one file", description=CHECK_DESCRIPTION
    )
    check.add_argument("file", metavar="FILE", help="a registrations or events file (CSV, XLSX)")

    init = add_command(
        subparsers,
        "init",
        cmd_init,
        needs_config=False,
        help="propose the [inbox] sections of a form export",
        description=INIT_DESCRIPTION,
    )
    init.add_argument("--from-form", metavar="FILE", required=True, help="the form's export")
    init.add_argument("--config", type=Path, default=None, help=CONFIG_HELP)
