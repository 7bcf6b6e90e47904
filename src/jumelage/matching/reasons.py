"""Why a waiting mentee got no proposal tonight, for the coordinators' report (SPEC §8).

Active mentors are filtered by each hard constraint in turn; the first filter that leaves no
mentor is the reason. When some eligible mentor remained, the reason is the score threshold
or, failing that, that the optimal assignment gave every such mentor to other mentees.

The counts never pair every mentee with every mentor (sql/matching/unmatched_reasons.sql):
the filters that depend only on profiles are counted once per distinct mentee requirement
against mentor profiles, then corrected with each mentee's own pairs (itself as a mentor,
hierarchical links, blocked pairs); the score stage reuses the scoring's `mentee_scores`.
"""

from __future__ import annotations

import duckdb
import polars as pl

from jumelage import models, words
from jumelage.config import Config
from jumelage.vocabulary import UnmatchedReason

#: The filters in the order they are tested: the count column of unmatched_reasons.sql and
#: the reason given when it falls to zero (its words: the catalogue's `unmatched_filter`).
_STAGES = (
    ("active_mentors", UnmatchedReason.NO_ACTIVE_MENTOR),
    ("sharing_language", UnmatchedReason.NO_SHARED_LANGUAGE),
    ("compatible_mode", UnmatchedReason.NO_COMPATIBLE_MEETING_MODE),
    ("sufficient_level", UnmatchedReason.NO_MENTOR_AT_SUFFICIENT_LEVEL),
    ("without_hierarchical_link", UnmatchedReason.HIERARCHICAL_LINK_ONLY),
    ("never_declined_or_excluded", UnmatchedReason.DECLINED_OR_EXCLUDED_ONLY),
    ("with_free_capacity", UnmatchedReason.ALL_COMPATIBLE_MENTORS_FULL),
    ("qualifying", UnmatchedReason.BELOW_MIN_SCORE),
)

UNMATCHED_SCHEMA = {
    "mentee_email": pl.String,
    "reason": pl.String,
    "detail": pl.String,
    "waiting_since": pl.Date,
}


def unmatched_reasons(
    con: duckdb.DuckDBPyConnection, config: Config, matched_mentee_ids: list[int]
) -> pl.DataFrame:
    """One row per waiting mentee of the pool not in `matched_mentee_ids`: mentee_email,
    reason (an UnmatchedReason), detail (the count of mentors left after each filter),
    waiting_since. Needs the pool's models and `mentee_scores`."""
    matched = pl.Series("mentee_id", matched_mentee_ids, dtype=pl.Int32)
    unmatched = (
        con.table("waiting_mentees")
        .select("mentee_id")
        .pl()
        .filter(~pl.col("mentee_id").is_in(matched.implode()))
    )
    models.put(con, "unmatched_mentee_ids", unmatched)
    try:
        counts = models.frame(
            con,
            "matching/unmatched_reasons",
            {"min_level_gap": config.matching.min_level_gap},
            build=False,
        )
    finally:
        models.drop(con, ["unmatched_mentee_ids"])
    qualifying = con.table("mentee_scores").select("mentee_id, qualifying").pl()
    frame = counts.join(qualifying, on="mentee_id", how="left").with_columns(
        pl.col("qualifying").fill_null(0)
    )
    reason = pl.lit(UnmatchedReason.TAKEN_BY_OTHERS.value)
    for column, code in reversed(_STAGES):
        reason = pl.when(pl.col(column) == 0).then(pl.lit(code.value)).otherwise(reason)
    lang = config.program.language
    detail = pl.concat_str(
        [
            pl.format("{} " + words.say(lang, "unmatched_filter", column), pl.col(column))
            for column, _ in _STAGES
        ],
        separator=" · ",
    )
    return frame.select(
        pl.col("mentee_email"),
        reason.alias("reason"),
        detail.alias("detail"),
        pl.col("waiting_since").cast(pl.Date),
    ).sort("mentee_email")
