"""Tonight's proposals: warehouse rows and the committee's CSV (SPEC §5, §9)."""

from __future__ import annotations

import csv
import hashlib
from datetime import date
from pathlib import Path

import duckdb

from jumelage import models
from jumelage.config import Config
from jumelage.matching.scoring import COMPONENTS

#: Columns of `proposals` written by the matching, in table order (the rows go to
#: `jumelage.tables.proposals.insert`).
PROPOSAL_COLUMNS = (
    "proposal_id",
    "run_date",
    "round",
    "mentee_email",
    "mentor_email",
    "score",
    *(f"score_{c}" for c in COMPONENTS),
    "requested",
    "mentee_waiting_since",
    "mentee_waiting_rank",
    "status",
    "created_at",
    "released_on",
    "decided_on",
    "status_reason",
    "updated_on",
)

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def proposal_id(run_date: date, round_: int, mentee_email: str, mentor_email: str) -> str:
    """Short, deterministic and unique per night: the same inputs give the same id, and a
    re-match of the night (round 2) never collides with a withdrawn proposal of round 1."""
    digest = hashlib.sha256(
        f"{run_date.isoformat()}|{round_}|{mentee_email}|{mentor_email}".encode()
    ).hexdigest()
    return f"P-{run_date:%Y%m%d}-{digest[:8].upper()}"


def neutralize(cell: object) -> str:
    """A CSV cell a spreadsheet will not run as a formula (leading ' when needed)."""
    text = "" if cell is None else str(cell)
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def _decimal(value: float | None) -> str:
    # `;`-separated files are what French spreadsheets read; they expect a decimal comma.
    return "" if value is None else f"{value:.3f}".replace(".", ",")


def csv_path(config: Config, run_date: date) -> Path:
    return config.data_dir / "reports" / f"proposals-{run_date.isoformat()}.csv"


def write_csv(con: duckdb.DuckDBPyConnection, config: Config, run_date: date) -> Path:
    """Write `reports/proposals-YYYY-MM-DD.csv` with every proposal made that night, for the
    committee: UTF-8 with BOM, `;`, formula-like cells neutralized."""
    rows = models.relation(con, "matching/proposals_csv", {"run_date": run_date}).fetchall()
    header = [
        "proposal_id",
        "status",
        "mentee_email",
        "mentee_name",
        "mentee_organization",
        "mentor_email",
        "mentor_name",
        "mentor_organization",
        "score",
        *(f"score_{c}" for c in COMPONENTS),
        "requested",
        "mentee_waiting_since",
    ]
    path = csv_path(config, run_date)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".csv.tmp")
    with tmp.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, delimiter=";", lineterminator="\r\n")
        writer.writerow(header)
        n_scores = 1 + len(COMPONENTS)
        for row in rows:
            text = [neutralize(c) for c in row[:8]]
            scores = [_decimal(v) for v in row[8 : 8 + n_scores]]
            requested = "oui" if row[8 + n_scores] else "non"
            since = row[9 + n_scores]
            writer.writerow([*text, *scores, requested, since.isoformat() if since else ""])
    tmp.replace(path)
    return path
