"""Fairness and program health: the daily report's section and the monthly page.

The figures come from `sql/report/health_*.sql` (over `sql/health/mentee_outcomes.sql`);
groups smaller than `MIN_GROUP` are suppressed in SQL, so a coordinator's own query of the
same model suppresses them too.
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path
from typing import Any

import polars as pl
from jinja2 import Environment

from jumelage import words
from jumelage.config import Config
from jumelage.report import charts
from jumelage.report.queries import MIN_GROUP

#: The groups fairness is read by, in the order the page shows them.
DIMENSIONS = ("region", "language", "management_level", "organization")


def context(q: dict[str, pl.DataFrame]) -> dict[str, Any]:
    """What `_health.html` needs: the outcomes, and the groups of each dimension."""
    outcomes = q["health_outcomes"].row(0, named=True) if q["health_outcomes"].height else {}
    fairness = q["health_fairness"]
    return {
        "outcomes": outcomes,
        "fairness": {
            d: fairness.filter(pl.col("dimension") == d).to_dicts()
            for d in DIMENSIONS
            if fairness.filter(pl.col("dimension") == d).height
        },
        "min_group": MIN_GROUP,
    }


def add_filters(env: Environment, lang: str) -> None:
    """`days`: a number of days in the reader's words (« 12 j »), « — » when unknown."""
    env.filters["days"] = lambda v: (
        "—" if v is None else words.say(lang, "health", "days", days=round(float(v)))
    )


def month_path(config: Config, run_date: date) -> Path:
    return config.data_dir / "reports" / f"month-{run_date.strftime('%Y-%m')}.html"


def write_month(
    config: Config, run_date: date, q: dict[str, pl.DataFrame], env: Environment
) -> Path:
    """`reports/month-YYYY-MM.html`, rewritten every night of the month: the month to date,
    then the whole month once its last night has run."""
    lang = config.program.language
    h = words.group(lang, "health")
    trends = q["health_trends"]
    series = {
        h["proposals"]: trends["proposals"].to_list(),
        h["accepted"]: trends["accepted"].to_list(),
    }
    page = env.get_template("month.html").render(
        lang=lang,
        h=h,
        t=words.group(lang, "report"),
        program=config.program,
        run_date=run_date,
        health=context(q),
        trends=trends.to_dicts(),
        chart=charts.weekly_proposals(
            trends["month_start"].to_list(), series, h["month_of"], "%Y-%m"
        ),
    )
    path = month_path(config, run_date)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(page, encoding="utf-8")
    os.replace(tmp, path)
    return path
