"""The owner of `inbound_messages` and of the events that answers by email give.

A message is recorded with its event, if any, in one transaction (`record`), keyed by its
Message-ID (else a hash of the whole message): a message read again, after a crash before
it was moved or because the server delivered it twice, finds its row and adds nothing. The
SQL is in `sql/tables/inbound_messages/` and `sql/tables/events/insert_email.sql`.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import duckdb

from jumelage import models
from jumelage.warehouse import utcnow


@dataclass(frozen=True)
class Known:
    """A message read before: where it was, what became of it, where it went."""

    key: str
    folder: str
    uidvalidity: int
    uid: int
    outcome: str
    moved_to: str | None


@dataclass(frozen=True)
class Event:
    """An answer as an event row (the columns an events file gives)."""

    event_date: date
    event_type: str
    email: str
    counterpart_email: str | None = None
    proposal_id: str | None = None
    value: str | None = None


def known(con: duckdb.DuckDBPyConnection) -> dict[str, Known]:
    """Every message recorded so far, by key."""
    _, rows = models.rows(con, "mail_in/known")
    return {row[0]: Known(*row) for row in rows}


def event_file(key: str) -> tuple[str, str]:
    """The (file_name, file_sha256) under which a message's event is stored in `events`."""
    return f"mail:{key}"[:300], hashlib.sha256(key.encode("utf-8")).hexdigest()


def record(
    con: duckdb.DuckDBPyConnection,
    run_date: date,
    *,
    key: str,
    message_id: str | None,
    folder: str,
    uidvalidity: int,
    uid: int,
    received_at: datetime | None,
    sender: str | None,
    subject: str,
    first_lines: str,
    kind: str,
    outcome: str,
    reason: str | None = None,
    event: Event | None = None,
    event_ref: str | None = None,
) -> bool:
    """Record the message and its event (the caller holds the transaction); False when the
    message was already recorded, in which case nothing is written."""
    file_name, file_sha256 = event_file(key)
    values: dict[str, Any] = {
        "message_key": key,
        "message_id": message_id,
        "folder": folder,
        "uidvalidity": uidvalidity,
        "uid": uid,
        "run_date": run_date,
        "received_at": received_at,
        "sender": sender,
        "subject": subject,
        "first_lines": first_lines,
        "kind": kind,
        "outcome": outcome,
        "reason": reason,
        "event_type": event.event_type if event else None,
        "event_ref": event_ref,
        "event_file": file_name if event else None,
        "recorded_at": utcnow(),
    }
    if not models.execute(con, "tables/inbound_messages/record", values):
        return False
    if event is not None:
        models.execute(
            con,
            "tables/events/insert_email",
            {
                "file_name": file_name,
                "file_sha256": file_sha256,
                "message_id": message_id,
                **event.__dict__,
            },
        )
    return True


def mark_moved(con: duckdb.DuckDBPyConnection, key: str, folder: str) -> None:
    models.execute(
        con, "tables/inbound_messages/mark_moved", {"message_key": key, "moved_to": folder}
    )


def erase(con: duckdb.DuckDBPyConnection, email: str, *, pseudonym: str) -> int:
    """`jumelage forget`: the person's messages keep their outcome, not their words."""
    return models.execute(
        con, "tables/inbound_messages/erase", {"email": email, "pseudonym": pseudonym}
    )
