"""Scoring of every eligible pair in DuckDB (SPEC §5).

The score is stored for the solver as an integer in thousandths (`score_milli`): the solver
needs integer costs, and ties must break the same way on every machine. Whether a pair
qualifies (score >= min_score) is decided on the exact score, in SQL.
"""

from __future__ import annotations

import duckdb
import numpy as np
import polars as pl

from jumelage.config import Config
from jumelage.matching.eligibility import eligible_pairs_sql, eligible_params, set_scope
from jumelage.paths import read_sql

#: Years of experience ahead of the mentee at which the experience component is 1.
IDEAL_EXPERIENCE_GAP = 10
#: Resolution of the integer scores given to the solver.
SCORE_SCALE = 1000
#: Half-thousandths round up even when float noise puts them a hair below (0.0375 may be
#: 0.037499999...): the same pair must get the same integer score on every machine.
ROUNDING_SLACK = 1e-6
#: Tolerance for score >= min_score (a sum of products of decimals is never exact).
EPSILON = 1e-9

COMPONENTS = (
    "goals",
    "interests",
    "experience",
    "availability",
    "cross_organization",
    "preference",
)


def scored_pairs_sql() -> str:
    """scored_pairs.sql with eligible_pairs.sql inlined as its CTE `m_eligible`."""
    scored = read_sql("matching/scored_pairs.sql")
    lines = scored.splitlines()
    start = next(i for i, line in enumerate(lines) if line.strip().lower() == "with")
    header, body = "\n".join(lines[:start]), "\n".join(lines[start + 1 :])
    return f"{header}\nwith m_eligible as (\n{eligible_pairs_sql()}\n),\n{body}"


def score_params(con: duckdb.DuckDBPyConnection, config: Config) -> dict[str, float | int]:
    weights = config.matching.weights.normalized()
    return {
        **eligible_params(con, config),
        **{f"w_{name}": weights[name] for name in COMPONENTS},
        "ideal_gap": IDEAL_EXPERIENCE_GAP,
    }


def score_pool(con: duckdb.DuckDBPyConnection, config: Config) -> tuple[int, int]:
    """Score every eligible pair into `m_scored`; returns (eligible, qualifying) counts.

    Only ids, the integer score and the qualifying flag are kept: components are recomputed
    for the few pairs proposed (`pair_components`), so the table stays small at scale.
    """
    con.execute("drop table if exists m_scored")
    params = {**score_params(con, config), "min_score": config.matching.min_score - EPSILON}
    con.execute(
        "create temp table m_scored as "
        "select mentee_id, mentor_id, "
        f"floor(score * {SCORE_SCALE} + 0.5 + {ROUNDING_SLACK})::smallint as score_milli, "
        "score >= $min_score as qualifies "
        f"from ({scored_pairs_sql()})",
        params,
    )
    ((eligible, qualifying),) = con.execute(
        "select count(*), count(*) filter (where qualifies) from m_scored"
    ).fetchall()
    return int(eligible), int(qualifying)


def qualifying_edges(con: duckdb.DuckDBPyConnection) -> dict[str, np.ndarray]:
    """The qualifying pairs as numpy arrays, in canonical order (mentee, best score first,
    mentor), so that the solver's input never depends on the order rows were read in."""
    return con.execute(
        "select mentee_id, mentor_id, score_milli from m_scored where qualifies "
        "order by mentee_id, score_milli desc, mentor_id"
    ).fetchnumpy()


def pair_components(
    con: duckdb.DuckDBPyConnection, config: Config, pairs: pl.DataFrame
) -> pl.DataFrame:
    """Every component and the score of some pairs (columns mentee_id, mentor_id) of tonight's
    pool, so that a proposal shows *why* this mentor. Pairs that are not eligible are absent."""
    if pairs.is_empty():
        return pl.DataFrame(
            schema={
                "mentee_id": pl.Int32,
                "mentor_id": pl.Int32,
                **{c: pl.Float64 for c in COMPONENTS},
                "score": pl.Float64,
            }
        )
    set_scope(con, pairs["mentee_id"].unique().sort().to_list())
    try:
        wanted = pairs.select(
            pl.col("mentee_id").cast(pl.Int32), pl.col("mentor_id").cast(pl.Int32)
        ).to_arrow()
        con.register("m_wanted_pairs", wanted)
        frame = con.sql(
            f"select s.* from ({scored_pairs_sql()}) as s "
            "semi join m_wanted_pairs as w using (mentee_id, mentor_id) "
            "order by mentee_id, mentor_id",
            params=score_params(con, config),
        ).pl()
    finally:
        con.unregister("m_wanted_pairs")
        set_scope(con, None)
    return frame.select(
        pl.col("mentee_id").cast(pl.Int32),
        pl.col("mentor_id").cast(pl.Int32),
        *[pl.col(c).cast(pl.Float64) for c in COMPONENTS],
        pl.col("score").cast(pl.Float64),
    )
