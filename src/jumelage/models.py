"""A tiny model runner, in the spirit of dbt's `ref()`: SQL models are composed by name.

A model is one file of `sql/`, one query. Its header names the models it reads:

    -- reads: matching/waiting_mentees, rules/blocked_pairs

and its body selects from them by their object name (the file's stem, e.g.
`waiting_mentees`). Python asks for a model by name; the runner builds what it reads first,
binds the parameters the model uses (`$name`), and either returns the query as a relation,
keeps it as a temporary view (evaluated where it is read: big pair sets are never stored) or
materializes it (small tables read many times). SQL text is never spliced or formatted.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

import duckdb
import polars as pl
import pyarrow as pa

from jumelage.paths import read_sql

_READS = re.compile(r"^--\s*reads:\s*(.+)$", re.MULTILINE)
_PARAM = re.compile(r"\$([a-z_][a-z0-9_]*)")
_COMMENT = re.compile(r"--[^\n]*")


@dataclass(frozen=True)
class Model:
    name: str  # path under sql/ without .sql, e.g. "rules/pair_checks"
    sql: str
    reads: tuple[str, ...]  # the models it reads, by name
    params: frozenset[str]  # the $parameters it binds

    @property
    def object_name(self) -> str:
        """The name other models select from."""
        return self.name.rsplit("/", 1)[-1]


@cache
def model(name: str) -> Model:
    """Load `sql/<name>.sql` and its header."""
    sql = read_sql(f"{name}.sql")
    reads = tuple(
        dep.strip() for line in _READS.findall(sql) for dep in line.split(",") if dep.strip()
    )
    params = frozenset(_PARAM.findall(_COMMENT.sub("", sql)))
    return Model(name, sql, reads, params)


def _bound(m: Model, params: Mapping[str, Any]) -> dict[str, Any]:
    missing = m.params - params.keys()
    if missing:
        raise KeyError(f"model {m.name} needs parameter(s) {', '.join(sorted(missing))}")
    return {k: params[k] for k in m.params}


def relation(
    con: duckdb.DuckDBPyConnection,
    name: str,
    params: Mapping[str, Any] | None = None,
    *,
    build: bool = True,
) -> duckdb.DuckDBPyRelation:
    """The model's query as a relation (after building the models it reads, if `build`)."""
    m = model(name)
    params = params or {}
    if build:
        build_all(con, m.reads, params)
    return con.sql(m.sql, params=_bound(m, params))


def frame(
    con: duckdb.DuckDBPyConnection,
    name: str,
    params: Mapping[str, Any] | None = None,
    **options: Any,
) -> pl.DataFrame:
    """The model's rows as a polars frame (`options`: as for `relation`)."""
    return relation(con, name, params, **options).pl()


def rows(
    con: duckdb.DuckDBPyConnection, name: str, params: Mapping[str, Any] | None = None
) -> tuple[list[str], list[tuple[Any, ...]]]:
    """The model's column names and rows, as DuckDB's own Python values (lists, dates, JSON
    text). Run like a statement, through `execute`: unlike a relation, it runs even while the
    connection holds a caller's unfinished result (which it then replaces)."""
    m = model(name)
    params = params or {}
    build_all(con, m.reads, params)
    cursor = con.execute(m.sql, _bound(m, params))
    names = [d[0] for d in cursor.description or []]
    return names, cursor.fetchall()


def execute(
    con: duckdb.DuckDBPyConnection, name: str, params: Mapping[str, Any] | None = None
) -> int:
    """Run a model that is a statement (an update or insert owned by its module); returns
    how many rows it changed, as DuckDB reports it (0 when the statement reports nothing)."""
    m = model(name)
    params = params or {}
    build_all(con, m.reads, params)
    rows = con.execute(m.sql, _bound(m, params)).fetchall()
    return int(rows[0][0]) if rows and rows[0] and isinstance(rows[0][0], int) else 0


def materialize(
    con: duckdb.DuckDBPyConnection,
    name: str,
    params: Mapping[str, Any] | None = None,
    *,
    build: bool = True,
    as_name: str | None = None,
    view: bool = False,
) -> str:
    """Keep the model under its object name (or `as_name`): its rows, computed once, or with
    `view` the query itself, re-evaluated where it is read (pairs too many to store)."""
    target = as_name or model(name).object_name
    rel = relation(con, name, params, build=build)
    put(con, target, rel if view else rel.to_arrow_table())
    return target


def put(
    con: duckdb.DuckDBPyConnection, name: str, table: pa.Table | duckdb.DuckDBPyRelation | Any
) -> None:
    """Make rows readable by models under `name`: an Arrow table, a polars frame, or a
    relation (then a view, evaluated where it is read)."""
    if hasattr(table, "to_arrow") and not isinstance(table, duckdb.DuckDBPyRelation):
        table = table.to_arrow()
    drop(con, [name])
    con.register(name, table)


def drop(con: duckdb.DuckDBPyConnection, names: Iterable[str]) -> None:
    """Forget objects made by this runner (views and registered tables)."""
    for name in names:
        con.unregister(name)


def build_all(
    con: duckdb.DuckDBPyConnection, names: Iterable[str], params: Mapping[str, Any]
) -> None:
    """Materialize each named model (after what it reads), each once."""
    done: set[str] = set()

    def build(name: str) -> None:
        if name in done:
            return
        m = model(name)
        for dep in m.reads:
            build(dep)
        materialize(con, name, params, build=False)
        done.add(name)

    for name in names:
        build(name)
