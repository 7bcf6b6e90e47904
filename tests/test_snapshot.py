"""The warehouse's read-only snapshot: replaced after every command that writes, readable by
any DuckDB client at any time, even while a night holds the live file."""

from __future__ import annotations

import subprocess
import sys
from datetime import date

import duckdb

from jumelage import warehouse
from jumelage.lock import data_dir_lock
from jumelage.snapshot import open_snapshot, snapshot_path
from tests.conftest import reg
from tests.nights import run_night

DAY = date(2026, 3, 2)

READER = """
import sys, duckdb
con = duckdb.connect(sys.argv[1], read_only=True)
print(con.sql(sys.argv[2]).fetchall()[0][0], flush=True)
if len(sys.argv) > 3:  # keep the session open until told to stop
    sys.stdin.readline()
"""


def read_in_another_process(path, query, *, stay=False):
    args = [sys.executable, "-c", READER, str(path), query] + (["stay"] if stay else [])
    if stay:
        proc = subprocess.Popen(args, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        return proc, proc.stdout.readline().strip()
    out = subprocess.run(args, capture_output=True, text=True, check=True)
    return out.stdout.strip()


def participants(config, *rows):
    from jumelage.demo.files import write_csv

    write_csv(config.data_dir / "inbox" / f"inscriptions-{len(rows)}.csv", list(rows))


def test_a_night_leaves_a_snapshot_that_other_processes_read_while_the_warehouse_is_held(config):
    participants(config, reg(email="a@x.ca"))
    run_night(config, DAY)
    snap = snapshot_path(config.data_dir)
    assert snap.is_file() and not (snap.stat().st_mode & 0o222)  # read-only
    assert [p.name for p in snap.parent.iterdir()] == ["warehouse.duckdb"]  # no temp file left

    # a night in progress: this process holds the live file (and the lock)
    with data_dir_lock(config.data_dir):
        con = warehouse.connect(config.data_dir)
        try:
            live = str(config.data_dir / "warehouse.duckdb")
            failed = subprocess.run(
                [sys.executable, "-c", READER, live, "select 1"], capture_output=True, text=True
            )
            assert failed.returncode != 0  # DuckDB: nobody else opens the live file
            assert read_in_another_process(snap, "select count(*) from participants") == "1"
            assert read_in_another_process(snap, "select count(*) from runs") == "1"
            cli = subprocess.run(
                [sys.executable, "-m", "jumelage.cli", "sql", "--config", str(config.source),
                 "--format", "csv", "select email from participants"],
                capture_output=True, text=True, timeout=120,
            )  # fmt: skip
            assert cli.returncode == 0, cli.stderr
            assert cli.stdout == "email\na@x.ca\n"
        finally:
            con.close()


def test_an_open_reader_never_blocks_the_next_night_and_sees_it_after_reopening(config):
    participants(config, reg(email="a@x.ca"))
    run_night(config, DAY)
    snap = snapshot_path(config.data_dir)
    proc, first = read_in_another_process(snap, "select count(*) from participants", stay=True)
    try:
        assert first == "1"
        participants(config, reg(email="a@x.ca"), reg(email="b@x.ca"))
        run_night(config, date(2026, 3, 3))  # the reader still holds the old snapshot open
    finally:
        proc.communicate("\n", timeout=30)
    assert read_in_another_process(snap, "select count(*) from participants") == "2"
    assert read_in_another_process(snap, "select count(*) from runs") == "2"


def test_every_writer_refreshes_it_when_it_lets_go_of_the_lock(config):
    con = warehouse.connect(config.data_dir)
    con.close()
    with data_dir_lock(config.data_dir):  # e.g. `emails resend`, `forget`
        con = warehouse.connect(config.data_dir)
        con.execute("insert into pair_rules values ('a@x.ca', 'b@x.ca', 'excluded', 'test', "
                    "date '2026-03-02', null)").fetchall()  # fmt: skip
        con.close()
        with data_dir_lock(config.data_dir):  # nested: only the outermost release copies
            pass
        assert not snapshot_path(config.data_dir).exists()
    reader = open_snapshot(config.data_dir)
    try:
        assert reader.sql("select count(*) from pair_rules").fetchall() == [(1,)]
        # the rules' macros are there, as on every jumelage connection
        assert reader.sql("select region_key('Montréal')").fetchall()[0][0]
        try:
            reader.execute("delete from pair_rules")
            raise AssertionError("the snapshot accepted a write")
        except duckdb.Error as exc:
            assert "read-only" in str(exc)
    finally:
        reader.close()


def test_a_warehouse_without_a_snapshot_gets_one_on_first_read(config):
    con = warehouse.connect(config.data_dir)  # as an older version left it: no snapshot
    con.close()
    assert not snapshot_path(config.data_dir).exists()
    reader = open_snapshot(config.data_dir)
    reader.close()
    assert snapshot_path(config.data_dir).is_file()
