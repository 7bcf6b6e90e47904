"""Normalize and validate org chart rows (SPEC §3 "Org chart"): the HR system's export of who
reports to whom, so that chains of superiors are known through people not in the program."""

from __future__ import annotations

import polars as pl

from jumelage import normalize as norm
from jumelage.ingest.org_chart_columns import ORG_CHART_HEADERS
from jumelage.quarantine import Reason
from jumelage.validate import suites
from jumelage.validate.outcome import Validated, merge_reasons, split
from jumelage.validate.registrations import _email, _map


def _level(value: str) -> str:
    """A level as digits when it reads as an integer; else as typed (the suite names it)."""
    parsed = norm.parse_int(value)
    return str(parsed) if parsed is not None and parsed >= 0 else value


#: How each column is normalized (the others: cleaned only).
_NORMALIZE = {"email": _email, "manager_email": _email, "management_level": _level}


def normalized_strings(raw: pl.DataFrame) -> pl.DataFrame:
    """The frame Great Expectations checks: one string column per field of ORG_CHART_HEADERS."""
    columns = {
        name: _map(
            raw[name].to_list() if name in raw.columns else [None] * raw.height,
            _NORMALIZE.get(name, lambda v: v),
        )
        for name in ORG_CHART_HEADERS
    }
    frame = pl.DataFrame({"row_number": raw["row_number"], **columns})
    return frame.with_columns(
        pl.col("row_number").cast(pl.Int64), pl.exclude("row_number").cast(pl.String)
    )


def validate_org_chart(
    raw: pl.DataFrame, row_problems: dict[int, list[Reason]] | None = None, *, lang: str
) -> Validated:
    """Accepted rows (one per employee) and quarantined ones (reasons worded in `lang`, the
    program's language). An employee listed twice is quarantined on both rows: which one the
    HR system meant is not ours to guess."""
    checked = normalized_strings(raw)
    reasons = merge_reasons(row_problems or {}, suites.failures("org_chart", checked, raw))
    keep, quarantined = split(raw, reasons, lang)
    accepted = checked.filter(keep).with_columns(pl.col("management_level").cast(pl.Int32))
    return Validated(accepted, quarantined)
