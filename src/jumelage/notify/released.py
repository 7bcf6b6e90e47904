"""Queue the `proposal` email of every proposal released tonight (inside its transaction)."""

from __future__ import annotations

from datetime import date

import duckdb
import polars as pl

from jumelage import models
from jumelage.config import Config
from jumelage.notify.compose import compose, proposal_context
from jumelage.notify.outbox import enqueue


def _people(con: duckdb.DuckDBPyConnection, role: str, emails: list[str]) -> dict[str, dict]:
    rows = models.frame(con, "notify/participants_by_email", {"role": role, "emails": emails})
    return {row["email"]: row for row in rows.iter_rows(named=True)}


def queue_proposal_emails(
    con: duckdb.DuckDBPyConnection, config: Config, run_date: date, proposals: pl.DataFrame
) -> list[str]:
    """One `proposal` email per released proposal, to the mentee; returns the new keys.

    Called by matching inside the transaction that writes the proposals, so a proposal is
    never released without its email queued, and a re-run queues nothing twice (same keys).
    """
    released = proposals.filter(pl.col("status") == "proposed")
    if released.is_empty():
        return []
    mentees = _people(con, "mentee", released["mentee_email"].to_list())
    mentors = _people(con, "mentor", released["mentor_email"].to_list())
    messages = []
    for proposal in released.iter_rows(named=True):
        mentee = mentees[proposal["mentee_email"]]
        context = proposal_context(
            config, proposal, mentee, mentors[proposal["mentor_email"]], released_on=run_date
        )
        messages.append(
            compose(
                config,
                "proposal",
                to=mentee["email"],
                context=context,
                about=proposal["proposal_id"],
                language=mentee["language"],
                run_date=run_date,
            )
        )
    return enqueue(con, messages)
