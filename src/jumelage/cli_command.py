"""What every subcommand of `jumelage` shares: its `--config` option and its handler.

A handler's docstring is its help: the first line is the one-line summary of
`jumelage --help`, the rest the description of `jumelage COMMAND --help`. The words a user
reads about a command are written once, beside the code that does it.
"""

from __future__ import annotations

import argparse
import atexit
import inspect
import logging
import os
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any, NoReturn

CONFIG_HELP = "configuration file (default: $JUMELAGE_CONFIG, else ./jumelage.toml)"
VERBOSE_HELP = "also show Prefect's and Great Expectations' INFO lines"


def add_verbose(parser: argparse.ArgumentParser, *, default: Any = False) -> None:
    """`-v/--verbose`, accepted before or after the command's name."""
    parser.add_argument("-v", "--verbose", action="store_true", default=default, help=VERBOSE_HELP)


def set_verbosity(verbose: bool) -> None:
    """By default a command prints its own concise lines: Prefect's and Great Expectations'
    INFO lines only with --verbose (an explicit PREFECT_LOGGING_LEVEL is left as it is)."""
    level = "INFO" if verbose else "WARNING"
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", level)  # read when Prefect is imported
    logging.getLogger("great_expectations").setLevel(level)


def exit_quietly(code: int) -> NoReturn:
    """Leave the program without the ~40 `nanobind: leaked instance` lines of DuckDB 2.0.

    Prefect leaves daemon threads (its event loop, log and event workers) whose frames still
    reference DuckDB objects when the interpreter tears its modules down; DuckDB's bindings
    then report every object still alive as leaked. So the program shuts down as the
    interpreter would (non-daemon threads joined, Prefect's exit hooks: logs and events
    drained, the temporary server stopped; atexit handlers; logging flushed) and then ends
    the process before the module teardown.
    """
    threading._shutdown()  # type: ignore[attr-defined]  # what Py_Finalize does first
    atexit._run_exitfuncs()
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


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
    add_verbose(parser, default=argparse.SUPPRESS)  # the main parser's value stands otherwise
    parser.set_defaults(handler=handler, needs_config=needs_config, **(defaults or {}))
    return parser
