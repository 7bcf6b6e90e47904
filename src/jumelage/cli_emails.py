"""`jumelage emails list` and `jumelage emails resend KEY`: the outbox from the command line.

Wired into the main parser by ``register(subparsers)``; each handler takes (args, config).
"""

from __future__ import annotations

import argparse
from typing import Any

import duckdb

from jumelage import warehouse
from jumelage.cli_command import add_command
from jumelage.config import Config
from jumelage.errors import JumelageError
from jumelage.notify.outbox import STATUSES
from jumelage.tabular import FORMATS, render


def _connect(config: Config) -> duckdb.DuckDBPyConnection:
    try:
        return warehouse.connect(config.data_dir)
    except duckdb.IOException as exc:
        raise JumelageError(
            f"cannot open the warehouse in {config.data_dir} (is a run in progress?): {exc}"
        ) from None


#: The columns of `emails list`, in order; only the last error is cut in a table.
LIST_COLUMNS = (
    "email_key", "kind", "status", "attempts", "recipient", "created_run_date", "sent_at",
    "last_error",
)  # fmt: skip


def cmd_list(args: argparse.Namespace, config: Config) -> int:
    """list the emails of the outbox

    List the outbox, oldest first: key, kind, status, attempts, recipient, queued-on run
    date, sending time (UTC) and the last error. It reads the warehouse's snapshot, written
    after every run (a reader never blocks a night): it works while a night runs. Keys are
    printed whole, so that they paste into `emails resend`.
    """
    from jumelage.notify.outbox import list_emails
    from jumelage.snapshot import open_snapshot, taken_at

    con = open_snapshot(config.data_dir)
    try:
        df = list_emails(con, args.status).select(LIST_COLUMNS)
    finally:
        con.close()
    if args.format != "table":
        print(render(df.columns, df.rows(), args.format), end="")
        return 0
    if df.is_empty():
        print(
            "no email" + (f" with status {args.status}" if args.status else "") + " in the outbox"
        )
        return 0
    limits = {} if args.wide else {"last_error": 60}
    print(render(df.columns, df.rows(), "table", limits=limits), end="")
    by_status = df.group_by("status").len().sort("status").iter_rows()
    print("\n" + ", ".join(f"{n} {s}" for s, n in by_status))
    print(f"(as of {taken_at(config.data_dir):%Y-%m-%d %H:%M:%S} UTC, the last run's snapshot)")
    return 0


def cmd_resend(args: argparse.Namespace, config: Config) -> int:
    """send an uncertain or failed email again

    Send one 'uncertain' or 'failed' email again, on a coordinator's word, with the same
    Message-ID (so that a copy can be recognised). If the server cannot be reached it stays
    queued and the next run sends it. A sent email is never resent.
    """
    from jumelage.lock import data_dir_lock
    from jumelage.notify.outbox import resend

    with data_dir_lock(config.data_dir):
        con = _connect(config)
        try:
            stats = resend(con, config, args.key)
        finally:
            con.close()
    if stats.sent:
        print(f"email {args.key} sent")
        return 0
    if stats.failed:
        print(f"email {args.key} refused by the server; it is marked failed (see emails list)")
        return 1
    if stats.uncertain:
        print(f"email {args.key}: the connection broke while sending; it is marked uncertain")
        return 1
    print(
        f"email {args.key} could not be sent now ({stats.error or 'server unavailable'}); "
        "it is queued and the next run will send it"
    )
    return 1


def register(subparsers: Any) -> argparse.ArgumentParser:
    """Add `emails list` and `emails resend` to the main parser's subparsers."""
    emails = subparsers.add_parser(
        "emails",
        help="show the outbox, resend an uncertain or failed email",
        description="The outbox: every email jumelage writes, with its status (queued, "
        "sending, sent, failed, uncertain). An email whose sending was interrupted is "
        "'uncertain' and is never sent again automatically: resend it after checking that "
        "the recipient did not get it.",
    )
    sub = emails.add_subparsers(dest="emails_command", required=True, metavar="ACTION")

    listing = add_command(sub, "list", cmd_list)
    listing.add_argument(
        "--status", choices=STATUSES, default=None, help="only the emails with this status"
    )
    listing.add_argument(
        "--wide", action="store_true", help="show error messages whole in the table"
    )
    listing.add_argument(
        "--format", choices=FORMATS, default="table", help="output format (default: table)"
    )

    again = add_command(sub, "resend", cmd_resend)
    again.add_argument("key", metavar="KEY", help="the email's key (see: jumelage emails list)")
    return emails
