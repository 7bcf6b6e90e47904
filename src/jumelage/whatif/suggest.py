"""What would match more people: a few changes, each tried by re-solving the night's
matching on a copy (`run_whatif`), for the report's « Ce qui en jumellerait davantage ».

One trial gives every mentor one place more, to see whose places are missing; the mentors
who would take the most extra mentees are then tried one by one, and so is a minimum score
lowered by 0.05. Places are tried only when someone waits because the mentors that suit
them are full or taken (`PLACES_HELP`): a place more helps no one else. Each suggestion
says how many proposals it would add, counted by the real solver, never estimated. A pool
too large to re-solve several times a night gets none: the report says to try
`jumelage whatif` instead.
"""

from __future__ import annotations

import logging
import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb
import polars as pl

from jumelage import models, warehouse
from jumelage.config import Config
from jumelage.errors import JumelageError
from jumelage.snapshot import copy_database
from jumelage.tables import participants
from jumelage.vocabulary import UnmatchedReason
from jumelage.whatif.compare import WhatIf, run_whatif

log = logging.getLogger(__name__)

#: More mentees in tonight's pool than this: no trials (each one re-solves the whole pool,
#: the mentees proposed tonight included: on a launch night that is the whole program).
MAX_WAITING = 2000
#: How many mentors are tried one by one.
MENTORS_TRIED = 2
#: How much lower the minimum score tried is.
SCORE_STEP = 0.05
#: The reasons for waiting that one more place at some mentor can remove.
PLACES_HELP = (UnmatchedReason.ALL_COMPATIBLE_MENTORS_FULL, UnmatchedReason.TAKEN_BY_OTHERS)


@dataclass(frozen=True)
class Suggestion:
    change: str  # "place": one more place for `target` (a mentor); "min_score": `target`
    target: str
    gained: int  # proposals more than tonight
    mentees: tuple[str, ...]  # who would get one


def _gain(trial: WhatIf, change: str, target: str) -> Suggestion | None:
    gained = trial.after.height - trial.before.height
    if gained <= 0:
        return None
    return Suggestion(change, target, gained, tuple(trial.gained["mentee_email"].to_list()))


def _mentors_short_of_places(everyone: WhatIf) -> list[str]:
    """The mentors who would take more mentees with one place more, most first."""
    counts = [
        frame.group_by("mentor_email").len(name=name)
        for frame, name in ((everyone.before, "before"), (everyone.after, "after"))
    ]
    extra = (
        counts[1]
        .join(counts[0], on="mentor_email", how="left")
        .with_columns((pl.col("after") - pl.col("before").fill_null(0)).alias("extra"))
        .filter(pl.col("extra") > 0)
        .sort(["extra", "mentor_email"], descending=[True, False])
    )
    return extra["mentor_email"].head(MENTORS_TRIED).to_list()


def suggest(con: duckdb.DuckDBPyConnection, config: Config, run_date: date) -> list[Suggestion]:
    """The changes that would match the most people tonight, best first; none when nobody
    waits, when the pool is too large, or when a trial cannot run (logged, never fatal:
    the report goes out without them)."""
    night = {"run_date": run_date}
    waiting = models.frame(con, "matching/night_unmatched", night)
    latest = models.frame(con, "matching/latest_round", night)
    pool = int(latest["mentees_waiting"][0]) if latest.height else waiting.height
    if waiting.is_empty() or max(waiting.height, pool) > MAX_WAITING:
        return []
    places_help = bool(waiting["reason"].is_in([str(r) for r in PLACES_HELP]).any())
    try:
        found = []
        with tempfile.TemporaryDirectory(prefix="jumelage-suggest-") as tmp:
            # one copy of the night's warehouse (through its own connection: the night holds
            # the file); each trial works on a copy of that copy
            base = Path(tmp) / warehouse.WAREHOUSE_NAME
            copy_database(config.data_dir / warehouse.WAREHOUSE_NAME, base, con)
            if places_help:
                everyone = run_whatif(config, run_date, one_more_place_each=True, copy_of=base)
                for mentor in _mentors_short_of_places(everyone):
                    person = participants.person(con, mentor, "mentor") or {}
                    places = int(person.get("capacity") or 1)
                    trial = run_whatif(config, run_date, seats={mentor: places + 1}, copy_of=base)
                    found.append(_gain(trial, "place", mentor))
            lower = round(config.matching.min_score - SCORE_STEP, 2)
            if lower >= 0:
                trial = run_whatif(config, run_date, [f"matching.min_score={lower}"], copy_of=base)
                found.append(_gain(trial, "min_score", f"{lower:.2f}"))
    except (JumelageError, duckdb.Error, OSError) as exc:
        log.warning("no suggestions tonight: %s", exc)
        return []
    return sorted((s for s in found if s), key=lambda s: (-s.gained, s.change, s.target))
