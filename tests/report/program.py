"""A scripted program for the report tests: rows inserted directly in the warehouse.

The night is RUN_DATE (previous run the day before). Every expected number of the report is
written down in EXPECTED, next to the rows that make it, so that a change in a query shows.
"""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from typing import Any

import duckdb

from jumelage.quarantine import TYPED, Reason, to_json
from jumelage.vocabulary import FILE, QuarantineCode

RUN_DATE = date(2026, 10, 15)
PREVIOUS = RUN_DATE - timedelta(days=1)
EVIL_FIRST = '<script>alert("x")</script>'
EVIL_LAST = 'O\'Brien & "fils"'
EVIL_ORG = "R&D <b>Québec</b>"


def person(
    con: duckdb.DuckDBPyConnection,
    email: str,
    role: str,
    *,
    status: str = "active",
    first_name: str = "Prénom",
    last_name: str = "Nom",
    organization: str = "MSSS",
    level: int = 1,
    capacity: int = 1,
    first_seen_on: date = date(2026, 9, 1),
    language: str = "fr",
) -> None:
    con.execute(
        "insert into participants (email, role, status, first_name, last_name, language,"
        " organization, management_level, meeting_mode, competencies, goals, interests,"
        " availability, capacity, preferred_mentors, submitted_at, source_file, source_row,"
        " first_seen_on, updated_on) values (?, ?, ?, ?, ?, ?, ?, ?, 'both', ['leadership'],"
        " ['leadership'], [], [], ?, [], ?, 'inscriptions.csv', 1, ?, ?)",
        [
            email, role, status, first_name, last_name, language, organization, level,
            capacity, datetime.combine(first_seen_on, datetime.min.time()), first_seen_on,
            first_seen_on,
        ],
    )  # fmt: skip


def proposal(
    con: duckdb.DuckDBPyConnection,
    pid: str,
    mentee: str,
    mentor: str,
    *,
    run_date: date,
    status: str,
    score: float = 0.5,
    decided_on: date | None = None,
    round_: int = 1,
) -> None:
    con.execute(
        "insert into proposals (proposal_id, run_date, round, mentee_email, mentor_email, score,"
        " score_goals, score_interests, score_experience, score_availability,"
        " score_cross_organization, score_preference, status, created_at, released_on,"
        " decided_on) values (?, ?, ?, ?, ?, ?, 1.0, 0.5, 0.8, 0.25, 1.0, 0.0, ?, ?, ?, ?)",
        [
            pid, run_date, round_, mentee, mentor, score, status,
            datetime.combine(run_date, datetime.min.time()),
            run_date if status != "pending_approval" else None, decided_on,
        ],
    )  # fmt: skip


def relationship(
    con: duckdb.DuckDBPyConnection,
    rid: str,
    mentee: str,
    mentor: str,
    *,
    started_on: date,
    status: str = "active",
    ended_on: date | None = None,
    proposal_id: str | None = None,
) -> None:
    con.execute(
        "insert into relationships (relationship_id, proposal_id, mentee_email, mentor_email,"
        " started_on, planned_end_on, status, ended_on, end_reason) values"
        " (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            rid, proposal_id, mentee, mentor, started_on, started_on + timedelta(days=365),
            status, ended_on, "fin prévue" if ended_on else None,
        ],
    )  # fmt: skip


def flag(
    con: duckdb.DuckDBPyConnection,
    fid: str,
    kind: str,
    *,
    run_date: date,
    mentee: str,
    mentor: str | None,
    relationship_id: str | None = None,
    proposal_id: str | None = None,
    due_on: date | None = None,
    resolved_on: date | None = None,
    detail: str = "à vérifier",
) -> None:
    con.execute(
        "insert into flags values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            fid, run_date, kind, mentee, mentor, relationship_id, proposal_id,
            due_on or run_date, detail, resolved_on, "meeting_held" if resolved_on else None,
        ],
    )  # fmt: skip


def email(
    con: duckdb.DuckDBPyConnection,
    key: str,
    kind: str,
    status: str,
    *,
    created: date,
    sent_run_date: date | None = None,
) -> None:
    con.execute(
        "insert into emails (email_key, kind, recipient, language, subject, body_text,"
        " body_html, message_id, status, attempts, last_error, created_run_date, created_at,"
        " sent_run_date) values (?, ?, 'x@example.org', 'fr', 's', 't', 'h', ?, ?, 1, ?, ?,"
        " ?, ?)",
        [
            key, kind, f"<{key}@example.org>", status,
            "550 refusé" if status == "failed" else None, created,
            datetime.combine(created, datetime.min.time()), sent_run_date,
        ],
    )  # fmt: skip


def file_version(
    con: duckdb.DuckDBPyConnection,
    name: str,
    sha: str,
    kind: str,
    *,
    run_date: date,
    status: str = "current",
    counts: tuple[int, int, int] = (0, 0, 0),
    error: str | None = None,
) -> None:
    accepted, quarantined, superseded = counts
    con.execute(
        "insert into files (sha256, name, kind, size_bytes, archived_as, run_date, read_at,"
        " status, rows_read, rows_accepted, rows_quarantined, rows_superseded, error) values"
        " (?, ?, ?, 100, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            sha, name, kind, f"{sha}-{name}", run_date,
            datetime.combine(run_date, datetime.min.time()), status,
            accepted + quarantined + superseded, accepted, quarantined, superseded, error,
        ],
    )  # fmt: skip


def quarantined(
    con: duckdb.DuckDBPyConnection,
    name: str,
    sha: str,
    row: int,
    reasons: list[Reason] | list[str],
    *,
    run_date: date,
    kind: str = "registrations",
    raw: dict[str, Any] | None = None,
) -> None:
    """A quarantined row as validation writes it (French text and codes), or, with reasons
    given as text, as a version before migration 008 or the apply stage wrote it (no codes)."""
    coded = [r for r in reasons if isinstance(r, Reason)]
    con.execute(
        "insert into quarantine (run_date, source_file, file_sha256, kind, row_number, email,"
        " reasons, reason_codes, raw) values (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            run_date, name, sha, kind, row, None,
            [r.text("fr") if isinstance(r, Reason) else r for r in reasons],
            to_json(coded) if coded else None,
            json.dumps(raw or {}),
        ],
    )  # fmt: skip


def unknown(
    con: duckdb.DuckDBPyConnection, name: str, sha: str, row: int, field: str, value: str,
    *, run_date: date,
) -> None:  # fmt: skip
    con.execute(
        "insert into unknown_values values (?, ?, ?, ?, ?, ?)",
        [run_date, name, sha, row, field, value],
    )


def event(
    con: duckdb.DuckDBPyConnection, row: int, kind: str, mentee: str, mentor: str,
    *, applied_on: date, outcome: str = "applied",
) -> None:  # fmt: skip
    con.execute(
        "insert into events (file_sha256, file_name, row_number, event_date, event_type, email,"
        " counterpart_email, applied_on, outcome) values ('ev1', 'evenements-2026-10-15.csv',"
        " ?, ?, ?, ?, ?, ?, ?)",
        [row, applied_on, kind, mentee, mentor, applied_on, outcome],
    )


def matching_run(
    con: duckdb.DuckDBPyConnection, day: date, mentees: int, free: int, proposals: int,
    round_: int = 1,
) -> None:  # fmt: skip
    con.execute(
        "insert into matching_runs values (?, ?, ?, ?, 5, ?, 10, 5, 5, ?, 0, 1, 1.0, true, 1,"
        " 0.1, 0.1)",
        [day, round_, datetime.combine(day, datetime.min.time()), mentees, free, proposals],
    )


def script(con: duckdb.DuckDBPyConnection) -> None:
    """The scripted program (see EXPECTED for what the report must say about it)."""
    d = RUN_DATE
    for day in (PREVIOUS, d):
        con.execute(
            "insert into runs (run_date, started_at, status) values (?, ?, 'succeeded')",
            [day, datetime.combine(day, datetime.min.time())],
        )
    # Mentees. Waiting: m1 (75 days), m2 (5 days), m7 (0 days, hostile name).
    person(con, "m1@x.ca", "mentee", first_seen_on=date(2026, 8, 1), language="en")
    person(con, "m2@x.ca", "mentee", first_seen_on=date(2026, 10, 10))
    person(con, "m3@x.ca", "mentee")  # proposal tonight
    person(con, "m4@x.ca", "mentee")  # active relationship R1
    person(con, "m5@x.ca", "mentee", status="unresponsive")  # no_response
    person(con, "m6@x.ca", "mentee")  # pending approval
    person(
        con, "m7@x.ca", "mentee", first_name=EVIL_FIRST, last_name=EVIL_LAST,
        organization=EVIL_ORG, first_seen_on=d,
    )  # fmt: skip
    person(con, "m8@x.ca", "mentee", status="withdrawn")  # relationship R3 ended tonight
    person(con, "m9@x.ca", "mentee")  # relationship R2 started tonight
    person(con, "m10@x.ca", "mentee", status="withdrawn")  # old ended relationship R4
    # Mentors: free places r1 0, r2 2, r3 0, r5 5 (capacity 9 capped at 5), r6 1; r4 absent.
    person(con, "r1@x.ca", "mentor", level=4, capacity=2)
    person(con, "r2@x.ca", "mentor", level=4, capacity=3, first_name=EVIL_FIRST)
    person(con, "r3@x.ca", "mentor", level=4, capacity=1)
    person(con, "r4@x.ca", "mentor", level=4, capacity=2, status="absent")
    person(con, "r5@x.ca", "mentor", level=4, capacity=9)
    person(con, "r6@x.ca", "mentor", level=4, capacity=1)

    proposal(con, "P1", "m3@x.ca", "r1@x.ca", run_date=d, status="proposed", score=0.72)
    proposal(con, "P1w", "m3@x.ca", "r5@x.ca", run_date=d, status="withdrawn", decided_on=d)
    proposal(con, "P2", "m6@x.ca", "r3@x.ca", run_date=d - timedelta(2), status="pending_approval")
    proposal(
        con, "P3", "m9@x.ca", "r2@x.ca", run_date=date(2026, 10, 1), status="accepted",
        decided_on=d, score=0.61,
    )  # fmt: skip
    proposal(
        con, "P4", "m5@x.ca", "r5@x.ca", run_date=date(2026, 10, 5), status="expired",
        decided_on=d, score=0.35,
    )  # fmt: skip
    proposal(
        con, "P5", "m8@x.ca", "r6@x.ca", run_date=date(2026, 6, 1), status="accepted",
        decided_on=date(2026, 6, 5),
    )  # fmt: skip
    proposal(
        con, "P6", "m4@x.ca", "r1@x.ca", run_date=date(2026, 9, 1), status="accepted",
        decided_on=date(2026, 9, 3), score=0.9,
    )  # fmt: skip
    proposal(
        con, "P7", "m2@x.ca", "r2@x.ca", run_date=date(2026, 10, 2), status="declined",
        decided_on=date(2026, 10, 12),
    )  # fmt: skip

    relationship(con, "R1", "m4@x.ca", "r1@x.ca", started_on=date(2026, 9, 3), proposal_id="P6")
    relationship(con, "R2", "m9@x.ca", "r2@x.ca", started_on=d, proposal_id="P3")
    relationship(
        con, "R3", "m8@x.ca", "r6@x.ca", started_on=date(2026, 6, 5), status="ended",
        ended_on=d, proposal_id="P5",
    )  # fmt: skip
    relationship(
        con, "R4", "m10@x.ca", "r4@x.ca", started_on=date(2025, 1, 1), status="ended",
        ended_on=date(2025, 12, 1),
    )  # fmt: skip

    flag(
        con, "F1", "first_meeting_overdue", run_date=date(2026, 9, 24), mentee="m4@x.ca",
        mentor="r1@x.ca", relationship_id="R1", due_on=date(2026, 9, 24),
        detail="Aucune rencontre <depuis> 21 jours & plus",
    )  # fmt: skip
    flag(
        con, "F2", "stale", run_date=date(2026, 10, 10), mentee="m4@x.ca", mentor="r1@x.ca",
        relationship_id="R1",
    )  # fmt: skip
    flag(con, "F3", "no_response", run_date=d, mentee="m5@x.ca", mentor="r5@x.ca", proposal_id="P4")
    flag(
        con, "F4", "conflict", run_date=date(2026, 10, 1), mentee="m4@x.ca", mentor="r1@x.ca",
        relationship_id="R1", resolved_on=date(2026, 10, 12),
    )  # fmt: skip
    flag(
        con, "F5", "midpoint_review_due", run_date=d + timedelta(1), mentee="m4@x.ca",
        mentor="r1@x.ca", relationship_id="R1",
    )  # fmt: skip

    email(con, "e1", "proposal", "sent", created=d, sent_run_date=d)
    email(con, "e2", "confirmation", "queued", created=d)
    email(con, "e3", "followup", "uncertain", created=d - timedelta(5))
    email(con, "e4", "proposal", "failed", created=d - timedelta(1), sent_run_date=d)
    email(con, "e5", "confirmation", "sent", created=d - timedelta(9), sent_run_date=PREVIOUS)

    reg_tonight, ev_tonight = "inscriptions-2026-10-15.csv", "evenements-2026-10-15.csv"
    file_version(con, reg_tonight, "s1", "registrations", run_date=d, counts=(7, 2, 1))
    file_version(con, ev_tonight, "ev1", "events", run_date=d, counts=(4, 1, 0))
    file_version(
        con, "inscriptions-2026-10-01.csv", "oldA", "registrations", run_date=date(2026, 10, 1),
        status="replaced", counts=(3, 1, 0),
    )  # fmt: skip
    file_version(
        con, "inscriptions-2026-10-01.csv", "oldB", "registrations", run_date=date(2026, 10, 2),
        counts=(3, 1, 0),
    )  # fmt: skip
    file_version(
        con, "broken.xlsx", "bad", "registrations", run_date=date(2026, 10, 3),
        status="rejected", error="not a spreadsheet",
    )  # fmt: skip
    hostile = {"prenom": EVIL_FIRST, "organisation": EVIL_ORG}
    quarantined(
        con, reg_tonight, "s1", 3, [Reason(QuarantineCode.MISSING_CONSENT, "consent")],
        run_date=d, raw=hostile,
    )  # fmt: skip
    quarantined(
        con, reg_tonight, "s1", 8,
        [
            Reason(QuarantineCode.LEVEL_OUT_OF_RANGE, "management_level",
                   {"value": 7, "low": 1, "high": 5}),
            Reason(QuarantineCode.UNREADABLE_ADDRESS, "email", {TYPED: "<a@b>"}),
        ],
        run_date=d,
    )  # fmt: skip
    quarantined(
        con, ev_tonight, "ev1", 2,
        [Reason(QuarantineCode.UNKNOWN_EVENT_TYPE, "event_type", {TYPED: "danse"})],
        run_date=d, kind="events",
    )  # fmt: skip
    unreadable_date = Reason(QuarantineCode.UNREADABLE_DATETIME, "submitted_at", {TYPED: "hier"})
    quarantined(
        con, "inscriptions-2026-10-01.csv", "oldB", 4, [unreadable_date],
        run_date=date(2026, 10, 2),
    )  # fmt: skip
    quarantined(
        con, "inscriptions-2026-10-01.csv", "oldA", 4, [unreadable_date],
        run_date=date(2026, 10, 1),
    )  # fmt: skip
    quarantined(
        con, "broken.xlsx", "bad", 0,
        [Reason(QuarantineCode.UNREADABLE_XLSX, FILE, {"error": "BadZipFile"})],
        run_date=date(2026, 10, 3),
    )  # fmt: skip

    unknown(con, reg_tonight, "s1", 2, "goals", "yoga", run_date=d)
    unknown(con, reg_tonight, "s1", 5, "goals", "yoga", run_date=d)
    unknown(con, reg_tonight, "s1", 3, "interests", "<i>pêche</i>", run_date=d)
    unknown(con, "inscriptions-2026-10-01.csv", "oldA", 1, "goals", "obsolete", run_date=d)
    unknown(
        con, "inscriptions-2026-10-01.csv", "oldB", 1, "interests", "kayak",
        run_date=date(2026, 10, 2),
    )  # fmt: skip

    event(con, 1, "proposal_accepted", "m9@x.ca", "r2@x.ca", applied_on=d)
    event(con, 3, "relationship_ended", "m8@x.ca", "r6@x.ca", applied_on=d)
    event(con, 4, "meeting_held", "m4@x.ca", "r1@x.ca", applied_on=d)
    event(con, 5, "meeting_held", "m4@x.ca", "r1@x.ca", applied_on=d, outcome="already applied")
    event(con, 6, "meeting_held", "m4@x.ca", "r1@x.ca", applied_on=PREVIOUS)

    for i in range(10):
        matching_run(con, d - timedelta(days=9 - i), mentees=3 + i % 3, free=8 + i % 2, proposals=1)
    matching_run(con, d, mentees=4, free=9, proposals=1, round_=2)
    con.execute(
        "insert into unmatched values (?, 'm1@x.ca', 'no_shared_language', '0 partagent', ?),"
        " (?, 'm2@x.ca', 'below_min_score', null, ?), (?, 'm3@x.ca', 'taken_by_others', null, ?)",
        [d, date(2026, 8, 1), d, date(2026, 10, 10), PREVIOUS, date(2026, 9, 1)],
    )


#: What the report must say about the scripted program.
EXPECTED = {
    "todo_emails_uncertain": 1,
    "todo_emails_failed": 1,
    "todo_flags": 3,  # F1, F2, F3 (F4 resolved, F5 raised after the run date)
    "todo_quarantine_rows": 5,  # the replaced version's row is no longer to fix
    "todo_total": 10,
    "night_files": 2,
    "night_rows_read": 15,
    "night_rows_accepted": 11,
    "night_rows_quarantined": 3,
    "night_rows_superseded": 1,
    "night_events_applied": 3,  # the fourth was already applied
    "night_unknown_values": 3,  # yoga, <i>pêche</i>, kayak (obsolete was replaced)
    "pool_mentees_waiting": 3,
    "pool_median_wait_days": 5,
    "pool_max_wait_days": 75,
    "pool_unmatched_tonight": 2,
    "pool_mentors_active": 5,
    "pool_free_capacity": 8,
    "proposals_tonight": 2,
    "proposals_pending_approval": 1,
    "proposals_answers": 3,  # P1w withdrawn, P3 accepted, P4 expired
    "relationships_active": 2,
    "relationships_started": 1,
    "relationships_ended": 1,
    "relationships_flagged": 1,
    "emails_sent_tonight": 1,
    "emails_queued_tonight": 2,
    "emails_queued": 1,
    "emails_failed": 1,
    "emails_uncertain": 1,
}
