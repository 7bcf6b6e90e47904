"""The nearest candidates of each mentee left waiting: the few mentors who come closest, and
what stands in the way of each (« complet », « score 0.27 sous le minimum de 0.30 »…).

The unmatched reasons (the funnel) say which rule first leaves a mentee with no mentor; a
coordinator also needs names: whom to ask for one more place, which profile to correct. So
every active mentor is considered, full ones too (the night's pool leaves them out), and
every pair is scored by the matching's own models: the pool's models are built over the
unmatched mentees and all active mentors (`sql/nearest/`), then `matching/scored_pairs`
scores them. The cost is unmatched mentees x active mentors, so a program with more pairs
than `MAX_PAIRS` (or more than `MAX_WAITING` mentees left waiting) gets none.

They are today's people (places, profiles), so only the report of the latest matched night
gets them: a report made again for an older date would show candidates of another day.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import duckdb

from jumelage import models, rules, words
from jumelage.config import Config
from jumelage.matching.eligibility import build_masks, drop_pool
from jumelage.matching.scoring import score_params
from jumelage.vocabulary import Obstacle

#: Mentors shown per mentee.
NEAREST_K = 3
#: More mentees left waiting than this: no nearest candidates (as for the suggestions).
MAX_WAITING = 2000
#: More pairs (unmatched mentees x active mentors) than this: none either.
MAX_PAIRS = 5_000_000

#: The pool's models over the nearest candidates' sides, in build order (build=False).
_SIDE_MODELS = (
    "matching/excluded_pairs",
    "matching/pool_tags",
    "matching/tag_bits",
    "matching/pool_tag_bits",
)


@dataclass(frozen=True)
class Candidate:
    mentor_email: str
    mentor_name: str
    score: float
    obstacles: tuple[str, ...]  # in the reader's words, most fixable first


def _obstacles(row: dict[str, Any], min_score: float, lang: str) -> tuple[str, ...]:
    """What keeps this mentor from this mentee, in words: a full mentor and a low score first
    (what a coordinator can change tonight), then the profile rules."""
    found: list[tuple[Obstacle, dict[str, object]]] = []
    if row["no_free_place"]:
        found.append((Obstacle.FULL, {}))
    if row["below_min_score"]:
        found.append(
            (Obstacle.BELOW_MIN_SCORE, {"score": f"{row['score']:.2f}", "min": f"{min_score:.2f}"})
        )
    if row["level_short"]:
        found.append(
            (Obstacle.LEVEL_GAP, {"level": row["mentor_level"], "needed": row["level_needed"]})
        )
    if row["meeting_obstacle"]:
        found.append((Obstacle(row["meeting_obstacle"]), {}))
    if row["no_shared_language"]:
        found.append((Obstacle.NO_SHARED_LANGUAGE, {}))
    return tuple(words.say(lang, "obstacle", code, **values) for code, values in found)


def nearest_candidates(
    con: duckdb.DuckDBPyConnection, config: Config, run_date: date
) -> dict[str, list[Candidate]]:
    """Mentee email -> its nearest candidates, closest first (fewest obstacles, then the best
    score). Empty when nobody was left waiting on `run_date`, when a later night was matched
    since, or when the pool is too large. Leaves nothing on the connection."""
    latest = models.rows(con, "matching/latest_matched_night")[1][0][0]
    if latest is not None and run_date < latest:
        return {}
    params: dict[str, Any] = {
        "run_date": run_date,
        "max_capacity": config.matching.max_capacity,
    }
    drop_pool(con)
    rules.prepare(con)  # a reader's connection (the snapshot, a test's) may not have them
    rules.configure(con, config)
    try:
        models.build_all(
            con,
            ("matching/waiting_mentees", "matching/mentor_loads", "matching/linked_pairs",
             "rules/blocked_pairs"),
            params,
        )  # fmt: skip
        models.materialize(
            con, "nearest/nearest_mentees", params, build=False, as_name="waiting_mentees"
        )
        models.materialize(
            con, "nearest/nearest_mentors", params, build=False, as_name="available_mentors"
        )
        mentees = _count(con, "waiting_mentees")
        mentors = _count(con, "available_mentors")
        if not mentees or not mentors or mentees > MAX_WAITING or mentees * mentors > MAX_PAIRS:
            return {}
        for name in _SIDE_MODELS:
            models.materialize(con, name, params, build=False)
        build_masks(con)
        scoring = score_params(con, config)
        models.materialize(
            con, "nearest/nearest_pairs", build=False, as_name="eligible_pairs", view=True
        )
        models.materialize(con, "matching/scored_pairs", scoring, build=False, view=True)
        rows = models.frame(
            con,
            "nearest/nearest_candidates",
            {"min_level_gap": config.matching.min_level_gap, "nearest_k": NEAREST_K},
            build=False,
        ).to_dicts()
    finally:
        drop_pool(con)
    lang = config.program.language
    found: dict[str, list[Candidate]] = {}
    for row in rows:
        found.setdefault(row["mentee_email"], []).append(
            Candidate(
                mentor_email=row["mentor_email"],
                mentor_name=row["mentor_name"] or row["mentor_email"],
                score=float(row["score"]),
                obstacles=_obstacles(row, config.matching.min_score, lang),
            )
        )
    return found


def _count(con: duckdb.DuckDBPyConnection, name: str) -> int:
    ((value,),) = con.table(name).count("*").fetchall()
    return int(value)
