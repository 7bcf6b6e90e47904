"""Scoring of every eligible pair in DuckDB (SPEC §5).

The solver needs integer costs, so each pair also gets `score_units`, its score in units of
1e-9 (rounded to the nearest): two scores more than 1e-9 apart never get the same units, so
the optimum is that of the exact scores and only scores equal within 1e-9 can tie (waiting
time then decides). Whether a pair qualifies (score >= min_score) is decided on the exact
score, in SQL.

Eligible pairs are never stored as rows: one pass (`candidates.sql`) aggregates them per
mentee into counts and the list of qualifying mentors with their integer scores, which is
all the solver and its optimality certificate need (12 bytes a pair).
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import numpy as np
import polars as pl

from jumelage import models
from jumelage.config import Config
from jumelage.matching.eligibility import eligible_params, set_scope
from jumelage.vocabulary import COMPONENTS

#: Years of experience ahead of the mentee at which the experience component is 1.
IDEAL_EXPERIENCE_GAP = 10
#: Resolution of the integer scores given to the solver: units of 1e-9 (an INTEGER column).
SCORE_SCALE = 1_000_000_000
#: Room for mentor ids in the packed edge keys of candidates.sql.
MENTOR_SLOTS = 1 << 24
#: Tolerance for score >= min_score (a sum of products of decimals is never exact).
EPSILON = 1e-9


def score_params(con: duckdb.DuckDBPyConnection, config: Config) -> dict[str, float | int]:
    weights = config.matching.weights.normalized()
    return {
        **eligible_params(con, config),
        **{f"w_{name}": weights[name] for name in COMPONENTS},
        "ideal_gap": IDEAL_EXPERIENCE_GAP,
        "score_scale": SCORE_SCALE,
        "min_score": config.matching.min_score - EPSILON,
    }


def score_views(con: duckdb.DuckDBPyConnection, config: Config) -> None:
    """The views `eligible_pairs` and `scored_pairs` over the pool (and its scope), with
    tonight's parameters bound."""
    params = score_params(con, config)
    models.materialize(con, "matching/eligible_pairs", params, build=False, view=True)
    models.materialize(con, "matching/scored_pairs", params, build=False, view=True)


@dataclass(frozen=True)
class Candidates:
    """Every qualifying pair of the pool, as solver edges in canonical order (mentee, best
    score first, then mentor), with the per-mentee counts the reasons need."""

    mentee_id: np.ndarray
    mentor_id: np.ndarray
    score_units: np.ndarray
    eligible: int
    qualifying: int


def score_pool(con: duckdb.DuckDBPyConnection, config: Config) -> Candidates:
    """Score every eligible pair of the pool in one pass (candidates.sql).

    Also keeps `mentee_scores(mentee_id, eligible, qualifying)` for the reasons. Only
    qualifying pairs leave DuckDB, as 12 bytes each; components are recomputed for the few
    pairs proposed (`pair_components`).
    """
    score_views(con, config)
    table = models.relation(
        con,
        "matching/candidates",
        {"score_scale": SCORE_SCALE, "mentor_slots": MENTOR_SLOTS},
        build=False,
    ).to_arrow_table()
    counts = pl.from_arrow(table.select(["mentee_id", "eligible", "qualifying"]))
    assert isinstance(counts, pl.DataFrame)
    models.put(con, "mentee_scores", counts)
    keys = table.column("edge_keys").combine_chunks().flatten().to_numpy()
    lengths = counts["qualifying"].to_numpy()
    mentee_id = np.repeat(counts["mentee_id"].to_numpy().astype(np.int32), lengths)
    return Candidates(
        mentee_id,
        (keys % MENTOR_SLOTS).astype(np.int32),
        (SCORE_SCALE - keys // MENTOR_SLOTS).astype(np.int32),
        int(counts["eligible"].sum() or 0),
        int(lengths.sum()),
    )


def pair_components(
    con: duckdb.DuckDBPyConnection, config: Config, pairs: pl.DataFrame
) -> pl.DataFrame:
    """Every component and the score of some pairs (columns mentee_id, mentor_id) of tonight's
    pool, so that a proposal shows *why* this mentor. Pairs that are not eligible are absent.
    Only the mentees named are scored."""
    schema = {
        "mentee_id": pl.Int32,
        "mentor_id": pl.Int32,
        **{c: pl.Float64 for c in COMPONENTS},
        "score": pl.Float64,
        "score_units": pl.Int32,
    }
    if pairs.is_empty():
        return pl.DataFrame(schema=schema)
    set_scope(con, pairs["mentee_id"].unique().sort().to_list())
    wanted = pairs.select(pl.col("mentee_id").cast(pl.Int32), pl.col("mentor_id").cast(pl.Int32))
    models.put(con, "wanted_pairs", wanted)
    try:
        score_views(con, config)
        frame = models.frame(con, "matching/wanted_pair_scores", build=False)
    finally:
        models.drop(con, ["wanted_pairs"])
        set_scope(con, None)
    return frame.select([pl.col(c).cast(t) for c, t in schema.items()])


def scored_model(
    con: duckdb.DuckDBPyConnection,
    config: Config,
    model: str,
    mentee_ids: list[int],
    mentor_ids: list[int] | None = None,
    **params: int,
) -> pl.DataFrame:
    """Run a model over `scored_pairs` for some mentees (and mentors) only, e.g. the pairs
    the committee requested."""
    set_scope(con, mentee_ids, mentor_ids)
    try:
        score_views(con, config)
        return models.relation(con, model, params, build=False).pl()
    finally:
        set_scope(con, None)
