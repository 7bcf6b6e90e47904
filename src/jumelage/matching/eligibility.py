"""Tonight's pool and its eligible pairs (SPEC §4), as models of the runner (`models.py`).

Everything is keyed by dense integer ids (mentee_id, mentor_id, ordered by email) so that the
big pair join works on integers and the solver sees the same graph whatever the input order.
The pool's small tables are materialized once; the eligible pairs are a view
(`matching/eligible_pairs`), aggregated by the scoring and never stored: at 50,000 x 20,000
they are tens of millions of rows.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import polars as pl

from jumelage import models, rules
from jumelage.config import Config

#: Above this many distinct tags in a domain, bitmasks no longer fit one UBIGINT.
MASK_BITS = 64

#: The pool's models, in build order (each after what it reads).
POOL_MODELS = (
    "rules/participant_profiles",
    "matching/waiting_mentees",
    "matching/available_mentors",
    "matching/linked_pairs",
    "rules/blocked_pairs",
    "matching/excluded_pairs",
    "matching/pool_tags",
    "matching/tag_bits",
    "matching/pool_tag_bits",
)
#: Objects the pool leaves on the connection, dropped by `drop_pool`.
_OBJECTS = (
    *(name.rsplit("/", 1)[-1] for name in POOL_MODELS),
    "mentor_loads",
    "tag_masks",
    "preferences",
    "scope_mentees",
    "scope_mentors",
    "mentees_in_scope",
    "mentors_in_scope",
    "eligible_pairs",
    "scored_pairs",
    "mentee_scores",
)


@dataclass(frozen=True)
class Pool:
    """Sizes of tonight's pool, for the stats and the report."""

    mentees: int
    mentors: int
    free_capacity: int
    wide_masks: bool  # some domain has more than 64 tags: BIT strings instead of UBIGINT


def _scalar(relation: duckdb.DuckDBPyRelation) -> int:
    ((value,),) = relation.fetchall()
    return int(value) if value is not None else 0


def build_pool(con: duckdb.DuckDBPyConnection, config: Config) -> Pool:
    """Build the pool's models; the eligible pairs (`eligible_params`) then read them."""
    drop_pool(con)
    rules.configure(con, config)
    models.build_all(con, POOL_MODELS, {"max_capacity": config.matching.max_capacity})
    wide = build_masks(con)
    set_scope(con, None)
    mentors = con.table("available_mentors")
    return Pool(
        mentees=_scalar(con.table("waiting_mentees").count("*")),
        mentors=_scalar(mentors.count("*")),
        free_capacity=_scalar(mentors.aggregate("coalesce(sum(free_capacity), 0)")),
        wide_masks=wide,
    )


def build_masks(con: duckdb.DuckDBPyConnection) -> bool:
    """The pool's tag bitmasks (`tag_masks`) and preferences, from the pool's tag bits (made
    by `build_pool`, or by a caller that chose its own `waiting_mentees` and
    `available_mentors`). True when some domain needs BIT strings (more than 64 tags)."""
    bits = con.table("tag_bits")
    widest = _scalar(bits.aggregate("coalesce(max(bit) + 1, 0)"))
    wide = widest > MASK_BITS
    if wide:  # BIT strings do not survive Arrow: a view, evaluated per person where read
        models.materialize(
            con,
            "matching/tag_masks_wide",
            {"width": widest},
            build=False,
            as_name="tag_masks",
            view=True,
        )
    else:
        models.materialize(con, "matching/tag_masks", build=False)
    models.materialize(con, "matching/preferences", build=False)
    return wide


def eligible_params(con: duckdb.DuckDBPyConnection, config: Config) -> dict[str, int]:
    """The parameters of eligible_pairs.sql."""
    return {"min_level_gap": config.matching.min_level_gap}


def set_scope(
    con: duckdb.DuckDBPyConnection,
    mentee_ids: list[int] | None,
    mentor_ids: list[int] | None = None,
    *,
    sees_up_to: list[int] | None = None,
    scope_rank: list[int] | None = None,
) -> None:
    """Restrict the eligible pairs to some mentees and mentors (None: all), e.g. to explain a
    few proposals, or check a certificate, without scoring the whole pool again. With
    `scope_rank` (per mentor) and `sees_up_to` (per mentee), a pair is in scope only when
    the mentor's rank is at most what its mentee sees up to (default 0 for all)."""
    for side, key, ids, pool, column, values in (
        ("mentees", "mentee_id", mentee_ids, "waiting_mentees", "sees_up_to", sees_up_to),
        ("mentors", "mentor_id", mentor_ids, "available_mentors", "scope_rank", scope_rank),
    ):
        if ids is None:
            scope = con.table(pool).select(key).pl().with_columns(pl.lit(0, pl.Int32).alias(column))
        else:
            scope = pl.DataFrame(
                {
                    key: [int(i) for i in ids],
                    column: [0] * len(ids) if values is None else [int(v) for v in values],
                },
                schema={key: pl.Int32, column: pl.Int32},
            )
        models.put(con, f"scope_{side}", scope)
        models.materialize(con, f"matching/{side}_in_scope", build=False, view=True)


def drop_pool(con: duckdb.DuckDBPyConnection) -> None:
    """Forget the pool's objects (the connection may live on in the flow)."""
    models.drop(con, _OBJECTS)
