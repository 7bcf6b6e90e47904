"""Run the report's SQL (``sql/report/*.sql``), one query per table of a section."""

from __future__ import annotations

from datetime import date
from typing import Any

import duckdb
import polars as pl

from jumelage import models
from jumelage.config import Config
from jumelage.paths import sql_path
from jumelage.vocabulary import UNFIXABLE

#: Fewer people than this in a group of the fairness tables: no figure is shown for it.
MIN_GROUP = 5

#: Queries by section, most urgent first (file names under sql/report/, without .sql).
SECTIONS: dict[str, tuple[str, ...]] = {
    "todo": ("todo_runs", "todo_emails", "todo_flags", "todo_quarantine", "todo_answers"),
    "night": (
        "night_files",
        "night_events",
        "night_unknown_values",
        "night_set_aside",
        "night_answers",
    ),
    "pool": (
        "pool_waiting",
        "pool_mentors",
        "pool_history",
        "pool_waiting_for",
        "pool_unknown_managers",
    ),
    "proposals": (
        "proposals_tonight",
        "proposals_answers",
        "proposals_weekly",
        "proposals_scores",
    ),
    "relationships": ("relationships",),
    "emails": ("emails",),
    "health": ("health_outcomes", "health_fairness", "health_trends"),
}


def parameters(config: Config, run_date: date) -> dict[str, Any]:
    """Every value a report query may bind (`$run_date`, `$max_capacity`, `$unfixable`,
    `$min_group`)."""
    return {
        "run_date": run_date,
        "max_capacity": config.matching.max_capacity,
        "unfixable": [str(code) for code in UNFIXABLE],
        "min_group": MIN_GROUP,
        "min_level_gap": config.matching.min_level_gap,
    }


def run_query(con: duckdb.DuckDBPyConnection, name: str, params: dict[str, Any]) -> pl.DataFrame:
    """One report query as a polars frame; only the parameters it names are bound.

    A coordinator gets the same numbers by running the file in the DuckDB CLI after
    `set variable`-style substitution of `$run_date` (see the README).
    """
    return models.frame(con, f"report/{name}", params)


def run_all(
    con: duckdb.DuckDBPyConnection, config: Config, run_date: date
) -> dict[str, pl.DataFrame]:
    """Every report query, by name."""
    params = parameters(config, run_date)
    return {name: run_query(con, name, params) for names in SECTIONS.values() for name in names}


def query_names() -> list[str]:
    """The files of sql/report/ (each must belong to a section)."""
    return sorted(p.stem for p in sql_path("report").glob("*.sql"))
