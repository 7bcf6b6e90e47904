"""Send the report: to the coordinators through the outbox, and as a Prefect artifact."""

from __future__ import annotations

import re
from datetime import date
from typing import TYPE_CHECKING

import duckdb

from jumelage import models
from jumelage.config import Config
from jumelage.normalize import fold
from jumelage.notify.compose import compose
from jumelage.notify.outbox import enqueue
from jumelage.warehouse import utcnow

if TYPE_CHECKING:
    from jumelage.report.build import Report

ARTIFACT_KEY = "daily-report"  # followed by the program's slug: one key per program


def artifact_key(config: Config) -> str:
    """`daily-report-<program>`: Prefect keys are lowercase letters, digits and dashes, and
    one key per program keeps each program's history apart on a shared server."""
    slug = re.sub(r"[^a-z0-9]+", "-", fold(config.program.name)).strip("-") or "program"
    return f"{ARTIFACT_KEY}-{slug}"


def report_about(run_date: date, report: Report, *, corrected: bool) -> str:
    """What the `daily_report` email is about, the core of its idempotency key.

    The night's report: the run date, so re-running the night queues nothing new. A
    corrected report: the run date and a fingerprint of what it says, so that each
    reprocessing that changes the report mails it again, and a reprocessing that changes
    nothing (or a second reprocess of the same date) sends nothing again (SPEC §9).
    """
    if not corrected:
        return run_date.isoformat()
    return f"{run_date.isoformat()}-corrected-{report.fingerprint}"


def latest_fingerprint(con: duckdb.DuckDBPyConnection, run_date: date) -> str | None:
    """The fingerprint of the last report written for `run_date` (None: none yet)."""
    rows = models.rows(con, "report_versions/latest", {"run_date": run_date})[1]
    return rows[0][0] if rows else None


def record_version(con: duckdb.DuckDBPyConnection, report: Report) -> None:
    """Keep the report's fingerprint (in the caller's transaction), so that the next
    reprocessing of its date tells whether it says anything new."""
    models.execute(
        con,
        "report_versions/record",
        {
            "run_date": report.run_date,
            "fingerprint": report.fingerprint,
            "corrected": report.corrected,
            "written_at": utcnow(),
        },
    )


def queue_report_email(
    con: duckdb.DuckDBPyConnection,
    config: Config,
    run_date: date,
    report: Report,
    *,
    corrected: bool = False,
) -> list[str]:
    """Queue the `daily_report` email to each coordinator; returns the keys that were new.

    Opens no transaction: call it inside the caller's. The notify stage sends it; its
    `data:` images travel as inline `cid:` parts.
    """
    about = report_about(run_date, report, corrected=corrected)
    messages = [
        compose(
            config,
            "daily_report",
            to=coordinator,
            context={
                "run_date": run_date,
                "html_body": report.html,
                "text_summary": report.text,
                "corrected": corrected,
            },
            about=about,
            language=config.program.language,
            run_date=run_date,
        )
        for coordinator in config.program.coordinators
    ]
    return enqueue(con, messages)


def publish_artifact(config: Config, report: Report) -> None:
    """What is to be done, the key numbers and the report's path, as a Prefect markdown
    artifact (call inside a flow)."""
    from prefect.artifacts import create_markdown_artifact

    create_markdown_artifact(
        key=artifact_key(config),
        markdown=report.markdown,
        description=f"Daily report {report.run_date.isoformat()}",
    )
