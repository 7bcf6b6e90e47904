"""The `emails` table: queue, recover after a crash, list, count, resend.

State machine of a row (`status`)::

    queued -> sending (committed before the SMTP transaction) -> sent (server said 250)
    sending -> failed     a permanent (5xx) refusal
    sending -> queued     unreachable, or a refusal before DATA: the next attempt sends it
    sending -> uncertain  the process died, or the link broke during DATA
    uncertain | failed -> queued   resend(KEY), on a coordinator's word

A message is never sent again automatically once its SMTP transaction may have reached
the server: only `queued` rows are sent, and `sending` rows found at start-up become
`uncertain`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING, Any

import duckdb
import polars as pl

from jumelage.errors import JumelageError
from jumelage.notify.compose import OutgoingEmail
from jumelage.vocabulary import EmailStatus
from jumelage.warehouse import transaction, utcnow

if TYPE_CHECKING:
    from jumelage.config import Config
    from jumelage.notify.send import SendStats

STATUSES = tuple(status.value for status in EmailStatus)  # plain strings, for the CLI's choices
RESENDABLE = (EmailStatus.UNCERTAIN.value, EmailStatus.FAILED.value)

_INSERT = """
insert into emails (
    email_key, kind, recipient, cc, language, about, due_on, subject, body_text, body_html,
    inline_images, message_id, status, attempts, created_run_date, created_at
) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'queued', 0, ?, ?)
on conflict do nothing
"""


def enqueue(con: duckdb.DuckDBPyConnection, messages: Iterable[OutgoingEmail]) -> list[str]:
    """Queue messages; a key already in the outbox is left as it is (no-op).

    Does not open a transaction: call it inside the transaction of the state change that
    causes the emails, so that both are committed together or not at all.
    Returns the keys that were new.
    """
    now = utcnow()
    added = []
    for m in messages:
        row = con.execute(
            _INSERT,
            [
                m.email_key,
                m.kind,
                m.recipient,
                list(m.cc) or None,
                m.language,
                m.about,
                m.due_on,
                m.subject,
                m.body_text,
                m.body_html,
                json.dumps(list(m.inline_images)) if m.inline_images else None,
                m.message_id,
                m.created_run_date,
                now,
            ],
        ).fetchall()
        if row and row[0][0]:
            added.append(m.email_key)
    return added


def recover_interrupted(con: duckdb.DuckDBPyConnection) -> list[str]:
    """At start-up: rows left `sending` by a dead process become `uncertain`.

    Must run under the data-dir lock (no other send stage can be running). Returns the keys.
    """
    with transaction(con):
        keys = [
            r[0]
            for r in con.execute(
                "select email_key from emails where status = 'sending' order by email_key"
            ).fetchall()
        ]
        if keys:
            con.execute(
                "update emails set status = 'uncertain', last_error = "
                "'interrupted while sending (started ' || coalesce("
                "strftime(sending_started_at, '%Y-%m-%d %H:%M:%S'), '?') || ' UTC): the server "
                "may or may not have received it; resend with: jumelage emails resend ' "
                "|| email_key where status = 'sending'"
            ).fetchall()
    return keys


_LIST_COLUMNS = (
    "email_key, kind, recipient, language, status, attempts, about, due_on, subject, "
    "message_id, created_run_date, created_at, sending_started_at, sent_at, sent_run_date, "
    "last_error"
)


def list_emails(con: duckdb.DuckDBPyConnection, status: str | None = None) -> pl.DataFrame:
    """The outbox (without bodies), oldest first; `status` filters on one status."""
    if status is not None and status not in STATUSES:
        raise ValueError(f"unknown status {status!r} (expected one of {', '.join(STATUSES)})")
    sql = f"select {_LIST_COLUMNS} from emails"
    params: list[Any] = []
    if status is not None:
        sql += " where status = ?"
        params.append(status)
    sql += " order by created_at, email_key"
    cur = con.execute(sql, params)
    rows = cur.fetchall()
    names = [d[0] for d in cur.description]
    return pl.DataFrame(rows, schema=names, orient="row")


def get_email(con: duckdb.DuckDBPyConnection, key: str) -> dict[str, Any] | None:
    cur = con.execute("select * from emails where email_key = ?", [key])
    rows = cur.fetchall()
    if not rows:
        return None
    return dict(zip([d[0] for d in cur.description], rows[0], strict=True))


def counts(con: duckdb.DuckDBPyConnection, run_date: date) -> dict[str, int]:
    """Numbers for the daily report of `run_date`.

    - `queued_tonight`: messages created by that run date;
    - `sent_tonight`: messages delivered by that run date's send stage;
    - `failed_tonight`: refused permanently during that run date's send stage;
    - `queued`, `uncertain`, `failed`, `sending`: rows in that status now (all dates):
      `queued` are waiting for the next send, `uncertain` need a coordinator's decision.
    """
    row = con.execute(
        """
        select
            count(*) filter (where created_run_date = $d),
            count(*) filter (where status = 'sent' and sent_run_date = $d),
            count(*) filter (where status = 'failed' and sent_run_date = $d),
            count(*) filter (where status = 'queued'),
            count(*) filter (where status = 'uncertain'),
            count(*) filter (where status = 'failed'),
            count(*) filter (where status = 'sending')
        from emails
        """,
        {"d": run_date},
    ).fetchall()[0]
    names = (
        "queued_tonight",
        "sent_tonight",
        "failed_tonight",
        "queued",
        "uncertain",
        "failed",
        "sending",
    )
    return {n: int(v or 0) for n, v in zip(names, row or (0,) * len(names), strict=True)}


def resend(
    con: duckdb.DuckDBPyConnection,
    config: Config,
    key: str,
    *,
    run_date: date | None = None,
) -> SendStats:
    """Send an `uncertain` or `failed` message again, on a coordinator's word.

    It goes out with the same Message-ID, so a recipient's mail client can recognise a
    copy. If the server cannot be reached it stays `queued` and the next run sends it.
    """
    from jumelage.notify.send import send_queued

    row = get_email(con, key)
    if row is None:
        raise JumelageError(f"no email with key {key!r} in the outbox (see: jumelage emails list)")
    if row["status"] not in RESENDABLE:
        raise JumelageError(
            f"email {key} is '{row['status']}': only an uncertain or failed email can be resent"
            + (" (a queued one goes out with the next run)" if row["status"] == "queued" else "")
        )
    with transaction(con):
        con.execute(
            "update emails set status = 'queued', last_error = ? "
            "where email_key = ? and status = ?",
            [f"resend requested ({row['status']}: {row['last_error'] or ''})", key, row["status"]],
        ).fetchall()
    return send_queued(con, config, run_date=run_date, keys=[key])
