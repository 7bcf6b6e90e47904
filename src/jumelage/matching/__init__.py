"""Matching (SPEC §4, §5): eligibility and scoring in DuckDB, optimal global assignment.

The flow calls `match_night(con, config, run_date, on_released=...)` once per night.
"""

from jumelage.matching.assignment import Assignment, assign
from jumelage.matching.match import MatchResult, fix_requested, match_night
from jumelage.matching.scoring import COMPONENTS

__all__ = [
    "COMPONENTS",
    "Assignment",
    "MatchResult",
    "assign",
    "fix_requested",
    "match_night",
]
