"""The owner of `relationships`: every write of the table, and the look-ups that go with them.

A relationship starts when its proposal is accepted, records the events about the pair
(meetings, reviews: the follow-up's deadlines are computed from them) and ends by an event or
an erasure. The SQL is in `sql/tables/relationships/`.
"""

from __future__ import annotations

from datetime import date

import duckdb
import polars as pl

from jumelage import models

#: The date columns an event fills (once: the first such event counts).
EVENT_COLUMNS = ("first_meeting_on", "midpoint_review_on", "final_review_on")


def start(
    con: duckdb.DuckDBPyConnection,
    relationship_id: str,
    proposal_id: str,
    *,
    mentee_email: str,
    mentor_email: str,
    started_on: date,
    planned_end_on: date,
    midpoint_on: date,
) -> None:
    """The relationship of an accepted proposal, active from `started_on` (its first event);
    once: a replayed acceptance inserts nothing."""
    models.execute(
        con,
        "tables/relationships/start",
        {
            "relationship_id": relationship_id,
            "proposal_id": proposal_id,
            "mentee_email": mentee_email,
            "mentor_email": mentor_email,
            "started_on": started_on,
            "planned_end_on": planned_end_on,
            "midpoint_on": midpoint_on,
        },
    )


def record_event(
    con: duckdb.DuckDBPyConnection, relationship_id: str, day: date, column: str | None = None
) -> None:
    """An event about the pair on `day`: the latest event (silence is counted from it), and
    the date `column` it reports (one of EVENT_COLUMNS) unless an earlier event filled it."""
    if column is not None and column not in EVENT_COLUMNS:
        raise ValueError(f"not a relationship event column: {column!r}")
    models.execute(
        con,
        "tables/relationships/record_event",
        {"relationship_id": relationship_id, "day": day, "event_column": column},
    )


def end(con: duckdb.DuckDBPyConnection, relationship_id: str, ended_on: date, reason: str) -> None:
    """The relationship ended on `ended_on` (the event's value says why)."""
    models.execute(
        con,
        "tables/relationships/end",
        {"relationship_id": relationship_id, "ended_on": ended_on, "end_reason": reason},
    )


def erase(con: duckdb.DuckDBPyConnection, email: str, *, day: date, reason: str) -> int:
    """`jumelage forget`: end the active relationships of a person whose data is erased (the
    pseudonym replaces their address later). `email` is lower-cased; returns how many."""
    return models.execute(
        con, "tables/relationships/erase", {"email": email, "day": day, "end_reason": reason}
    )


# -- look-ups --------------------------------------------------------------------------------


def active_of(
    con: duckdb.DuckDBPyConnection, email: str, counterpart: str | None = None
) -> pl.DataFrame:
    """The active relationships of `email` (with `counterpart` only, when given), latest
    started first."""
    if counterpart:
        return models.frame(
            con,
            "tables/relationships/active_between",
            {"email": email, "counterpart_email": counterpart},
        )
    return models.frame(con, "tables/relationships/active_of", {"email": email})
