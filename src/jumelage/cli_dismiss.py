"""`jumelage dismiss KIND ID --note TEXT`: a coordinator takes an item off « à traiter »."""

from __future__ import annotations

import argparse
from datetime import datetime
from typing import Any

from jumelage.cli_command import add_command
from jumelage.config import Config
from jumelage.vocabulary import DismissKind


def cmd_dismiss(args: argparse.Namespace, config: Config) -> int:
    """take an item off « à traiter », with a note saying why

    Take one item off the daily report's « à traiter »: a follow-up flag (KIND flag), a
    quarantined row that will never be fixed (KIND quarantine) or an uncertain or failed
    email that will not be resent (KIND email). The report shows, beside each item, the
    command with its ID. The item itself is kept as it is; the dismissal and its note are
    kept in the warehouse (table dismissals). Takes the data directory's lock.
    """
    from jumelage import warehouse
    from jumelage.lock import data_dir_lock
    from jumelage.tables.dismissals import dismiss

    today = datetime.now(config.tz).date()
    with data_dir_lock(config.data_dir):
        con = warehouse.connect(config.data_dir)
        try:
            done, new = dismiss(con, DismissKind(args.kind), args.id, args.note, today)
        finally:
            con.close()
    if new:
        print(f"{args.kind} {args.id} dismissed: it leaves « à traiter » from the next report")
    else:
        print(
            f"{args.kind} {args.id} was already dismissed on {done['dismissed_on']}: {done['note']}"
        )
    return 0


def register(subparsers: Any) -> argparse.ArgumentParser:
    """Add `dismiss` to the main parser's subparsers."""
    parser = add_command(subparsers, "dismiss", cmd_dismiss)
    parser.add_argument("kind", choices=[k.value for k in DismissKind], metavar="KIND")
    parser.add_argument("id", metavar="ID", help="the item's id, as the report shows it")
    parser.add_argument("--note", required=True, help="why the item needs no action")
    return parser
