"""The owner of the `emails` table (the outbox): queue, recover after a crash, the send
stage's transitions, list, count, resend, erase.

Nothing else writes `emails`: the send stage (`notify.send`) and `jumelage forget` call the
functions here, whose statements are the models of `sql/tables/emails/`
(tests/tables/test_owners.py keeps it so).

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
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

import duckdb
import polars as pl

from jumelage import models
from jumelage.errors import JumelageError
from jumelage.notify.compose import OutgoingEmail
from jumelage.vocabulary import EmailStatus
from jumelage.warehouse import transaction, utcnow

if TYPE_CHECKING:
    from jumelage.config import Config
    from jumelage.notify.send import SendStats

STATUSES = tuple(status.value for status in EmailStatus)  # plain strings, for the CLI's choices
RESENDABLE = (EmailStatus.UNCERTAIN.value, EmailStatus.FAILED.value)


def enqueue(con: duckdb.DuckDBPyConnection, messages: Iterable[OutgoingEmail]) -> list[str]:
    """Queue messages; a key already in the outbox is left as it is (no-op).

    Does not open a transaction: call it inside the transaction of the state change that
    causes the emails, so that both are committed together or not at all.
    Returns the keys that were new.
    """
    now = utcnow()
    added = []
    for m in messages:
        inserted = models.execute(
            con,
            "tables/emails/enqueue",
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
                "created_at": now,
            },
        )
        if inserted:
            added.append(m.email_key)
    return added


def recover_interrupted(con: duckdb.DuckDBPyConnection) -> list[str]:
    """At start-up: rows left `sending` by a dead process become `uncertain`.

    Must run under the data-dir lock (no other send stage can be running). Returns the keys.
    """
    with transaction(con):
        _, found = models.rows(con, "tables/emails/sending")
        keys = [key for (key,) in found]
        if keys:
            models.execute(con, "tables/emails/mark_interrupted")
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


def claim(con: duckdb.DuckDBPyConnection, key: str) -> bool:
    """`queued` -> `sending`, one more attempt: committed here, BEFORE the SMTP transaction,
    so that a process killed during it leaves `sending` (then `uncertain` at start-up), never a
    `queued` row the next run would send again. False when the row is no longer `queued`."""
    with transaction(con):
        claimed = models.execute(
            con,
            "tables/emails/claim",
            {"email_key": key, "sending_started_at": utcnow()},
        )
    return bool(claimed)


def mark_sent(
    con: duckdb.DuckDBPyConnection, key: str, *, response: str, run_date: date | None
) -> None:
    """`sending` -> `sent`: the server accepted it (`response`, its reply)."""
    with transaction(con):
        models.execute(
            con,
            "tables/emails/mark_sent",
            {
                "email_key": key,
                "sent_at": utcnow(),
                "run_date": run_date,
                "smtp_response": response,
            },
        )


def mark_failed(
    con: duckdb.DuckDBPyConnection, key: str, *, error: str, run_date: date | None
) -> None:
    """-> `failed`: refused for good, or not a message that can be built; never sent again
    without a coordinator's word."""
    with transaction(con):
        models.execute(
            con,
            "tables/emails/mark_failed",
            {"email_key": key, "last_error": error, "run_date": run_date},
        )


def mark_queued(con: duckdb.DuckDBPyConnection, key: str, *, error: str) -> None:
    """`sending` -> `queued`: nothing reached the server, the next attempt sends it."""
    with transaction(con):
        models.execute(con, "tables/emails/mark_queued", {"email_key": key, "last_error": error})


def mark_uncertain(con: duckdb.DuckDBPyConnection, key: str, *, error: str) -> None:
    """`sending` -> `uncertain`: the server may have it; a coordinator decides."""
    with transaction(con):
        models.execute(con, "tables/emails/mark_uncertain", {"email_key": key, "last_error": error})


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
