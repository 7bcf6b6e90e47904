"""Normalize and validate org chart rows (SPEC §3 "Org chart"): the HR system's export of who
reports to whom, so that chains of superiors are known through people not in the program."""

from __future__ import annotations

import polars as pl

from jumelage import normalize as norm
from jumelage.quarantine import Reason
from jumelage.validate import suites
from jumelage.validate.outcome import Validated, merge_reasons, split
from jumelage.validate.registrations import _email, _map


def _level(value: str) -> str:
    """A level as digits when it reads as an integer; else as typed (the suite names it)."""
    parsed = norm.parse_int(value)
    return str(parsed) if parsed is not None and parsed >= 0 else value


def normalized_strings(raw: pl.DataFrame) -> pl.DataFrame:
    def col(name: str) -> list[str | None]:
        return raw[name].to_list() if name in raw.columns else [None] * raw.height

    return pl.DataFrame(
        {
            "row_number": raw["row_number"],
            "email": _map(col("email"), _email),
            "manager_email": _map(col("manager_email"), _email),
            "organization": _map(col("organization"), lambda v: v),
            "unit": _map(col("unit"), lambda v: v),
            "management_level": _map(col("management_level"), _level),
        },
        schema_overrides={"row_number": pl.Int64},
    ).with_columns(pl.exclude("row_number").cast(pl.String))


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
