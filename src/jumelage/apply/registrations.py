"""Derive participants from the registrations of current file versions."""

from __future__ import annotations

from datetime import date

import duckdb

from jumelage.tables import participants
from jumelage.warehouse import transaction


def apply_registrations(con: duckdb.DuckDBPyConnection, run_date: date) -> dict[str, int]:
    """Upsert participants from the latest registrations; idempotent for a run date."""
    with transaction(con):
        participants.from_registrations(con, run_date)
    stats = {"mentors_active": 0, "mentees_active": 0, "participants": 0}
    for role, active, total in participants.counts_by_role(con):
        stats[f"{role}s_active"] = active
        stats["participants"] += total
    return stats
