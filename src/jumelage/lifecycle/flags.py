"""Flags for coordinators: written once per (kind, pair or proposal, due date)."""

from __future__ import annotations

import hashlib
from datetime import date

import duckdb


def flag_id(kind: str, about: str, due_on: date | None, detail_key: str = "") -> str:
    text = "|".join([kind, about, due_on.isoformat() if due_on else "", detail_key])
    return f"{kind}-{hashlib.sha256(text.encode()).hexdigest()[:16]}"


def raise_flag(
    con: duckdb.DuckDBPyConnection,
    run_date: date,
    kind: str,
    *,
    mentee_email: str | None,
    mentor_email: str | None,
    relationship_id: str | None = None,
    proposal_id: str | None = None,
    due_on: date | None = None,
    detail: str = "",
    detail_key: str = "",
) -> bool:
    """Insert the flag unless it exists; True when it is new tonight."""
    about = relationship_id or proposal_id or f"{mentee_email}|{mentor_email}"
    key = flag_id(kind, about, due_on, detail_key)
    before = con.execute("select count(*) from flags where flag_id = ?", [key]).fetchall()[0][0]
    if before:
        return False
    con.execute(
        "insert into flags (flag_id, run_date, kind, mentee_email, mentor_email, relationship_id,"
        " proposal_id, due_on, detail) values (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            key,
            run_date,
            kind,
            mentee_email,
            mentor_email,
            relationship_id,
            proposal_id,
            due_on,
            detail,
        ],
    )
    return True
