"""Unattended nights without Prefect: an interrupted night is recorded and told, a failed
night emails the operators once, a night that could not start is reported by the next run,
and a transient failure (the lock held by another command) is retried before it counts."""

from __future__ import annotations

import fcntl
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date

import duckdb
import pytest

from jumelage import alerts, stages, warehouse
from jumelage.config import load_config
from jumelage.demo.files import write_csv
from jumelage.errors import LockedError
from jumelage.mailsink import MailSink
from jumelage.night import run_night
from jumelage.report import build_report

from .conftest import reg

D1, D2, D3 = date(2026, 9, 7), date(2026, 9, 8), date(2026, 9, 9)


@pytest.fixture
def sink(tmp_path):
    with MailSink(tmp_path / "box") as box:
        yield box


@pytest.fixture
def served(program, sink):
    """A program whose SMTP server is the sink, with operators of its own."""
    return program(f'\n[smtp]\nhost = "127.0.0.1"\nport = {sink.port}\n')


def _with_operators(config, operators):
    text = config.source.read_text(encoding="utf-8").replace(
        'coordinators = ["coord@example.org"]',
        f'coordinators = ["coord@example.org"]\noperators = {operators!r}'.replace("'", '"'),
    )
    config.source.write_text(text, encoding="utf-8")
    return load_config(config.source)


def _runs(config) -> list[tuple]:
    con = duckdb.connect(str(config.data_dir / "warehouse.duckdb"), read_only=True)
    try:
        return con.execute(
            "select cast(run_date as varchar), status, stage, attempts from runs order by 1"
        ).fetchall()
    finally:
        con.close()


@contextmanager
def _lock_held(config, seconds: float = 30.0) -> Iterator[None]:
    """Another open file description holds the data directory's lock (as another process
    would) until the block ends or `seconds` have passed."""
    acquired, release = threading.Event(), threading.Event()

    def hold() -> None:
        fd = os.open(config.data_dir / ".jumelage.lock", os.O_RDWR | os.O_CREAT)
        fcntl.flock(fd, fcntl.LOCK_EX)
        acquired.set()
        release.wait(seconds)
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)

    thread = threading.Thread(target=hold)
    thread.start()
    acquired.wait(10)
    try:
        yield
    finally:
        release.set()
        thread.join()


def _run_failed(sink) -> list:
    return [m for m in sink.messages if m["X-Jumelage-Kind"] == "run_failed"]


def _fail_at_match(night):
    def boom(_night):
        raise RuntimeError("disque plein")

    for stage in stages.STAGES:
        night.stage = stage.name
        if stage.name == "match":
            boom(night)
        night.results[stage.name] = stage.run(night)


def test_operators_default_to_the_coordinators(config):
    assert config.operators == ["coord@example.org"]
    assert _with_operators(config, ["ops@example.org"]).operators == ["ops@example.org"]


def test_failed_night_emails_the_operators_once_with_stage_error_and_command(served, sink):
    config = _with_operators(served, ["ops@example.org", "astreinte@example.org"])
    write_csv(config.data_dir / "inbox" / "inscriptions.csv", [reg(email="a@x.ca")])

    with pytest.raises(RuntimeError, match="disque plein"):
        run_night(config, D1, "nightly", _fail_at_match)
    assert _runs(config) == [("2026-09-07", "failed", "match", 1)]
    told = _run_failed(sink)
    assert sorted(m["To"] for m in told) == ["astreinte@example.org", "ops@example.org"]
    body = told[0].get_body(("plain",)).get_content()
    assert "a échoué à l'étape « match »" in body
    assert "RuntimeError: disque plein" in body
    assert f"jumelage run --config {config.source} --date 2026-09-07" in body
    assert "La nuit du 7 septembre 2026 a échoué" in told[0]["Subject"]

    # the next night succeeds: nobody is told again, and its report lists the night to redo
    run_night(config, D2, "nightly", lambda n: stages.run(n, skip=("report",)))
    assert len(_run_failed(sink)) == 2
    con = warehouse.connect(config.data_dir)
    try:
        report = build_report(con, config, D2)
    finally:
        con.close()
    assert report.numbers["todo_runs"] == 1
    assert 'data-table="todo_runs"' in report.html and "2026-09-07" in report.html
    assert _runs(config) == [
        ("2026-09-07", "failed", "match", 1),
        ("2026-09-08", "succeeded", None, 1),
    ]


def test_a_dead_night_becomes_interrupted_and_is_told_by_the_next(served, sink):
    config = served
    con = warehouse.connect(config.data_dir)
    # what a SIGKILL leaves: the row of D1 `running`, nobody holding the lock
    con.execute(
        "insert into runs (run_date, kind, started_at, status) "
        "values ('2026-09-07', 'nightly', now(), 'running')"
    )
    con.close()

    run_night(config, D2, "nightly", lambda n: stages.run(n, skip=("report", "send_report")))
    runs = _runs(config)
    assert runs[0][:2] == ("2026-09-07", "interrupted")
    assert runs[1][:2] == ("2026-09-08", "succeeded")
    (told,) = _run_failed(sink)
    assert told["To"] == "coord@example.org"
    assert "a été interrompue" in told["Subject"]
    assert "Rien n'est perdu" in told.get_body(("plain",)).get_content()


def test_a_night_that_could_not_start_is_reported_by_the_next_run(served, sink):
    config = served
    warehouse.connect(config.data_dir).close()
    # the lock is held by another command for longer than the night waits
    with _lock_held(config), pytest.raises(LockedError):
        run_night(config, D1, "nightly", stages.run, retry_for=0.3, first_delay=0.1)
    (record,) = alerts.pending_records(config)
    assert record[1].stage == "start" and "LockedError" in record[1].error
    assert _run_failed(sink) == []  # the lock was held: nothing could be written or sent then

    run_night(config, D2, "nightly", lambda n: stages.run(n, skip=("report", "send_report")))
    assert alerts.pending_records(config) == []
    assert [r[:3] for r in _runs(config)] == [
        ("2026-09-07", "failed", "start"),
        ("2026-09-08", "succeeded", None),
    ]
    (told,) = _run_failed(sink)
    assert "n'a pas pu démarrer" in told.get_body(("plain",)).get_content()


def test_broken_configuration_is_reported_once_it_is_fixed(served, sink):
    from jumelage.flow import _config

    good = served.source.read_text(encoding="utf-8")
    served.source.write_text(good + "\n[program\n", encoding="utf-8")
    with pytest.raises(Exception, match="not valid TOML"):
        _config(str(served.source), D1, "nightly")
    served.source.write_text(good, encoding="utf-8")
    config = load_config(served.source)
    run_night(config, D2, "nightly", lambda n: stages.run(n, skip=("report", "send_report")))
    assert _runs(config)[0][:3] == ("2026-09-07", "failed", "start")
    (told,) = _run_failed(sink)
    assert "not valid TOML" in told.get_body(("plain",)).get_content()


def test_lock_held_for_a_while_is_retried_then_the_night_runs(served):
    config = served
    warehouse.connect(config.data_dir).close()
    with _lock_held(config, seconds=0.8):  # by another command, briefly
        run_night(
            config, D3, "nightly", lambda n: stages.run(n, skip=("report", "send_report")),
            retry_for=30, first_delay=0.2,
        )  # fmt: skip
    assert _runs(config) == [("2026-09-09", "succeeded", None, 1)]
    assert alerts.pending_records(config) == []
