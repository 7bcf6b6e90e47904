"""Run the stages of one night without Prefect (the flow's tasks call exactly these)."""

from __future__ import annotations

from datetime import date

from jumelage.apply.registrations import apply_registrations
from jumelage.config import Config
from jumelage.ingest.stage import ingest
from jumelage.night import open_night
from jumelage.validate.stage import FileResult, validate


def run_night(config: Config, day: date) -> list[FileResult]:
    with open_night(config, day) as night:
        results = validate(night.con, config, day, ingest(night.con, config.data_dir))
        apply_registrations(night.con, day)
    return results
