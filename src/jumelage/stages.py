"""The night, defined once: its stages in order, each a plain function of the `Night`.

The Prefect flow (`jumelage.flow`), the tests (`tests/nights.py`) and the benchmarks
(`bench/night.py`) all run this list; none of them writes the order again. A stage reads
what earlier stages returned from `night.results`, by stage name.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from jumelage.apply.registrations import apply_registrations
from jumelage.ingest.stage import ingest
from jumelage.lifecycle.followup import follow_up
from jumelage.lifecycle.stage import apply_lifecycle
from jumelage.mail_in.stage import mail_in
from jumelage.matching.match import match_night
from jumelage.night import Night
from jumelage.notify import recover_interrupted, send_queued
from jumelage.notify.journal import journal_path
from jumelage.notify.released import queue_proposal_emails
from jumelage.report import build_report, queue_report_email
from jumelage.report.deliver import latest_fingerprint, record_version
from jumelage.validate.stage import validate
from jumelage.warehouse import transaction
from jumelage.whatif.suggest import suggest


@dataclass(frozen=True)
class Stage:
    name: str
    run: Callable[[Night], Any]
    doc: str  # what it does, for the flow's task and docs/architecture.md


def _mail_in(night: Night) -> Any:
    return mail_in(night.con, night.config, night.run_date)


def _ingest(night: Night) -> Any:
    return ingest(night.con, night.config.data_dir, night.config.inbox)


def _validate(night: Night) -> Any:
    return validate(night.con, night.config, night.run_date, night.results["ingest"])


def _apply(night: Night) -> dict[str, int]:
    stats = apply_registrations(night.con, night.run_date)
    return stats | apply_lifecycle(night.con, night.config, night.run_date)


def _match(night: Night) -> Any:
    config, run_date = night.config, night.run_date
    return match_night(
        night.con,
        config,
        run_date,
        on_released=lambda con, proposals: queue_proposal_emails(con, config, run_date, proposals),
        rematch=night.kind == "reprocess",
    )


def _follow_up(night: Night) -> dict[str, int]:
    return dict(follow_up(night.con, night.config, night.run_date))


def _notify(night: Night) -> Any:
    recover_interrupted(night.con, journal_path(night.config.data_dir))
    return send_queued(night.con, night.config, run_date=night.run_date)


def _report(night: Night) -> Any:
    con, run_date = night.con, night.run_date
    reprocess = night.kind == "reprocess"
    previous = latest_fingerprint(con, run_date)
    ideas = suggest(con, night.config, run_date)
    mail = night.results.get("mail_in")
    report = build_report(
        con,
        night.config,
        run_date,
        corrected=reprocess,
        previous=previous,
        suggestions=ideas,
        mailbox_error=mail.error if mail is not None else None,
    )
    with transaction(con):
        record_version(con, report)
        queue_report_email(con, night.config, run_date, report, corrected=report.corrected)
    return report


STAGES: tuple[Stage, ...] = (
    Stage("mail_in", _mail_in, "answers from the program mailbox recorded as events"),
    Stage("ingest", _ingest, "archive and read new or corrected inbox files"),
    Stage("validate", _validate, "expectation suites; files, rows and quarantine recorded"),
    Stage("apply", _apply, "participants, events, withdrawals of invalid proposals, expiries"),
    Stage("match", _match, "pool, scores, assignment, proposals and their emails queued"),
    Stage("follow_up", _follow_up, "flags and reminders due tonight (queued)"),
    Stage("notify", _notify, "send the outbox, so that the report counts tonight's emails"),
    Stage("report", _report, "the coordinators' page, its email queued"),
    Stage("send_report", _notify, "send the report itself"),
)
NAMES = tuple(stage.name for stage in STAGES)


def run(night: Night, *, skip: Iterable[str] = ()) -> dict[str, Any]:
    """Run every stage in order (but those in `skip`), keeping each result in night.results."""
    skipped = set(skip)
    unknown = skipped - set(NAMES)
    if unknown:
        raise ValueError(f"unknown stage(s): {', '.join(sorted(unknown))}")
    for stage in STAGES:
        if stage.name not in skipped:
            night.stage = stage.name
            night.results[stage.name] = stage.run(night)
    return night.results


def summary(night: Night) -> dict[str, Any]:
    """The night in a few figures (the flow's return value, printed by `jumelage run`)."""
    r = night.results
    sent, sent_report = r["notify"], r["send_report"]
    return {
        "run_date": night.run_date.isoformat(),
        "kind": night.kind,
        "files": [f.__dict__ for f in r["validate"]],
        "mail_in": r["mail_in"].as_dict() if "mail_in" in r else None,
        **r["apply"],
        "proposals": r["match"].proposals.height,
        "flags": r["follow_up"],
        "unmatched": r["match"].unmatched.height,
        "emails_sent": len(sent.sent) + len(sent_report.sent),
        "emails_queued": len(sent_report.still_queued),
        "report": str(r["report"].path),
        "smtp_error": sent_report.error or sent.error,
    }
