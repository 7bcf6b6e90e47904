"""The comparison page of a what-if run: self-contained HTML, in the program's language."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import polars as pl

from jumelage import words
from jumelage.config import Config
from jumelage.report import charts
from jumelage.templating import environment
from jumelage.whatif.compare import WhatIf


def page_path(config: Config, result: WhatIf) -> Path:
    """`reports/whatif-<date>-<digest>.html`: one page per set of changes tried."""
    tried = repr((result.settings, result.seats)).encode()
    digest = hashlib.sha256(tried).hexdigest()[:8]
    return config.data_dir / "reports" / f"whatif-{result.run_date.isoformat()}-{digest}.html"


def _named(frame: pl.DataFrame, names: dict[str, str]) -> list[dict[str, Any]]:
    """The rows, each person's display name beside their email (`<column>_name`)."""
    rows = frame.to_dicts()
    for row in rows:
        for key in ("mentee_email", "mentor_before", "mentor_after"):
            row[f"{key}_name"] = names.get(row.get(key) or "", "")
    return rows


def render(config: Config, result: WhatIf, trial_min_score: float) -> str:
    lang = config.program.language
    t = words.group(lang, "whatif")
    scores = {
        t["legend_before"]: result.before["score"].to_list(),
        t["legend_after"]: result.after["score"].to_list(),
    }
    context = {
        "lang": lang,
        "t": t,
        "program": {"name": config.program.name},
        "run_date": result.run_date,
        "source": result.source,
        "settings": result.settings,
        "seats": result.seats,
        "totals": result.totals(),
        "gained": _named(result.gained, result.names),
        "lost": _named(result.lost, result.names),
        "changed": _named(result.changed, result.names),
        "waiting": result.waiting.sort("waiting_since").to_dicts(),
        "chart": charts.score_shift(scores, trial_min_score, t["score"]),
    }
    env = environment("report", lang, autoescape=True)
    env.filters["score"] = lambda v: "" if v is None else f"{float(v):.3f}"
    return env.get_template("whatif.html").render(context)


def write_page(config: Config, result: WhatIf, trial_min_score: float) -> Path:
    """Write the page (atomically) and return its path."""
    path = page_path(config, result)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".html.partial")
    partial.write_text(render(config, result, trial_min_score), encoding="utf-8")
    partial.replace(path)
    return path
