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


def write_forms_xlsx(
    path: Path, header: Sequence[str], rows: Sequence[dict[str, object]], sheet: str = "Sheet1"
) -> Path:
    """A workbook as Microsoft Forms exports it: typed cells (numbers for `ID`, date-times for
    the start and completion times), text answers, multiple choices joined with `;`."""
    import datetime as dt

    import xlsxwriter

    path.parent.mkdir(parents=True, exist_ok=True)
    book = xlsxwriter.Workbook(str(path))
    moment = book.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"})
    table = book.add_worksheet(sheet)
    table.write_row(0, 0, list(header))
    for r, row in enumerate(rows, start=1):
        for c, column in enumerate(header):
            value = row.get(column, "")
            if isinstance(value, dt.datetime):
                table.write_datetime(r, c, value, moment)
            elif isinstance(value, int | float) and not isinstance(value, bool):
                table.write_number(r, c, value)
            elif value not in (None, ""):
                table.write_string(r, c, str(value))
    book.close()
    return path
