"""The apply stage after registrations: events, profile changes, invalid and expired proposals."""

from __future__ import annotations

from datetime import date

import duckdb

from jumelage.config import Config
from jumelage.lifecycle.events import apply_events
from jumelage.lifecycle.proposals import expire, withdraw_invalid
from jumelage.tables import participants
from jumelage.warehouse import transaction


def apply_lifecycle(
    con: duckdb.DuckDBPyConnection, config: Config, run_date: date
) -> dict[str, int]:
    """Apply tonight's events, then what follows from them and from time passing."""
    outcomes = apply_events(con, config, run_date)
    with transaction(con):
        participants.apply_profile_changes(con)
        withdrawn = withdraw_invalid(con, config, run_date)
        expired = expire(con, config, run_date)
    return {
        "events_applied": outcomes["applied"],
        "events_replayed": outcomes["already applied"],
        "events_rejected": outcomes["rejected"],
        "proposals_withdrawn": withdrawn,
        "proposals_expired": expired,
    }
