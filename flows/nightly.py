"""The Prefect flow `nightly`: one short task per stage, each calling the jumelage package."""

from __future__ import annotations

from datetime import date
from typing import Any

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE

from jumelage.apply.registrations import apply_registrations
from jumelage.config import load_config
from jumelage.ingest.stage import IngestedFile, ingest
from jumelage.lifecycle.followup import follow_up
from jumelage.lifecycle.stage import apply_lifecycle
from jumelage.matching.match import MatchResult, match_night
from jumelage.night import Night, open_night, today
from jumelage.notify import SendStats, recover_interrupted, send_queued
from jumelage.notify.released import queue_proposal_emails
from jumelage.report import Report, build_report, publish_artifact, queue_report_email
from jumelage.validate.stage import FileResult, validate
from jumelage.warehouse import transaction


@task(name="ingest", cache_policy=NO_CACHE)
def ingest_task(night: Night) -> list[IngestedFile]:
    files = ingest(night.con, night.config.data_dir)
    get_run_logger().info("ingest: %d new or corrected file(s)", len(files))
    return files


@task(name="validate", cache_policy=NO_CACHE)
def validate_task(night: Night, files: list[IngestedFile]) -> list[FileResult]:
    results = validate(night.con, night.config, night.run_date, files)
    for r in results:
        get_run_logger().info(
            "validate %s: read %d, accepted %d, quarantined %d, superseded %d%s",
            r.name, r.rows_read, r.accepted, r.quarantined, r.superseded,
            f" (file rejected: {r.error})" if r.error else "",
        )  # fmt: skip
    return results


@task(name="apply", cache_policy=NO_CACHE)
def apply_task(night: Night) -> dict[str, int]:
    """Participants from registrations, then events, changes, withdrawals and expiries."""
    stats = apply_registrations(night.con, night.run_date)
    stats |= apply_lifecycle(night.con, night.config, night.run_date)
    get_run_logger().info("apply: %s", stats)
    return stats


@task(name="follow_up", cache_policy=NO_CACHE)
def follow_up_task(night: Night) -> dict[str, int]:
    """Flags and reminders due tonight (queued; the notify stage sends them)."""
    counts = dict(follow_up(night.con, night.config, night.run_date))
    get_run_logger().info("follow up: %s", counts)
    return counts


@task(name="match", cache_policy=NO_CACHE)
def match_task(night: Night) -> MatchResult:
    """Score, assign and propose, in one transaction with the proposal emails.

    A reprocessing runs one more round for its date over whoever is waiting after corrections.
    """
    result = match_night(
        night.con,
        night.config,
        night.run_date,
        on_released=lambda con, proposals: queue_proposal_emails(
            con, night.config, night.run_date, proposals
        ),
        rematch=night.kind == "reprocess",
    )
    get_run_logger().info(
        "match: %d proposal(s), %d mentee(s) left waiting%s",
        result.proposals.height,
        result.unmatched.height,
        "" if result.created else " (already matched tonight: unchanged)",
    )
    return result


@task(name="notify", cache_policy=NO_CACHE)
def notify_task(night: Night) -> SendStats:
    """Send what the outbox holds; a message found mid-send is set aside as uncertain."""
    uncertain = recover_interrupted(night.con)
    stats = send_queued(night.con, night.config, run_date=night.run_date)
    get_run_logger().info(
        "notify: %d sent, %d still queued, %d failed, %d newly uncertain%s",
        len(stats.sent),
        len(stats.still_queued),
        len(stats.failed),
        len(uncertain),
        f" (SMTP: {stats.error})" if stats.error else "",
    )
    return stats


@task(name="report", cache_policy=NO_CACHE)
def report_task(night: Night) -> Report:
    """The coordinators' page for the night, queued to them by email and published."""
    corrected = night.kind == "reprocess"
    report = build_report(night.con, night.config, night.run_date, corrected=corrected)
    with transaction(night.con):
        queue_report_email(night.con, night.config, night.run_date, report, corrected=corrected)
    publish_artifact(report)
    get_run_logger().info("report: %s", report.path)
    return report


@flow(name="nightly", persist_result=False)
def nightly(
    run_date: date | None = None, config_path: str | None = None, reprocess: bool = False
) -> dict[str, Any]:
    """Run the night of `run_date` (default: today in the program's time zone).

    `reprocess=True` redoes that night after a coordinator's corrections: corrected files are
    read, state re-derived, invalid pending proposals withdrawn, the pool re-matched.
    """
    config = load_config(config_path)
    day = run_date or today(config)
    with open_night(config, day, "reprocess" if reprocess else "nightly") as night:
        files = ingest_task(night)
        results = validate_task(night, files)
        stats = apply_task(night)
        matched = match_task(night)
        flagged = follow_up_task(night)
        sent = notify_task(night)  # before the report, so that it counts tonight's emails
        report = report_task(night)
        sent_report = notify_task(night)  # the report itself
    return {
        "run_date": day.isoformat(),
        "kind": night.kind,
        "files": [r.__dict__ for r in results],
        **stats,
        "proposals": matched.proposals.height,
        "flags": flagged,
        "unmatched": matched.unmatched.height,
        "emails_sent": len(sent.sent) + len(sent_report.sent),
        "emails_queued": len(sent_report.still_queued),
        "report": str(report.path),
        "smtp_error": sent_report.error or sent.error,
    }
