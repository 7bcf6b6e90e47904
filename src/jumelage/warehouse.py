"""The DuckDB warehouse: connection, numbered migrations, transactions."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from jumelage import models, rules
from jumelage.errors import JumelageError
from jumelage.paths import sql_path

WAREHOUSE_NAME = "warehouse.duckdb"
_MIGRATION = re.compile(r"^(\d{3})_([a-z0-9_]+)\.sql$")


def migrations() -> list[tuple[int, str, Path]]:
    """(version, name, path) of every file in sql/migrations, in order."""
    found = []
    for path in sorted(sql_path("migrations").iterdir()):
        match = _MIGRATION.match(path.name)
        if match:
            found.append((int(match.group(1)), match.group(2), path))
    return found


def schema_version(con: duckdb.DuckDBPyConnection) -> int:
    # fetchall, not fetchone: DuckDB 2.0 refuses `con.sql()` while a result is unfinished.
    ((exists,),) = models.relation(con, "warehouse/has_schema_version").fetchall()
    if not exists:
        return 0
    ((version,),) = models.relation(con, "warehouse/schema_version").fetchall()
    return int(version)


def migrate(con: duckdb.DuckDBPyConnection, target: int | None = None) -> list[int]:
    """Apply pending migrations (each in its own transaction); returns the versions applied."""
    models.execute(con, "warehouse/create_schema_version")
    current = schema_version(con)
    applied = []
    for version, name, path in migrations():
        if version <= current or (target is not None and version > target):
            continue
        with transaction(con):
            con.execute(path.read_text(encoding="utf-8"))
            models.execute(
                con,
                "warehouse/record_migration",
                {"version": version, "name": name, "applied_at": utcnow()},
            )
        applied.append(version)
    return applied


def latest_version() -> int:
    return max(v for v, _, _ in migrations())


def connect(data_dir: Path, *, upgrade: bool = True) -> duckdb.DuckDBPyConnection:
    """Open `<data_dir>/warehouse.duckdb`, creating or upgrading it.

    Before upgrading an existing warehouse it is copied aside as
    `warehouse.duckdb.v<N>.bak`, so a failed upgrade can be undone by hand. The data
    directory itself must exist (`jumelage init` makes it): it is never created here.
    """
    if not data_dir.is_dir():
        raise JumelageError(f"the data directory {data_dir} does not exist")
    path = data_dir / WAREHOUSE_NAME
    existed = path.exists()
    con = duckdb.connect(str(path))
    if upgrade:
        current = schema_version(con)
        if existed and 0 < current < latest_version():
            con.execute("checkpoint").fetchall()
            con.close()
            shutil.copy2(path, path.with_name(f"{WAREHOUSE_NAME}.v{current}.bak"))
            con = duckdb.connect(str(path))
        migrate(con)
    rules.prepare(con)
    return con


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    """All or nothing: a crash inside leaves the warehouse as it was before."""
    con.execute("begin transaction")
    try:
        yield con
    except BaseException:
        con.execute("rollback")
        raise
    con.execute("commit")


def checkpoint(con: duckdb.DuckDBPyConnection) -> None:
    """Write what was committed into the file itself, for a reader that copies the file."""
    con.execute("checkpoint").fetchall()


def utcnow() -> datetime:
    """Naive UTC timestamp, as stored in the warehouse."""
    return datetime.now(UTC).replace(tzinfo=None)
