"""A table has one owner (STYLE.md; issue 13): `participants`, `proposals`, `relationships`,
`flags` and `dismissals` are written only by their module of `jumelage.tables`, `emails` only by
`jumelage.notify.outbox`, `files` and `quarantine` only by `jumelage.validate.records`; the
stages and `jumelage forget` call them.

Writes are found by their text, case-insensitively: `insert into T` (also `insert or replace
into`), `update T`, `delete from T`, `merge into T`, `truncate T`, `copy T from`, in the string
literals of every Python module of `src/` and in every SQL file of `sql/` (comments left out).
No module writes these tables with SQL of its own, the owners included: their statements are
models. A SQL file is attributed to the module that runs it: one that writes T must live in
`sql/tables/T/`, and the models of `sql/tables/T/` may be named only by T's owner.

Two things are left out on purpose:
- `sql/migrations/`: the schema itself (they create the tables and may rewrite their rows on
  an upgrade, as 008 does for `quarantine.reason_codes`), applied by `jumelage.warehouse`
  before any stage runs;
- the last sweep of `jumelage forget`, which rewrites every text cell naming the person in
  every table through a name read from the catalogue: erasure must reach tables added later.
  It names no table, so the text search cannot see it; the check of writes to an interpolated
  table name allows it, and it alone.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SRC = ROOT / "src" / "jumelage"
SQL = ROOT / "sql"

#: Each table and the one module that writes it.
OWNERS = {
    **{
        t: SRC / "tables" / f"{t}.py"
        for t in ("participants", "proposals", "relationships", "flags", "dismissals")
    },
    "emails": SRC / "notify" / "outbox.py",
    "files": SRC / "validate" / "records.py",
    "quarantine": SRC / "validate" / "records.py",
    "inbound_messages": SRC / "mail_in" / "inbound.py",
}

_VERB = (
    r"\b(?:insert\s+(?:or\s+(?:replace|ignore)\s+)?into|update|delete\s+from|merge\s+into"
    r"|truncate(?:\s+table)?)\s+"
)
_TABLE = r"(?:\"?main\"?\s*\.\s*)?\"?(" + "|".join(OWNERS) + r")\"?(?![\w.])"
WRITE = re.compile(_VERB + _TABLE + "|" + r"\bcopy\s+" + _TABLE + r"\s+from\b", re.IGNORECASE)
#: A write to a table whose name is interpolated (`update "{table}"`, `insert into {table}`).
DYNAMIC = re.compile(_VERB + r"\"?\{", re.IGNORECASE)
#: A model of an owned table, as Python names it: `models.execute(con, "tables/emails/claim_batch")`.
MODEL = re.compile(r"\btables/(" + "|".join(OWNERS) + r")/")

#: Modules that write to an interpolated table name, and why that is allowed.
DYNAMIC_WRITERS = {
    # `jumelage forget`'s last sweep: every text column of every table, by design (above).
    "forget.py": "erasure reaches every table, tables added later included",
}

#: Not scanned, see the module docstring.
SQL_EXCLUDED = ("migrations",)


def _strings(path: Path) -> list[str]:
    """The string literals of a module (implicit concatenations joined by the parser), an
    f-string's interpolated parts written `{}`."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            found.append(node.value)
        elif isinstance(node, ast.JoinedStr):
            found.append(
                "".join(
                    v.value if isinstance(v, ast.Constant) else "{}"
                    for v in node.values
                    if isinstance(v, ast.Constant | ast.FormattedValue)
                )
            )
    return found


def _sql_text(path: Path) -> str:
    """A SQL file without its `--` comments (prose may say "update")."""
    return re.sub(r"--[^\n]*", "", path.read_text(encoding="utf-8"))


def _python_modules() -> list[Path]:
    return sorted(p for p in SRC.rglob("*.py") if "__pycache__" not in p.parts)


def _sql_files() -> list[Path]:
    # src/jumelage/sql is a symlink to sql/: the files are read once, from sql/
    return sorted(p for p in SQL.rglob("*.sql") if p.relative_to(SQL).parts[0] not in SQL_EXCLUDED)


def written(text: str) -> set[str]:
    """The owned tables that a piece of SQL text writes."""
    return {(m.group(1) or m.group(2)).lower() for m in WRITE.finditer(text)}


def _models_named(path: Path) -> set[str]:
    """The models of sql/tables/ that a module names, e.g. `tables/emails/claim_batch`."""
    return {
        m.group(0) for s in _strings(path) for m in re.finditer(r"\btables/[a-z_]+/[a-z_]+\b", s)
    }


def test_the_detector_sees_writes_and_only_writes() -> None:
    assert written("update emails set status = 'sent'") == {"emails"}
    assert written("UPDATE\n    Files\nSET status = $s") == {"files"}
    assert written('insert into "quarantine" (row_number) values (1)') == {"quarantine"}
    assert written("insert or replace into main.emails select 1") == {"emails"}
    assert written("delete from files where true; merge into quarantine using x") == {
        "files",
        "quarantine",
    }
    assert written("truncate emails; copy quarantine from 'q.csv'") == {"emails", "quarantine"}
    assert written("insert into quarantine by name select * from new_quarantine") == {"quarantine"}
    assert not written("select * from emails where status = 'queued'")
    assert not written("select sha256 from files")
    assert not written("update files_backup set x = 1; copy emails to 'e.csv'")
    assert not written("update files.status")  # a column, not a table
    assert not written("update emails_sent set x = 1; delete from quarantined_rows")
    assert DYNAMIC.search('update "{}" set "{}" = ? where rowid = ?')
    assert DYNAMIC.search("insert into {} by name select * from _incoming")
    assert DYNAMIC.search("delete from {} where {} = ? and file_sha256 = ?")
    assert written("update participants set status = 'x'") == {"participants"}
    assert written("UPDATE\n    Proposals\nSET status = $s") == {"proposals"}
    assert written('insert into "flags" (flag_id) values (1)') == {"flags"}
    assert written("insert or replace into main.relationships select 1") == {"relationships"}
    assert written("delete from flags where true; merge into proposals using x") == {
        "flags",
        "proposals",
    }
    assert written("truncate participants; copy flags from 'f.csv'") == {"participants", "flags"}
    assert not written("select * from participants where status = 'active'")
    assert not written("on conflict (email, role) do update set status = excluded.status")
    assert not written("update participants_backup set x = 1; copy flags to 'f.csv'")
    assert not written("update participants.status")  # a column, not a table


def test_each_owner_writes_its_table() -> None:
    """Not a vacuous check: the writes are where they should be, and their owner runs them."""
    for table, owner in OWNERS.items():
        models = sorted(
            p for p in (SQL / "tables" / table).glob("*.sql") if table in written(_sql_text(p))
        )
        assert models, f"no SQL write of {table} found in sql/tables/{table}/"
        named = _models_named(owner)
        for model in models:
            name = f"tables/{table}/{model.stem}"
            assert name in named, f"{owner.relative_to(ROOT)} does not run {name}"


@pytest.mark.parametrize("table", sorted(OWNERS))
def test_every_model_of_an_owned_table_is_run_by_its_owner(table: str) -> None:
    """A model of sql/tables/T/ that its owner does not name is run by nobody, or by someone
    else (through a name built at run time): either way, not owned."""
    named = _models_named(OWNERS[table])
    for model in sorted((SQL / "tables" / table).glob("*.sql")):
        assert f"tables/{table}/{model.stem}" in named, (
            f"sql/tables/{table}/{model.name} is not run by {OWNERS[table].relative_to(ROOT)}"
        )


@pytest.mark.parametrize("path", _python_modules(), ids=lambda p: str(p.relative_to(SRC)))
def test_python_writes_none_inline_and_runs_only_its_own_models(path: Path) -> None:
    strings = _strings(path)
    for table in sorted({t for s in strings for t in written(s)}):
        raise AssertionError(
            f"{path.relative_to(ROOT)} writes {table} with its own SQL: call "
            f"{OWNERS[table].relative_to(SRC)} instead (or, in the owner, a model of "
            f"sql/tables/{table}/)"
        )
    for table in sorted({m.group(1) for s in strings for m in MODEL.finditer(s)}):
        assert path == OWNERS[table], (
            f"{path.relative_to(ROOT)} runs a model of sql/tables/{table}/: only "
            f"{OWNERS[table].relative_to(SRC)} may (call it instead)"
        )


@pytest.mark.parametrize("path", _sql_files(), ids=lambda p: str(p.relative_to(SQL)))
def test_sql_writes_only_under_the_owner(path: Path) -> None:
    for table in sorted(written(_sql_text(path))):
        assert path.parent == SQL / "tables" / table, (
            f"{path.relative_to(ROOT)} writes {table}: it belongs in sql/tables/{table}/, "
            f"run by {OWNERS[table].relative_to(SRC)}"
        )


def test_writes_to_an_interpolated_table_name_are_the_known_ones() -> None:
    found = {
        path.relative_to(SRC).as_posix()
        for path in _python_modules()
        if any(DYNAMIC.search(s) for s in _strings(path))
    }
    assert found == set(DYNAMIC_WRITERS), (
        "a write to a table named at run time may write any table, these ones included: name "
        f"the table in a model, or call its owner; found in {sorted(found)}"
    )
