"""The real Prefect flow, end to end, on a small inbox (one ephemeral server per session)."""

from datetime import date

import duckdb
import pytest

from jumelage.demo.files import write_csv
from jumelage.mailsink import MailSink, free_port

from .conftest import reg

pytestmark = pytest.mark.prefect


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
    assert (summary["proposals"], summary["emails_sent"]) == (1, 1)
    (message,) = sink.messages
    assert message["X-Jumelage-Kind"] == "proposal"
    assert message["To"].endswith("a@x.ca")
    con = duckdb.connect(str(config.data_dir / "warehouse.duckdb"), read_only=True)
    assert con.execute("select status from runs").fetchall() == [("succeeded",)]
    assert con.execute("select mentee_email, mentor_email, status from proposals").fetchall() == [
        ("a@x.ca", "m@x.ca", "proposed")
    ]
    con.close()
    assert again["files"] == [] and again["emails_sent"] == 0  # a re-run sends nothing again
