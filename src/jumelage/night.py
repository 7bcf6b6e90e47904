"""One night of the pipeline: the warehouse connection and the `runs` record around it."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import duckdb

from jumelage import models, warehouse
from jumelage.config import Config
from jumelage.lock import data_dir_lock


@dataclass
class Night:
    config: Config
    run_date: date
    con: duckdb.DuckDBPyConnection
    kind: str = "nightly"
    results: dict[str, Any] = field(default_factory=dict)  # what each stage returned


def today(config: Config) -> date:
    """Today in the program's time zone (the default run date)."""
    return datetime.now(config.tz).date()


def _start(con: duckdb.DuckDBPyConnection, run_date: date, kind: str) -> None:
    with warehouse.transaction(con):
        models.execute(
            con,
            "runs/start",
            {"run_date": run_date, "kind": kind, "started_at": warehouse.utcnow()},
        )


def _finish(con: duckdb.DuckDBPyConnection, run_date: date, error: str | None) -> None:
    models.execute(
        con,
        "runs/finish",
        {
            "run_date": run_date,
            "finished_at": warehouse.utcnow(),
            "status": "failed" if error else "succeeded",
            "error": error,
        },
    )


@contextmanager
def open_night(config: Config, run_date: date, kind: str = "nightly") -> Iterator[Night]:
    """Lock the data directory, open the warehouse and record the run's outcome in `runs`.

    A failure marks the run `failed` with its error; each stage commits its own writes, so
    the next run (or a retry of the same date) starts from a consistent state.
    """
    with data_dir_lock(config.data_dir):
        con = warehouse.connect(config.data_dir)
        try:
            _start(con, run_date, kind)
            try:
                yield Night(config, run_date, con, kind)
            except BaseException as exc:
                _finish(con, run_date, f"{type(exc).__name__}: {exc}"[:2000])
                raise
            _finish(con, run_date, None)
        finally:
            con.close()
