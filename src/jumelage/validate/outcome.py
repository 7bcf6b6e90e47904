"""What validation makes of one file: accepted rows, quarantined rows, superseded rows."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

import polars as pl

from jumelage.quarantine import Reason, to_json


@dataclass
class Validated:
    """Every data row of a file ends in exactly one of accepted, quarantined or superseded."""

    accepted: pl.DataFrame
    # row_number, email, reasons (list[str], in the program's language), reason_codes (JSON
    # text of the structured reasons), raw (JSON text of the cells as typed)
    quarantined: pl.DataFrame
    superseded: pl.DataFrame = field(
        default_factory=lambda: pl.DataFrame(
            schema={
                "row_number": pl.Int64,
                "email": pl.String,
                "role": pl.String,
                "submitted_at": pl.Datetime,
                "replaced_by_row": pl.Int64,
            }
        )
    )
    unknown_values: pl.DataFrame = field(
        default_factory=lambda: pl.DataFrame(
            schema={"row_number": pl.Int64, "field": pl.String, "value": pl.String}
        )
    )

    @property
    def counts(self) -> dict[str, int]:
        return {
            "accepted": self.accepted.height,
            "quarantined": self.quarantined.height,
            "superseded": self.superseded.height,
        }


def merge_reasons(*sources: dict[int, list[Reason]]) -> dict[int, list[Reason]]:
    merged: dict[int, list[Reason]] = {}
    for source in sources:
        for row, reasons in source.items():
            merged.setdefault(row, []).extend(reasons)
    return merged


def split(
    raw: pl.DataFrame, reasons: dict[int, list[Reason]], lang: str
) -> tuple[pl.Series, pl.DataFrame]:
    """Mask of rows without reasons, and the quarantine frame of the others (with raw cells),
    each reason both as words in `lang` and as data."""
    bad = raw.filter(pl.col("row_number").is_in(list(reasons)))
    numbers = [int(n) for n in bad["row_number"]]
    quarantined = pl.DataFrame(
        {
            "row_number": bad["row_number"],
            "email": bad["email"] if "email" in bad.columns else [None] * bad.height,
            "reasons": [[r.text(lang) for r in reasons[n]] for n in numbers],
            "reason_codes": [to_json(reasons[n]) for n in numbers],
            "raw": [
                json.dumps(
                    {k: v for k, v in row.items() if v not in (None, "")}, ensure_ascii=False
                )
                for row in bad.drop("row_number").iter_rows(named=True)
            ],
        },
        schema={
            "row_number": pl.Int64,
            "email": pl.String,
            "reasons": pl.List(pl.String),
            "reason_codes": pl.String,
            "raw": pl.String,
        },
    )
    return ~raw["row_number"].is_in(list(reasons)), quarantined
