"""`jumelage sql`: one query or a shell on the snapshot, in table, CSV or JSON; and every
query of the README runs through it on a warehouse like the demo's."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest

from jumelage import warehouse
from jumelage.cli import main
from jumelage.cli_sql import shell
from jumelage.lock import data_dir_lock
from jumelage.snapshot import open_snapshot
from tests.report.program import script

README = Path(__file__).parents[1] / "README.md"


@pytest.fixture
def demo_like(config):
    """The report tests' scripted program (every table has rows), and its snapshot."""
    with data_dir_lock(config.data_dir):
        con = warehouse.connect(config.data_dir)
        with warehouse.transaction(con):
            script(con)
        con.close()
    return config


def sql(config, *argv):
    return main(["sql", "--config", str(config.source), *argv])


def readme_queries() -> list[str]:
    text = README.read_text(encoding="utf-8")
    blocks = re.findall(r"```sql\n(.*?)```", text, re.S)
    queries = [q.strip() for b in blocks for q in b.split(";") if q.strip()]
    queries += re.findall(r'jumelage sql [^"\n]*"([^"]+)"', text)
    return queries


def test_every_readme_query_runs_on_the_snapshot(demo_like, capsys):
    queries = readme_queries()
    assert len(queries) >= 6
    for query in queries:
        assert sql(demo_like, "--format", "json", query) == 0, query
        rows = json.loads(capsys.readouterr().out)
        assert isinstance(rows, list)
    assert sql(demo_like, "select count(*) as n from emails") == 0
    assert re.search(r"^\d+$", capsys.readouterr().out.splitlines()[2].strip())


def test_formats_print_every_value_whole(demo_like, capsys):
    query = "select email_key, recipient, last_error from emails order by email_key"
    con = open_snapshot(demo_like.data_dir)
    expected = con.sql(query).fetchall()
    con.close()
    assert sql(demo_like, query) == 0
    table = capsys.readouterr().out
    assert all(key in table for key, _, _ in expected)
    assert sql(demo_like, "--format", "csv", query) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "email_key,recipient,last_error" and len(lines) == len(expected) + 1
    assert sql(demo_like, "--format", "json", query) == 0
    assert [tuple(r.values()) for r in json.loads(capsys.readouterr().out)] == expected


def test_the_snapshot_refuses_writes_and_bad_sql_exits_1(demo_like, capsys):
    assert sql(demo_like, "delete from emails") == 1
    assert "read-only" in capsys.readouterr().err
    assert sql(demo_like, "select from where") == 1
    assert "jumelage: error:" in capsys.readouterr().err


def test_the_shell_reads_statements_ending_with_a_semicolon(demo_like):
    con = open_snapshot(demo_like.data_dir)
    try:
        stdin = io.StringIO(
            "select 1 as one;\nselect 'a;b' as two,\n  2 as three\n;\n"
            "select 4 as four; select 5 as five;\nselect 6 as six"
        )
        out = io.StringIO()
        assert shell(con, "csv", stdin, out) == 0
        assert out.getvalue().split() == ["one", "1", "two,three", "a;b,2", "four", "4",
                                          "five", "5", "six", "6"]  # fmt: skip
        out = io.StringIO()
        assert shell(con, "table", io.StringIO("select nope;\nselect 7 as x;\n"), out) == 1
        assert "7" in out.getvalue()  # a failed statement does not stop the shell
        assert shell(con, "table", io.StringIO(".quit\nselect 8;\n"), io.StringIO()) == 0
    finally:
        con.close()


def test_sql_without_a_snapshot_or_a_warehouse_says_so(config, capsys):
    assert sql(config, "select 1") == 1
    assert "no warehouse snapshot" in capsys.readouterr().err
