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
from typing import Any

os.environ.setdefault("PREFECT_HOME", tempfile.mkdtemp(prefix="jumelage-prefect-"))
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("PREFECT_UI_ENABLED", "false")
os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")


def campaign(cycles: int, seed: int) -> dict[str, int]:
    """Run the campaign (a line per cycle on stdout); returns the totals."""
    from prefect.testing.utilities import prefect_test_harness

    from tests.reliability.crashing import STAGES, cycle, random_kill, reference_state
    from tests.reliability.helpers import prefect_env

    rng = random.Random(seed)
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
        plans: list[dict[str, Any]] = [{"kill_after_stage": s} for s in STAGES]
        plans += [{"kill_on_delivery": n} for n in (1, 3, 5)]
        while len(plans) < cycles:
            plans.append(random_kill(rng, seconds))
        for n, plan in enumerate(plans[:cycles]):
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
    totals["seconds"] = round(time.monotonic() - started)
    return totals


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cycles", type=int, default=30)
    parser.add_argument("--seed", type=int, default=20261123)
    args = parser.parse_args(argv)
    totals = campaign(args.cycles, args.seed)
    print()
    for name, value in totals.items():
        print(f"{name:<28}{value:>8}")
    return 1 if totals["broken"] or totals["duplicates"] else 0


if __name__ == "__main__":
    sys.exit(main())
