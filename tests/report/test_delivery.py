"""The report by email (through the outbox, exactly once per version) and as an artifact."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from jumelage import warehouse
from jumelage.quarantine import Reason
from jumelage.report import artifact_key, build_report, publish_artifact, queue_report_email
from jumelage.vocabulary import QuarantineCode
from tests.report.program import RUN_DATE, quarantined


@pytest.fixture
def two_coordinators(config):
    return config.model_copy(
        update={
            "program": config.program.model_copy(
                update={"coordinators": ["coord@example.org", "chef@example.org"]}
            )
        }
    )


def _report_emails(con):
    cur = con.execute(
        "select email_key, recipient, about, subject, body_html, body_text, inline_images,"
        " status, created_run_date from emails where kind = 'daily_report' order by created_at,"
        " recipient"
    )
    names = [d[0] for d in cur.description]
    return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]


def test_report_queued_once_to_each_coordinator(scripted, two_coordinators):
    config = two_coordinators
    report = build_report(scripted, config, RUN_DATE)
    with warehouse.transaction(scripted):  # the caller's transaction: none of its own
        keys = queue_report_email(scripted, config, RUN_DATE, report)
    assert len(keys) == 2
    rows = _report_emails(scripted)
    assert sorted(r["recipient"] for r in rows) == ["chef@example.org", "coord@example.org"]
    for row in rows:
        assert row["about"] == "2026-10-15" and row["status"] == "queued"
        assert row["created_run_date"] == RUN_DATE
        assert row["subject"] == "Connexion Cadres — Rapport quotidien du 15 octobre 2026"
        images = json.loads(row["inline_images"])
        assert len(images) == 4 and all(i["mime"] == "image/png" for i in images)
        assert "data:image" not in row["body_html"]
        assert row["body_html"].count('src="cid:') == 4
        assert "personnes mentorées en attente : 3" in row["body_text"]
    # Re-running the night: the same keys, nothing new.
    again = build_report(scripted, config, RUN_DATE)
    with warehouse.transaction(scripted):
        assert queue_report_email(scripted, config, RUN_DATE, again) == []
    assert len(_report_emails(scripted)) == 2


def test_corrected_report_mailed_once_per_change(scripted, config):
    night = build_report(scripted, config, RUN_DATE)
    with warehouse.transaction(scripted):
        assert len(queue_report_email(scripted, config, RUN_DATE, night)) == 1
    # A reprocess of the night: the corrected report goes out once more...
    fixed = build_report(scripted, config, RUN_DATE, corrected=True)
    with warehouse.transaction(scripted):
        first = queue_report_email(scripted, config, RUN_DATE, fixed, corrected=True)
    assert len(first) == 1
    row = next(r for r in _report_emails(scripted) if r["email_key"] == first[0])
    assert row["about"].startswith("2026-10-15-corrected-")
    assert row["subject"].endswith("(corrigé)")
    assert "version corrigée" in row["body_text"]
    # ... a second reprocess that changes nothing sends nothing again ...
    same = build_report(scripted, config, RUN_DATE, corrected=True)
    with warehouse.transaction(scripted):
        assert queue_report_email(scripted, config, RUN_DATE, same, corrected=True) == []
    # ... and one after another correction does.
    with warehouse.transaction(scripted):
        quarantined(
            scripted, "inscriptions-2026-10-15.csv", "s1", 9,
            [Reason(QuarantineCode.MISSING_LAST_NAME, "last_name")], run_date=RUN_DATE,
        )  # fmt: skip
    changed = build_report(scripted, config, RUN_DATE, corrected=True)
    with warehouse.transaction(scripted):
        second = queue_report_email(scripted, config, RUN_DATE, changed, corrected=True)
    assert len(second) == 1 and second != first
    assert len(_report_emails(scripted)) == 3
    # The next night's report has its own key.
    nxt = build_report(scripted, config, RUN_DATE + timedelta(days=1))
    with warehouse.transaction(scripted):
        assert len(queue_report_email(scripted, config, RUN_DATE + timedelta(1), nxt)) == 1


def test_queue_failure_rolls_back_with_the_caller(scripted, config):
    report = build_report(scripted, config, RUN_DATE)
    with pytest.raises(RuntimeError), warehouse.transaction(scripted):
        queue_report_email(scripted, config, RUN_DATE, report)
        raise RuntimeError("the stage failed after queueing")
    assert _report_emails(scripted) == []


@pytest.mark.prefect
def test_artifact_published_from_a_flow(prefect_harness, scripted, config):
    from prefect import flow
    from prefect.client.orchestration import get_client

    report = build_report(scripted, config, RUN_DATE)

    @flow(name="report-artifact-test", persist_result=False)
    def publish() -> None:
        publish_artifact(config, report)

    publish()
    with get_client(sync_client=True) as client:
        # (the REST filter directly: Artifact.get sends nulls this server version refuses)
        response = client._client.post(
            "/artifacts/filter",
            # other flow runs of the session publish the same key: newest first, enough of them
            json={
                "artifacts": {"key": {"any_": [artifact_key(config)]}},
                "sort": "CREATED_DESC",
                "limit": 200,
                "offset": 0,
            },
        )
    response.raise_for_status()
    ours = [a for a in response.json() if str(report.path) in a["data"]]
    assert len(ours) == 1
    assert ours[0]["type"] == "markdown" and ours[0]["flow_run_id"]
    assert artifact_key(config) == "daily-report-connexion-cadres"
    data = ours[0]["data"]
    # à traiter first, as tables, then the key numbers, then where the full page is
    assert data.index("## À traiter (10)") < data.index("## En bref") < data.index(str(report.path))
    assert "| Statut | Type | Destinataire | Commande |" in data
    assert "| 10 | éléments à traiter |" in data
    assert "Rapport complet : `" in data


def test_a_reprocess_that_changes_nothing_is_no_correction(config, inbox):
    """No « version corrigée » banner and no second email when the reprocessed night's
    report says what the night's report said."""
    from datetime import date

    from jumelage import stages
    from jumelage.demo.files import write_csv
    from jumelage.night import open_night
    from tests.conftest import reg

    day = date(2026, 3, 2)
    write_csv(inbox / "inscriptions.csv", [reg(email="a@x.ca")])
    reports = []
    for kind in ("nightly", "reprocess", "reprocess"):
        with open_night(config, day, kind) as night:
            stages.run(night, skip=("notify", "send_report"))
        reports.append(night.results["report"])
    assert [r.corrected for r in reports] == [False, False, False]
    assert 'data-corrected="true"' not in reports[-1].path.read_text(encoding="utf-8")
    con = warehouse.connect(config.data_dir)
    try:
        assert len(_report_emails(con)) == 1
        assert con.execute("select count(*) from report_versions").fetchone() == (1,)
    finally:
        con.close()

    # a correction that changes the report: marked corrected, mailed once more
    write_csv(inbox / "inscriptions.csv", [reg(email="a@x.ca"), reg(email="b@x.ca")])
    with open_night(config, day, "reprocess") as night:
        stages.run(night, skip=("notify", "send_report"))
    assert night.results["report"].corrected
    con = warehouse.connect(config.data_dir)
    try:
        assert len(_report_emails(con)) == 2
    finally:
        con.close()
