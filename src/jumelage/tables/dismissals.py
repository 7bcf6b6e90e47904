"""The owner of `dismissals`: the items a coordinator took off « à traiter », with a note.

An item stays in the warehouse as it was (a flag, a quarantined row, an email); only the
report's « à traiter » leaves it out. The note is kept for good: it is the record of the
decision. The SQL is in `sql/tables/dismissals/`.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import duckdb

from jumelage import models
from jumelage.errors import JumelageError
from jumelage.vocabulary import DismissKind
from jumelage.warehouse import transaction, utcnow


def find(con: duckdb.DuckDBPyConnection, kind: DismissKind, item_id: str) -> dict[str, Any] | None:
    """The dismissal of an item, if it was dismissed."""
    rows = models.frame(con, "tables/dismissals/by_id", {"kind": kind, "item_id": item_id})
    return rows.row(0, named=True) if rows.height else None


def dismiss(
    con: duckdb.DuckDBPyConnection, kind: DismissKind, item_id: str, note: str, day: date
) -> tuple[dict[str, Any], bool]:
    """Take an open item off « à traiter »; (the dismissal, True when new tonight). An item
    that is not open (unknown id, a resolved flag, a sent email) is refused with a message
    saying where its ids are shown; an item already dismissed keeps its first note."""
    note = note.strip()
    if not note:
        raise JumelageError("--note is required: say why the item needs no action")
    params = {"kind": kind, "item_id": item_id}
    earlier = find(con, kind, item_id)
    if earlier is not None:
        return earlier, False
    if not models.frame(con, "tables/dismissals/open_items", params).height:
        raise JumelageError(
            f"no open {kind} with id {item_id!r} in « à traiter » "
            "(the daily report shows each item's dismiss command)"
        )
    values = params | {"note": note, "dismissed_on": day, "dismissed_at": utcnow()}
    with transaction(con):
        models.execute(con, "tables/dismissals/insert", values)
    return find(con, kind, item_id) or values, True
