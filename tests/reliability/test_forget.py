"""`jumelage forget EMAIL`: the person's data leaves the warehouse and the files; counts stay."""

from __future__ import annotations

import re
from datetime import date

import duckdb
import polars as pl

from jumelage.demo.files import write_csv, write_xlsx
from jumelage.ingest.reader import read_table
from jumelage.lock import data_dir_lock
from jumelage.mailsink import MailSink, free_port
from jumelage.snapshot import snapshot_path
from tests.conftest import reg
from tests.nights import run_whole_night

from .helpers import MENTOR, files_containing, warehouse_values_containing

X = "Xanthippe.Zworykin@Secret.ca"  # typed with capitals: identity is case-insensitive
FIRST, LAST = "Xanthippe", "Zworykin"
EVENTS = ["event_date", "event_type", "email", "counterpart_email", "proposal_id", "value"]
COUNTS = {
    "proposals": "select count(*) from proposals",
    "relationships": "select count(*) from relationships",
    "participants": "select count(*) from participants",
    "emails": "select count(*) from emails",
    "quarantine": "select count(*) from quarantine",
    "events": "select count(*) from events",
    "files": "select sum(rows_read), sum(rows_accepted), sum(rows_quarantined) from files",
}


def _counts(config) -> dict[str, object]:
    con = duckdb.connect(str(config.data_dir / "warehouse.duckdb"), read_only=True)
    try:
        return {k: con.execute(q).fetchall() for k, q in COUNTS.items()}
    finally:
        con.close()


def _night(config, day, port, sink_dir):
    with MailSink(sink_dir, port=port):
        run_whole_night(config, day)


def _story(program, tmp_path):
    port = free_port()
    config = program(f'[smtp]\nhost = "127.0.0.1"\nport = {port}\n')
    inbox = config.data_dir / "inbox"
    rows = [
        reg(email=X, first_name=FIRST, last_name=LAST, unit="Bureau secret", region="Laval"),
        reg(email="other@x.ca", first_name="Olive", manager_email=X.lower()),
        reg(email="m1@y.ca", first_name="Marc", organization="MCC", **MENTOR),
        reg(email="m2@y.ca", first_name="Mia", organization="MCC", **MENTOR),
    ]
    write_csv(inbox / "inscriptions.csv", rows, encoding="cp1252", separator=";", newline="\r\n")
    # a quarantined row of theirs (no consent) in an XLSX file
    write_xlsx(inbox / "inscriptions-2.xlsx", [reg(email=X, consent="non", first_name=FIRST)])
    _night(config, date(2026, 1, 10), port, tmp_path / "sink")
    con = duckdb.connect(str(config.data_dir / "warehouse.duckdb"), read_only=True)
    ((pid, mentor),) = con.execute(
        "select proposal_id, mentor_email from proposals where mentee_email = ?", [X.lower()]
    ).fetchall()
    con.close()
    events = [
        {"event_date": "2026-01-12", "event_type": "proposal_accepted", "email": X,
         "counterpart_email": "", "proposal_id": pid, "value": ""},
        {"event_date": "2026-01-14", "event_type": "meeting_held", "email": X,
         "counterpart_email": mentor, "proposal_id": "", "value": f"café avec {FIRST} {LAST}"},
    ]  # fmt: skip
    write_csv(inbox / "events-1.csv", events, header=EVENTS)
    _night(config, date(2026, 1, 15), port, tmp_path / "sink")
    return config, port


def _forget_cli(config, email):
    """`jumelage forget EMAIL`, as a coordinator types it."""
    from .helpers import run_cli

    return run_cli("forget", email, "--config", str(config.source), module="jumelage.cli")


def test_forget_erases_and_keeps_counts(program, tmp_path):
    config, port = _story(program, tmp_path)
    before = _counts(config)
    needles = [X.lower().encode(), FIRST.encode(), LAST.encode()]
    assert files_containing(config.data_dir, needles)  # the story did put them everywhere

    result = _forget_cli(config, X.upper())
    assert result.returncode == 0, result.stderr
    pseudonym = re.search(r"forgotten-[0-9a-f]+@forgotten\.invalid", result.stdout).group(0)
    assert "pseudonym" in result.stdout and "archive/" in result.stdout

    # nothing left, in any file (warehouse bytes, archive, inbox, reports), in any case
    def anywhere():
        found = files_containing(config.data_dir, needles)
        for path in config.data_dir.rglob("*"):
            if path.is_file():
                data = path.read_bytes().lower()
                found += [f"{path}" for n in needles if n.lower() in data]
        return found

    assert anywhere() == []
    # the night's workbooks are compressed: read their cells back (they did name the person)
    books = sorted((config.data_dir / "reports").glob("jumelage-*.xlsx"))
    assert books and any(str(p) in result.stdout or p.name in result.stdout for p in books)
    for path in books:
        for frame in pl.read_excel(path, sheet_id=0).values():
            cells = " ".join(str(v) for row in frame.iter_rows() for v in row).lower()
            assert not any(n.decode().lower() in cells for n in needles), path
    # the snapshot was refreshed after the erasure, like after every command that writes
    assert warehouse_values_containing(snapshot_path(config.data_dir), X.lower()) == []
    db = config.data_dir / "warehouse.duckdb"
    for needle in (X.lower(), FIRST, LAST):
        assert warehouse_values_containing(db, needle) == []
    # anonymous counts survive; the registration rows are gone
    after = _counts(config)
    assert after == before
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute(
        "select role, status, first_name from participants where email = ?", [pseudonym]
    ).fetchall() == [("mentee", "removed", "")]
    assert con.execute(
        "select status, end_reason from relationships where mentee_email = ?", [pseudonym]
    ).fetchall() == [("ended", "forgotten")]
    assert con.execute("select manager_email from participants where email = 'other@x.ca'")\
        .fetchall() == [(pseudonym,)]  # fmt: skip
    assert con.execute("select count(*) from forget_log").fetchall() == [(1,)]
    con.close()
    # the archived files still hold everyone else's rows, and parse
    archived = sorted((config.data_dir / "archive").iterdir())
    registrations = next(p for p in archived if "inscriptions.csv" in p.name)
    table = read_table(registrations, "registrations")
    assert sorted(table.frame["email"].to_list()) == ["m1@y.ca", "m2@y.ca", "other@x.ca"]
    assert table.encoding == "cp1252" and table.separator == ";"

    # the next night runs, never brings them back, never writes to the pseudonym
    _night(config, date(2026, 1, 16), port, tmp_path / "sink")
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute(
        "select count(*) from emails where recipient = ? and created_run_date > '2026-01-15'",
        [pseudonym],
    ).fetchall() == [(0,)]
    assert con.execute(
        "select count(*) from participants where lower(email) = ?", [X.lower()]
    ).fetchall() == [(0,)]
    bad = con.execute(
        "select name from files where rows_read <> rows_accepted + rows_quarantined"
        " + rows_superseded"
    ).fetchall()
    con.close()
    assert bad == []
    assert anywhere() == []


def test_forget_unknown_person_changes_nothing(program, tmp_path):
    config, _ = _story(program, tmp_path)
    before = _counts(config)
    result = _forget_cli(config, "nobody@nowhere.ca")
    assert result.returncode == 0 and "nothing changed" in result.stdout
    assert _counts(config) == before


def test_forget_waits_for_no_run(program, tmp_path):
    """It takes the data directory's lock: during a run it exits 3 and changes nothing."""
    config, _ = _story(program, tmp_path)
    with data_dir_lock(config.data_dir):
        result = _forget_cli(config, X)
    assert result.returncode == 3 and "already working" in result.stderr
    assert warehouse_values_containing(config.data_dir / "warehouse.duckdb", X.lower())
