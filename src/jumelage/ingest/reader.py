"""Read one inbox file (CSV in any spreadsheet dialect, or XLSX) into a frame of strings."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from jumelage.ingest.columns import REQUIRED, Column, FormMap, header_lookup, understand
from jumelage.normalize import answer_key, header_key
from jumelage.quarantine import Reason
from jumelage.vocabulary import FILE, ROW, QuarantineCode

MAX_CELL = 10_000  # characters; longer cells are cut and the row quarantined by validation


class UnreadableFile(Exception):
    """The file as a whole cannot be read; `reason` says why (its message reads in French)."""

    def __init__(self, code: QuarantineCode, **values: object) -> None:
        self.reason = Reason(code, FILE, values)
        super().__init__(self.reason.message("fr"))


@dataclass
class RawTable:
    """The data rows of one file as strings, under canonical column names, plus `row_number`."""

    frame: pl.DataFrame
    encoding: str
    separator: str | None
    ignored_headers: list[str] = field(default_factory=list)
    row_problems: dict[int, list[Reason]] = field(default_factory=dict)
    columns: list[Column] = field(default_factory=list)  # how each header was understood

    @property
    def from_form(self) -> bool:
        """A form tool's export: some question was understood through `[inbox.headers]`
        that is not the field's own name (a plain file's `prénom` may also match a
        configured « Prénom »; « Je m'inscris comme… » is a form's question)."""
        builtin = header_lookup("registrations")

        def own_name(c: Column) -> bool:
            name = builtin.get(header_key(c.header)) or builtin.get(
                header_key(answer_key(c.header))
            )
            return name == c.field

        return any(c.source == "configured" and not own_name(c) for c in self.columns)


def decode(data: bytes) -> tuple[str, str]:
    """Detect UTF-8 (with or without BOM) or Windows-1252 from the bytes, not the extension."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="strict"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "utf-16"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        return data.decode("latin-1"), "latin-1"


def sniff_separator(text: str) -> str:
    """`;`, `,` or tab: whichever splits the header line into the most cells."""
    header = re.split(r"\r\n|\r|\n", text, maxsplit=1)[0]

    def width(sep: str) -> int:
        try:
            return len(next(csv.reader([header], delimiter=sep, strict=False), []))
        except csv.Error:  # a quoted field running past the first line
            return len(header.split(sep))

    counts = {sep: width(sep) for sep in (";", ",", "\t")}
    return max(counts, key=lambda sep: (counts[sep], sep == ";"))


def _looks_binary(text: str) -> bool:
    sample = text[:4096]
    return "\x00" in sample or sum(c < " " and c not in "\r\n\t" for c in sample) > 8


def read_csv(data: bytes) -> tuple[list[str], list[list[str]], str, str]:
    try:
        text, encoding = decode(data)
    except UnicodeDecodeError as exc:  # a BOM announcing UTF-8 or UTF-16, then invalid bytes
        raise UnreadableFile(
            QuarantineCode.UNREADABLE_ENCODING, encoding=exc.encoding, position=exc.start
        ) from None
    if _looks_binary(text):
        raise UnreadableFile(QuarantineCode.BINARY_FILE)
    separator = sniff_separator(text)
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=separator, strict=False))
    except csv.Error as exc:
        raise UnreadableFile(QuarantineCode.UNREADABLE_CSV, error=str(exc)) from None
    rows = [r for r in rows if any(cell.strip() for cell in r)]
    if not rows:
        raise UnreadableFile(QuarantineCode.EMPTY_FILE)
    return rows[0], rows[1:], encoding, separator


def read_xlsx(path: Path) -> tuple[list[str], list[list[str]]]:
    try:
        frame = pl.read_excel(path, engine="calamine", infer_schema_length=0, has_header=False)
    except Exception as exc:
        raise UnreadableFile(QuarantineCode.UNREADABLE_XLSX, error=type(exc).__name__) from None
    rows = [["" if v is None else str(v) for v in row] for row in frame.iter_rows()]
    rows = [r for r in rows if any(cell.strip() for cell in r)]
    if not rows:
        raise UnreadableFile(QuarantineCode.EMPTY_WORKBOOK)
    return rows[0], rows[1:]


def read_rows(
    path: Path, data: bytes | None = None
) -> tuple[list[str], list[list[str]], str, str | None]:
    """Header, data rows, encoding and separator of a CSV or XLSX file (`UnreadableFile`)."""
    if path.suffix.lower() == ".xlsx":
        header, rows = read_xlsx(path)
        return header, rows, "xlsx", None
    return read_csv(data if data is not None else path.read_bytes())


def read_table(
    path: Path, kind: str, data: bytes | None = None, form: FormMap | None = None
) -> RawTable:
    """Parse `path` and map its headers (with `form`, the `[inbox]` mapping of a form
    export); raises `UnreadableFile` for whole-file problems."""
    header, rows, encoding, separator = read_rows(path, data)
    understood = understand(header, kind, form)
    columns: dict[int, str] = {}
    for column in understood:
        if column.field is None:
            continue
        if column.field in columns.values():
            raise UnreadableFile(QuarantineCode.DUPLICATE_COLUMN, header=column.header)
        columns[column.index] = column.field
    ignored = [c.header for c in understood if c.field is None]
    fixed = dict(form.fixed) if form is not None and kind == "registrations" else {}
    missing = [c for c in REQUIRED[kind] if c not in columns.values() and c not in fixed]
    if missing:
        raise UnreadableFile(QuarantineCode.MISSING_COLUMNS, columns=missing)

    width = len(header)
    data_columns: dict[str, list[str | None]] = {c: [] for c in columns.values()}
    problems: dict[int, list[Reason]] = {}
    for number, row in enumerate(rows, start=1):
        if len(row) > width and any(cell.strip() for cell in row[width:]):
            problems.setdefault(number, []).append(
                Reason(QuarantineCode.TOO_MANY_CELLS, ROW, {"cells": len(row), "width": width})
            )
        for index, column in columns.items():
            cell = row[index] if index < len(row) else ""
            if len(cell) > MAX_CELL:
                problems.setdefault(number, []).append(
                    Reason(
                        QuarantineCode.CELL_TOO_LONG,
                        column,
                        {"length": len(cell), "maximum": MAX_CELL},
                    )
                )
                cell = cell[:MAX_CELL]
            data_columns[column].append(cell)
    data_columns.update({f: [value] * len(rows) for f, value in fixed.items()})
    frame = pl.DataFrame(
        {"row_number": list(range(1, len(rows) + 1)), **data_columns},
        schema={"row_number": pl.Int64, **dict.fromkeys(data_columns, pl.String)},
    )
    return RawTable(frame, encoding, separator, ignored, problems, understood)
