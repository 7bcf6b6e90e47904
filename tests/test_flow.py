"""The real Prefect flow, end to end, on a small inbox (one ephemeral server per session)."""

from datetime import date

import duckdb
import pytest

from jumelage.demo.files import write_csv
from jumelage.mailsink import MailSink, free_port

from .conftest import reg

pytestmark = pytest.mark.prefect


def _sent_kinds(sink, *, reports: bool = True):
    kinds = ((m["X-Jumelage-Kind"], m["To"].split("<")[-1].rstrip(">")) for m in sink.messages)
    return sorted(k for k in kinds if reports or k[0] != "daily_report")


def test_nightly_flow_end_to_end(prefect_harness, program, tmp_path):
    """Files in, a validated warehouse, one proposal, its email delivered once over SMTP."""
    from flows.nightly import nightly

    port = free_port()
    config = program(f'[smtp]\nhost = "127.0.0.1"\nport = {port}\n')
    inbox = config.data_dir / "inbox"

    write_csv(
        inbox / "inscriptions.csv",
        [
            reg(email="a@x.ca"),
            reg(email="m@x.ca", role="mentor", management_level="3", competencies="leadership"),
            reg(email="b@x.ca", consent="non"),
        ],
        encoding="cp1252",
        separator=";",
        newline="\r\n",
    )
    with MailSink(tmp_path / "sink", port=port) as sink:
        summary = nightly(run_date=date(2026, 1, 10), config_path=str(config.source))
        again = nightly(run_date=date(2026, 1, 10), config_path=str(config.source))
    assert summary["run_date"] == "2026-01-10"
    assert [(f["rows_read"], f["accepted"], f["quarantined"]) for f in summary["files"]] == [
        (3, 2, 1)
    ]
    assert (summary["mentees_active"], summary["mentors_active"]) == (1, 1)
    assert (summary["proposals"], summary["emails_sent"]) == (1, 2)
    assert _sent_kinds(sink) == [("daily_report", "coord@example.org"), ("proposal", "a@x.ca")]
    assert summary["report"].endswith("reports/report-2026-01-10.html")
    con = duckdb.connect(str(config.data_dir / "warehouse.duckdb"), read_only=True)
    assert con.execute("select status from runs").fetchall() == [("succeeded",)]
    assert con.execute("select mentee_email, mentor_email, status from proposals").fetchall() == [
        ("a@x.ca", "m@x.ca", "proposed")
    ]
    con.close()
    assert again["files"] == [] and again["emails_sent"] == 0  # a re-run sends nothing again


def test_reprocess_after_a_correction(prefect_harness, program, tmp_path):
    """The withdrawal is sent exactly once, a new proposal goes out, nothing else is re-sent."""
    from flows.nightly import nightly

    port = free_port()
    config = program(f'[smtp]\nhost = "127.0.0.1"\nport = {port}\n')
    inbox = config.data_dir / "inbox"
    mentor = {"role": "mentor", "management_level": "3", "goals": ""}
    rows = [
        reg(email="a@x.ca", preferred_mentors="m1@x.ca"),
        reg(email="m1@x.ca", competencies="leadership", **mentor),
        reg(email="m2@x.ca", competencies="leadership", **mentor),
    ]
    write_csv(inbox / "inscriptions.csv", rows)
    night = date(2026, 2, 2)
    with MailSink(tmp_path / "sink", port=port) as sink:
        nightly(run_date=night, config_path=str(config.source))
        assert _sent_kinds(sink, reports=False) == [("proposal", "a@x.ca")]
        # the coordinator learns that m1 is a's manager and corrects the file
        rows[0]["manager_email"] = "m1@x.ca"
        write_csv(inbox / "inscriptions.csv", rows)
        first = nightly(run_date=night, config_path=str(config.source), reprocess=True)
        second = nightly(run_date=night, config_path=str(config.source), reprocess=True)
        nightly(run_date=date(2026, 2, 3), config_path=str(config.source))
    assert first["kind"] == "reprocess" and [f["correction"] for f in first["files"]] == [True]
    assert second["files"] == [] and second["emails_sent"] == 0
    assert _sent_kinds(sink, reports=False) == [
        ("proposal", "a@x.ca"),
        ("proposal", "a@x.ca"),
        ("proposal_withdrawn", "a@x.ca"),
    ]
    # the night's report, the corrected one (once, though reprocessed twice), the next night's
    subjects = [m["Subject"] for m in sink.by_kind("daily_report")]
    assert len(subjects) == 3 and sum("corrig" in s.lower() for s in subjects) == 1
    con = duckdb.connect(str(config.data_dir / "warehouse.duckdb"), read_only=True)
    assert con.execute(
        "select mentor_email, status, status_reason from proposals order by round"
    ).fetchall() == [("m1@x.ca", "withdrawn", "hierarchical_link"), ("m2@x.ca", "proposed", None)]
    assert con.execute("select kind, status from runs order by run_date").fetchall() == [
        ("reprocess", "succeeded"),
        ("nightly", "succeeded"),
    ]
    con.close()


def test_a_failed_run_is_recorded_and_the_retry_completes(
    prefect_harness, config, inbox, monkeypatch
):
    import jumelage.flow as module
    import jumelage.stages as stages

    write_csv(
        inbox / "inscriptions.csv",
        [reg(email="a@x.ca"), reg(email="m@x.ca", role="mentor", management_level="3",
                                  competencies="leadership", goals="")],
    )  # fmt: skip

    def broken(*args, **kwargs):
        raise RuntimeError("disk full while matching")

    monkeypatch.setattr(stages, "match_night", broken)
    with pytest.raises(RuntimeError, match="disk full"):
        module.nightly(run_date=date(2026, 1, 10), config_path=str(config.source))
    con = duckdb.connect(str(config.data_dir / "warehouse.duckdb"), read_only=True)
    assert con.execute("select status, error from runs").fetchall() == [
        ("failed", "RuntimeError: disk full while matching")
    ]
    assert con.execute("select count(*) from proposals").fetchall() == [(0,)]
    con.close()

    monkeypatch.undo()
    summary = module.nightly(run_date=date(2026, 1, 10), config_path=str(config.source))
    assert summary["files"] == [] and summary["proposals"] == 1  # files were kept from the try
    con = duckdb.connect(str(config.data_dir / "warehouse.duckdb"), read_only=True)
    assert con.execute("select status, attempts from runs").fetchall() == [("succeeded", 2)]
    con.close()
