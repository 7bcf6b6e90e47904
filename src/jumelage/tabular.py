"""Rows printed for a person or a program: an aligned table, CSV or JSON.

`jumelage emails list` and `jumelage sql` print their rows through `render`, so that every
command that shows rows accepts the same `--format table|csv|json` and prints every value
whole (an email key must paste back into `jumelage emails resend`).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping, Sequence
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

FORMATS = ("table", "csv", "json")


def _text(value: Any) -> str:
    """One cell as a person reads it: no `None`, a timestamp to the second, one line."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return ", ".join(_text(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, default=str)
    return str(value).replace("\r", " ").replace("\n", " ")


def _json_value(value: Any) -> Any:
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, list | tuple):
        return [_json_value(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _json_value(v) for k, v in value.items()}
    if isinstance(value, bytes):
        return value.hex()
    return value


def table(
    names: Sequence[str], rows: Sequence[Sequence[Any]], limits: Mapping[str, int] | None = None
) -> str:
    """Columns aligned to their widest value; only the columns named in `limits` are cut (with
    an ellipsis) to that many characters."""
    limits = limits or {}
    cells = [[_text(v) for v in row] for row in rows]
    for i, name in enumerate(names):
        limit = limits.get(name)
        if limit:
            for row in cells:
                if len(row[i]) > limit:
                    row[i] = row[i][: limit - 1] + "…"
    widths = [max([len(n), *(len(r[i]) for r in cells)]) for i, n in enumerate(names)]
    lines = ["  ".join(n.ljust(w) for n, w in zip(names, widths, strict=True)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in cells]
    return "\n".join(lines) + "\n"


def render(
    names: Sequence[str],
    rows: Sequence[Sequence[Any]],
    fmt: str = "table",
    *,
    limits: Mapping[str, int] | None = None,
) -> str:
    """The rows in `fmt` (one of FORMATS). CSV and JSON never cut a value."""
    if fmt == "table":
        return table(names, rows, limits)
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(names)
        writer.writerows([_text(v) for v in row] for row in rows)
        return out.getvalue()
    if fmt == "json":
        records = [{n: _json_value(v) for n, v in zip(names, row, strict=True)} for row in rows]
        return json.dumps(records, ensure_ascii=False, indent=2) + "\n"
    raise ValueError(f"unknown format {fmt!r} (expected one of {', '.join(FORMATS)})")
