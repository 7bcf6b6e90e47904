"""How the demo's coordinators record what only they know: absences, changes, endings.

Decisions are drawn from a seeded generator and the warehouse state after each night, so the
same seed tells the same story.
"""

from __future__ import annotations

import random
from datetime import date

import duckdb

from jumelage import models


def _row(day: date, kind: str, email: str, partner: str = "", proposal: str = "", value: str = ""):
    return {
        "date_evenement": day.isoformat(),
        "type_evenement": kind,
        "courriel": email,
        "courriel_partenaire": partner,
        "no_proposition": proposal,
        "valeur": value,
    }


def tonight_events(
    con: duckdb.DuckDBPyConnection, rng: random.Random, day: date, night: int
) -> list[dict[str, str]]:
    """Events the program office types in today (French labels, as in its spreadsheet)."""
    events = []
    # Answers to proposals, first meetings and mid-point reviews come by email
    # (jumelage.demo.replies); only what a coordinator alone knows is typed in here.
    active = (
        models.relation(con, "lifecycle/active_relationships")
        .select(
            "mentee_email, mentor_email, started_on, first_meeting_on, midpoint_on,"
            " midpoint_review_on, last_event_on"
        )
        .fetchall()
    )
    for mentee, mentor, _started, first, _midpoint, _review, _last in active:
        if first is not None and rng.random() < 0.03:  # told at the program's coffee break
            events.append(_row(day, "rencontre tenue", mentor, partner=mentee))
    if active and night % 17 == 9:
        mentee, mentor, *_ = rng.choice(active)
        events.append(_row(day, "début d'absence", mentor))
    if night % 17 == 14:
        absent = models.relation(con, "demo/absent_participants").fetchall()
        if absent:
            events.append(_row(day, "fin d'absence", absent[0][0]))
    if active and night == 20:
        mentee, mentor, *_ = active[0]
        events.append(_row(day, "changement d'organisation", mentee, value="Revenu Québec"))
    if len(active) > 3 and night == 45:
        mentee, mentor, *_ = active[-1]
        events.append(
            _row(day, "fin de relation", mentee, partner=mentor, value="objectifs atteints")
        )
    return events
