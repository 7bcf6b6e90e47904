"""Run the stages of one night without Prefect (the flow's tasks call exactly these)."""

from __future__ import annotations

from datetime import date

from jumelage.apply.registrations import apply_registrations
from jumelage.config import Config
from jumelage.ingest.stage import ingest
from jumelage.lifecycle.followup import follow_up
from jumelage.lifecycle.stage import apply_lifecycle
from jumelage.matching.match import match_night
from jumelage.night import open_night
from jumelage.notify import recover_interrupted, send_queued
from jumelage.notify.released import queue_proposal_emails
from jumelage.validate.stage import FileResult, validate


def run_night(config: Config, day: date, *, send: bool = False) -> list[FileResult]:
    """Every stage of the nightly flow, in the flow's order (sending only when asked)."""
    with open_night(config, day) as night:
        con = night.con
        results = validate(con, config, day, ingest(con, config.data_dir))
        apply_registrations(con, day)
        apply_lifecycle(con, config, day)
        match_night(
            con, config, day, on_released=lambda c, p: queue_proposal_emails(c, config, day, p)
        )
        follow_up(con, config, day)
        if send:
            recover_interrupted(con)
            send_queued(con, config, run_date=day)
    return results
