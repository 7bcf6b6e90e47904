"""How the demo's people behave: answers, meetings, reviews, absences, changes.

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
    proposed = models.relation(con, "demo/open_proposals").fetchall()
    for proposal_id, mentee, _mentor, released_on in proposed:
        waited = (day - released_on).days
        if waited < 1:
            continue
        draw = rng.random()
        if draw < 0.25:
            events.append(_row(day, "acceptée", mentee, proposal=proposal_id))
        elif draw < 0.32:
            events.append(_row(day, "refusée", mentee, proposal=proposal_id))
    active = (
        models.relation(con, "lifecycle/active_relationships")
        .select(
            "mentee_email, mentor_email, started_on, first_meeting_on, midpoint_on,"
            " midpoint_review_on, last_event_on"
        )
        .fetchall()
    )
    for mentee, mentor, started, first, midpoint, review, _last in active:
        if first is None and (day - started).days >= 5 and rng.random() < 0.15:
            events.append(_row(day, "rencontre tenue", mentee, partner=mentor))
        elif first is not None and rng.random() < 0.03:
            events.append(_row(day, "rencontre tenue", mentor, partner=mentee))
        if midpoint <= day and review is None and rng.random() < 0.2:
            events.append(_row(day, "bilan de mi-parcours", mentee, partner=mentor))
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
