"""What every subcommand of `jumelage` shares: its `--config` option and its handler."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import Any

CONFIG_HELP = "configuration file (default: $JUMELAGE_CONFIG, else ./jumelage.toml)"


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
    and the handler `main` calls."""
    parser = subparsers.add_parser(name, **parser_options)
    if needs_config:
        parser.add_argument("--config", type=Path, default=None, help=CONFIG_HELP)
    parser.set_defaults(handler=handler, needs_config=needs_config, **(defaults or {}))
    return parser
