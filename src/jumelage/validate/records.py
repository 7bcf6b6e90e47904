"""The owner of `files` and `quarantine`: the registry of inbox file versions and the rows
that could not be taken, with the other rows each version gave (registrations, events, org
chart rows, superseded rows, unknown tags and slots).

Nothing else writes `files` or `quarantine`: the validate stage records each version here,
the apply stage moves an event it cannot apply here (`quarantine_event`) and `jumelage
forget` erases here. The statements are the models of `sql/tables/<table>/`
(tests/tables/test_owners.py keeps it so).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date
from typing import Any

import duckdb
import polars as pl

from jumelage import models
from jumelage.quarantine import Reason, to_json

#: The rows a file version gave, by table: the model that inserts them (from a frame given as
#: `new_<table>`) and the one that deletes them when the version is read again.
_INSERT = {
    "registrations": "tables/registrations/insert",
    "events": "tables/events/insert",
    "org_chart": "tables/org_chart/insert",
    "quarantine": "tables/quarantine/insert",
    "superseded": "tables/superseded/insert",
    "unknown_values": "tables/unknown_values/insert",
}
_DELETE_VERSION = {
    "registrations": "tables/registrations/delete_version",
    "events": "tables/events/delete_version",
    "org_chart": "tables/org_chart/delete_version",
    "quarantine": "tables/quarantine/delete_version",
    "superseded": "tables/superseded/delete_version",
    "unknown_values": "tables/unknown_values/delete_version",
}
#: The accepted rows: what a correction takes away from the version it replaces.
_ACCEPTED = ("registrations", "events", "org_chart")


def accepted_table(kind: str) -> str:
    """The table that takes the accepted rows of an inbox file of `kind`."""
    return {"registrations": "registrations", "org_chart": "org_chart"}.get(kind, "events")


def _version(name: str, sha256: str) -> dict[str, str]:
    return {"file_name": name, "file_sha256": sha256}


def forget_version(con: duckdb.DuckDBPyConnection, name: str, sha256: str) -> None:
    """An older version comes back: its rows and its registry row go, so that it is recorded
    afresh tonight."""
    for model in _DELETE_VERSION.values():
        models.execute(con, model, _version(name, sha256))
    models.execute(con, "tables/files/delete_version", _version(name, sha256))


def replace_version(con: duckdb.DuckDBPyConnection, name: str, old: str, new: str) -> None:
    """A correction (same name, content `new`) replaces the version `old`: the rows `old`
    gave are no longer read (its quarantine stays, for the report), and it is marked."""
    for table in _ACCEPTED:
        models.execute(con, _DELETE_VERSION[table], _version(name, old))
    models.execute(con, "tables/files/mark_replaced", {**_version(name, old), "replaced_by": new})


def add_rows(con: duckdb.DuckDBPyConnection, table: str, frame: pl.DataFrame) -> None:
    """Insert the rows of one file version into `table` (registrations, events, org_chart,
    quarantine, superseded or unknown_values), by column name; nothing for an empty frame."""
    model = _INSERT[table]
    if not frame.height:
        return
    incoming = f"new_{table}"
    models.put(con, incoming, frame)
    try:
        models.execute(con, model)
    finally:
        models.drop(con, [incoming])


def add_file(con: duckdb.DuckDBPyConnection, **row: Any) -> None:
    """The registry row of one file version (the columns of `files`, see
    sql/tables/files/record.sql)."""
    models.execute(con, "tables/files/record", row)


def quarantine_event(
    con: duckdb.DuckDBPyConnection,
    run_date: date,
    event: Mapping[str, Any],
    reason: Reason,
    *,
    lang: str,
) -> None:
    """Move an accepted event that cannot be applied to its file's quarantine, with `reason`
    (worded in `lang`, the program's language, and kept as data); its file's counts follow,
    so nothing is silently lost."""
    version = _version(event["file_name"], event["file_sha256"])
    raw = {k: (v.isoformat() if isinstance(v, date) else v) for k, v in event.items()}
    models.execute(
        con,
        "tables/quarantine/insert_event",
        {
            **version,
            "run_date": run_date,
            "row_number": event["row_number"],
            "email": event["email"],
            "reasons": [reason.text(lang)],
            "reason_codes": to_json([reason]),
            "raw": json.dumps(raw, ensure_ascii=False),
        },
    )
    models.execute(con, "tables/events/delete_row", {**version, "row_number": event["row_number"]})
    models.execute(con, "tables/files/event_quarantined", version)


def erase(con: duckdb.DuckDBPyConnection, email: str, *, pseudonym: str) -> int:
    """`jumelage forget`: quarantined rows about `email` (lower-cased) or naming it keep their
    place and reasons under `pseudonym`, without their cells. Returns how many."""
    return models.execute(con, "tables/quarantine/erase", {"email": email, "pseudonym": pseudonym})


def file_hashes(con: duckdb.DuckDBPyConnection) -> set[str]:
    """The content hash of every file version ever read."""
    _, rows = models.rows(con, "tables/files/hashes")
    return {sha256 for (sha256,) in rows}
