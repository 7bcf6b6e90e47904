"""Derive participants from the registrations of current file versions."""

from __future__ import annotations

from datetime import date

import duckdb

from jumelage.paths import read_sql
from jumelage.warehouse import transaction


def apply_registrations(con: duckdb.DuckDBPyConnection, run_date: date) -> dict[str, int]:
    """Upsert participants from the latest registrations; idempotent for a run date."""
    with transaction(con):
        con.execute(read_sql("apply/participants.sql"), {"run_date": run_date})
        con.execute(read_sql("apply/removed_participants.sql"), {"run_date": run_date})
    rows = con.execute(
        "select role, count(*) filter (where status = 'active'), count(*) from participants "
        "group by role"
    ).fetchall()
    stats = {"mentors_active": 0, "mentees_active": 0, "participants": 0}
    for role, active, total in rows:
        stats[f"{role}s_active"] = active
        stats["participants"] += total
    return stats
