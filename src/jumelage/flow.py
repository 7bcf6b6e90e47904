"""The Prefect flow `nightly`: one task per stage of `jumelage.stages.STAGES`, in its order.

Prefect adds the schedule, the UI, retries and artifacts; what a night does lives in the
package and runs the same without Prefect. `flows/nightly.py` is the top-level entry point.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE

from jumelage import alerts, stages
from jumelage.config import Config, default_config_path, load_config, require_data_dir
from jumelage.deploy import crash_current_run, earlier_waiting, mark_done
from jumelage.errors import ConfigError
from jumelage.night import START, Night, describe, ignore_sigterm, run_night, stopped, today
from jumelage.report import publish_artifact


def _describe(name: str, result: Any) -> str:
    """One log line per stage: counts, not objects."""
    if name == "ingest":
        return f"{len(result)} new or corrected file(s)"
    if name == "validate":
        return "; ".join(
            f"{r.name}: read {r.rows_read}, accepted {r.accepted}, quarantined "
            f"{r.quarantined}, superseded {r.superseded}"
            + (f" (file rejected: {r.error})" if r.error else "")
            for r in result
        )
    if name == "match":
        return (
            f"{result.proposals.height} proposal(s), {result.unmatched.height} mentee(s) "
            "left waiting" + ("" if result.created else " (already matched tonight: unchanged)")
        )
    if name in ("notify", "send_report"):
        return (
            f"{len(result.sent)} sent, {len(result.still_queued)} still queued, "
            f"{len(result.failed)} failed" + (f" (SMTP: {result.error})" if result.error else "")
        )
    if name == "report":
        return str(result.path)
    return str(result)


def _as_task(stage: stages.Stage) -> Any:
    def run(night: Night) -> Any:
        night.stage = stage.name
        result = stage.run(night)
        night.results[stage.name] = result
        get_run_logger().info("%s: %s", stage.name, _describe(stage.name, result))
        return result

    run.__doc__ = stage.doc
    return task(run, name=stage.name, cache_policy=NO_CACHE)


TASKS = tuple(_as_task(stage) for stage in stages.STAGES)


def _run_tasks(night: Night) -> None:
    for run_stage in TASKS:
        run_stage(night)
    night.stage = "artifact"
    publish_artifact(night.config, night.results["report"])


def _config(config_path: str | None, run_date: date | None, kind: str) -> Config:
    """The configuration, or a failure record that the next run that can read it reports."""
    try:
        config = load_config(config_path)
        require_data_dir(config)  # a mistyped data_dir is an error, never a new program
        return config
    except ConfigError as exc:
        alerts.record_failure(
            Path(config_path) if config_path else default_config_path(),
            run_date or date.today(),
            kind,
            START,
            describe(exc),
        )
        raise


@flow(name="nightly", persist_result=False)
def nightly(
    run_date: date | None = None, config_path: str | None = None, reprocess: bool = False
) -> dict[str, Any]:
    """Run the night of `run_date` (default: today in the program's time zone).

    `reprocess=True` redoes that night after a coordinator's corrections: corrected files are
    read, state re-derived, invalid pending proposals withdrawn, the pool re-matched.
    A transient failure (lock, network) is retried for a while; a night that fails for good
    emails `[program] operators` (`jumelage.alerts`).
    """
    kind = _kind(reprocess)
    config = _config(config_path, run_date, kind)
    day = run_date or today(config)
    try:
        for waiting in earlier_waiting(day):  # nights run in date order
            get_run_logger().info("night %s first: its run was waiting", waiting.run_date)
            run_night(config, waiting.run_date, _kind(waiting.reprocess), _run_tasks)
            mark_done(waiting)
        night = run_night(config, day, kind, _run_tasks)
    except (Exception, KeyboardInterrupt):
        raise
    except BaseException as exc:  # SIGTERM: Crashed at once, which frees the slot
        ignore_sigterm()
        crash_current_run(stopped(exc))
        raise
    return stages.summary(night)


def _kind(reprocess: bool) -> str:
    return "reprocess" if reprocess else "nightly"
