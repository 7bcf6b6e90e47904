"""Tonight's pool and its eligible pairs (SPEC §4), built as temporary DuckDB tables.

Everything is keyed by dense integer ids (mentee_id, mentor_id, ordered by email) so that the
big pair join works on integers and the solver sees the same graph whatever the input order.
The eligible pairs themselves are never stored: at 50,000 x 20,000 they are tens of millions
of rows, so their query is inlined as a CTE of the scoring query (`eligible_pairs_sql`).
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from jumelage.config import Config
from jumelage.paths import read_sql

#: Above this many distinct tags in a domain, bitmasks no longer fit one UBIGINT.
MASK_BITS = 64

#: Temporary objects created here, dropped by `drop_pool`.
_TABLES = (
    "m_mentees",
    "m_mentors",
    "m_links",
    "m_blocked",
    "m_excluded",
    "m_tag_bits",
    "m_masks",
    "m_preferences",
)
_VIEWS = ("m_mentees_in_scope", "m_mentors_in_scope")


@dataclass(frozen=True)
class Pool:
    """Sizes of tonight's pool, for the stats and the report."""

    mentees: int
    mentors: int
    free_capacity: int
    wide_masks: bool  # some domain has more than 64 tags: BIT strings instead of UBIGINT


def _scalar(con: duckdb.DuckDBPyConnection, sql: str) -> int:
    ((value,),) = con.execute(sql).fetchall()
    return int(value) if value is not None else 0


def build_pool(con: duckdb.DuckDBPyConnection, config: Config) -> Pool:
    """Create the temporary pool tables tables; `eligible_pairs_sql` then reads them."""
    drop_pool(con)
    matching = config.matching
    con.execute(f"create temp table m_mentees as {read_sql('matching/waiting_mentees.sql')}")
    con.execute(
        f"create temp table m_mentors as {read_sql('matching/available_mentors.sql')}",
        {"max_capacity": matching.max_capacity},
    )
    con.execute(f"create temp table m_links as {read_sql('matching/hierarchy_links.sql')}")
    con.execute(f"create temp table m_blocked as {read_sql('matching/blocked_pairs.sql')}")
    con.execute(f"create temp table m_excluded as {read_sql('matching/excluded_pairs.sql')}")
    con.execute(f"create temp table m_tag_bits as {read_sql('matching/tag_bits.sql')}")
    widest = _scalar(con, "select coalesce(max(bit) + 1, 0) from m_tag_bits")
    wide = widest > MASK_BITS
    if wide:
        con.execute(
            f"create temp table m_masks as {read_sql('matching/tag_masks_wide.sql')}",
            {"width": widest},
        )
    else:
        con.execute(f"create temp table m_masks as {read_sql('matching/tag_masks.sql')}")
    con.execute(f"create temp table m_preferences as {read_sql('matching/preferences.sql')}")
    set_scope(con, None)
    return Pool(
        mentees=_scalar(con, "select count(*) from m_mentees"),
        mentors=_scalar(con, "select count(*) from m_mentors"),
        free_capacity=_scalar(con, "select coalesce(sum(free_capacity), 0) from m_mentors"),
        wide_masks=wide,
    )


def eligible_params(con: duckdb.DuckDBPyConnection, config: Config) -> dict[str, int]:
    """The parameters of eligible_pairs.sql."""
    top_level = max(
        _scalar(con, "select max(management_level) from m_mentors"),
        config.program.management_levels,
    )
    return {"min_level_gap": config.matching.min_level_gap, "top_level": top_level}


def eligible_pairs_sql() -> str:
    """eligible_pairs.sql, to be wrapped as the CTE `m_eligible` of another query."""
    return read_sql("matching/eligible_pairs.sql")


def set_scope(
    con: duckdb.DuckDBPyConnection,
    mentee_ids: list[int] | None,
    mentor_ids: list[int] | None = None,
) -> None:
    """Restrict the eligible pairs to some mentees and mentors (None: all), e.g. to explain a
    few proposals, or check a certificate, without scoring the whole pool again."""
    for side, key, ids in (
        ("mentees", "mentee_id", mentee_ids),
        ("mentors", "mentor_id", mentor_ids),
    ):
        scope = f"m_scope_{side}"
        con.execute(f"drop table if exists {scope}")
        if ids is None:
            con.execute(f"create or replace temp view m_{side}_in_scope as select * from m_{side}")
            continue
        con.execute(
            f"create temp table {scope} as select unnest(?::integer[]) as {key}",
            [[int(i) for i in ids]],
        )
        con.execute(
            f"create or replace temp view m_{side}_in_scope as "
            f"select * from m_{side} semi join {scope} using ({key})"
        )


def drop_pool(con: duckdb.DuckDBPyConnection) -> None:
    """Drop the temporary pool objects (the connection may live on in the flow)."""
    for view in _VIEWS:
        con.execute(f"drop view if exists {view}")
    scopes = ("m_scope_mentees", "m_scope_mentors")
    for table in (*_TABLES, *scopes, "m_mentee_scores"):
        con.execute(f"drop table if exists {table}")
