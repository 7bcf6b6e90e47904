"""`jumelage sql [QUERY]`: the warehouse's read-only snapshot, one query or a small shell.

It opens `<data_dir>/snapshot/warehouse.duckdb` (written after every command that writes the
warehouse, see `jumelage.snapshot`), never the live file: it works while a night runs, and a
session left open never blocks the next night. Wired into the main parser by
``register(subparsers)``; the handler takes (args, config).
"""

from __future__ import annotations

import argparse
import sys
from typing import Any, TextIO

import duckdb

from jumelage.cli_command import add_command
from jumelage.config import Config
from jumelage.tabular import FORMATS, render

QUIT = {".quit", ".exit", "\\q", "quit", "exit"}


def run_statements(
    con: duckdb.DuckDBPyConnection, text: str, fmt: str, out: TextIO, err: TextIO
) -> bool:
    """Run each statement of `text`, printing the rows of those that return some; a failing
    statement prints its error and stops the rest. True when all ran."""
    try:
        for statement in duckdb.extract_statements(text):
            cursor = con.execute(statement.query)
            if cursor.description is None:
                continue
            names = [d[0] for d in cursor.description]
            out.write(render(names, cursor.fetchall(), fmt))
    except duckdb.Error as exc:
        err.write(f"jumelage: error: {exc}\n")
        return False
    return True


def shell(con: duckdb.DuckDBPyConnection, fmt: str, stdin: TextIO, out: TextIO) -> int:
    """Read statements ending with `;` (over several lines if need be) and run each when it
    is complete; `.quit` or end of input leaves. Prompts only on a terminal, so that a file of
    statements can be piped in. Exit 1 when a statement failed and input was not a terminal."""
    interactive = stdin.isatty()
    if interactive:
        out.write("read-only snapshot of the warehouse; end statements with ';', .quit to leave\n")
    buffer: list[str] = []
    ok = True
    while True:
        if interactive:
            out.write("jumelage> " if not buffer else "     ...> ")
            out.flush()
        line = stdin.readline()
        if not line:
            break
        if not buffer and line.strip() in QUIT:
            break
        buffer.append(line)
        if line.rstrip().endswith(";"):
            ok = run_statements(con, "".join(buffer), fmt, out, sys.stderr) and ok
            buffer = []
    if "".join(buffer).strip():
        ok = run_statements(con, "".join(buffer), fmt, out, sys.stderr) and ok
    return 0 if ok or interactive else 1


def cmd_sql(args: argparse.Namespace, config: Config) -> int:
    """query the warehouse's read-only snapshot (works while a night runs)

    Run QUERY on the read-only snapshot of the warehouse
    (<data_dir>/snapshot/warehouse.duckdb, replaced after every run) and print its rows;
    without QUERY, read statements ending with ';' from standard input (a terminal or a
    file). Any DuckDB client can open the snapshot too.
    """
    from jumelage.snapshot import open_snapshot

    con = open_snapshot(config.data_dir)
    try:
        if args.query is not None:
            return 0 if run_statements(con, args.query, args.format, sys.stdout, sys.stderr) else 1
        return shell(con, args.format, sys.stdin, sys.stdout)
    finally:
        con.close()


def register(subparsers: Any) -> argparse.ArgumentParser:
    """Add `sql [QUERY]` to the main parser's subparsers."""
    parser = add_command(subparsers, "sql", cmd_sql)
    parser.add_argument("query", nargs="?", default=None, metavar="QUERY", help="SQL to run")
    parser.add_argument(
        "--format", choices=FORMATS, default="table", help="output format (default: table)"
    )
    return parser
