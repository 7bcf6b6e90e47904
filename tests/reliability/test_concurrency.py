"""Two `jumelage run` processes started together on one data directory, again and again:
one does the night, the other exits 3 at once with a clear message; the warehouse always
opens and is consistent (each night recorded once, every file's rows accounted for, no
email twice).

JUMELAGE_CONCURRENCY_CYCLES sets the number of cycles: 5 in the normal suite, 20 in
`make reliability`.
"""

from __future__ import annotations

import os
import subprocess
import time
from datetime import date, timedelta

import duckdb
import pytest

from jumelage.demo.files import write_csv
from jumelage.mailsink import MailSink, free_port

from .helpers import JUMELAGE, ROOT, prefect_env, tiny_program

CYCLES = int(os.environ.get("JUMELAGE_CONCURRENCY_CYCLES", "5"))

pytestmark = pytest.mark.prefect


def _start(config, day: date, env: dict[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [*JUMELAGE, "run", "--config", str(config.source), "--date", day.isoformat()],
        env={**os.environ, **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )


def _consistent(db) -> None:
    con = duckdb.connect(str(db), read_only=True)
    try:
        bad_files = con.execute(
            "select name from files where rows_read <> rows_accepted + rows_quarantined "
            "+ rows_superseded"
        ).fetchall()
        runs = con.execute("select status, count(*) from runs group by all").fetchall()
        twice = con.execute(
            "select message_id from emails group by all having count(*) > 1"
        ).fetchall()
        pending = con.execute(
            "select count(*) from emails where status in ('sending', 'uncertain')"
        ).fetchall()
    finally:
        con.close()
    assert bad_files == [] and twice == [] and pending == [(0,)]
    assert all(status == "succeeded" for status, _ in runs), runs


def test_two_runs_together_one_works_one_exits_3(prefect_harness, program, tmp_path):
    port = free_port()
    config = program(f'[smtp]\nhost = "127.0.0.1"\nport = {port}\n')
    inbox = config.data_dir / "inbox"
    env = {"PREFECT_LOGGING_LEVEL": "WARNING", **prefect_env()}
    first = date(2026, 1, 10)
    with MailSink(tmp_path / "sink", port=port) as sink:
        for cycle in range(CYCLES):
            day = first + timedelta(days=cycle)
            write_csv(inbox / f"inscriptions-{cycle:02d}.csv",
                      tiny_program(1, 1, submitted_at=day.isoformat()) if cycle == 0 else
                      [dict(tiny_program(1, 0)[0], email=f"late{cycle}@x.ca")])  # fmt: skip
            a, b = _start(config, day, env), _start(config, day, env)
            started = time.monotonic()
            outs = [p.communicate(timeout=300) for p in (a, b)]
            codes = sorted(p.returncode for p in (a, b))
            assert codes == [0, 3], (cycle, codes, outs)
            loser = outs[[a, b].index(a if a.returncode == 3 else b)]
            assert "already working on" in loser[1] and "wait for it to finish" in loser[1]
            assert loser[0] == ""  # nothing done, nothing printed
            assert time.monotonic() - started < 300
            _consistent(config.data_dir / "warehouse.duckdb")
        keys = [m["X-Jumelage-Key"] for m in sink.messages]
        assert len(keys) == len(set(keys)) and len(sink.message_ids()) == len(
            set(sink.message_ids())
        )
    con = duckdb.connect(str(config.data_dir / "warehouse.duckdb"), read_only=True)
    assert con.execute("select count(*) from runs").fetchall() == [(CYCLES,)]
    con.close()
