"""The owner of `proposals`: every write of the table, and the look-ups that go with them.

A proposal is made by the night's matching (`pending_approval` when the committee approves
first, else `proposed`), then decided by an event or by time: accepted, declined, expired or
withdrawn. The SQL is in `sql/tables/proposals/`.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import duckdb
import polars as pl

from jumelage import models


def insert(con: duckdb.DuckDBPyConnection, proposals: pl.DataFrame) -> None:
    """Insert tonight's proposal rows (the columns of `matching.proposals.PROPOSAL_COLUMNS`,
    by name); the caller holds the transaction."""
    if proposals.is_empty():
        return
    models.put(con, "new_proposals", proposals)
    try:
        models.execute(con, "tables/proposals/insert")
    finally:
        models.drop(con, ["new_proposals"])


def set_status(
    con: duckdb.DuckDBPyConnection,
    proposal_id: str,
    status: str,
    decided_on: date | None,
    run_date: date,
    reason: str | None = None,
) -> None:
    """Record a decision (accepted, declined, expired, withdrawn) made on `decided_on`; the
    reason, when given, says why (the broken rule, `no_response`, `rejected`)."""
    models.execute(
        con,
        "tables/proposals/set_status",
        {
            "proposal_id": proposal_id,
            "status": status,
            "decided_on": decided_on,
            "status_reason": reason,
            "run_date": run_date,
        },
    )


def release(con: duckdb.DuckDBPyConnection, proposal_id: str, run_date: date) -> pl.DataFrame:
    """pending_approval -> proposed tonight (the committee approved); returns the released
    row, for the proposal email."""
    params = {"proposal_id": proposal_id, "run_date": run_date}
    models.execute(con, "tables/proposals/release", params)
    return models.frame(con, "tables/proposals/by_id", params)


def erase(con: duckdb.DuckDBPyConnection, email: str, *, day: date, reason: str) -> int:
    """`jumelage forget`: withdraw the pending proposals of a mentee whose data is erased (the
    pseudonym replaces their address later). `email` is lower-cased; returns how many."""
    return models.execute(
        con, "tables/proposals/erase", {"email": email, "day": day, "status_reason": reason}
    )


# -- look-ups --------------------------------------------------------------------------------


def find(con: duckdb.DuckDBPyConnection, proposal_id: str) -> dict[str, Any] | None:
    """One proposal by id (None when unknown)."""
    rows = models.frame(con, "tables/proposals/by_id", {"proposal_id": proposal_id})
    return rows.row(0, named=True) if rows.height else None


def latest_between(con: duckdb.DuckDBPyConnection, email: str, other: str) -> dict[str, Any] | None:
    """The latest proposal between two people, whichever is the mentee (None: none)."""
    rows = models.frame(
        con, "tables/proposals/latest_between", {"email": email, "counterpart_email": other}
    )
    return rows.row(0, named=True) if rows.height else None


def released_by(con: duckdb.DuckDBPyConnection, cutoff: date) -> pl.DataFrame:
    """Proposals sent on or before `cutoff` and still unanswered, by id."""
    return models.frame(con, "tables/proposals/released_by", {"cutoff": cutoff})


def forget_night(con: duckdb.DuckDBPyConnection, run_date: date) -> int:
    """Remove the proposals of `run_date`, to match that night again from the same pool.
    Only a what-if run does this, on its own copy of the warehouse."""
    return models.execute(con, "tables/proposals/forget_night", {"run_date": run_date})
