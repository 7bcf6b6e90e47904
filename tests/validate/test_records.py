"""The owner of `files` and `quarantine`: an event moved to quarantine, and erasure."""

import json
from datetime import date

import pytest

from jumelage import warehouse
from jumelage.quarantine import Reason, from_json
from jumelage.validate import records
from jumelage.vocabulary import QuarantineCode

RUN = date(2026, 3, 2)
SHA = "0" * 64
NAME = "evenements-2026-03-02.csv"


@pytest.fixture
def con(tmp_path):
    con = warehouse.connect(tmp_path)
    with warehouse.transaction(con):
        records.add_file(
            con,
            file_sha256=SHA,
            file_name=NAME,
            kind="events",
            size_bytes=100,
            archived_as=f"{SHA}-{NAME}",
            run_date=RUN,
            read_at=warehouse.utcnow(),
            status="current",
            encoding="utf-8",
            separator=",",
            rows_read=2,
            rows_accepted=2,
            rows_quarantined=0,
            rows_superseded=0,
            error=None,
        )
        con.execute(
            "insert into events (file_sha256, file_name, row_number, event_date, event_type,"
            " email) values (?, ?, 1, ?, 'meeting_held', 'Nobody@x.ca'),"
            " (?, ?, 2, ?, 'meeting_held', 'a@x.ca')",
            [SHA, NAME, RUN, SHA, NAME, RUN],
        )
    yield con
    con.close()


def _event(con, row_number):
    cur = con.execute("select * from events where row_number = ?", [row_number])
    names = [d[0] for d in cur.description]
    return dict(zip(names, cur.fetchall()[0], strict=True))


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("fr", "courriel : personne inconnue « Nobody@x.ca » (aucune inscription)"),
        ("en", 'email: unknown person "Nobody@x.ca" (no registration)'),
    ],
)
def test_an_event_moves_to_quarantine_in_the_program_language(con, lang, text):
    reason = Reason(QuarantineCode.UNKNOWN_PERSON, "email", {"email": "Nobody@x.ca"})
    event = _event(con, 1)
    with warehouse.transaction(con):
        records.quarantine_event(con, RUN, event, reason, lang=lang)
    (row,) = con.execute(
        "select kind, row_number, email, reasons, reason_codes, raw from quarantine"
    ).fetchall()
    kind, row_number, email, reasons, codes, raw = row
    assert (kind, row_number, email, reasons) == ("events", 1, "Nobody@x.ca", [text])
    assert from_json(codes) == [reason]
    assert json.loads(raw)["event_date"] == RUN.isoformat()
    assert con.execute("select row_number from events").fetchall() == [(2,)]
    assert con.execute("select rows_accepted, rows_quarantined from files").fetchall() == [(1, 1)]


def test_erase_pseudonymizes_quarantined_rows_that_name_them(con):
    reason = Reason(QuarantineCode.UNKNOWN_PERSON, "email", {"email": "Nobody@x.ca"})
    with warehouse.transaction(con):
        records.quarantine_event(con, RUN, _event(con, 1), reason, lang="fr")
        records.quarantine_event(con, RUN, _event(con, 2), reason, lang="fr")
        erased = records.erase(con, "nobody@x.ca", pseudonym="forgotten-1@forgotten.invalid")
    assert erased == 1
    rows = con.execute("select email, raw is null from quarantine order by row_number")
    assert rows.fetchall() == [("forgotten-1@forgotten.invalid", True), ("a@x.ca", False)]
    assert records.file_hashes(con) == {SHA}
