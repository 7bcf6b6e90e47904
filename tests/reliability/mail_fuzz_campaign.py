"""The bad-mail campaign: N generated messages (default 10,000) through a real IMAP server
(pymap) and the `mail_in` stage.

    .venv/bin/python -m tests.reliability.mail_fuzz_campaign [--messages N] [--seed S]

Prints a summary; exit status 1 when any batch raised (traceback) or a message was not
accounted for (read = recorded + to check + auto-replies + bounces, by the stage's count and
by the warehouse's rows) or left in the folder, or when a family of messages was not generated.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=random.randrange(1_000_000))
    args = parser.parse_args()
    from tests.reliability.mail_fuzzing import SHAPES, campaign

    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="jumelage-mailfuzz-") as root:
        tally = campaign(Path(root), args.messages, args.seed, progress=True)
    for failure in (tally.tracebacks + tally.violations)[:10]:
        print("-" * 78 + "\n" + failure, file=sys.stderr)
    figures = {
        "seed": args.seed,
        "messages delivered": tally.delivered,
        "  recorded (answers applied)": tally.outcomes["recorded"],
        "  to check": tally.outcomes["to_check"],
        "  auto-replies": tally.outcomes["auto_reply"],
        "  bounces": tally.outcomes["bounced"],
        "tracebacks": len(tally.tracebacks),
        "violations": len(tally.violations),
        "seconds": round(time.monotonic() - started),
    }
    for name, value in figures.items():
        print(f"{name:<32} {value}")
    print("generated, by family: " + ", ".join(f"{k} {v}" for k, v in sorted(tally.shapes.items())))
    accounted = sum(tally.outcomes.values()) == tally.delivered and tally.recorded == tally.outcomes
    every_family = set(tally.shapes) == set(SHAPES)
    ok = accounted and every_family and not tally.tracebacks and not tally.violations
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
