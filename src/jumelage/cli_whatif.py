"""`jumelage whatif --date D --set KEY=VALUE --seats EMAIL=N`: try other settings on a copy."""

from __future__ import annotations

import argparse
from typing import Any

from jumelage.cli_command import add_command
from jumelage.config import Config


def cmd_whatif(args: argparse.Namespace, config: Config) -> int:
    """re-run a night's matching on a copy with other settings, and compare

    Re-run the matching of --date (the latest matched night) on a copy of the warehouse,
    with the matching settings given by --set (e.g. matching.min_score=0.25,
    matching.weights.goals=0.6) and the mentors' places given by --seats (e.g.
    mentor@example.org=3). Nothing is written to the warehouse and nothing is sent: the
    command prints the proposals gained, lost and changed, and writes a comparison page
    under reports/ (score distribution, who would wait and why).
    """
    from jumelage.whatif import parse_seats, run_whatif, with_settings, write_page

    result = run_whatif(config, args.date, args.set, parse_seats(args.seats))
    trial = with_settings(config, args.set)
    path = write_page(config, result, trial.matching.min_score)
    n = result.totals()
    print(
        f"whatif {result.run_date}: {n['before']} proposal(s) -> {n['after']} "
        f"(+{n['gained']} gained, -{n['lost']} lost, {n['changed']} changed); "
        f"total score {n['score_before']:.3f} -> {n['score_after']:.3f}; "
        f"{n['waiting']} would wait"
    )
    print(f"comparison page: {path}")
    return 0


def register(subparsers: Any) -> argparse.ArgumentParser:
    """Add `whatif` to the main parser's subparsers."""
    from jumelage.cli import _date

    parser = add_command(subparsers, "whatif", cmd_whatif)
    parser.add_argument("--date", type=_date, required=True, help="the night, YYYY-MM-DD")
    parser.add_argument(
        "--set", action="append", default=[], metavar="KEY=VALUE", help="a matching setting"
    )
    parser.add_argument(
        "--seats", action="append", default=[], metavar="EMAIL=N", help="a mentor's places"
    )
    return parser
