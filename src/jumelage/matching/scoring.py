"""Scoring of every eligible pair in DuckDB (SPEC §5).

The solver needs integer costs, and ties must break the same way on every machine, so each
pair also gets `score_milli`, its score in thousandths. Whether a pair qualifies
(score >= min_score) is decided on the exact score, in SQL.

Pairs are never stored: at 50,000 x 20,000 there are hundreds of millions. One streaming
pass (`best_candidates.sql`) keeps, per mentee, the counts and the k best qualifying mentors;
the optimality certificate re-scores only the mentees whose left-out pairs could matter.
"""

from __future__ import annotations

from dataclasses import dataclass

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
#: Room for mentor ids in the packed rank keys of best_candidates.sql.
MENTOR_SLOTS = 1 << 24

COMPONENTS = (
    "goals",
    "interests",
    "experience",
    "availability",
    "cross_organization",
    "preference",
)


def with_ctes(sql: str, **ctes: str) -> str:
    """Prepend common table expressions to a model (whether or not it has a WITH of its own);
    composes model files, never values."""
    lines = sql.splitlines()
    first = next(i for i, line in enumerate(lines) if line.strip() and not line.startswith("--"))
    header, body = "\n".join(lines[:first]), lines[first:]
    defs = ",\n".join(f"{name} as (\n{text}\n)" for name, text in ctes.items())
    if body[0].strip().lower() == "with":
        return f"{header}\nwith\n{defs},\n" + "\n".join(body[1:])
    return f"{header}\nwith\n{defs}\n" + "\n".join(body)


def scored_pairs_sql() -> str:
    """scored_pairs.sql with eligible_pairs.sql inlined as its CTE `m_eligible`."""
    return with_ctes(read_sql("matching/scored_pairs.sql"), m_eligible=eligible_pairs_sql())


def on_scored_pairs(model: str) -> str:
    """A model reading `scored_pairs`, with the whole scoring inlined."""
    return with_ctes(read_sql(model), scored_pairs=scored_pairs_sql())


def score_params(con: duckdb.DuckDBPyConnection, config: Config) -> dict[str, float | int]:
    weights = config.matching.weights.normalized()
    return {
        **eligible_params(con, config),
        **{f"w_{name}": weights[name] for name in COMPONENTS},
        "ideal_gap": IDEAL_EXPERIENCE_GAP,
        "score_scale": SCORE_SCALE,
        "rounding_slack": ROUNDING_SLACK,
        "min_score": config.matching.min_score - EPSILON,
    }


def score_pool(con: duckdb.DuckDBPyConnection, config: Config, k: int) -> tuple[int, int]:
    """Score every eligible pair of the pool in one streaming pass.

    Creates `m_mentee_scores(mentee_id, eligible, qualifying)` and `m_best(mentee_id,
    mentor_id, score_milli)` (each mentee's k best qualifying mentors); returns the total
    (eligible, qualifying) counts.
    """
    con.execute("drop table if exists m_candidates")
    con.execute(
        "create temp table m_candidates as " + on_scored_pairs("matching/best_candidates.sql"),
        {**score_params(con, config), "k": k, "mentor_slots": MENTOR_SLOTS},
    )
    con.execute("drop table if exists m_mentee_scores")
    con.execute(
        "create temp table m_mentee_scores as "
        "select mentee_id, eligible, qualifying from m_candidates"
    )
    con.execute("drop table if exists m_best")
    con.execute(
        "create temp table m_best as "
        "select mentee_id, ($slots - 1 - key % $slots)::integer as mentor_id, "
        "(key // $slots)::smallint as score_milli "
        "from (select mentee_id, unnest(best_keys) as key from m_candidates)",
        {"slots": MENTOR_SLOTS},
    )
    con.execute("drop table m_candidates")
    ((eligible, qualifying),) = con.execute(
        "select coalesce(sum(eligible), 0), coalesce(sum(qualifying), 0) from m_mentee_scores"
    ).fetchall()
    return int(eligible), int(qualifying)


def best_edges(con: duckdb.DuckDBPyConnection) -> dict[str, np.ndarray]:
    """The kept pairs as numpy arrays, in canonical order (mentee, best score first, mentor),
    so that the solver's input never depends on the order rows were read in."""
    return con.execute(
        "select mentee_id, mentor_id, score_milli from m_best "
        "order by mentee_id, score_milli desc, mentor_id"
    ).fetchnumpy()


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
        "score_milli": pl.Int16,
    }
    if pairs.is_empty():
        return pl.DataFrame(schema=schema)
    set_scope(con, pairs["mentee_id"].unique().sort().to_list())
    wanted = pairs.select(pl.col("mentee_id").cast(pl.Int32), pl.col("mentor_id").cast(pl.Int32))
    con.register("m_wanted_pairs", wanted.to_arrow())
    try:
        frame = con.sql(
            f"select s.* from ({scored_pairs_sql()}) as s "
            "semi join m_wanted_pairs as w using (mentee_id, mentor_id) "
            "order by mentee_id, mentor_id",
            params=score_params(con, config),
        ).pl()
    finally:
        con.unregister("m_wanted_pairs")
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
    """Run a model over `scored_pairs` for some mentees (and mentors) only: requested pairs,
    certificate violations."""
    set_scope(con, mentee_ids, mentor_ids)
    try:
        return con.sql(on_scored_pairs(model), params={**score_params(con, config), **params}).pl()
    finally:
        set_scope(con, None)


@dataclass(frozen=True)
class SqlDiscardedEdges:
    """The qualifying pairs left out of `m_best`, re-scored in DuckDB only when the dual
    prices say they could matter (for the optimality certificate of `assign`).

    `kth[i]` is the lowest kept score of mentee index i; `incomplete` lists the mentee
    indexes with more qualifying pairs than kept. A left-out pair scores at most `kth`, and
    prices are >= 0, so a mentee with scale * kth <= threshold cannot hold a violation and
    is not re-scored; likewise a mentor priced above every such mentee's bound (typically a
    full mentor that waiting mentees compete for) is left out.
    """

    con: duckdb.DuckDBPyConnection
    config: Config
    kth: np.ndarray
    incomplete: np.ndarray

    def violations(
        self, threshold: np.ndarray, price: np.ndarray, scale: int
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        bound = scale * self.kth[self.incomplete] - threshold[self.incomplete]
        idx = self.incomplete[bound > 0]
        mentors = np.flatnonzero(price < bound.max()) if idx.size else idx
        if idx.size == 0 or mentors.size == 0:
            empty = np.zeros(0, dtype=np.int64)
            return empty, empty, empty
        self.con.register(
            "m_mentee_prices",
            pl.DataFrame({"mentee_id": (idx + 1).astype(np.int32), "threshold": threshold[idx]}),
        )
        self.con.register(
            "m_mentor_prices",
            pl.DataFrame(
                {"mentor_id": np.arange(1, len(price) + 1, dtype=np.int32), "price": price}
            ),
        )
        try:
            found = scored_model(
                self.con,
                self.config,
                "matching/violations.sql",
                (idx + 1).tolist(),
                (mentors + 1).tolist(),
                scale=scale,
            )
        finally:
            self.con.unregister("m_mentee_prices")
            self.con.unregister("m_mentor_prices")
        return (
            found["mentee_id"].to_numpy().astype(np.int64) - 1,
            found["mentor_id"].to_numpy().astype(np.int64) - 1,
            found["score_milli"].to_numpy().astype(np.int64),
        )
