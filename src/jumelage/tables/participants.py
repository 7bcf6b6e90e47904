"""The owner of `participants`: every write of the table, and the look-ups that go with them.

A participant is one (email, role). The profile follows the latest registration; the
lifecycle status (active, absent, withdrawn, unresponsive, removed) follows events and
deadlines. The SQL is in `sql/tables/participants/`.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

import duckdb

from jumelage import models


def from_registrations(con: duckdb.DuckDBPyConnection, run_date: date) -> None:
    """Upsert participants from the latest registrations of current file versions, then mark
    `removed` those whose every row disappeared in a correction (kept for history, never
    matched). Idempotent for a run date; the caller holds the transaction."""
    params = {"run_date": run_date}
    models.execute(con, "tables/participants/from_registrations", params)
    models.execute(con, "tables/participants/mark_removed", params)


def apply_profile_changes(con: duckdb.DuckDBPyConnection) -> None:
    """Re-apply the organization and level changes announced by events over the registrations
    they follow (a newer registration wins again): every night, after `from_registrations`,
    so that the result never depends on the order things arrived in."""
    models.execute(con, "tables/participants/organization_changes")
    models.execute(con, "tables/participants/level_changes")


def set_status(
    con: duckdb.DuckDBPyConnection,
    email: str,
    status: str,
    run_date: date,
    *,
    from_statuses: Iterable[str],
    role: str | None = None,
) -> None:
    """Move a person to `status` (absence, return, withdrawal), only from `from_statuses` so
    that a replayed event changes nothing; in `role`, or in every role they hold."""
    models.execute(
        con,
        "tables/participants/set_status",
        {
            "email": email,
            "status": status,
            "run_date": run_date,
            "from_statuses": list(from_statuses),
            "role": role,
        },
    )


def mark_unresponsive(con: duckdb.DuckDBPyConnection, mentee_email: str, run_date: date) -> None:
    """An expired proposal: the mentee leaves the pool until a coordinator acts."""
    set_status(
        con, mentee_email, "unresponsive", run_date, from_statuses=("active",), role="mentee"
    )


def back_to_pool(con: duckdb.DuckDBPyConnection, mentee_email: str, run_date: date) -> None:
    """A coordinator acted for an unresponsive mentee (declined the expired proposal on their
    behalf): the mentee is matched again."""
    set_status(
        con, mentee_email, "active", run_date, from_statuses=("unresponsive",), role="mentee"
    )


def set_capacity(con: duckdb.DuckDBPyConnection, email: str, capacity: int) -> int:
    """A mentor's number of places, as a what-if run tries it on a copy; rows changed."""
    return models.execute(
        con, "tables/participants/set_capacity", {"email": email, "capacity": capacity}
    )


def erase(con: duckdb.DuckDBPyConnection, email: str, *, pseudonym: str, day: date) -> int:
    """`jumelage forget`: the person's rows keep only what counts need, under `pseudonym`,
    marked removed. `email` is lower-cased; returns the number of rows changed."""
    return models.execute(
        con, "tables/participants/erase", {"email": email, "pseudonym": pseudonym, "day": day}
    )


# -- look-ups --------------------------------------------------------------------------------


def person(con: duckdb.DuckDBPyConnection, email: str, role: str) -> dict[str, Any] | None:
    """One participant's row in one role (None when not registered in that role)."""
    rows = models.frame(con, "tables/participants/person", {"email": email, "role": role})
    return rows.row(0, named=True) if rows.height else None


def pair(con: duckdb.DuckDBPyConnection, mentee: str, mentor: str) -> tuple[dict, dict]:
    """The mentee's and the mentor's participant rows (both must exist)."""
    found = person(con, mentee, "mentee"), person(con, mentor, "mentor")
    if found[0] is None or found[1] is None:
        raise LookupError(f"pair {mentee} / {mentor} is not registered")
    return found[0], found[1]


def roles_of(con: duckdb.DuckDBPyConnection, email: str) -> set[str]:
    """The roles an address is registered in (empty: an unknown person)."""
    rows = models.frame(con, "tables/participants/roles_of", {"email": email})
    return set(rows["role"].to_list())


def counts_by_role(con: duckdb.DuckDBPyConnection) -> list[tuple[str, int, int]]:
    """(role, active, total) for each role present."""
    return models.relation(con, "tables/participants/counts_by_role").fetchall()
