"""Apply the events of the inbox (SPEC §3, events) in event_date order, in one transaction.

An event dated after run_date waits for its night. An event about an unknown person,
proposal or relationship is moved to quarantine with its reason (and counted there).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

import duckdb

from jumelage import models
from jumelage.config import Config
from jumelage.lifecycle import proposals as props
from jumelage.lifecycle.dates import midpoint, planned_end
from jumelage.notify.compose import compose_both
from jumelage.notify.outbox import enqueue
from jumelage.quarantine import Reason
from jumelage.tables import participants, proposals, relationships
from jumelage.validate import records
from jumelage.vocabulary import QuarantineCode
from jumelage.warehouse import transaction


class Rejected(Exception):
    """The event cannot be applied: its `reason` (a code, the column it is about, the values
    its words need) goes to quarantine, worded in the program's language."""

    def __init__(self, code: QuarantineCode, field: str | None = None, **values: Any) -> None:
        self.reason = Reason(code, field, values)
        super().__init__(str(code))


@dataclass
class Ctx:
    con: duckdb.DuckDBPyConnection
    config: Config
    run_date: date


Event = dict[str, Any]


def _known(ctx: Ctx, email: str) -> set[str]:
    roles = participants.roles_of(ctx.con, email)
    if not roles:
        raise Rejected(QuarantineCode.UNKNOWN_PERSON, "email", email=email)
    return roles


def _find_proposal(ctx: Ctx, ev: Event) -> dict[str, Any]:
    if ev["proposal_id"]:
        found = proposals.find(ctx.con, ev["proposal_id"])
        if found is None:
            raise Rejected(
                QuarantineCode.UNKNOWN_PROPOSAL, "proposal_id", proposal_id=ev["proposal_id"]
            )
        return found
    pair = {"email": ev["email"], "partner": ev["counterpart_email"]}
    found = proposals.latest_between(ctx.con, pair["email"], pair["partner"])
    if found is None:
        raise Rejected(QuarantineCode.NO_PROPOSAL_BETWEEN, "proposal_id", **pair)
    return found


def _find_relationship(ctx: Ctx, ev: Event) -> dict[str, Any]:
    email, other = ev["email"], ev["counterpart_email"]
    rows = relationships.active_of(ctx.con, email, other)
    if rows.height == 1:
        return rows.row(0, named=True)
    if rows.height > 1:
        raise Rejected(
            QuarantineCode.SEVERAL_ACTIVE_RELATIONSHIPS, "counterpart_email", email=email
        )
    if other:
        raise Rejected(QuarantineCode.NO_ACTIVE_RELATIONSHIP_WITH, email=email, partner=other)
    raise Rejected(QuarantineCode.NO_ACTIVE_RELATIONSHIP, email=email)


def _decision(ctx: Ctx, ev: Event, allowed: tuple[str, ...], target: str) -> dict | None:
    """The proposal if the transition applies, None if it already did (a replayed event)."""
    found = _find_proposal(ctx, ev)
    if found["status"] == target:
        return None
    if found["status"] not in allowed:
        raise Rejected(
            QuarantineCode.PROPOSAL_NOT_OPEN,
            "proposal_id",
            proposal_id=found["proposal_id"],
            status=found["status"],
        )
    return found


def accepted(ctx: Ctx, ev: Event) -> str:
    found = _decision(ctx, ev, ("proposed",), "accepted")
    if found is None:
        return "already applied"
    con, day = ctx.con, ev["event_date"]
    proposals.set_status(con, found["proposal_id"], "accepted", day, ctx.run_date)
    mentee, mentor = participants.pair(con, found["mentee_email"], found["mentor_email"])
    months = mentee["duration_months"] or ctx.config.delays.default_duration_months
    end = planned_end(day, months)
    middle = midpoint(day, end)
    relationship_id = "R-" + found["proposal_id"].removeprefix("P-")
    relationships.start(
        con,
        relationship_id,
        found["proposal_id"],
        mentee_email=mentee["email"],
        mentor_email=mentor["email"],
        started_on=day,
        planned_end_on=end,
        midpoint_on=middle,
    )
    context = {"started_on": day, "planned_end_on": end, "midpoint_on": middle}
    enqueue(
        con,
        compose_both(
            ctx.config,
            "confirmation",
            mentee=mentee,
            mentor=mentor,
            context=context,
            about=relationship_id,
            run_date=ctx.run_date,
        ),
    )
    return "applied"


def declined(ctx: Ctx, ev: Event) -> str:
    found = _decision(ctx, ev, ("proposed", "pending_approval", "expired"), "declined")
    if found is None:
        return "already applied"
    proposals.set_status(ctx.con, found["proposal_id"], "declined", ev["event_date"], ctx.run_date)
    # a declined answer after expiry is a coordinator acting: the mentee returns to the pool
    participants.back_to_pool(ctx.con, found["mentee_email"], ctx.run_date)
    return "applied"


def approved(ctx: Ctx, ev: Event) -> str:
    found = _decision(ctx, ev, ("pending_approval",), "proposed")
    if found is None:
        return "already applied"
    props.release(ctx.con, ctx.config, ctx.run_date, found["proposal_id"])
    return "applied"


def rejected(ctx: Ctx, ev: Event) -> str:
    found = _find_proposal(ctx, ev)
    if found["status"] == "withdrawn" and found["status_reason"] == "rejected":
        return "already applied"
    if found["status"] != "pending_approval":
        raise Rejected(
            QuarantineCode.PROPOSAL_NOT_OPEN,
            "proposal_id",
            proposal_id=found["proposal_id"],
            status=found["status"],
        )
    proposals.set_status(
        ctx.con, found["proposal_id"], "withdrawn", ev["event_date"], ctx.run_date, "rejected"
    )
    _pair_rule(ctx, found["mentee_email"], found["mentor_email"], "excluded", "proposal_rejected")
    return "applied"


def relationship_event(column: str | None) -> Callable[[Ctx, Event], str]:
    def handle(ctx: Ctx, ev: Event) -> str:
        _known(ctx, ev["email"])
        found = _find_relationship(ctx, ev)
        relationships.record_event(ctx.con, found["relationship_id"], ev["event_date"], column)
        return "applied"

    return handle


def ended(ctx: Ctx, ev: Event) -> str:
    _known(ctx, ev["email"])
    found = _find_relationship(ctx, ev)
    relationships.record_event(ctx.con, found["relationship_id"], ev["event_date"])
    relationships.end(ctx.con, found["relationship_id"], ev["event_date"], ev["value"])
    return "applied"


def _set_status(ctx: Ctx, ev: Event, status: str, from_statuses: tuple[str, ...]) -> str:
    _known(ctx, ev["email"])
    participants.set_status(ctx.con, ev["email"], status, ctx.run_date, from_statuses=from_statuses)
    return "applied"


def _pair_rule(ctx: Ctx, mentee: str, mentor: str, rule: str, source: str) -> None:
    models.execute(
        ctx.con,
        "lifecycle/add_pair_rule",
        {
            "mentee_email": mentee,
            "mentor_email": mentor,
            "rule": rule,
            "source": source,
            "created_on": ctx.run_date,
        },
    )


def pair_rule(rule: str, source: str) -> Callable[[Ctx, Event], str]:
    def handle(ctx: Ctx, ev: Event) -> str:
        first, second = ev["email"], ev["counterpart_email"]
        a, b = _known(ctx, first), _known(ctx, second)
        if "mentee" in a and "mentor" in b:
            mentee, mentor = first, second
        elif "mentor" in a and "mentee" in b:
            mentee, mentor = second, first
        else:
            raise Rejected(QuarantineCode.MENTEE_AND_MENTOR_NEEDED, "counterpart_email")
        _pair_rule(ctx, mentee, mentor, rule, source)
        return "applied"

    return handle


def profile_change(ctx: Ctx, ev: Event) -> str:
    """Organization and level changes are re-applied over registrations by `profile_changes`."""
    _known(ctx, ev["email"])
    return "applied"


HANDLERS: dict[str, Callable[[Ctx, Event], str]] = {
    "proposal_accepted": accepted,
    "proposal_declined": declined,
    "proposal_approved": approved,
    "proposal_rejected": rejected,
    "meeting_held": relationship_event("first_meeting_on"),
    "midpoint_review_done": relationship_event("midpoint_review_on"),
    "final_review_done": relationship_event("final_review_on"),
    "relationship_ended": ended,
    "absence_started": lambda ctx, ev: _set_status(ctx, ev, "absent", ("active", "unresponsive")),
    # also how a coordinator brings an unresponsive mentee back into the pool
    "absence_ended": lambda ctx, ev: _set_status(ctx, ev, "active", ("absent", "unresponsive")),
    "withdrew": lambda ctx, ev: _set_status(
        ctx, ev, "withdrawn", ("active", "absent", "unresponsive")
    ),
    "organization_changed": profile_change,
    "level_changed": profile_change,
    "pair_requested": pair_rule("requested", "pair_requested"),
    "pair_excluded": pair_rule("excluded", "pair_excluded"),
}


def _reject(ctx: Ctx, ev: Event, reason: Reason) -> None:
    """Move the event to quarantine (the file's counts follow) so nothing is silently lost:
    written by the owner of `files` and `quarantine`, the reason worded in the program's
    language and kept as data."""
    records.quarantine_event(ctx.con, ctx.run_date, ev, reason, lang=ctx.config.program.language)


def apply_events(con: duckdb.DuckDBPyConnection, config: Config, run_date: date) -> Counter:
    """Apply every pending event dated on or before run_date; returns counts by outcome."""
    pending = models.frame(con, "lifecycle/pending_events", {"run_date": run_date})
    ctx = Ctx(con, config, run_date)
    outcomes: Counter = Counter()
    with transaction(con):
        for ev in pending.iter_rows(named=True):
            try:
                outcome = HANDLERS[ev["event_type"]](ctx, ev)
            except Rejected as exc:
                _reject(ctx, ev, exc.reason)
                outcomes["rejected"] += 1
                continue
            models.execute(
                con,
                "lifecycle/mark_event_applied",
                {"run_date": run_date, "outcome": outcome}
                | {k: ev[k] for k in ("file_name", "file_sha256", "row_number")},
            )
            outcomes[outcome] += 1
    return outcomes
