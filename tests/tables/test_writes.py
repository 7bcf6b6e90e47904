"""The owners' statements whose SQL changed shape when they moved out of the lifecycle: the
event dates of a relationship (a CASE on the bound column name instead of a formatted column),
a flag written once, a status change limited to a role or not, and the counts they report."""

from __future__ import annotations

from datetime import date

import pytest

from jumelage.tables import flags, participants, relationships

from ..matching.helpers import Warehouse

D = date(2026, 3, 2)


def _dates(wh: Warehouse) -> tuple:
    return wh.con.execute(
        "select last_event_on, first_meeting_on, midpoint_review_on, final_review_on, status,"
        " ended_on, end_reason from relationships"
    ).fetchall()[0]


def test_an_event_fills_its_own_date_once_and_moves_the_latest_event(tmp_path):
    wh = Warehouse(tmp_path / "data")
    wh.relationship("e@x.org", "m@x.org", "active")
    rid = "R-e@x.org-m@x.org"
    relationships.record_event(wh.con, rid, date(2026, 3, 1), "first_meeting_on")
    assert _dates(wh)[:4] == (date(2026, 3, 1), date(2026, 3, 1), None, None)
    # an older event: the latest event stays, the meeting date is not overwritten
    relationships.record_event(wh.con, rid, date(2026, 2, 20), "first_meeting_on")
    assert _dates(wh)[:4] == (date(2026, 3, 1), date(2026, 3, 1), None, None)
    relationships.record_event(wh.con, rid, date(2026, 4, 1), "midpoint_review_on")
    relationships.record_event(wh.con, rid, date(2026, 5, 1))  # no date column of its own
    assert _dates(wh)[:4] == (date(2026, 5, 1), date(2026, 3, 1), date(2026, 4, 1), None)
    relationships.end(wh.con, rid, date(2026, 5, 2), "fini")
    assert _dates(wh)[4:] == ("ended", date(2026, 5, 2), "fini")
    with pytest.raises(ValueError, match="not a relationship event column"):
        relationships.record_event(wh.con, rid, D, "status")
    wh.con.close()


def test_a_flag_is_written_once_and_says_whether_it_is_new(tmp_path):
    wh = Warehouse(tmp_path / "data")
    args = {"mentee_email": "e@x.org", "mentor_email": None, "due_on": None, "detail": "d"}
    assert flags.raise_flag(wh.con, D, "stale", **args)
    assert not flags.raise_flag(wh.con, date(2026, 3, 3), "stale", **args)
    rows = wh.con.execute("select flag_id, run_date, mentor_email, due_on from flags").fetchall()
    assert rows == [(flags.flag_id("stale", "e@x.org|None", None), D, None, None)]
    wh.con.close()


def test_a_status_change_keeps_to_its_role_and_to_the_statuses_it_leaves(tmp_path):
    wh = Warehouse(tmp_path / "data")
    wh.mentee("a@x.org")
    wh.mentor("a@x.org")
    participants.mark_unresponsive(wh.con, "a@x.org", D)  # the mentee only
    statuses = "select role, status, updated_on from participants order by role"
    assert wh.con.execute(statuses).fetchall() == [
        ("mentee", "unresponsive", D),
        ("mentor", "active", date(2026, 1, 1)),
    ]
    # every role, from the listed statuses only: the mentor is active, not unresponsive
    later = date(2026, 3, 5)
    participants.set_status(wh.con, "a@x.org", "absent", later, from_statuses=("unresponsive",))
    assert wh.con.execute(statuses).fetchall() == [
        ("mentee", "absent", later),
        ("mentor", "active", date(2026, 1, 1)),
    ]
    assert participants.roles_of(wh.con, "a@x.org") == {"mentee", "mentor"}
    assert participants.roles_of(wh.con, "nobody@x.org") == set()
    wh.con.close()


def test_erasure_reports_how_many_rows_it_changed(tmp_path):
    wh = Warehouse(tmp_path / "data")
    wh.mentee("a@x.org")
    wh.mentor("a@x.org")
    wh.relationship("a@x.org", "m@x.org", "active")
    wh.relationship("e@x.org", "a@x.org", "ended")
    assert participants.erase(wh.con, "a@x.org", pseudonym="p@forgotten.invalid", day=D) == 2
    assert relationships.erase(wh.con, "a@x.org", day=D, reason="forgotten") == 1
    assert flags.erase(wh.con, "a@x.org", detail="[effacé]") == 0
    wh.con.close()
