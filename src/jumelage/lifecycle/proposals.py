"""Proposal transitions caused by events or by time: withdraw, expire, release.

The writes are the tables' owners' (`jumelage.tables`); this module decides what follows from
them: who is told, which flag is raised.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import duckdb
import polars as pl

from jumelage import models, rules, words
from jumelage.config import Config
from jumelage.notify.compose import compose
from jumelage.notify.outbox import enqueue
from jumelage.notify.released import queue_proposal_emails
from jumelage.notify.render import language_for
from jumelage.tables import flags, participants, proposals
from jumelage.vocabulary import FlagKind, PairRule, ProposalStatus


def withdraw(
    con: duckdb.DuckDBPyConnection,
    config: Config,
    run_date: date,
    row: dict[str, Any],
    rule: PairRule,
) -> None:
    """Withdraw a pending proposal whose pair broke `rule`; the mentee is told (in their
    language) only if it had been sent to them."""
    proposals.set_status(
        con, row["proposal_id"], ProposalStatus.WITHDRAWN, run_date, run_date, rule
    )
    if row["status"] != ProposalStatus.PROPOSED:
        return
    mentee, mentor = participants.pair(con, row["mentee_email"], row["mentor_email"])
    lang = language_for(mentee["language"], config.program.language)
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
                    "reason": rule,
                    "detail": words.say(lang, "pair_rule", rule),
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
    released = proposals.release(con, proposal_id, run_date)
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
        withdraw(con, config, run_date, row, PairRule(row["broken_rule"]))
    return invalid.height


def expire(con: duckdb.DuckDBPyConnection, config: Config, run_date: date) -> int:
    """Unanswered proposals expire after `proposal_expiry` days: `no_response` flag, and the
    mentee leaves the pool (unresponsive) until a coordinator acts."""
    cutoff = run_date - timedelta(days=config.delays.proposal_expiry)
    due = proposals.released_by(con, cutoff)
    for row in due.iter_rows(named=True):
        expired_on = row["released_on"] + timedelta(days=config.delays.proposal_expiry)
        proposals.set_status(
            con, row["proposal_id"], ProposalStatus.EXPIRED, expired_on, run_date, "no_response"
        )
        participants.mark_unresponsive(con, row["mentee_email"], run_date)
        detail = words.say(
            config.program.language,
            "flag_detail",
            FlagKind.NO_RESPONSE,
            proposal_id=row["proposal_id"],
            released_on=row["released_on"].isoformat(),
        )
        pair = flags.about(row, "proposal_id")
        flags.raise_flag(
            con, run_date, FlagKind.NO_RESPONSE, due_on=expired_on, detail=detail, **pair
        )
    return due.height
