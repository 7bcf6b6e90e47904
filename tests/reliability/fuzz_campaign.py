"""The bad-input campaign: N generated inbox files (default 10,000) through ingest + validate.

    .venv/bin/python -m tests.reliability.fuzz_campaign [--files N] [--workers W] [--seed S]

Each worker has its own program and warehouse and runs hypothesis with its own seed; every
file is checked as in test_fuzz_inbox.py, but a failure is counted (and its first lines
printed) instead of stopping the campaign. Prints a summary table; exit status 1 when any
file raised (traceback) or was not accounted for (violation).
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")


def _worker(args: tuple[int, int, int, str]) -> tuple[Counter[str], list[str]]:
    index, n_files, seed, root = args
    from hypothesis import HealthCheck, given, settings
    from hypothesis import seed as hseed

    from tests.reliability.fuzzing import InboxCase, Workbench, inbox_files, run_case

    bench = Workbench(Path(root) / f"worker-{index}")
    counts: Counter[str] = Counter()
    failures: list[str] = []

    @hseed(seed + index)
    @settings(
        max_examples=n_files,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
        phases=["generate"],
    )
    @given(inbox_files())
    def one(case: InboxCase) -> None:
        outcome, detail = run_case(bench, case)
        counts[outcome] += 1
        if detail and len(failures) < 20:
            failures.append(f"{case.name} ({len(case.data)} bytes, {case.data[:60]!r}):\n{detail}")

    try:
        one()
    finally:
        bench.close()
    return counts, failures


def campaign(files: int, workers: int, seed: int) -> dict[str, float]:
    """Run the campaign; returns the figures (and prints the first failures to stderr)."""
    started = time.monotonic()
    per_worker = [files // workers + (i < files % workers) for i in range(workers)]
    with tempfile.TemporaryDirectory(prefix="jumelage-fuzz-") as root:
        jobs = [(i, n, seed, root) for i, n in enumerate(per_worker)]
        with mp.get_context("spawn").Pool(workers) as pool:
            results = pool.map(_worker, jobs)
    counts: Counter[str] = Counter()
    failures: list[str] = []
    for c, f in results:
        counts += c
        failures += f
    for failure in failures[:10]:
        print("-" * 78 + "\n" + failure, file=sys.stderr)
    return {
        "files fuzzed": sum(counts.values()),
        "  read, rows accounted for": counts["read"],
        "  rejected whole, reason": counts["rejected"],
        "tracebacks": counts["traceback"],
        "rows not accounted for": counts["violation"],
        "seconds": round(time.monotonic() - started),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--files", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=max(1, min(4, os.cpu_count() or 1)))
    parser.add_argument("--seed", type=int, default=20261123)
    args = parser.parse_args(argv)
    figures = campaign(args.files, args.workers, args.seed)
    for name, value in figures.items():
        print(f"{name:<28}{value:>10}")
    return 1 if figures["tracebacks"] or figures["rows not accounted for"] else 0


if __name__ == "__main__":
    sys.exit(main())
