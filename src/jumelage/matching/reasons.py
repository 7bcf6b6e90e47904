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

from jumelage import models
from jumelage.config import Config

#: Reason codes, in the order they are tested, with the label shown in the (French) report.
REASONS: dict[str, str] = {
    "no_active_mentor": "aucun mentor actif",
    "no_shared_language": "aucun mentor ne partage sa langue",
    "no_compatible_meeting_mode": "aucun mentor compatible pour le mode de rencontre "
    "(présentiel : même région requise)",
    "no_mentor_at_sufficient_level": "aucun mentor d'un niveau d'encadrement suffisant",
    "hierarchical_link_only": "seuls des mentors avec un lien hiérarchique",
    "declined_or_excluded_only": "seuls des jumelages déjà refusés, terminés ou exclus",
    "all_compatible_mentors_full": "tous les mentors compatibles sont complets",
    "below_min_score": "tous les candidats sont sous le score minimal",
    "taken_by_others": "les mentors possibles sont proposés à d'autres personnes "
    "(capacité insuffisante)",
}

_STAGES = (
    ("active_mentors", "no_active_mentor", "mentors actifs"),
    ("sharing_language", "no_shared_language", "partagent sa langue"),
    ("compatible_mode", "no_compatible_meeting_mode", "mode de rencontre compatible"),
    ("sufficient_level", "no_mentor_at_sufficient_level", "de niveau suffisant"),
    ("without_hierarchical_link", "hierarchical_link_only", "sans lien hiérarchique"),
    ("never_declined_or_excluded", "declined_or_excluded_only", "jamais refusés ni exclus"),
    ("with_free_capacity", "all_compatible_mentors_full", "avec une place libre"),
    ("qualifying", "below_min_score", "au-dessus du score minimal"),
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
    reason (a key of REASONS), detail (the count of mentors left after each filter),
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
    reason = pl.lit("taken_by_others")
    for column, code, _ in reversed(_STAGES):
        reason = pl.when(pl.col(column) == 0).then(pl.lit(code)).otherwise(reason)
    detail = pl.concat_str(
        [pl.format("{} " + label, pl.col(column)) for column, _, label in _STAGES],
        separator=" · ",
    )
    return frame.select(
        pl.col("mentee_email"),
        reason.alias("reason"),
        detail.alias("detail"),
        pl.col("waiting_since").cast(pl.Date),
    ).sort("mentee_email")
