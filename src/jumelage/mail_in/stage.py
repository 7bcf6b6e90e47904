"""The night's first stage, `mail_in`: the program mailbox's new messages become events.

For each message in the folder, in order:

1. a message read before (same UIDVALIDITY and UID, or the same key: a second delivery) is
   only moved to where its outcome sends it: it is never recorded or applied twice;
2. otherwise it is parsed, decided (`decide`), and recorded with its event in one
   transaction (`inbound.record`); a bounce also marks the email `bounced` and flags the
   person unreachable, in that same transaction;
3. then it is moved to the processed folder (or the review folder when it is to check), and
   the move is recorded.

A run killed between 2 and 3, or a move that fails, leaves the message in the folder: the
next run finds it recorded and only moves it. The mailbox being down is not fatal: the night
goes on with files alone; the report (« À traiter »), the log and `jumelage run` say why.
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass, field
from datetime import date

import duckdb

from jumelage.config import Config
from jumelage.mail_in import inbound, recognise, token
from jumelage.mail_in.decide import Decision, decide
from jumelage.mail_in.imap import Mailbox, MailboxUnavailable, open_mailbox
from jumelage.mail_in.parse import Inbound, parse
from jumelage.mail_in.text import first_lines
from jumelage.notify import outbox
from jumelage.tables import flags, participants
from jumelage.vocabulary import FlagKind, InboundOutcome
from jumelage.warehouse import transaction
from jumelage.words import say

log = logging.getLogger(__name__)


@dataclass
class MailInResult:
    configured: bool = False
    read: int = 0  # new messages read tonight
    outcomes: Counter = field(default_factory=Counter)  # by InboundOutcome
    seen_again: int = 0  # recorded before (a crash before moving, a second delivery)
    move_errors: int = 0
    error: str | None = None  # the mailbox could not be read tonight

    def as_dict(self) -> dict[str, object]:
        by_outcome = {str(k): v for k, v in sorted(self.outcomes.items())}
        return dict(configured=self.configured, read=self.read, **by_outcome) | dict(
            seen_again=self.seen_again, move_errors=self.move_errors, error=self.error
        )


def destination(config: Config, outcome: str) -> str:
    box = config.mailbox_in
    assert box is not None
    return box.review_folder if outcome == InboundOutcome.TO_CHECK else box.processed_folder


def _bounce(con: duckdb.DuckDBPyConnection, config: Config, run_date: date, msg: Inbound) -> None:
    """The emails it names are `bounced`; each known person it names is flagged unreachable."""
    for recipient in msg.failed_recipients:
        outbox.mark_bounced(con, recipient, msg.original_ids)
        roles = participants.roles_of(con, recipient)
        if not roles:
            continue
        mentee = recipient if "mentee" in roles else None
        flags.raise_flag(
            con,
            run_date,
            FlagKind.UNREACHABLE,
            mentee_email=mentee,
            mentor_email=None if mentee else recipient,
            detail=say(config.program.language, "flag_detail", "unreachable", email=recipient),
            detail_key=recipient,
        )


def _record(
    con: duckdb.DuckDBPyConnection,
    config: Config,
    run_date: date,
    box: Mailbox,
    uid: int,
    msg: Inbound,
    decision: Decision,
) -> bool:
    with transaction(con):
        new = inbound.record(
            con,
            run_date,
            key=msg.key,
            message_id=msg.message_id,
            folder=box.config.folder,
            uidvalidity=box.uidvalidity,
            uid=uid,
            received_at=msg.received_at,
            sender=msg.sender,
            subject=msg.subject,
            first_lines=first_lines(msg.new_text or msg.text),
            kind=decision.kind,
            outcome=decision.outcome,
            reason=decision.reason,
            event=decision.event,
            event_ref=decision.ref,
        )
        if new and decision.outcome == InboundOutcome.BOUNCED:
            _bounce(con, config, run_date, msg)
        elif new and decision.event is not None:  # they answered: their address works
            flags.resolve_unreachable(con, run_date, decision.event.email)
    return new


def _move(con: duckdb.DuckDBPyConnection, box: Mailbox, uid: int, key: str, folder: str) -> bool:
    try:
        box.move(uid, folder)
    except Exception as exc:  # the next run moves it: it is recorded, never applied twice
        log.warning("could not move message %s to %s: %s", uid, folder, exc)
        return False
    with transaction(con):
        inbound.mark_moved(con, key, folder)
    return True


def read_mailbox(
    con: duckdb.DuckDBPyConnection, config: Config, run_date: date, box: Mailbox, key: bytes
) -> MailInResult:
    """Read, record and move every message of the folder (see the module's docstring)."""
    result = MailInResult(configured=True)
    catalogue = recognise.catalogue()
    auto_subjects = [recognise.fold(s) for s in catalogue["auto_reply"]["subjects"]]
    known = inbound.known(con)
    by_uid = {
        k.uid: k
        for k in known.values()
        if k.folder == box.config.folder and k.uidvalidity == box.uidvalidity
    }
    uids = box.uids()
    fresh = [uid for uid in uids if uid not in by_uid]
    for uid in uids:
        if uid in by_uid:
            seen = by_uid[uid]
            result.seen_again += 1
            if not _move(con, box, uid, seen.key, destination(config, seen.outcome)):
                result.move_errors += 1
    for uid, raw in box.fetch(fresh):
        msg = parse(raw, auto_subjects, catalogue["quoted"])
        if msg.key in known:
            result.seen_again += 1  # a second delivery of a message already recorded
            outcome = known[msg.key].outcome
        else:
            decision = decide(con, msg, key=key, run_date=run_date, tz=config.tz)
            if not _record(con, config, run_date, box, uid, msg, decision):
                continue
            known[msg.key] = inbound.Known(
                msg.key, box.config.folder, box.uidvalidity, uid, decision.outcome, None
            )
            result.read += 1
            result.outcomes[decision.outcome] += 1
            outcome = decision.outcome
        if not _move(con, box, uid, msg.key, destination(config, outcome)):
            result.move_errors += 1
    return result


def mail_in(con: duckdb.DuckDBPyConnection, config: Config, run_date: date) -> MailInResult:
    """The stage: nothing without `[mailbox_in]`; without the tokens' secret, a ConfigError."""
    if config.mailbox_in is None:
        return MailInResult()
    key = token.require_secret()
    try:
        with open_mailbox(config.mailbox_in) as box:
            return read_mailbox(con, config, run_date, box, key)
    except MailboxUnavailable as exc:
        log.warning("program mailbox not read tonight: %s", exc)
        return MailInResult(configured=True, error=str(exc))
