"""The owner of the `emails` table (the outbox): queue, recover after a crash, the send
stage's transitions, list, count, resend, erase.

Nothing else writes `emails`: the send stage (`notify.send`) and `jumelage forget` call the
functions here, whose statements are the models of `sql/tables/emails/`
(tests/tables/test_owners.py keeps it so).

State machine of a row (`status`)::

    queued -> sending (a batch, committed before its SMTP transactions) -> sent (server said 250)
    sending -> failed     a permanent (5xx) refusal
    sending -> queued     unreachable, or a refusal before DATA: the next attempt sends it
    sending -> uncertain  the process died, or the link broke during DATA
    uncertain | failed -> queued   resend(KEY), on a coordinator's word

A message is never sent again automatically once its SMTP transaction may have reached
the server: only `queued` rows are sent. The send stage claims a batch at a time and commits
the batch's outcomes together; its journal (`notify.journal`) says, after a crash, which
claimed message had started: at start-up a `sending` row becomes what the journal recorded,
`queued` if it never started, and `uncertain` if it was in flight (or the journal does not
name it).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb
import polars as pl

from jumelage import models
from jumelage.errors import JumelageError
from jumelage.notify.compose import OutgoingEmail
from jumelage.notify.journal import read_journal
from jumelage.vocabulary import EmailStatus
from jumelage.warehouse import transaction, utcnow

if TYPE_CHECKING:
    from jumelage.config import Config
    from jumelage.notify.send import SendStats

STATUSES = tuple(status.value for status in EmailStatus)  # plain strings, for the CLI's choices
RESENDABLE = (EmailStatus.UNCERTAIN.value, EmailStatus.FAILED.value)


#: The columns of a queued message, as `enqueue_batch.sql` reads them from `new_emails`.
_MESSAGE_SCHEMA = {
    "email_key": pl.String,
    "kind": pl.String,
    "recipient": pl.String,
    "cc": pl.List(pl.String),
    "language": pl.String,
    "about": pl.String,
    "due_on": pl.Date,
    "subject": pl.String,
    "body_text": pl.String,
    "body_html": pl.String,
    "inline_images": pl.String,
    "message_id": pl.String,
    "created_run_date": pl.Date,
}


def enqueue(con: duckdb.DuckDBPyConnection, messages: Iterable[OutgoingEmail]) -> list[str]:
    """Queue messages, all in one statement; a key already in the outbox is left as it is
    (no-op), and of one key given twice the first is kept.

    Does not open a transaction: call it inside the transaction of the state change that
    causes the emails, so that both are committed together or not at all.
    Returns the keys that were new, in the order given.
    """
    rows: dict[str, dict[str, Any]] = {}
    for m in messages:
        rows.setdefault(
            m.email_key,
            {
                "email_key": m.email_key,
                "kind": m.kind,
                "recipient": m.recipient,
                "cc": list(m.cc) or None,
                "language": m.language,
                "about": m.about,
                "due_on": m.due_on,
                "subject": m.subject,
                "body_text": m.body_text,
                "body_html": m.body_html,
                "inline_images": (json.dumps(list(m.inline_images)) if m.inline_images else None),
                "message_id": m.message_id,
                "created_run_date": m.created_run_date,
            },
        )
    if not rows:
        return []
    models.put(con, "new_emails", pl.DataFrame(list(rows.values()), schema=_MESSAGE_SCHEMA))
    try:
        _, inserted = models.rows(con, "tables/emails/enqueue_batch", {"created_at": utcnow()})
    finally:
        models.drop(con, ["new_emails"])
    new = {key for (key,) in inserted}
    return [key for key in rows if key in new]


def recover_interrupted(con: duckdb.DuckDBPyConnection, journal: Path | None = None) -> list[str]:
    """At start-up: rows left `sending` by a dead process get the outcome the send journal
    (`journal`, see `notify.journal`) recorded for them; a claimed row that never started goes
    back to `queued`; the one in flight, and any `sending` row the journal does not name,
    becomes `uncertain`.

    Must run under the data-dir lock (no other send stage can be running). Returns the keys
    that became `uncertain`.
    """
    state = read_journal(journal) if journal is not None else None
    with transaction(con):
        _, found = models.rows(con, "tables/emails/sending")
        keys = [key for (key,) in found]
        if keys and state is not None:
            now = utcnow()
            outcomes = []
            for key in keys:
                if key in state.ended:
                    status, detail, at = state.ended[key]
                    outcomes.append((key, status, detail, datetime.fromisoformat(at), 0))
                elif key in state.claimed and key not in state.started:
                    outcomes.append((key, "queued", "claimed, never started (crash)", now, 0))
            record_outcomes(con, outcomes, run_date=None)
            _, found = models.rows(con, "tables/emails/sending")
            keys = [key for (key,) in found]
        if keys:
            models.execute(con, "tables/emails/mark_interrupted")
    if journal is not None:
        journal.unlink(missing_ok=True)
    return keys


def list_emails(con: duckdb.DuckDBPyConnection, status: str | None = None) -> pl.DataFrame:
    """The outbox (without bodies), oldest first; `status` filters on one status."""
    if status is not None and status not in STATUSES:
        raise ValueError(f"unknown status {status!r} (expected one of {', '.join(STATUSES)})")
    names, rows = models.rows(con, "tables/emails/listing", {"status": status})
    # every row decides the types: a column null in the first rows is text further down
    return pl.DataFrame(rows, schema=names, orient="row", infer_schema_length=None)


def _dicts(
    con: duckdb.DuckDBPyConnection, name: str, params: dict[str, Any]
) -> list[dict[str, Any]]:
    """The rows of a model as dicts, with DuckDB's own Python values (lists, dates, JSON text)."""
    names, rows = models.rows(con, name, params)
    return [dict(zip(names, row, strict=True)) for row in rows]


def get_email(con: duckdb.DuckDBPyConnection, key: str) -> dict[str, Any] | None:
    rows = _dicts(con, "tables/emails/message", {"email_key": key})
    return rows[0] if rows else None


def counts(con: duckdb.DuckDBPyConnection, run_date: date) -> dict[str, int]:
    """Numbers for the daily report of `run_date`.

    - `queued_tonight`: messages created by that run date;
    - `sent_tonight`: messages delivered by that run date's send stage;
    - `failed_tonight`: refused permanently during that run date's send stage;
    - `queued`, `uncertain`, `failed`, `sending`: rows in that status now (all dates):
      `queued` are waiting for the next send, `uncertain` need a coordinator's decision.
    """
    (row,) = _dicts(con, "tables/emails/counts", {"run_date": run_date})
    return {name: int(value or 0) for name, value in row.items()}


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
        models.execute(
            con,
            "tables/emails/requeue",
            {
                "email_key": key,
                "from_status": row["status"],
                "last_error": f"resend requested ({row['status']}: {row['last_error'] or ''})",
            },
        )
    return send_queued(con, config, run_date=run_date, keys=[key])


# -- the send stage's transitions (jumelage.notify.send): each commits on its own ---------------


def queued(
    con: duckdb.DuckDBPyConnection, keys: Sequence[str] | None = None
) -> list[dict[str, Any]]:
    """The `queued` messages (only `keys`, when given), oldest first, as whole rows."""
    return _dicts(con, "tables/emails/queued", {"keys": None if keys is None else list(keys)})


def claim(con: duckdb.DuckDBPyConnection, keys: Sequence[str]) -> list[str]:
    """`queued` -> `sending` for a batch, one commit, BEFORE its SMTP transactions, so that a
    process killed during them leaves `sending` rows, which start-up resolves with the send
    journal, never `queued` rows the next run would send again. Returns the keys claimed
    (those still `queued`)."""
    with transaction(con):
        _, rows = models.rows(con, "tables/emails/claimable", {"keys": list(keys)})
        still_queued = {key for (key,) in rows}
        claimed = [key for key in keys if key in still_queued]  # in the batch's order
        models.execute(
            con,
            "tables/emails/claim_batch",
            {"keys": claimed, "sending_started_at": utcnow()},
        )
    return claimed


#: One outcome: (email_key, status, detail, at, retries); status sent | failed | queued |
#: uncertain; retries: SMTP transactions beyond the first in this batch (claiming counted one).
Outcome = tuple[str, str, str, datetime, int]


def record_outcomes(
    con: duckdb.DuckDBPyConnection, outcomes: Sequence[Outcome], *, run_date: date | None
) -> None:
    """A batch's outcomes, for rows still `sending` (see record_outcomes.sql). No transaction:
    `commit_outcomes`, or the caller's."""
    if not outcomes:
        return
    frame = pl.DataFrame(
        list(outcomes),
        schema={
            "email_key": pl.String,
            "outcome": pl.String,
            "detail": pl.String,
            "at": pl.Datetime,
            "retries": pl.Int32,
        },
        orient="row",
    )
    models.put(con, "send_outcomes", frame)
    try:
        models.execute(con, "tables/emails/record_outcomes", {"run_date": run_date})
    finally:
        models.drop(con, ["send_outcomes"])


def commit_outcomes(
    con: duckdb.DuckDBPyConnection, outcomes: Sequence[Outcome], *, run_date: date | None
) -> None:
    """A batch's outcomes, committed together (one commit for the whole batch)."""
    with transaction(con):
        record_outcomes(con, outcomes, run_date=run_date)


def sent_by_run(con: duckdb.DuckDBPyConnection, run_date: date) -> int:
    """Messages that the send stages of `run_date` tried to the end (sent or refused)."""
    row = counts(con, run_date)
    return row["sent_tonight"] + row["failed_tonight"]


def mark_bounced(con: duckdb.DuckDBPyConnection, recipient: str, message_ids: Sequence[str]) -> int:
    """A delivery status notification came back (mail_in; the caller holds the transaction):
    the emails to `recipient` it names, else the latest one sent there, become `bounced`."""
    return models.execute(
        con,
        "tables/emails/mark_bounced",
        {"recipient": recipient.lower(), "ids": [m.lower() for m in message_ids]},
    )


def note_unsent(con: duckdb.DuckDBPyConnection, keys: Sequence[str], error: str) -> None:
    """Messages that could not be tried this run: stay queued, error and attempt noted."""
    if not keys:
        return
    with transaction(con):
        models.execute(con, "tables/emails/note_unsent", {"keys": list(keys), "last_error": error})


# -- jumelage forget ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Erased:
    """What `erase` changed: unsent messages cancelled, messages pseudonymized."""

    cancelled: int
    rows: int


def erase(con: duckdb.DuckDBPyConnection, email: str, *, pseudonym: str, erased: str) -> Erased:
    """`jumelage forget`: messages to `email` (lower-cased) not sent yet are cancelled
    (`failed`), then every message to them keeps its place under `pseudonym`, without cc,
    bodies, or subject (`erased` in its place). No transaction: the caller's."""
    address = {"email": email}
    cancelled = models.execute(con, "tables/emails/cancel_unsent", address)
    rows = models.execute(
        con, "tables/emails/erase", {**address, "pseudonym": pseudonym, "erased": erased}
    )
    return Erased(cancelled, rows)
