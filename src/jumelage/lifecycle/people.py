"""Participant and pair look-ups shared by the lifecycle modules."""

from __future__ import annotations

from typing import Any

import duckdb


def person(con: duckdb.DuckDBPyConnection, email: str, role: str) -> dict[str, Any] | None:
    rows = con.sql(
        "select * from participants where email = $email and role = $role",
        params={"email": email, "role": role},
    ).pl()
    return rows.row(0, named=True) if rows.height else None


def pair(con: duckdb.DuckDBPyConnection, mentee: str, mentor: str) -> tuple[dict, dict]:
    """The mentee's and the mentor's participant rows (both must exist)."""
    found = person(con, mentee, "mentee"), person(con, mentor, "mentor")
    if found[0] is None or found[1] is None:
        raise LookupError(f"pair {mentee} / {mentor} is not registered")
    return found[0], found[1]


def roles_of(con: duckdb.DuckDBPyConnection, email: str) -> set[str]:
    rows = con.execute("select role from participants where email = ?", [email]).fetchall()
    return {r[0] for r in rows}
