"""The Prefect flow `nightly`: one short task per stage, each calling the jumelage package."""

from __future__ import annotations

from datetime import date
from typing import Any

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE

from jumelage.apply.registrations import apply_registrations
from jumelage.config import load_config
from jumelage.ingest.stage import IngestedFile, ingest
from jumelage.night import Night, open_night, today
from jumelage.validate.stage import FileResult, validate


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
    stats = apply_registrations(night.con, night.run_date)
    get_run_logger().info("apply: %s", stats)
    return stats


@flow(name="nightly", persist_result=False)
def nightly(run_date: date | None = None, config_path: str | None = None) -> dict[str, Any]:
    """Run the night of `run_date` (default: today in the program's time zone)."""
    config = load_config(config_path)
    day = run_date or today(config)
    with open_night(config, day) as night:
        files = ingest_task(night)
        results = validate_task(night, files)
        stats = apply_task(night)
    return {"run_date": day.isoformat(), "files": [r.__dict__ for r in results], **stats}
