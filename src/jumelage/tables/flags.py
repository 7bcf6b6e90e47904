"""The owner of `flags`: written once per (kind, pair or proposal, due date), resolved when
their cause is gone, for coordinators (the report's "à traiter"). The SQL is in
`sql/tables/flags/`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from datetime import date
from typing import Any

import duckdb
import polars as pl

from jumelage import models

#: Tonight's conflicts, as `resolve` reads them.
CONFLICTS_SCHEMA = {"relationship_id": pl.String, "flag_id": pl.String}


def about(row: Mapping[str, Any], *ids: str) -> dict[str, Any]:
    """The pair a flag is about, and the ids named, taken from a proposal or relationship row."""
    return {key: row[key] for key in ("mentee_email", "mentor_email", *ids)}


def flag_id(kind: str, about: str, due_on: date | None, detail_key: str = "") -> str:
    """Deterministic, so that a flag raised again (a re-run, a missed night) is the same."""
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
    inserted = models.execute(
        con,
        "tables/flags/raise",
        {
            "flag_id": flag_id(kind, about, due_on, detail_key),
            "run_date": run_date,
            "kind": kind,
            "mentee_email": mentee_email,
            "mentor_email": mentor_email,
            "relationship_id": relationship_id,
            "proposal_id": proposal_id,
            "due_on": due_on,
            "detail": detail,
        },
    )
    return inserted > 0


def resolve(
    con: duckdb.DuckDBPyConnection, run_date: date, stale_after: int, conflicts: pl.DataFrame
) -> None:
    """Flags whose cause is gone leave "à traiter": about a relationship, when what they
    asked for happened or the conflict no longer holds (`conflicts`: tonight's, with
    relationship_id and flag_id); about an unanswered proposal, once a coordinator acted."""
    current = conflicts.select(CONFLICTS_SCHEMA.keys()).cast(CONFLICTS_SCHEMA)
    models.put(con, "current_conflicts", current)
    try:
        models.execute(
            con,
            "tables/flags/resolve_relationship_flags",
            {"run_date": run_date, "stale_after": stale_after},
        )
    finally:
        models.drop(con, ["current_conflicts"])
    models.execute(con, "tables/flags/resolve_no_response_flags", {"run_date": run_date})


def resolve_unreachable(con: duckdb.DuckDBPyConnection, run_date: date, email: str) -> int:
    """A person flagged unreachable (a bounce) answered by email: the flag is resolved."""
    return models.execute(
        con, "tables/flags/resolve_unreachable", {"run_date": run_date, "email": email}
    )


def erase(con: duckdb.DuckDBPyConnection, email: str, *, detail: str) -> int:
    """`jumelage forget`: the flags about a person whose data is erased lose their detail
    (it may name them). `email` is lower-cased; returns how many."""
    return models.execute(con, "tables/flags/erase", {"email": email, "detail": detail})
