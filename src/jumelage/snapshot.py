"""The warehouse's read-only snapshot, `<data_dir>/snapshot/warehouse.duckdb`, for readers.

DuckDB lets one process hold a database file: while a night writes the warehouse nobody can
open it, not even read-only, and a coordinator's session left open on it would make the night
fail. So readers never open the live file. Whenever a command that writes the warehouse lets go
of the data directory's lock (the night, a reprocess, `emails resend`, `forget`), the warehouse
is checkpointed, copied beside the snapshot and moved over it with `os.replace`: a reader holds
either the old file or the new one, never half of one, and a reader's open session never
blocks the next copy. Any DuckDB client can open the snapshot read-only at any time.
"""

from __future__ import annotations

import logging
import os
import shutil
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from jumelage.errors import JumelageError

SNAPSHOT_DIR = "snapshot"
WAREHOUSE_NAME = "warehouse.duckdb"  # as in jumelage.warehouse (not imported: lock imports us)

log = logging.getLogger(__name__)


def snapshot_path(data_dir: Path) -> Path:
    return data_dir / SNAPSHOT_DIR / WAREHOUSE_NAME


def refresh(data_dir: Path) -> Path | None:
    """Replace the snapshot with a copy of the warehouse as it is now (None: no warehouse yet).

    The caller holds the data directory's lock, so no writer runs meanwhile. The copy is
    opened read-only once before it replaces the old snapshot: a copy that would not open
    never replaces a good one.
    """
    source = data_dir / WAREHOUSE_NAME
    if not source.is_file():
        return None
    target = snapshot_path(data_dir)
    target.parent.mkdir(exist_ok=True)
    for stale in target.parent.glob(f".{WAREHOUSE_NAME}.*.tmp"):
        stale.unlink()  # left by a command killed while copying (we hold the lock)
    tmp = target.with_name(f".{WAREHOUSE_NAME}.{os.getpid()}.tmp")
    try:
        copy_database(source, tmp)
        check = duckdb.connect(str(tmp), read_only=True)
        try:
            check.execute("select count(*) from schema_version").fetchall()
        finally:
            check.close()
        tmp.chmod(0o444)  # a reminder to any client that writes here would be lost
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
    return target


def copy_database(source: Path, target: Path, con: duckdb.DuckDBPyConnection | None = None) -> None:
    """Copy a DuckDB file that no other process writes: checkpointed first (through `con`
    when the caller holds it open, else by opening it), so that what was committed is in
    the file itself and the copy alone, without the write-ahead log, is a valid database.
    The one copy routine of the snapshot and of `jumelage whatif`."""
    if con is None:
        con = duckdb.connect(str(source))
        try:
            con.execute("checkpoint").fetchall()
        finally:
            con.close()
    else:
        con.execute("checkpoint").fetchall()
    shutil.copyfile(source, target)


def refresh_quietly(data_dir: Path) -> None:
    """`refresh`, for the lock's release: a failure leaves the previous snapshot in place and
    says so in the log, without turning a finished command into a failed one."""
    try:
        refresh(data_dir)
    except (OSError, duckdb.Error) as exc:
        log.warning("the warehouse snapshot was not refreshed (%s): readers see the last one", exc)


def taken_at(data_dir: Path) -> datetime | None:
    """When the snapshot was written (UTC), or None when there is none."""
    path = snapshot_path(data_dir)
    if not path.is_file():
        return None
    return datetime.fromtimestamp(path.stat().st_mtime, UTC).replace(tzinfo=None)


def open_snapshot(data_dir: Path) -> duckdb.DuckDBPyConnection:
    """A read-only connection to the snapshot, with the rule macros of every jumelage
    connection. A data directory with a warehouse but no snapshot yet (made by an older
    version) gets one first, unless a command holds the lock."""
    from jumelage import rules
    from jumelage.lock import data_dir_lock

    path = snapshot_path(data_dir)
    if not path.is_file() and (data_dir / WAREHOUSE_NAME).is_file():
        with data_dir_lock(data_dir):  # releasing it writes the snapshot
            pass
    if not path.is_file():
        raise JumelageError(
            f"no warehouse snapshot in {path.parent}: it is written after every run; "
            "run `jumelage run` first"
        )
    con = duckdb.connect(str(path), read_only=True)
    rules.prepare(con)
    return con
