"""The night's workbook for Excel, `reports/jumelage-YYYY-MM-DD.xlsx`, written beside the page.

Coordinators filter and sort in Excel what the page shows: one sheet each for « à traiter »,
the pool, the proposals, the relationships, the emails and the quarantine. Each sheet is one
SQL model (most are the report's own queries, so the workbook and the page agree), its
columns headed and its codes worded from the catalogues, in the program's language.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import polars as pl
import xlsxwriter

from jumelage import models, words
from jumelage.config import Config
from jumelage.quarantine import from_json
from jumelage.report.queries import parameters
from jumelage.report.words import fixes_for

#: Sheet code (its name is in the catalogues' `workbook_sheet`) -> the model of its rows.
SHEETS: tuple[tuple[str, str], ...] = (
    ("todo", "workbook/todo"),
    ("pool", "report/pool_waiting"),
    ("proposals", "report/proposals_tonight"),
    ("relationships", "report/relationships"),
    ("emails", "workbook/emails"),
    ("quarantine", "workbook/quarantine"),
)

#: Columns that hold codes, shown in words: sheet -> column -> the catalogue groups to look in.
WORDED: Mapping[str, Mapping[str, tuple[str, ...]]] = {
    "todo": {"item": ("workbook_item",), "kind": ("email_status", "flag_kind")},
    "pool": {"reason": ("unmatched",)},
    "proposals": {"status": ("proposal_status",), "status_reason": ("pair_rule",)},
    "relationships": {"status": ("relationship_status",), "open_flags": ("flag_kind",)},
    "emails": {"kind": ("email_kind",), "status": ("email_status",)},
}


def workbook_path(config: Config, run_date: date) -> Path:
    return config.data_dir / "reports" / f"jumelage-{run_date.isoformat()}.xlsx"


def _worded(frame: pl.DataFrame, columns: Mapping[str, tuple[str, ...]], lang: str) -> pl.DataFrame:
    for column, groups in columns.items():
        mapping: dict[str, str] = {}
        for name in groups:
            mapping |= {k: v for k, v in words.group(lang, name).items() if isinstance(v, str)}
        if isinstance(frame.schema[column], pl.List):
            expr = pl.col(column).list.eval(pl.element().cast(pl.String).replace(mapping))
        else:
            expr = pl.col(column).cast(pl.String).replace(mapping)
        frame = frame.with_columns(expr)
    return frame


def _with_fixes(frame: pl.DataFrame, lang: str) -> pl.DataFrame:
    """The reason codes replaced by the fixes they call for (as on the page)."""
    fixes = [" ; ".join(fixes_for(from_json(codes), lang)) for codes in frame["reason_codes"]]
    return frame.with_columns(pl.Series("reason_codes", fixes, dtype=pl.String)).rename(
        {"reason_codes": "fix"}
    )


def _flat(frame: pl.DataFrame) -> pl.DataFrame:
    """Cells Excel can hold: lists joined, structures and empty columns as text."""
    out = []
    for name, dtype in frame.schema.items():
        column = pl.col(name)
        if isinstance(dtype, pl.List | pl.Array):
            column = column.cast(pl.List(pl.String)).list.join(", ")
        elif isinstance(dtype, pl.Struct | pl.Object | pl.Null):
            column = column.cast(pl.String)
        out.append(column)
    return frame.select(out)


def sheets(
    con: duckdb.DuckDBPyConnection, config: Config, run_date: date
) -> dict[str, pl.DataFrame]:
    """Each sheet's rows by sheet name, headed in the program's language."""
    lang = config.program.language
    params = parameters(config, run_date)
    names = words.group(lang, "workbook_sheet")
    headers = words.group(lang, "workbook_column")
    out: dict[str, pl.DataFrame] = {}
    built: set[str] = set()
    try:
        for code, model in SHEETS:
            built |= {models.model(dep).object_name for dep in models.model(model).reads}
            frame = _worded(models.frame(con, model, params), WORDED.get(code, {}), lang)
            if code == "quarantine":
                frame = _with_fixes(frame, lang)
            out[names[code]] = _flat(frame).rename({c: headers[c] for c in frame.columns})
    finally:
        models.drop(con, built)
    return out


def write_workbook(con: duckdb.DuckDBPyConnection, config: Config, run_date: date) -> Path:
    """Write the run date's workbook (atomically: Excel never opens half a file)."""
    path = workbook_path(config, run_date)
    path.parent.mkdir(exist_ok=True)
    write_sheets(path, sheets(con, config, run_date))
    return path


#: Display formats by column type, as polars' `write_excel` gave them (the workbook looks the
#: same); nulls stay empty cells.
_FORMATS = {
    "date": "yyyy-mm-dd",
    "datetime": "yyyy-mm-dd hh:mm",
    "integer": "#,##0;[Red]-#,##0",
    "float": "#,##0.000;[Red]-#,##0.000",
}
#: Widest column, in characters (Excel's own autofit stops about there too).
_MAX_WIDTH = 80


def _kind(dtype: pl.DataType) -> str:
    if dtype == pl.Date:
        return "date"
    if isinstance(dtype, pl.Datetime):
        return "datetime"
    if dtype == pl.Boolean:
        return "boolean"
    if dtype.is_integer():
        return "integer"
    if dtype.is_numeric():  # floats and decimals
        return "float"
    return "string"


def _widths(frame: pl.DataFrame) -> list[float]:
    """Each column's width in characters: its longest text (or a date's, a number's), as
    Excel's autofit would choose, computed by polars rather than cell by cell."""
    if frame.is_empty():
        return [len(name) + 2.0 for name in frame.columns]
    longest = frame.select(
        pl.col(name).cast(pl.String).str.len_chars().max().fill_null(0) for name in frame.columns
    ).row(0)
    widths = []
    for name, dtype, chars in zip(frame.columns, frame.dtypes, longest, strict=True):
        kind = _kind(dtype)
        chars = {"date": 10, "datetime": 16, "boolean": 5}.get(kind, chars)
        if kind in ("integer", "float"):
            chars += chars // 3  # thousands separators
        widths.append(min(max(chars, len(name)) + 2.0, _MAX_WIDTH))
    return widths


def _write_sheet(
    book: xlsxwriter.Workbook, name: str, frame: pl.DataFrame, formats: Mapping[str, Any]
) -> None:
    """One Excel table (header, filters, banded rows), frozen under its header; cells
    written by type, column by column (a call a cell, none of polars' per-cell dispatch:
    a launch night's workbook has half a million cells)."""
    sheet = book.add_worksheet(name)
    columns = [{"header": str(c), "header_format": formats["header"]} for c in frame.columns]
    if columns:
        sheet.add_table(
            0, 0, max(frame.height, 1), len(columns) - 1, {"columns": columns, "style": None}
        )
        sheet.freeze_panes(1, 0)
    for col, (dtype, width) in enumerate(zip(frame.dtypes, _widths(frame), strict=True)):
        kind = _kind(dtype)
        fmt = formats.get(kind, formats["cell"])
        sheet.set_column(col, col, width, fmt)
        write = {
            "string": sheet.write_string,
            "boolean": sheet.write_boolean,
            "date": sheet.write_datetime,
            "datetime": sheet.write_datetime,
        }.get(kind, sheet.write_number)
        values = frame.to_series(col)
        if kind == "string":
            values = values.cast(pl.String)
        elif kind == "float":
            values = values.cast(pl.Float64)
        for row, value in enumerate(values.to_list(), start=1):
            if value is not None:
                write(row, col, value, fmt)


def write_sheets(path: Path, frames: Mapping[str, pl.DataFrame]) -> None:
    """One sheet per frame, by name (`jumelage forget` rewrites a workbook through it too)."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with xlsxwriter.Workbook(str(tmp), {"nan_inf_to_errors": True}) as book:
            formats = {
                "header": book.add_format({"bold": True}),
                "cell": book.add_format({"valign": "vcenter"}),
                **{
                    kind: book.add_format({"num_format": fmt, "valign": "vcenter"})
                    for kind, fmt in _FORMATS.items()
                },
            }
            for name, frame in frames.items():
                _write_sheet(book, name, frame, formats)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
