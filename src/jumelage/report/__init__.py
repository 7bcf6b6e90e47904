"""The coordinators' daily report (SPEC §8).

How the flow uses it, after the follow-up stage and before the notify stage that sends it::

    report = build_report(con, config, run_date, corrected=is_reprocess)
    with transaction(con):
        queue_report_email(con, config, run_date, report, corrected=is_reprocess)
    publish_artifact(report)        # inside the flow only

Numbers come from ``sql/report/*.sql`` (one file per table of a section, `$run_date`
bound), so that a coordinator's own query gives the same numbers as the page.
"""

from jumelage.report.build import Report, build_report, report_path
from jumelage.report.deliver import (
    ARTIFACT_KEY,
    artifact_key,
    publish_artifact,
    queue_report_email,
)

__all__ = [
    "ARTIFACT_KEY",
    "Report",
    "artifact_key",
    "build_report",
    "publish_artifact",
    "queue_report_email",
    "report_path",
]
