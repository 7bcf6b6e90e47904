"""The `jumelage` command line: run, reprocess, demo, init, sql, emails, serve, forget,
whatif, dismiss, inbox."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path

from jumelage.cli_command import add_command, add_verbose, exit_quietly, set_verbosity
from jumelage.config import Config, load_config, require_data_dir
from jumelage.errors import JumelageError

EPHEMERAL_TIMEOUT = "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS"


def _quiet_prefect() -> None:
    """Prefect defaults for a command-line run: no analytics, no UI, and a generous start-up
    time for its temporary server (Prefect's 20 s is too short on a busy or cold machine)."""
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("PREFECT_UI_ENABLED", "false")
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    os.environ.setdefault(EPHEMERAL_TIMEOUT, "120")


def _prefect_unavailable(exc: Exception) -> str | None:
    """One line that says Prefect could not start, and the fix; None for other errors."""
    if isinstance(exc, RuntimeError) and "ephemeral Prefect API server" in str(exc):
        return (
            f"Prefect's temporary server did not start within {os.environ.get(EPHEMERAL_TIMEOUT)}"
            f" s. Try again, allow it longer ({EPHEMERAL_TIMEOUT}=300), or start "
            "`prefect server start` and set PREFECT_API_URL=http://127.0.0.1:4200/api"
        )
    if isinstance(exc, RuntimeError) and str(exc).startswith("Failed to reach API at"):
        return (
            f"cannot reach the Prefect server at {os.environ.get('PREFECT_API_URL')}: start it "
            "(`prefect server start`, or `systemctl start prefect-server`) or unset "
            "PREFECT_API_URL to let jumelage start a temporary one"
        )
    return None


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (expected YYYY-MM-DD): {text!r}") from None


def cmd_run(args: argparse.Namespace, config: Config, *, reprocess: bool = False) -> int:
    """run the nightly flow for one date

    Run the nightly flow for --date (default: today in the program's time zone). Exits 0
    when the run finished, even with quarantined rows.
    """
    from jumelage.lock import data_dir_lock
    from jumelage.mail_in.token import require_secret

    if config.mailbox_in is not None:
        require_secret()  # answers by email need their tokens' secret: stop before anything
    # Take the lock before Prefect starts, so a second run exits at once.
    with data_dir_lock(config.data_dir):
        _quiet_prefect()
        from jumelage.flow import nightly

        summary = nightly(
            run_date=args.date,
            config_path=str(config.source),
            reprocess=reprocess,
        )
    print(
        f"{summary['kind']} {summary['run_date']} finished: {len(summary['files'])} file(s) read, "
        f"{summary['proposals']} proposal(s), {summary['emails_sent']} email(s) sent, "
        f"{summary['emails_queued']} still queued"
        + (f" (SMTP: {summary['smtp_error']})" if summary["smtp_error"] else "")
    )
    mail = summary.get("mail_in") or {}
    if mail.get("configured"):
        print(
            f"  program mailbox: {mail['read']} message(s) read, {mail.get('recorded', 0)} "
            f"answer(s) recorded, {mail.get('to_check', 0)} to check"
            + (f" (IMAP: {mail['error']})" if mail.get("error") else "")
        )
    for f in summary["files"]:
        problem = f" — fichier rejeté : {f['error']}" if f["error"] else ""
        print(
            f"  {f['name']}: {f['rows_read']} rows, {f['accepted']} accepted, "
            f"{f['quarantined']} quarantined, {f['superseded']} superseded{problem}"
        )
    return 0


def cmd_reprocess(args: argparse.Namespace, config: Config) -> int:
    """redo one night after coordinators corrected data

    After corrections (a corrected file dropped in the inbox under the same name, events,
    ...), redo the night of --date: read the corrected files, re-derive participants and
    pairs, withdraw pending proposals that are no longer valid (the mentee is told once),
    match whoever is waiting, rewrite that date's report. Running it twice, or the next
    night, changes nothing more and sends nothing again.
    """
    return cmd_run(args, config, reprocess=True)


def cmd_demo(args: argparse.Namespace) -> int:
    """build a synthetic program and simulate several nights

    Write PATH/jumelage.toml and a synthetic program under its data directory, then run
    several simulated nights. Try the other commands afterwards with
    --config PATH/jumelage.toml.
    """
    from jumelage.demo.run import run_demo

    _quiet_prefect()
    run_demo(Path(args.dir), nights=args.nights, seed=args.seed)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="jumelage",
        description="The nightly matching pipeline of a mentoring program.",
    )
    add_verbose(parser)
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    run = add_command(sub, "run", cmd_run)
    run.add_argument("--date", type=_date, default=None, help="logical run date, YYYY-MM-DD")

    reprocess = add_command(sub, "reprocess", cmd_reprocess)
    reprocess.add_argument("--date", type=_date, required=True, help="the night, YYYY-MM-DD")

    demo = add_command(sub, "demo", cmd_demo, needs_config=False)
    demo.add_argument("--dir", default="demo", help="where to build the demo (default: ./demo)")
    demo.add_argument("--nights", type=int, default=60, help="nights to simulate (default: 60)")
    demo.add_argument("--seed", type=int, default=7, help="random seed (default: 7)")

    from jumelage import (
        cli_dismiss,
        cli_emails,
        cli_forget,
        cli_inbox,
        cli_init,
        cli_serve,
        cli_sql,
        cli_whatif,
    )

    cli_init.register(sub)
    cli_sql.register(sub)
    cli_emails.register(sub)
    cli_serve.register(sub)
    cli_forget.register(sub)
    cli_whatif.register(sub)
    cli_dismiss.register(sub)
    cli_inbox.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    set_verbosity(args.verbose)
    handler: Callable[..., int] = args.handler
    try:
        if args.needs_config:
            config = load_config(args.config)
            if getattr(args, "needs_data_dir", True):
                require_data_dir(config)
            return handler(args, config)
        return handler(args)
    except JumelageError as exc:
        print(f"jumelage: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except Exception as exc:
        problem = _prefect_unavailable(exc)
        if problem is None:
            raise
        print(f"jumelage: error: {problem}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("jumelage: interrupted", file=sys.stderr)
        return 130


def entry() -> None:
    """The `jumelage` program (console script and `python -m jumelage.cli`)."""
    exit_quietly(main())


if __name__ == "__main__":
    entry()
