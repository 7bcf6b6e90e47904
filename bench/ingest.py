"""Ingest + validate throughput: rows/s for 100,000 registration rows, CSV and XLSX.

Usage: .venv/bin/python bench/ingest.py [--rows N]
Prints one line per format; the figure includes reading, Great Expectations validation,
supersession and writing to a real DuckDB warehouse.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from datetime import date
from pathlib import Path

from jumelage.config import load_config
from jumelage.demo.files import write_csv, write_xlsx
from jumelage.demo.program import ProgramGenerator, registration_row
from jumelage.demo.run import demo_config
from jumelage.ingest.stage import ingest
from jumelage.night import open_night
from jumelage.validate.stage import validate


def rows_for(n: int) -> list[dict[str, str]]:
    gen = ProgramGenerator(seed=1)
    day = date(2026, 1, 5)
    return [
        registration_row(gen.person("mentee" if i % 3 else "mentor", day), gen) for i in range(n)
    ]


def measure(fmt: str, rows: list[dict[str, str]]) -> tuple[float, float, int]:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "jumelage.toml").write_text(demo_config(), encoding="utf-8")
        config = load_config(root / "jumelage.toml")
        inbox = config.data_dir / "inbox"
        if fmt == "csv":
            write_csv(inbox / "inscriptions.csv", rows, encoding="cp1252", separator=";")
        else:
            write_xlsx(inbox / "inscriptions.xlsx", rows)
        with open_night(config, date(2026, 1, 6)) as night:
            started = time.perf_counter()
            files = ingest(night.con, config.data_dir)
            read = time.perf_counter() - started
            (result,) = validate(night.con, config, night.run_date, files)
            total = time.perf_counter() - started
        return read, total, result.accepted


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=100_000)
    args = parser.parse_args()
    rows = rows_for(args.rows)
    from jumelage.validate.suites import _context

    _context()  # Great Expectations import and context: a fixed start-up cost, shown apart
    print(f"{'format':<6} {'rows':>8} {'read s':>8} {'total s':>8} {'rows/s':>10}")
    for fmt in ("csv", "xlsx"):
        read, total, accepted = measure(fmt, rows)
        print(f"{fmt:<6} {len(rows):>8} {read:>8.2f} {total:>8.2f} {len(rows) / total:>10,.0f}")
        assert accepted == len(rows), f"{fmt}: {accepted} accepted of {len(rows)}"


if __name__ == "__main__":
    main()
