"""Run one night without Prefect: the package's stages (jumelage.stages), in their order."""

from __future__ import annotations

from datetime import date
from typing import Any

from jumelage import stages
from jumelage.config import Config
from jumelage.night import open_night
from jumelage.validate.stage import FileResult

#: The report (charts, HTML) is left to the tests that read it: a year of nights stays fast.
REPORT = ("report", "send_report")


def run_night(config: Config, day: date, *, send: bool = False) -> list[FileResult]:
    """Every stage of the night but the report (and sending, unless asked)."""
    skip = REPORT if send else (*REPORT, "notify")
    with open_night(config, day) as night:
        stages.run(night, skip=skip)
    return night.results["validate"]


def run_whole_night(config: Config, day: date) -> Any:
    """Every stage, the report and its email included, as `jumelage run` does; returns the
    figures of the last sending (the report's: `send_queued`'s stats)."""
    with open_night(config, day) as night:
        stages.run(night)
    return night.results["send_report"]
