"""What a message read from the mailbox is, and whether its answer may be applied.

An answer is applied only when both hold: its sender is the participant it is about
(case-insensitive), and it carries a valid token for that person, or it replies
(In-Reply-To / References) to the Message-ID of an email jumelage sent that person. Every
other message is a bounce, an auto-reply, or to check, with the reason (`AnswerIssue`).
Reads only; the stage writes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import duckdb

from jumelage import models
from jumelage.mail_in import recognise, token
from jumelage.mail_in.inbound import Event
from jumelage.mail_in.parse import Inbound
from jumelage.tables import participants, proposals
from jumelage.vocabulary import AnswerIssue, InboundOutcome


@dataclass(frozen=True)
class Decision:
    kind: str  # answer | auto_reply | bounce | other
    outcome: InboundOutcome
    reason: AnswerIssue | None = None
    event: Event | None = None
    ref: str | None = None  # the proposal or relationship it is about


def _to_check(reason: AnswerIssue, ref: str | None = None, kind: str = "answer") -> Decision:
    return Decision(kind, InboundOutcome.TO_CHECK, reason, ref=ref)


@dataclass(frozen=True)
class _Context:
    kind: str | None  # the email kind it answers (None: a token's relationship or proposal)
    ref: str | None  # proposal_id or relationship_id
    answer: str | None  # the answer a token's button gave


def _sent(con: duckdb.DuckDBPyConnection, model: str, params: dict) -> tuple | None:
    _, rows = models.rows(con, model, params)
    return rows[0] if rows else None


def _context(
    con: duckdb.DuckDBPyConnection, msg: Inbound, key: bytes
) -> _Context | AnswerIssue | None:
    """What the message answers: by its token, else by what it replies to. An issue when a
    token is there but not valid for this sender; None when there is neither."""
    assert msg.sender is not None
    markers = token.find(msg.subject) or token.find(msg.new_text)
    if markers:
        valid = [m for m in markers if token.verify(key, m.ref, msg.sender, m.token)]
        if not valid or len({(m.ref, m.answer) for m in valid}) > 1:
            return AnswerIssue.BAD_TOKEN if not valid else AnswerIssue.AMBIGUOUS
        m = valid[0]
        sent = _sent(con, "mail_in/sent_about", {"sender": msg.sender, "about": m.ref})
        return _Context(sent[0] if sent else None, m.ref, m.answer)
    if msg.references:
        sent = _sent(con, "mail_in/sent_to", {"sender": msg.sender, "ids": msg.references})
        if sent is not None:
            return _Context(sent[0], sent[1], None)
    return None


#: A message's own date is believed within this many days before the night that reads it
#: (a mailbox unread for a while); a date outside, or after the night, is a wrong clock.
DATE_TRUSTED_DAYS = 31


def _event_date(msg: Inbound, run_date: date, tz: ZoneInfo) -> date:
    """The day it was written, in the program's time zone, when that is believable."""
    if msg.received_at is None:
        return run_date
    local = msg.received_at.replace(tzinfo=UTC).astimezone(tz).date()
    if local > run_date or (run_date - local).days > DATE_TRUSTED_DAYS:
        return run_date
    return local


def _answer(ctx: _Context, text_answers: list[str]) -> str | AnswerIssue:
    """One answer from the button's and the words', or why there is none."""
    found = set(text_answers)
    if ctx.answer is not None:
        if ctx.answer not in recognise.ANSWERS:
            return AnswerIssue.BAD_TOKEN
        if found - {ctx.answer}:
            return AnswerIssue.AMBIGUOUS  # the words say something else than the button
        return ctx.answer
    if not found:
        return AnswerIssue.NO_ANSWER
    if len(found) > 1:
        return AnswerIssue.AMBIGUOUS
    return found.pop()


def _about_proposal(con: duckdb.DuckDBPyConnection, ref: str, sender: str) -> dict | AnswerIssue:
    found = proposals.find(con, ref)
    if found is None or found["mentee_email"].lower() != sender:
        return AnswerIssue.NOT_ACTIVE if found is None else AnswerIssue.UNKNOWN_SENDER
    if found["status"] != "proposed":
        return AnswerIssue.NOT_PENDING
    _, pending = models.rows(con, "mail_in/pending_answers", {"proposal_id": ref})
    if pending:  # answered already tonight: a second answer is read by a person
        return AnswerIssue.AMBIGUOUS
    return found


def _about_relationship(
    con: duckdb.DuckDBPyConnection, ref: str, sender: str
) -> tuple[str, str] | AnswerIssue:
    """(the sender, their partner) in an active relationship `ref`."""
    row = _sent(con, "mail_in/relationship", {"relationship_id": ref})
    if row is None or row[3] != "active":
        return AnswerIssue.NOT_ACTIVE
    _, mentee, mentor, _ = row
    if sender == mentee.lower():
        return mentee, mentor
    if sender == mentor.lower():
        return mentor, mentee
    return AnswerIssue.NOT_ACTIVE


def decide(
    con: duckdb.DuckDBPyConnection,
    msg: Inbound,
    *,
    key: bytes,
    run_date: date,
    tz: ZoneInfo,
) -> Decision:
    """What the message is and, for an answer that may be applied, its event."""
    if msg.bounce:
        return Decision("bounce", InboundOutcome.BOUNCED)
    if msg.auto_reply:
        return Decision("auto_reply", InboundOutcome.AUTO_REPLY)
    if msg.sender is None or not participants.roles_of(con, msg.sender):
        return _to_check(AnswerIssue.UNKNOWN_SENDER)
    sender = msg.sender
    ctx = _context(con, msg, key)
    if isinstance(ctx, AnswerIssue):
        return _to_check(ctx)
    if ctx is None:
        return _to_check(AnswerIssue.NO_CONTEXT)
    answer = _answer(ctx, recognise.answers_in(msg.new_text))
    if isinstance(answer, AnswerIssue):
        return _to_check(answer, ctx.ref)
    day = _event_date(msg, run_date, tz)
    kind = ctx.kind or (
        "proposal" if (ctx.ref or "").startswith("P-") else "followup" if ctx.ref else None
    )
    event_type = recognise.event_for(answer, kind)
    if event_type is None:
        return _to_check(AnswerIssue.DOES_NOT_FIT, ctx.ref)
    if event_type in ("absence_started", "absence_ended", "withdrew"):
        return Decision(
            "answer", InboundOutcome.RECORDED, event=Event(day, event_type, sender), ref=ctx.ref
        )
    ref = ctx.ref or ""
    if ref.startswith("P-"):
        found = _about_proposal(con, ref, sender)
        if isinstance(found, AnswerIssue):
            return _to_check(found, ref)
        value = recognise.reason_of(msg.new_text) if answer == "decline" else None
        event = Event(day, event_type, sender, found["mentor_email"], ref, value or None)
        return Decision("answer", InboundOutcome.RECORDED, event=event, ref=ref)
    if ref.startswith("R-"):
        pair = _about_relationship(con, ref, sender)
        if isinstance(pair, AnswerIssue):
            return _to_check(pair, ref)
        event = Event(day, event_type, pair[0], pair[1])
        return Decision("answer", InboundOutcome.RECORDED, event=event, ref=ref)
    return _to_check(AnswerIssue.DOES_NOT_FIT, ref or None)


def received_local(value: datetime | None, tz: ZoneInfo) -> datetime | None:
    """A message's UTC date in the program's time zone, for people to read."""
    return value.replace(tzinfo=UTC).astimezone(tz).replace(tzinfo=None) if value else None
