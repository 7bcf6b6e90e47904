"""The night's matching, end to end: pool, scores, assignment, proposals, reasons."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import polars as pl

from jumelage import models
from jumelage.config import Config
from jumelage.matching import assignment as solver
from jumelage.matching.eligibility import build_pool, drop_pool
from jumelage.matching.proposals import (
    PROPOSAL_COLUMNS,
    chosen_scores,
    csv_path,
    proposal_id,
    write_csv,
)
from jumelage.matching.reasons import unmatched_reasons
from jumelage.matching.scoring import COMPONENTS, score_pool, scored_model
from jumelage.progress import progress
from jumelage.tables import proposals as proposals_table
from jumelage.warehouse import transaction, utcnow

OnReleased = Callable[[duckdb.DuckDBPyConnection, pl.DataFrame], None]


@dataclass(frozen=True)
class MatchResult:
    """What a night's matching produced (read back from the warehouse on a re-run)."""

    run_date: date
    proposals: pl.DataFrame  # proposal rows made that night (PROPOSAL_COLUMNS)
    unmatched: pl.DataFrame  # mentee_email, reason, detail, waiting_since
    stats: dict[str, Any] = field(default_factory=dict)  # last round of matching_runs
    csv_path: Path | None = None  # reports/proposals-YYYY-MM-DD.csv
    created: bool = False  # False: the night had already been matched, nothing changed


def fix_requested(requested: pl.DataFrame, capacity: np.ndarray) -> pl.DataFrame:
    """Committee-requested eligible pairs, honored first: longest-waiting mentee first, one
    proposal per mentee (its best requested pair), never beyond a mentor's free capacity.

    `requested` has mentee_id, mentor_id, score_units, waiting_rank; `capacity` is indexed
    by mentor_id - 1 and is decremented in place.
    """
    taken: set[int] = set()
    rows = []
    ordered = requested.sort(
        ["waiting_rank", "score_units", "mentor_id"], descending=[False, True, False]
    )
    for mentee_id, mentor_id in ordered.select("mentee_id", "mentor_id").iter_rows():
        if mentee_id in taken or capacity[mentor_id - 1] <= 0:
            continue
        taken.add(mentee_id)
        capacity[mentor_id - 1] -= 1
        rows.append((mentee_id, mentor_id))
    return pl.DataFrame(rows, schema={"mentee_id": pl.Int32, "mentor_id": pl.Int32}, orient="row")


def _stored(
    con: duckdb.DuckDBPyConnection, config: Config, run_date: date, stats: pl.DataFrame
) -> MatchResult:
    """The night as it was matched (`stats`: its latest round)."""
    night = {"run_date": run_date}
    proposals = models.frame(con, "matching/night_proposals", night)
    unmatched = models.frame(con, "matching/night_unmatched", night)
    path = csv_path(config, run_date)
    if not path.exists():
        path = write_csv(con, config, run_date)
    return MatchResult(
        run_date,
        proposals,
        unmatched,
        stats.row(0, named=True) if stats.height else {},
        path,
        created=False,
    )


def match_night(
    con: duckdb.DuckDBPyConnection,
    config: Config,
    run_date: date,
    on_released: OnReleased | None = None,
    *,
    rematch: bool = False,
) -> MatchResult:
    """Match tonight's pool and write the proposals, all in one transaction.

    Idempotent: if `run_date` was already matched, the stored result is returned and nothing
    changes. `rematch=True` (reprocessing after corrections) runs one more round for that
    night over whoever is still waiting; proposals still pending keep their mentor's seat.
    `on_released(con, proposals)` runs inside the transaction with the proposals that go out
    tonight (status `proposed`), so that their emails are queued atomically with them.
    Must not be called inside an open transaction.
    """
    latest = models.frame(con, "matching/latest_round", {"run_date": run_date})
    if latest.height and not rematch:
        return _stored(con, config, run_date, latest)
    round_ = int(latest["round"][0]) + 1 if latest.height else 1

    with progress("matching: pool", 3) as shown, transaction(con):
        started = time.perf_counter()
        pool = build_pool(con, config)
        shown(1, "matching: scoring")
        candidates = score_pool(con, config)
        eligible, qualifying = candidates.eligible, candidates.qualifying
        scored = time.perf_counter()
        shown(2, "matching: assignment")

        mentors = con.table("available_mentors").select("mentor_id, free_capacity").order("1").pl()
        mentees = (
            con.table("waiting_mentees")
            .select("mentee_id, waiting_rank, email as mentee_email, first_seen_on")
            .order("1")
            .pl()
        )
        capacity = mentors["free_capacity"].to_numpy().astype(np.int64).copy()
        requested = fix_requested(
            scored_model(
                con,
                config,
                "matching/requested_pairs",
                models.frame(con, "matching/requesting_mentees", build=False)[
                    "mentee_id"
                ].to_list(),
            ),
            capacity,
        )

        fixed = requested["mentee_id"].to_numpy()
        keep = ~np.isin(candidates.mentee_id, fixed)
        result = solver.assign(
            candidates.mentee_id[keep] - 1,
            candidates.mentor_id[keep] - 1,
            candidates.score_units[keep],
            capacity,
            mentees["waiting_rank"].to_numpy(),
            discarded=candidates.left_out.without(fixed),
        )
        solved = pl.DataFrame(
            {
                "mentee_id": (result.mentee + 1).astype(np.int32),
                "mentor_id": (result.mentor + 1).astype(np.int32),
            }
        )
        assigned = time.perf_counter()

        chosen = pl.concat(
            [
                requested.with_columns(requested=pl.lit(True)),
                solved.with_columns(requested=pl.lit(False)),
            ]
        )
        components = chosen_scores(con, config, chosen.select("mentee_id", "mentor_id"))
        released = not config.program.require_approval
        now = utcnow()
        proposals = (
            chosen.join(components, on=["mentee_id", "mentor_id"], how="inner")
            .join(mentees, on="mentee_id")
            .join(
                con.table("available_mentors").select("mentor_id, email as mentor_email").pl(),
                on="mentor_id",
            )
            .sort("waiting_rank")
            .select(
                pl.struct("mentee_email", "mentor_email")
                .map_elements(
                    lambda p: proposal_id(run_date, round_, p["mentee_email"], p["mentor_email"]),
                    return_dtype=pl.String,
                )
                .alias("proposal_id"),
                pl.lit(run_date).alias("run_date"),
                pl.lit(round_).alias("round"),
                "mentee_email",
                "mentor_email",
                "score",
                *[pl.col(c).alias(f"score_{c}") for c in COMPONENTS],
                "requested",
                pl.col("first_seen_on").alias("mentee_waiting_since"),
                pl.col("waiting_rank").alias("mentee_waiting_rank"),
                pl.lit("proposed" if released else "pending_approval").alias("status"),
                pl.lit(now).alias("created_at"),
                pl.lit(run_date if released else None, dtype=pl.Date).alias("released_on"),
                pl.lit(None, dtype=pl.Date).alias("decided_on"),
                pl.lit(None, dtype=pl.String).alias("status_reason"),
                pl.lit(run_date).alias("updated_on"),
            )
        )
        if proposals.height != chosen.height:  # components come from the same SQL: a bug
            raise RuntimeError("a chosen pair is missing from the scored pairs")
        proposals_table.insert(con, proposals.select(PROPOSAL_COLUMNS))

        unmatched = unmatched_reasons(con, config, chosen["mentee_id"].to_list())
        models.execute(con, "matching/forget_unmatched", {"run_date": run_date})
        models.put(con, "new_unmatched", unmatched)
        models.execute(con, "matching/record_unmatched", {"run_date": run_date})

        stats = {
            "run_date": run_date,
            "round": round_,
            "computed_at": now,
            "mentees_waiting": pool.mentees,
            "mentors_available": pool.mentors,
            "free_capacity": pool.free_capacity,
            "eligible_pairs": eligible,
            "qualifying_pairs": qualifying,
            "edges_solved": result.edges_solved,
            "proposals": proposals.height,
            "requested_fixed": requested.height,
            "unmatched": unmatched.height,
            "total_score": float(proposals["score"].sum()) if proposals.height else 0.0,
            "certified_optimal": result.certified,
            "certificate_rounds": result.rounds,
            "seconds_scoring": scored - started,
            "seconds_assignment": assigned - scored,
        }
        # numpy scalars as Python values, so that the frame has plain column types
        row = {k: v.item() if hasattr(v, "item") else v for k, v in stats.items()}
        models.put(con, "new_round", pl.DataFrame([row]))
        models.execute(con, "matching/record_round")
        models.drop(con, ["new_unmatched", "new_round"])
        if on_released is not None and released and proposals.height:
            on_released(con, proposals)
        drop_pool(con)

    return MatchResult(
        run_date,
        proposals,
        unmatched,
        stats,
        write_csv(con, config, run_date),
        created=True,
    )


def forget_night(con: duckdb.DuckDBPyConnection, run_date: date) -> None:
    """Remove the rounds and reasons of `run_date`, to match the night again from the same
    pool (a what-if run, on its own copy of the warehouse; the caller holds the transaction
    and removes the night's proposals through their owner)."""
    night = {"run_date": run_date}
    models.execute(con, "matching/forget_unmatched", night)
    models.execute(con, "matching/forget_rounds", night)
