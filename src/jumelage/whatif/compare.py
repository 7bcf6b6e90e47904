"""Re-run the matching of a night on a copy of the warehouse and compare the two results."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import polars as pl

from jumelage import models, warehouse
from jumelage.config import Config
from jumelage.errors import JumelageError, LockedError
from jumelage.lock import data_dir_lock
from jumelage.matching.match import forget_night, match_night
from jumelage.snapshot import copy_database
from jumelage.tables import participants, proposals
from jumelage.whatif.settings import changed_settings, with_settings

SNAPSHOT = Path("snapshot") / warehouse.WAREHOUSE_NAME

_PAIR = {"mentee_email": pl.String, "mentor_email": pl.String, "score": pl.Float64}


@dataclass
class WhatIf:
    """The night as it was (`before`) and as it would be (`after`), pair by pair."""

    run_date: date
    source: str | None  # None: the warehouse itself; else the time of the snapshot copied
    settings: list[tuple[str, Any, Any]]  # (key, value of the night, value tried)
    seats: list[tuple[str, int, int]]  # (mentor email, places of the night, places tried)
    before: pl.DataFrame  # mentee_email, mentor_email, score
    after: pl.DataFrame
    waiting: pl.DataFrame  # who would wait: mentee_email, name, reason, detail, waiting_since
    names: dict[str, str] = field(default_factory=dict)  # email -> display name

    @property
    def pairs(self) -> pl.DataFrame:
        """One row per mentee proposed in either result: mentor and score before and after."""
        return (
            self.before.rename({"mentor_email": "mentor_before", "score": "score_before"})
            .join(
                self.after.rename({"mentor_email": "mentor_after", "score": "score_after"}),
                on="mentee_email",
                how="full",
                coalesce=True,
            )
            .sort("mentee_email")
        )

    def _where(self, condition: pl.Expr) -> pl.DataFrame:
        return self.pairs.filter(condition)

    @property
    def gained(self) -> pl.DataFrame:
        return self._where(pl.col("mentor_before").is_null())

    @property
    def lost(self) -> pl.DataFrame:
        return self._where(pl.col("mentor_after").is_null())

    @property
    def changed(self) -> pl.DataFrame:
        both = pl.col("mentor_before").is_not_null() & pl.col("mentor_after").is_not_null()
        return self._where(both & (pl.col("mentor_before") != pl.col("mentor_after")))

    def totals(self) -> dict[str, float | int]:
        return {
            "before": self.before.height,
            "after": self.after.height,
            "gained": self.gained.height,
            "lost": self.lost.height,
            "changed": self.changed.height,
            "score_before": float(self.before["score"].sum() or 0),
            "score_after": float(self.after["score"].sum() or 0),
            "waiting": self.waiting.height,
        }


def copy_warehouse(config: Config, into: Path) -> str | None:
    """Copy the warehouse into `into` under the data directory's lock, so that no night
    writes it meanwhile (`snapshot.copy_database`: checkpoint, then the file). While a night
    runs, the snapshot written after the last run is copied instead, and the time it was
    taken is returned."""
    live = config.data_dir / warehouse.WAREHOUSE_NAME
    if not live.exists():
        raise JumelageError(f"no warehouse in {config.data_dir}: run a night first")
    try:
        with data_dir_lock(config.data_dir):
            copy_database(live, into / live.name)
        return None
    except LockedError:
        snapshot = config.data_dir / SNAPSHOT
        if not snapshot.exists():
            raise
        shutil.copyfile(snapshot, into / warehouse.WAREHOUSE_NAME)
        return datetime.fromtimestamp(snapshot.stat().st_mtime).isoformat(" ", "minutes")


def _frame(rows: pl.DataFrame, schema: Mapping[str, pl.DataType]) -> pl.DataFrame:
    return (
        rows.select(list(schema)).cast(dict(schema)) if rows.height else pl.DataFrame(schema=schema)
    )


def run_whatif(
    config: Config,
    run_date: date,
    settings: Iterable[str] = (),
    seats: Mapping[str, int] | None = None,
    *,
    one_more_place_each: bool = False,
    copy_of: Path | None = None,
) -> WhatIf:
    """The matching of `run_date` again, with `settings` and `seats` (and, to find where
    places are missing, one more place for every mentor), on a copy: of the warehouse, or
    of `copy_of`, a copy already made (several trials of one night copy the warehouse once).

    Only the latest matched night can be re-run: later nights would have changed the pool
    it was matched from. The copy is deleted when the comparison is made.
    """
    with tempfile.TemporaryDirectory(prefix="jumelage-whatif-") as tmp:
        if copy_of is None:
            source = copy_warehouse(config, Path(tmp))
        else:
            source = None
            shutil.copyfile(copy_of, Path(tmp) / warehouse.WAREHOUSE_NAME)
        trial = with_settings(config, settings, data_dir=tmp)
        con = warehouse.connect(Path(tmp))
        try:
            latest = models.rows(con, "matching/latest_matched_night")[1][0][0]
            if latest is None:
                raise JumelageError("no night has been matched yet: nothing to compare")
            if run_date != latest:
                raise JumelageError(
                    f"whatif re-runs the latest matched night ({latest.isoformat()}): "
                    f"later nights changed the pool that {run_date.isoformat()} was matched from"
                )
            night = {"run_date": run_date}
            before = _frame(models.frame(con, "matching/night_proposals", night), _PAIR)
            seat_changes = _set_seats(con, seats or {})
            with warehouse.transaction(con):
                if one_more_place_each:
                    participants.add_a_place_each(con)
                proposals.forget_night(con, run_date)
                forget_night(con, run_date)
            result = match_night(con, trial, run_date)
            after = _frame(result.proposals, _PAIR)
            names = dict(models.rows(con, "whatif/names")[1])
            waiting = result.unmatched.with_columns(
                pl.col("mentee_email").replace_strict(names, default=None).alias("name")
            )
        finally:
            con.close()
    return WhatIf(
        run_date,
        source,
        changed_settings(config, trial),
        seat_changes,
        before,
        after,
        waiting,
        names,
    )


def _set_seats(con: Any, seats: Mapping[str, int]) -> list[tuple[str, int, int]]:
    changes = []
    for email, places in sorted(seats.items()):
        mentor = participants.person(con, email, "mentor")
        if mentor is None:
            raise JumelageError(f"--seats {email}: no mentor with this email in the program")
        with warehouse.transaction(con):
            participants.set_capacity(con, email, places)
        changes.append((email, int(mentor["capacity"] or 1), places))
    return changes
