"""The hard constraints of SPEC §4, defined once (sql/rules/macros.sql) and applied to any
set of (mentee, mentor) pairs: new pairs of the pool, pending proposals, active relationships.

The macros live on each warehouse connection (`prepare`, called by `warehouse.connect`);
`configure` gives them the program's region synonyms.
"""

from __future__ import annotations

import duckdb
import polars as pl

from jumelage import models
from jumelage.config import Config
from jumelage.paths import read_sql

PAIRS_SCHEMA = {"mentee_email": pl.String, "mentor_email": pl.String}


def prepare(con: duckdb.DuckDBPyConnection) -> None:
    """Create the rule macros (and an empty synonyms table) on a new connection."""
    con.execute(read_sql("rules/region_synonyms.sql"))
    con.execute(read_sql("rules/macros.sql"))


def configure(con: duckdb.DuckDBPyConnection, config: Config) -> None:
    """Load `[vocabulary.regions]`: each synonym (and the canonical name) folded to the
    canonical region's key, so that 'MTL' and 'Montréal' are one region."""
    pairs = [
        (label, canonical)
        for canonical, synonyms in config.vocabulary.regions.items()
        for label in (canonical, *synonyms)
    ]
    models.execute(
        con,
        "rules/load_region_synonyms",
        {"labels": [label for label, _ in pairs], "canonicals": [c for _, c in pairs]},
    )


def check_pairs(
    con: duckdb.DuckDBPyConnection, config: Config, pairs: pl.DataFrame
) -> pl.DataFrame:
    """Each pair (mentee_email, mentor_email) as things stand: one column per rule and
    `broken_rule`, the first rule it breaks (null: the pair may go ahead)."""
    configure(con, config)
    models.put(con, "checked_pairs", pairs.select(PAIRS_SCHEMA.keys()).cast(PAIRS_SCHEMA))
    try:
        return models.frame(
            con, "rules/pair_checks", {"min_level_gap": config.matching.min_level_gap}
        )
    finally:
        models.drop(con, ["checked_pairs", "blocked_pairs"])
