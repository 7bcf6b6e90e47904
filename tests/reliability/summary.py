"""`make reliability`: every campaign, then one summary table (for the README).

    .venv/bin/python -m tests.reliability.summary [--files 10000] [--cycles 30] [--races 20]

Runs the bad-input campaign, the crash-anywhere campaign and the concurrency test with
`--races` cycles; exit status 1 when any of them found a problem.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys

from tests.reliability import crash_campaign, fuzz_campaign
from tests.reliability.helpers import ROOT


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--files", type=int, default=10_000)
    parser.add_argument("--cycles", type=int, default=30)
    parser.add_argument("--races", type=int, default=20)
    parser.add_argument("--workers", type=int, default=max(1, min(4, os.cpu_count() or 1)))
    args = parser.parse_args(argv)
    fuzz = fuzz_campaign.campaign(args.files, args.workers, 20261123)
    crash = crash_campaign.campaign(args.cycles, 20261123)
    races = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
         "tests/reliability/test_concurrency.py"],
        env={**os.environ, "JUMELAGE_CONCURRENCY_CYCLES": str(args.races)},
        cwd=ROOT,
        capture_output=True,
        text=True,
    )  # fmt: skip
    rows = [
        ("crash anywhere: cycles killed", f"{crash['killed']} / {crash['cycles']}"),
        ("  duplicate deliveries", crash["duplicates"]),
        ("  rows lost", crash["rows lost"]),
        ("  emails left uncertain", crash["uncertain"]),
        ("  cycles breaking an invariant", crash["broken"]),
        ("concurrent runs: cycles", args.races),
        ("  one ran, other exited 3", "all" if races.returncode == 0 else "NO (see below)"),
        ("bad input: files fuzzed", fuzz["files fuzzed"]),
        ("  read, every row accounted for", fuzz["  read, rows accounted for"]),
        ("  rejected whole with a reason", fuzz["  rejected whole, reason"]),
        ("  tracebacks", fuzz["tracebacks"]),
        ("  rows not accounted for", fuzz["rows not accounted for"]),
    ]
    print()
    print("| check | result |\n|---|---:|")
    for name, value in rows:
        print(f"| {name.strip() if not name.startswith('  ') else '— ' + name.strip()} | {value} |")
    if races.returncode:
        print(races.stdout[-3000:])
    broken = (
        crash["broken"] or crash["duplicates"] or fuzz["tracebacks"]
        or fuzz["rows not accounted for"] or races.returncode
    )  # fmt: skip
    return 1 if broken else 0


if __name__ == "__main__":
    sys.exit(main())
