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


def _connect(config: Config) -> duckdb.DuckDBPyConnection:
    try:
        return warehouse.connect(config.data_dir)
    except duckdb.IOException as exc:
        raise JumelageError(
            f"cannot open the warehouse in {config.data_dir} (is a run in progress?): {exc}"
        ) from None


def _cell(value: Any, width: int) -> str:
    text = "" if value is None else str(value).replace("\n", " ")
    if hasattr(value, "strftime") and hasattr(value, "hour"):
        text = value.strftime("%Y-%m-%d %H:%M")
    return text if len(text) <= width else text[: width - 1] + "…"


def cmd_list(args: argparse.Namespace, config: Config) -> int:
    """list the emails of the outbox

    List the outbox, oldest first: key, kind, status, attempts, recipient, queued-on run
    date, sending time and the last error.
    """
    from jumelage.notify.outbox import list_emails

    con = _connect(config)
    try:
        df = list_emails(con, args.status)
    finally:
        con.close()
    if df.is_empty():
        print(
            "no email" + (f" with status {args.status}" if args.status else "") + " in the outbox"
        )
        return 0
    columns = [
        ("email_key", "KEY", 34),
        ("kind", "KIND", 22),
        ("status", "STATUS", 9),
        ("attempts", "TRIES", 5),
        ("recipient", "TO", 32),
        ("created_run_date", "QUEUED ON", 10),
        ("sent_at", "SENT AT (UTC)", 16),
        ("last_error", "LAST ERROR", 60 if args.wide else 40),
    ]
    print("  ".join(title.ljust(w) for _, title, w in columns).rstrip())
    for row in df.iter_rows(named=True):
        print("  ".join(_cell(row[c], w).ljust(w) for c, _, w in columns).rstrip())
    by_status = df.group_by("status").len().sort("status").iter_rows()
    print("\n" + ", ".join(f"{n} {s}" for s, n in by_status))
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
    listing.add_argument("--wide", action="store_true", help="show longer error messages")

    again = add_command(sub, "resend", cmd_resend)
    again.add_argument("key", metavar="KEY", help="the email's key (see: jumelage emails list)")
    return emails
