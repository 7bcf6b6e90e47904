"""Locate the project's resources (SQL models, expectation suites) independently of the cwd."""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path


@cache
def project_root() -> Path:
    """The directory holding `sql/` and `expectations/`.

    `JUMELAGE_HOME` wins; otherwise the checkout this package was installed from (editable
    install, src layout), so the CLI works from any current directory.
    """
    env = os.environ.get("JUMELAGE_HOME")
    candidates = [Path(env)] if env else []
    candidates.append(Path(__file__).resolve().parents[2])
    for root in candidates:
        if (root / "sql").is_dir() and (root / "expectations").is_dir():
            return root
    raise RuntimeError(
        "cannot find the jumelage project files (sql/, expectations/); "
        "set JUMELAGE_HOME to the repository checkout"
    )


def sql_path(name: str) -> Path:
    return project_root() / "sql" / name


def read_sql(name: str) -> str:
    """The text of one SQL model, e.g. `read_sql("apply/participants.sql")`."""
    return sql_path(name).read_text(encoding="utf-8")


def expectation_path(name: str) -> Path:
    return project_root() / "expectations" / name
