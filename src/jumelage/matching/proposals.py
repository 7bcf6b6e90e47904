"""Tonight's proposals: warehouse rows and the committee's CSV (SPEC §5, §9)."""

from __future__ import annotations

import csv
import hashlib
from datetime import date
from pathlib import Path

import duckdb
import polars as pl

from jumelage import models
from jumelage.config import Config
from jumelage.matching.eligibility import set_scope
from jumelage.matching.scoring import COMPONENTS, score_views

#: Columns of `proposals` written by the matching, in table order (the rows go to
#: `jumelage.tables.proposals.insert`).
PROPOSAL_COLUMNS = (
    "proposal_id",
    "run_date",
    "round",
    "mentee_email",
    "mentor_email",
    "score",
    *(f"score_{c}" for c in COMPONENTS),
    "requested",
    "mentee_waiting_since",
    "mentee_waiting_rank",
    "status",
    "created_at",
    "released_on",
    "decided_on",
    "status_reason",
    "updated_on",
)

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

#: Chosen pairs are scored again in groups of this many: a group's scope is its mentees
#: and their mentors, at most this many of each, so explaining N proposals scores about
#: N x EXPLAIN_GROUP pairs, never N x every mentor of the pool.
EXPLAIN_GROUP = 1024

_SCORES_SCHEMA = {
    "mentee_id": pl.Int32,
    "mentor_id": pl.Int32,
    **{c: pl.Float64 for c in COMPONENTS},
    "score": pl.Float64,
    "score_units": pl.Int32,
}


def chosen_scores(
    con: duckdb.DuckDBPyConnection, config: Config, pairs: pl.DataFrame
) -> pl.DataFrame:
    """Every component and the score of tonight's chosen pairs (mentee_id, mentor_id), so
    that a proposal shows why this mentor; a pair that is not eligible is absent.

    The scope of each group is both its mentees and its mentors (`set_scope`): scoping
    the mentees alone scored every pair of every proposed mentee, O(proposals x mentors),
    most of a launch night's match stage after the assignment.
    """
    ordered = pairs.select(
        pl.col("mentee_id").cast(pl.Int32), pl.col("mentor_id").cast(pl.Int32)
    ).sort("mentee_id", "mentor_id")
    parts = [pl.DataFrame(schema=_SCORES_SCHEMA)]
    try:
        for i, group in enumerate(ordered.iter_slices(EXPLAIN_GROUP)):
            models.put(con, "wanted_pairs", group)
            set_scope(
                con,
                group["mentee_id"].unique().sort().to_list(),
                group["mentor_id"].unique().sort().to_list(),
            )
            if i == 0:  # views read the scope by name when queried: made once, not per group
                score_views(con, config)
            scored = models.frame(con, "matching/wanted_pair_scores", build=False)
            parts.append(scored.select([pl.col(c).cast(t) for c, t in _SCORES_SCHEMA.items()]))
    finally:
        models.drop(con, ["wanted_pairs"])
        set_scope(con, None)
        score_views(con, config)
    return pl.concat(parts)


def proposal_id(run_date: date, round_: int, mentee_email: str, mentor_email: str) -> str:
    """Short, deterministic and unique per night: the same inputs give the same id, and a
    re-match of the night (round 2) never collides with a withdrawn proposal of round 1."""
    digest = hashlib.sha256(
        f"{run_date.isoformat()}|{round_}|{mentee_email}|{mentor_email}".encode()
    ).hexdigest()
    return f"P-{run_date:%Y%m%d}-{digest[:8].upper()}"


def neutralize(cell: object) -> str:
    """A CSV cell a spreadsheet will not run as a formula (leading ' when needed)."""
    text = "" if cell is None else str(cell)
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def _decimal(value: float | None) -> str:
    # `;`-separated files are what French spreadsheets read; they expect a decimal comma.
    return "" if value is None else f"{value:.3f}".replace(".", ",")


def csv_path(config: Config, run_date: date) -> Path:
    return config.data_dir / "reports" / f"proposals-{run_date.isoformat()}.csv"


def write_csv(con: duckdb.DuckDBPyConnection, config: Config, run_date: date) -> Path:
    """Write `reports/proposals-YYYY-MM-DD.csv` with every proposal made that night, for the
    committee: UTF-8 with BOM, `;`, formula-like cells neutralized."""
    rows = models.relation(con, "matching/proposals_csv", {"run_date": run_date}).fetchall()
    header = [
        "proposal_id",
        "status",
        "mentee_email",
        "mentee_name",
        "mentee_organization",
        "mentor_email",
        "mentor_name",
        "mentor_organization",
        "score",
        *(f"score_{c}" for c in COMPONENTS),
        "requested",
        "mentee_waiting_since",
    ]
    path = csv_path(config, run_date)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".csv.tmp")
    with tmp.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, delimiter=";", lineterminator="\r\n")
        writer.writerow(header)
        n_scores = 1 + len(COMPONENTS)
        for row in rows:
            text = [neutralize(c) for c in row[:8]]
            scores = [_decimal(v) for v in row[8 : 8 + n_scores]]
            requested = "oui" if row[8 + n_scores] else "non"
            since = row[9 + n_scores]
            writer.writerow([*text, *scores, requested, since.isoformat() if since else ""])
    tmp.replace(path)
    return path
