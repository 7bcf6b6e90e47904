"""Bad input at scale, the fast slice: generated malformed inbox files never break ingest +
validate, and every row is accounted for or the file is rejected whole with a reason.

The 10,000-file campaign: `python -m tests.reliability.fuzz_campaign` (`make fuzz`).
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, given, settings

from .fuzzing import InboxCase, Workbench, check_file, inbox_files

EXAMPLES = int(os.environ.get("JUMELAGE_FUZZ_EXAMPLES", "120"))


def test_malformed_inbox_files(tmp_path_factory):
    bench = Workbench(tmp_path_factory.mktemp("fuzz"))
    outcomes: dict[str, int] = {}

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(inbox_files())
    def one(case: InboxCase) -> None:
        outcome = check_file(bench, case)  # raises: a traceback or a Violation
        outcomes[outcome] = outcomes.get(outcome, 0) + 1

    try:
        one()
    finally:
        bench.close()
    assert sum(outcomes.values()) >= EXAMPLES // 2
    assert outcomes.get("read") and outcomes.get("rejected"), outcomes  # both paths exercised
