"""Crash anywhere, the fast slice: `jumelage run` SIGKILLed after the match stage, and while
the SMTP server takes a message, then run again: the final state of an uninterrupted run,
nothing sent twice.

The campaign (every stage boundary and random moments): `python -m
tests.reliability.crash_campaign` (`make reliability`).
"""

from __future__ import annotations

import pytest

from .crashing import cycle, reference_state
from .helpers import prefect_env

pytestmark = pytest.mark.prefect


@pytest.fixture(scope="module")
def reference(prefect_harness, tmp_path_factory):
    state, _ = reference_state(tmp_path_factory.mktemp("reference"), prefect_env())
    assert any(s == "sent" for s in state["sent"].values())
    return state


@pytest.mark.parametrize("stage", ["match"])
def test_killed_after_a_stage_then_rerun(reference, tmp_path_factory, stage):
    env = prefect_env()
    result = cycle(tmp_path_factory.mktemp("crash"), env, reference, kill_after_stage=stage)
    assert result.killed_at == f"after {stage}" and result.first_code == -9
    assert result.problems == [] and result.duplicates == 0 and result.rows_lost == 0


def test_killed_between_smtp_and_its_record(reference, tmp_path_factory):
    """Killed while the server takes a message: it becomes uncertain, never sent twice."""
    result = cycle(tmp_path_factory.mktemp("crash"), prefect_env(), reference, kill_on_delivery=1)
    assert result.killed_at == "on delivery 1" and result.first_code == -9
    assert result.problems == [] and result.duplicates == 0
    assert result.uncertain == 1
