"""`jumelage serve`: register and serve the nightly deployment on the configured schedule.

Wired into the main parser by ``register(subparsers)``; the handler takes (args, config).
"""

from __future__ import annotations

import argparse
from typing import Any

from jumelage.cli_command import add_command
from jumelage.config import Config
from jumelage.deploy import DEFAULT_NAME, FLOW_NAME

DESCRIPTION = f"""\
Register the '{FLOW_NAME}' deployment with the Prefect server named by PREFECT_API_URL and
serve it: the nightly flow runs on [program] schedule (cron, default '30 1 * * *') in
[program] timezone (default America/Montreal), one run at a time, until this command is
stopped (Ctrl-C or `systemctl stop`). Each run takes the data directory's lock itself.

Parameters of the deployment: config_path (the absolute path of --config) and run_date
(empty: today in the program's time zone). A manual run for a given date:

  prefect deployment run '{FLOW_NAME}/{DEFAULT_NAME}' -p run_date=2026-01-10

or "Run > Custom run" on the deployment's page in the Prefect UI (Deployments). To redo a
night after corrections, add -p reprocess=true (same as `jumelage reprocess --date D`).
Needs a running `prefect server start`; see deploy/README.md for the systemd units."""


def cmd_serve(args: argparse.Namespace, config: Config) -> int:
    """register and serve the nightly deployment on its cron schedule"""
    from jumelage.deploy import serve

    serve(config, args.name)
    return 0


def register(subparsers: Any) -> argparse.ArgumentParser:
    """Add `serve` to the main parser's subparsers."""
    raw = argparse.RawDescriptionHelpFormatter
    parser = add_command(
        subparsers, "serve", cmd_serve, description=DESCRIPTION, formatter_class=raw
    )
    parser.add_argument(
        "--name",
        default=DEFAULT_NAME,
        help=f"deployment name: runs appear as '{FLOW_NAME}/NAME' (default: {DEFAULT_NAME})",
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    """`python -m jumelage.cli_serve [--config PATH] [--name NAME]` (same as `jumelage serve`)."""
    import sys

    from jumelage.config import load_config
    from jumelage.errors import JumelageError

    parser = argparse.ArgumentParser(prog="jumelage")
    register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(["serve", *(sys.argv[1:] if argv is None else argv)])
    try:
        return int(args.handler(args, load_config(args.config)))
    except JumelageError as exc:
        print(f"jumelage: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    raise SystemExit(main())
