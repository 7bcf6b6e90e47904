"""One night of the pipeline: the warehouse connection and the `runs` record around it.

`runs` has one row per date; its status is `running`, `succeeded`, `failed` (a stage raised,
or the night could not start) or `interrupted` (the process was stopped or died mid-run).
`run_night` adds what an unattended night needs: transient failures (the lock held by
another command, a warehouse held by a reader, a network error) are retried with backoff for
a bounded time, and a night that still fails is told to the operators (`jumelage.alerts`).
"""

from __future__ import annotations

import logging
import signal
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import duckdb

from jumelage import alerts, models, warehouse
from jumelage.config import Config
from jumelage.errors import LockedError
from jumelage.lock import data_dir_lock

log = logging.getLogger(__name__)

INTERRUPTED = (
    "interrupted: the process stopped before the night finished "
    "(killed, service stopped or machine restarted)"
)
START = "start"  # the stage of a night that could not start
RETRY_FOR = 30 * 60.0  # seconds: how long a transient failure is retried before it counts
FIRST_DELAY = 15.0  # seconds before the first retry; doubled each time, at most MAX_DELAY
MAX_DELAY = 300.0


@dataclass
class Night:
    config: Config
    run_date: date
    con: duckdb.DuckDBPyConnection
    kind: str = "nightly"
    results: dict[str, Any] = field(default_factory=dict)  # what each stage returned
    stage: str | None = None  # the stage running now, for the runs row if it fails


def today(config: Config) -> date:
    """Today in the program's time zone (the default run date)."""
    return datetime.now(config.tz).date()


def _recover(
    con: duckdb.DuckDBPyConnection, config: Config, run_date: date, *, redoing: bool
) -> list[Any]:
    """What earlier nights left, recorded and told (call inside a transaction, under the lock).

    Under the lock no other run is going on, so a `running` row was left by a dead process:
    it becomes `interrupted`. Failure records of nights that could not start become `failed`
    rows. Every unfinished night of the last weeks gets its `run_failed` email queued (once),
    but `run_date`'s own when it is `redoing` (starting again now).
    Returns the failure records' paths, to delete once the transaction is committed.
    """
    records = alerts.pending_records(config)
    _, stale = models.rows(con, "runs/stale")
    if stale:
        models.execute(con, "runs/interrupt", {"error": INTERRUPTED})
        for (day,) in stale:
            log.warning("the night of %s was interrupted; recorded as such", day)
    for _, record in records:
        models.execute(con, "runs/not_started", record.params())
    alerts.queue_run_failed(con, config, run_date, redoing=run_date if redoing else None)
    return [path for path, _ in records]


def _start(con: duckdb.DuckDBPyConnection, config: Config, run_date: date, kind: str) -> None:
    """Recover what earlier nights left, then mark this one `running`, in one transaction."""
    with warehouse.transaction(con):
        done = _recover(con, config, run_date, redoing=True)
        models.execute(
            con,
            "runs/start",
            {"run_date": run_date, "kind": kind, "started_at": warehouse.utcnow()},
        )
    for path in done:
        path.unlink(missing_ok=True)


def tell_operators(config: Config, run_date: date) -> bool:
    """Right after a night failed: record it, queue its `run_failed` emails and send them.

    Takes the data directory's lock again (without waiting) and opens the warehouse; when
    either is impossible, the failure record and the `runs` row wait for the next run.
    Never raises: the alert must not hide the night's own error. Returns whether all went.
    """
    from jumelage.notify import outbox, send_queued
    from jumelage.vocabulary import EmailKind

    try:
        with data_dir_lock(config.data_dir):
            con = warehouse.connect(config.data_dir)
            try:
                with warehouse.transaction(con):
                    done = _recover(con, config, run_date, redoing=False)
                for path in done:
                    path.unlink(missing_ok=True)
                keys = [
                    row["email_key"]
                    for row in outbox.queued(con, None)
                    if row["kind"] == EmailKind.RUN_FAILED
                ]
                stats = send_queued(con, config, run_date=run_date, keys=keys)
            finally:
                con.close()
    except Exception as exc:
        log.error("could not tell the operators now (the next run will): %s", exc)
        return False
    return not stats.still_queued and not stats.failed


def _finish(
    con: duckdb.DuckDBPyConnection,
    run_date: date,
    status: str,
    stage: str | None = None,
    error: str | None = None,
) -> None:
    models.execute(
        con,
        "runs/finish",
        {
            "run_date": run_date,
            "finished_at": warehouse.utcnow(),
            "status": status,
            "stage": stage,
            "error": error,
        },
    )


def describe(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"[:2000]


def ignore_sigterm() -> None:
    """Once stopping: a second SIGTERM (the runner's parent exits and terminates its
    children) must not cut the few writes that record the interruption."""
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, signal.SIG_IGN)


def stopped(exc: BaseException) -> str:
    """What stopped the night: `interrupted: stopped by SIGTERM (TerminationSignal)`."""
    number = getattr(exc, "signal", None)
    how = signal.Signals(number).name if isinstance(number, int) else type(exc).__name__
    return f"interrupted: stopped by {how} ({type(exc).__name__})"


@contextmanager
def open_night(config: Config, run_date: date, kind: str = "nightly") -> Iterator[Night]:
    """Lock the data directory, open the warehouse and record the run's outcome in `runs`.

    A stage that raises marks the run `failed` with the stage and its error; a signal
    (SIGTERM, Ctrl-C) marks it `interrupted`. Each stage commits its own writes, so the next
    run (or a retry of the same date) starts from a consistent state.
    """
    with data_dir_lock(config.data_dir):
        con = warehouse.connect(config.data_dir)
        try:
            _start(con, config, run_date, kind)
            night = Night(config, run_date, con, kind)
            try:
                yield night
            except Exception as exc:
                _finish(con, run_date, "failed", night.stage, describe(exc))
                raise
            except BaseException as exc:  # SIGTERM (Prefect's TerminationSignal), Ctrl-C
                ignore_sigterm()
                _finish(con, run_date, "interrupted", night.stage, stopped(exc))
                raise
            _finish(con, run_date, "succeeded")
        finally:
            con.close()


def transient(exc: BaseException) -> bool:
    """Worth another try a little later: somebody else holds the data directory or the
    warehouse (a command, a coordinator's DuckDB session), or the network failed."""
    if isinstance(exc, LockedError | ConnectionError | TimeoutError | socket.gaierror):
        return True
    return isinstance(exc, duckdb.IOException) and "lock" in str(exc).lower()


def run_night(
    config: Config,
    run_date: date,
    kind: str,
    stages: Callable[[Night], Any],
    *,
    retry_for: float = RETRY_FOR,
    first_delay: float = FIRST_DELAY,
) -> Night:
    """Run `stages` on the night of `run_date`: retried while the failure is transient (for
    `retry_for` seconds at most), and told to the operators when it fails for good."""
    deadline = time.monotonic() + retry_for
    delay = first_delay
    while True:
        started = False
        try:
            with open_night(config, run_date, kind) as night:
                started = True
                stages(night)
            return night
        except Exception as exc:
            if transient(exc) and time.monotonic() + delay <= deadline:
                log.warning("night of %s: %s; trying again in %.0f s", run_date, exc, delay)
                time.sleep(delay)
                delay = min(delay * 2, MAX_DELAY)
                continue
            if not started:  # no runs row says so: leave a record for the next run
                alerts.record_failure(config.source, run_date, kind, START, describe(exc))
            tell_operators(config, run_date)
            raise
        # Stopped (SIGTERM, Ctrl-C): the runs row says `interrupted` and the process exits at
        # once (systemctl stop waits for it); the next run tells the operators.
