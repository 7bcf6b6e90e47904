"""Write inbox files the way spreadsheet tools export them (for the demo, tests and benches)."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from pathlib import Path

import polars as pl


def write_csv(
    path: Path,
    rows: Sequence[dict[str, str]],
    *,
    encoding: str = "utf-8",
    separator: str = ",",
    newline: str = "\n",
    bom: bool = False,
    header: Sequence[str] | None = None,
) -> Path:
    """A CSV in one of the dialects the inbox accepts (cp1252 + ';' + CRLF is Excel's)."""
    columns = list(header or (rows[0] if rows else []))
    buffer = io.StringIO()
    writer = csv.DictWriter(
        buffer,
        fieldnames=columns,
        delimiter=separator,
        lineterminator=newline,
        extrasaction="ignore",
    )
    writer.writeheader()
    writer.writerows(rows)
    data = buffer.getvalue().encode(encoding, errors="replace")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + data)
    return path


def write_xlsx(
    path: Path, rows: Sequence[dict[str, str]], header: Sequence[str] | None = None
) -> Path:
    columns = list(header or (rows[0] if rows else []))
    frame = pl.DataFrame(
        {c: [r.get(c, "") for r in rows] for c in columns}, schema=dict.fromkeys(columns, pl.String)
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    frame.write_excel(path, autofit=False)
    return path
