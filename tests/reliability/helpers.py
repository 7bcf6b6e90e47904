"""Shared pieces of the reliability suite: a tiny program, scans for a secret, subprocess runs."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import duckdb

from tests.conftest import reg

ROOT = Path(__file__).resolve().parents[2]
JUMELAGE = [sys.executable, "-m", "jumelage.cli"]
MENTOR = {"role": "mentor", "management_level": "3", "goals": "", "competencies": "leadership"}


def tiny_program(n_mentees: int = 2, n_mentors: int = 2, **overrides: str) -> list[dict[str, str]]:
    """Mentees and mentors that match: one proposal per mentee on the first night."""
    rows = [reg(email=f"mentee{i}@x.ca", first_name=f"Mentee{i}") for i in range(n_mentees)]
    rows += [
        reg(email=f"mentor{i}@y.ca", first_name=f"Mentor{i}", organization="MCC", **MENTOR)
        for i in range(n_mentors)
    ]
    for row in rows:
        row.update(overrides)
    return rows


def files_containing(root: Path, needles: list[bytes]) -> list[str]:
    """Every file under `root` whose bytes contain one of `needles`."""
    found = []
    for path in sorted(root.rglob("*")):
        if path.is_file():
            data = path.read_bytes()
            found += [f"{path}: {n!r}" for n in needles if n in data]
    return found


def warehouse_values_containing(db: Path, needle: str) -> list[str]:
    """Every (table, column) of the warehouse whose text contains `needle` (any type, cast)."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        columns = con.execute(
            "select table_name, column_name from information_schema.columns "
            "where table_schema = 'main'"
        ).fetchall()
        hits = []
        for table, column in columns:
            ((n,),) = con.execute(
                f'select count(*) from "{table}" where cast("{column}" as varchar) like ?',
                [f"%{needle}%"],
            ).fetchall()
            if n:
                hits.append(f"{table}.{column}")
        return hits
    finally:
        con.close()


def run_cli(
    *args: str,
    env: dict[str, str] | None = None,
    timeout: float = 180,
    cwd: Path | None = None,
    module: str = "jumelage.cli",
) -> subprocess.CompletedProcess[str]:
    """`jumelage ARGS` in a subprocess (the installed package, this interpreter)."""
    full_env = {**os.environ, **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", module, *args],
        env=full_env,
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=cwd or ROOT,
    )


def prefect_env() -> dict[str, Any]:
    """The API URL of the running test Prefect server, for subprocesses (no server each)."""
    from prefect.settings import PREFECT_API_URL

    url = PREFECT_API_URL.value()
    return {"PREFECT_API_URL": url} if url else {}
