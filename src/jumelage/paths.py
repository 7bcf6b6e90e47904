"""Locate the package's resources (SQL models, expectation suites) independently of the cwd.

`sql/` and `expectations/` live at the top of the repository; `src/jumelage/sql` and
`src/jumelage/expectations` are symlinks to them. A wheel therefore carries copies of the
files (package data) and an editable install or `PYTHONPATH=src` reads the checkout through
the links: in every case they sit next to this module, so one lookup serves all installs.
"""

from __future__ import annotations

from pathlib import Path

PACKAGE_DIR = Path(__file__).parent


def _resource_dir(name: str) -> Path:
    path = PACKAGE_DIR / name
    if not path.is_dir():
        # a checkout made without symlinks (git core.symlinks=false) has a text file here
        raise RuntimeError(
            f"{path} is not a directory: reinstall jumelage from its wheel, or from a checkout "
            "made with symlinks enabled"
        )
    return path


def sql_path(name: str) -> Path:
    """One SQL model or directory of models, e.g. `sql_path("migrations")`."""
    return _resource_dir("sql") / name


def read_sql(name: str) -> str:
    """The text of one SQL model, e.g. `read_sql("rules/macros.sql")`."""
    return sql_path(name).read_text(encoding="utf-8")


def expectation_path(name: str) -> Path:
    """One Great Expectations suite, e.g. `expectation_path("events.json")`."""
    return _resource_dir("expectations") / name
