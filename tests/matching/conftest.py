"""Fixtures of the matching tests: a fresh warehouse per test."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.matching.helpers import Warehouse


@pytest.fixture
def wh(tmp_path: Path) -> Warehouse:
    w = Warehouse(tmp_path / "data")
    yield w
    w.con.close()
