"""What every subcommand of `jumelage` shares: its `--config` option and its handler.

A handler's docstring is its help: the first line is the one-line summary of
`jumelage --help`, the rest the description of `jumelage COMMAND --help`. The words a user
reads about a command are written once, beside the code that does it.
"""

from __future__ import annotations

import argparse
import inspect
from collections.abc import Callable
from pathlib import Path
from typing import Any

CONFIG_HELP = "configuration file (default: $JUMELAGE_CONFIG, else ./jumelage.toml)"


def _help(handler: Callable[..., int]) -> dict[str, str]:
    """`help` and `description` from the handler's docstring."""
    doc = inspect.getdoc(handler) or ""
    summary, _, rest = doc.partition("\n")
    options = {"help": summary.strip()}
    if rest.strip():
        options["description"] = rest.strip()
    return options


def add_command(
    subparsers: Any,
    name: str,
    handler: Callable[..., int],
    *,
    needs_config: bool = True,
    defaults: dict[str, Any] | None = None,
    **parser_options: Any,
) -> argparse.ArgumentParser:
    """A subcommand: `--config` when it reads the configuration (checked before it runs),
    and the handler `main` calls; help and description come from the handler's docstring
    unless given."""
    options = _help(handler) | parser_options
    parser = subparsers.add_parser(name, **options)
    if needs_config:
        parser.add_argument("--config", type=Path, default=None, help=CONFIG_HELP)
    parser.set_defaults(handler=handler, needs_config=needs_config, **(defaults or {}))
    return parser
