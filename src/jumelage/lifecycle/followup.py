"""The follow-up stage (SPEC §7): flags and reminders due as of run_date, each once.

Everything is computed from run_date and the dates stored on proposals and relationships, so
a missed night is caught up and a year can be simulated night by night. Emails are keyed by
(kind, proposal or relationship, due date): a re-run queues nothing twice.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any

import duckdb
import polars as pl

from jumelage import models, rules, words
from jumelage.config import Config
from jumelage.lifecycle.dates import latest_due
from jumelage.notify.compose import compose, compose_both
from jumelage.notify.outbox import enqueue
from jumelage.tables import flags, participants, proposals
from jumelage.vocabulary import EmailKind, FlagKind, PairRule, ParticipantStatus, Role
from jumelage.warehouse import transaction

#: (flag, email kind, column set by the review event, column holding the due date)
REVIEWS = (
    (FlagKind.MIDPOINT_REVIEW_DUE, EmailKind.MIDPOINT_REVIEW, "midpoint_review_on", "midpoint_on"),
    (FlagKind.FINAL_REVIEW_DUE, EmailKind.FINAL_REVIEW, "final_review_on", "planned_end_on"),
)

#: A conflict flag's identity holds the name its cause had before causes were rule codes,
#: so that flags already raised in a warehouse stay the same flags.
_FLAG_KEYS = {
    PairRule.HIERARCHICAL_LINK: "hierarchy",
    PairRule.LEVEL_GAP: "level",
    PairRule.PARTNER_ABSENT: "absence",
    PairRule.PARTNER_WITHDRAWN: "withdrawal",
}
#: The partner's status that breaks a rule about one partner of the pair.
_PARTNER_STATUS = {
    PairRule.PARTNER_ABSENT: ParticipantStatus.ABSENT,
    PairRule.PARTNER_WITHDRAWN: ParticipantStatus.WITHDRAWN,
}


def _flag_key(rule: PairRule) -> str:
    """What tells two conflicts of one relationship apart in `flags.flag_id`."""
    return _FLAG_KEYS.get(rule, rule.value)


def conflict_detail(
    lang: str, rule: PairRule, mentee: Mapping[str, Any], mentor: Mapping[str, Any]
) -> str:
    """A conflict flag's detail: the rule the relationship now breaks, with who is absent or
    withdrew, or both levels (`mentee`, `mentor`: their participants rows)."""
    if rule in _PARTNER_STATUS:
        side = Role.MENTEE if mentee["status"] == _PARTNER_STATUS[rule] else Role.MENTOR
        return words.say(lang, f"flag_detail.{FlagKind.CONFLICT}.{rule}", side)
    return words.say(
        lang,
        f"flag_detail.{FlagKind.CONFLICT}",
        rule,
        mentee_level=mentee["management_level"],
        mentor_level=mentor["management_level"],
    )


def _proposal_reminders(con: duckdb.DuckDBPyConnection, config: Config, run_date: date) -> int:
    delays = config.delays
    due = proposals.released_by(con, run_date - timedelta(days=delays.proposal_reminder))
    for row in due.iter_rows(named=True):
        mentee, mentor = participants.pair(con, row["mentee_email"], row["mentor_email"])
        context = {
            "mentee": mentee,
            "mentor": mentor,
            "proposal_id": row["proposal_id"],
            "answer_by": row["released_on"] + timedelta(days=delays.proposal_expiry - 1),
            "proposed_on": row["released_on"],
        }
        message = compose(
            config,
            EmailKind.PROPOSAL_REMINDER,
            to=mentee["email"],
            context=context,
            about=row["proposal_id"],
            due_on=row["released_on"] + timedelta(days=delays.proposal_reminder),
            language=mentee["language"],
            run_date=run_date,
        )
        enqueue(con, [message])
    return due.height


def _relationship_dues(
    con: duckdb.DuckDBPyConnection, config: Config, run_date: date, counts: Counter
) -> None:
    delays = config.delays
    lang = config.program.language
    active = models.frame(con, "lifecycle/active_relationships")
    for rel in active.iter_rows(named=True):
        rid = rel["relationship_id"]
        mentee, mentor = participants.pair(con, rel["mentee_email"], rel["mentor_email"])
        people = {"mentee_email": mentee["email"], "mentor_email": mentor["email"]}
        both = {"mentee": mentee, "mentor": mentor}

        def flag(
            kind: FlagKind, due: date, rid: str = rid, people: dict = people, **values: object
        ) -> None:
            detail = words.say(lang, "flag_detail", kind, **values)
            if flags.raise_flag(
                con, run_date, kind, relationship_id=rid, due_on=due, detail=detail, **people
            ):
                counts[kind.value] += 1

        first_due = rel["started_on"] + timedelta(days=delays.first_meeting)
        if rel["first_meeting_on"] is None and first_due <= run_date:
            flag(FlagKind.FIRST_MEETING_OVERDUE, first_due)
            context = {**both, "started_on": rel["started_on"]}
            enqueue(
                con,
                [
                    compose(
                        config,
                        EmailKind.FIRST_MEETING_REMINDER,
                        to=mentee["email"],
                        context=context,
                        about=rid,
                        due_on=first_due,
                        language=mentee["language"],
                        run_date=run_date,
                    )
                ],
            )
        reference = rel["last_event_on"] or rel["started_on"]
        stale_due = latest_due(reference, delays.stale_after, run_date)
        if stale_due is not None:
            flag(FlagKind.STALE, stale_due, since=reference.isoformat())
            enqueue(
                con,
                compose_both(
                    config,
                    EmailKind.FOLLOWUP,
                    **both,
                    about=rid,
                    due_on=stale_due,
                    context={"last_event_on": reference},
                    run_date=run_date,
                ),
            )
        dates = {"midpoint_on": rel["midpoint_on"], "planned_end_on": rel["planned_end_on"]}
        for flag_kind, email_kind, done, due_column in REVIEWS:
            if rel[done] is None and rel[due_column] <= run_date:
                flag(flag_kind, rel[due_column])
                messages = compose_both(
                    config,
                    email_kind,
                    **both,
                    about=rid,
                    due_on=rel[due_column],
                    context=dates,
                    run_date=run_date,
                )
                enqueue(con, messages)


def _conflicts(
    con: duckdb.DuckDBPyConnection, config: Config, run_date: date, counts: Counter
) -> pl.DataFrame:
    """Raise a `conflict` flag per conflict found tonight; returns them all (relationship_id,
    flag_id), new or not, so that the others can be resolved."""
    active = models.frame(con, "lifecycle/active_relationships")
    models.put(con, "relationship_checks", rules.check_pairs(con, config, active))
    try:
        found = models.frame(con, "lifecycle/conflicts")
    finally:
        models.drop(con, ["relationship_checks"])
    current = []
    for row in found.iter_rows(named=True):
        rule = PairRule(row["broken_rule"])
        key = _flag_key(rule)
        current.append(
            {
                "relationship_id": row["relationship_id"],
                "flag_id": flags.flag_id(FlagKind.CONFLICT, row["relationship_id"], None, key),
            }
        )
        mentee, mentor = participants.pair(con, row["mentee_email"], row["mentor_email"])
        detail = conflict_detail(config.program.language, rule, mentee, mentor)
        pair = flags.about(row, "relationship_id")
        if flags.raise_flag(
            con, run_date, FlagKind.CONFLICT, detail=detail, detail_key=key, **pair
        ):
            counts[FlagKind.CONFLICT.value] += 1
    return pl.DataFrame(current, schema=flags.CONFLICTS_SCHEMA)


def follow_up(con: duckdb.DuckDBPyConnection, config: Config, run_date: date) -> Counter:
    """Raise tonight's flags and queue the reminders; resolve the flags whose cause is gone."""
    counts: Counter = Counter()
    with transaction(con):
        counts["proposal_reminder_due"] = _proposal_reminders(con, config, run_date)
        _relationship_dues(con, config, run_date, counts)
        conflicts = _conflicts(con, config, run_date, counts)
        flags.resolve(con, run_date, config.delays.stale_after, conflicts)
    return counts
