"""Run one night without Prefect: the package's stages (jumelage.stages), in their order."""

from __future__ import annotations

from datetime import date

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
