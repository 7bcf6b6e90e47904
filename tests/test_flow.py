"""The real Prefect flow, end to end, on a small inbox (one ephemeral server per session)."""

from datetime import date

import duckdb
import pytest

from jumelage.demo.files import write_csv

from .conftest import reg

pytestmark = pytest.mark.prefect


def test_nightly_flow_end_to_end(prefect_harness, config, inbox):
    from flows.nightly import nightly

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
    summary = nightly(run_date=date(2026, 1, 10), config_path=str(config.source))
    assert summary["run_date"] == "2026-01-10"
    assert [(f["rows_read"], f["accepted"], f["quarantined"]) for f in summary["files"]] == [
        (3, 2, 1)
    ]
    assert (summary["mentees_active"], summary["mentors_active"]) == (1, 1)
    con = duckdb.connect(str(config.data_dir / "warehouse.duckdb"), read_only=True)
    assert con.execute("select status from runs").fetchall() == [("succeeded",)]
    con.close()

    again = nightly(run_date=date(2026, 1, 10), config_path=str(config.source))
    assert again["files"] == []
