"""Proposal transitions caused by events or by time: withdraw, expire, release."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import duckdb
import polars as pl

from jumelage import models, rules
from jumelage.config import Config
from jumelage.lifecycle.flags import raise_flag
from jumelage.lifecycle.people import pair
from jumelage.notify.compose import compose
from jumelage.notify.outbox import enqueue
from jumelage.notify.released import queue_proposal_emails

PENDING = ("pending_approval", "proposed")


def proposal(con: duckdb.DuckDBPyConnection, proposal_id: str) -> dict[str, Any] | None:
    rows = con.sql(
        "select * from proposals where proposal_id = $id", params={"id": proposal_id}
    ).pl()
    return rows.row(0, named=True) if rows.height else None


def set_status(
    con: duckdb.DuckDBPyConnection,
    proposal_id: str,
    status: str,
    decided_on: date | None,
    run_date: date,
    reason: str | None = None,
) -> None:
    con.execute(
        "update proposals set status = ?, decided_on = ?,"
        " status_reason = coalesce(?, status_reason), updated_on = ? where proposal_id = ?",
        [status, decided_on, reason, run_date, proposal_id],
    )


def withdraw(
    con: duckdb.DuckDBPyConnection,
    config: Config,
    run_date: date,
    row: dict[str, Any],
    reason: str,
    detail: str = "",
) -> None:
    """Withdraw a pending proposal; the mentee is told only if it had been sent to them."""
    set_status(con, row["proposal_id"], "withdrawn", run_date, run_date, reason)
    if row["status"] != "proposed":
        return
    mentee, mentor = pair(con, row["mentee_email"], row["mentor_email"])
    enqueue(
        con,
        [
            compose(
                config,
                "proposal_withdrawn",
                to=mentee["email"],
                context={
                    "mentee": mentee,
                    "mentor": mentor,
                    "proposal_id": row["proposal_id"],
                    "reason": reason,
                    "detail": detail,
                },
                about=row["proposal_id"],
                language=mentee["language"],
                run_date=run_date,
            )
        ],
    )


def release(
    con: duckdb.DuckDBPyConnection, config: Config, run_date: date, proposal_id: str
) -> None:
    """pending_approval -> proposed tonight (the committee approved), with the proposal email."""
    con.execute(
        "update proposals set status = 'proposed', released_on = ?, updated_on = ?"
        " where proposal_id = ?",
        [run_date, run_date, proposal_id],
    )
    released = con.sql(
        "select * from proposals where proposal_id = $id", params={"id": proposal_id}
    ).pl()
    queue_proposal_emails(con, config, run_date, released)


def withdraw_invalid(con: duckdb.DuckDBPyConnection, config: Config, run_date: date) -> int:
    """Withdraw pending proposals whose pair now breaks a rule of SPEC §4 (after a
    correction, an event or an org chart change): the same rules as new pairs."""
    pending = models.frame(con, "lifecycle/pending_proposals")
    broken = rules.check_pairs(con, config, pending).filter(pl.col("broken_rule").is_not_null())
    invalid = pending.join(
        broken.select("mentee_email", "mentor_email", "broken_rule"),
        on=["mentee_email", "mentor_email"],
    ).sort("proposal_id")
    for row in invalid.iter_rows(named=True):
        withdraw(con, config, run_date, row, row["broken_rule"])
    return invalid.height


def expire(con: duckdb.DuckDBPyConnection, config: Config, run_date: date) -> int:
    """Unanswered proposals expire after `proposal_expiry` days: `no_response` flag, and the
    mentee leaves the pool (unresponsive) until a coordinator acts."""
    cutoff = run_date - timedelta(days=config.delays.proposal_expiry)
    due = con.sql(
        "select * from proposals where status = 'proposed' and released_on <= $cutoff"
        " order by proposal_id",
        params={"cutoff": cutoff},
    ).pl()
    for row in due.iter_rows(named=True):
        expired_on = row["released_on"] + timedelta(days=config.delays.proposal_expiry)
        set_status(con, row["proposal_id"], "expired", expired_on, run_date, "no_response")
        con.execute(
            "update participants set status = 'unresponsive', updated_on = ?"
            " where email = ? and role = 'mentee' and status = 'active'",
            [run_date, row["mentee_email"]],
        )
        raise_flag(
            con,
            run_date,
            "no_response",
            mentee_email=row["mentee_email"],
            mentor_email=row["mentor_email"],
            proposal_id=row["proposal_id"],
            due_on=expired_on,
            detail=f"aucune réponse à la proposition {row['proposal_id']} envoyée le "
            f"{row['released_on'].isoformat()} : la personne est retirée du bassin jusqu'à "
            "ce qu'une personne de la coordination intervienne",
        )
    return due.height
