"""The crash-anywhere campaign: `jumelage run` SIGKILLed at every stage boundary, then at random
moments, each time on a fresh program, then run again and compared with an uninterrupted run.

    .venv/bin/python -m tests.reliability.crash_campaign [--cycles N] [--seed S]

One Prefect server (the test harness) serves every run. Prints a summary table; exit status 1
when any cycle broke an invariant (see crashing.py).
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("PREFECT_HOME", tempfile.mkdtemp(prefix="jumelage-prefect-"))
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("PREFECT_UI_ENABLED", "false")
os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")


def main(argv: list[str] | None = None) -> int:
    from prefect.testing.utilities import prefect_test_harness

    from tests.reliability.crashing import STAGES, cycle, random_kill, reference_state
    from tests.reliability.helpers import prefect_env

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cycles", type=int, default=30)
    parser.add_argument("--seed", type=int, default=20261123)
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)
    started = time.monotonic()
    totals = {"cycles": 0, "killed": 0, "duplicates": 0, "rows lost": 0, "uncertain": 0,
              "broken": 0}  # fmt: skip
    with (
        tempfile.TemporaryDirectory(prefix="jumelage-crash-") as tmp,
        prefect_test_harness(server_startup_timeout=120),
    ):
        root = Path(tmp)
        env = prefect_env()
        reference, seconds = reference_state(root / "reference", env)
        plans = [{"kill_after_stage": s} for s in STAGES]
        while len(plans) < args.cycles:
            plans.append(random_kill(rng, seconds))
        for n, plan in enumerate(plans[: args.cycles]):
            result = cycle(root / f"cycle-{n}", env, reference, **plan)
            totals["cycles"] += 1
            totals["killed"] += result.first_code == -9
            totals["duplicates"] += result.duplicates
            totals["rows lost"] += max(0, result.rows_lost)
            totals["uncertain"] += result.uncertain
            totals["broken"] += bool(result.problems)
            print(
                f"cycle {n:3d}: killed {result.killed_at or 'never (finished first)':<24} "
                f"duplicates {result.duplicates}  uncertain {result.uncertain}  "
                + ("OK" if not result.problems else "BROKEN: " + "; ".join(result.problems)),
                flush=True,
            )
    print()
    print(f"{'cycles':<28}{totals['cycles']:>8}")
    print(f"{'  killed (SIGKILL)':<28}{totals['killed']:>8}")
    print(f"{'duplicate deliveries':<28}{totals['duplicates']:>8}")
    print(f"{'rows lost':<28}{totals['rows lost']:>8}")
    print(f"{'emails left uncertain':<28}{totals['uncertain']:>8}")
    print(f"{'cycles breaking invariants':<28}{totals['broken']:>8}")
    print(f"{'seconds':<28}{time.monotonic() - started:>8.0f}")
    return 1 if totals["broken"] or totals["duplicates"] else 0


if __name__ == "__main__":
    sys.exit(main())
