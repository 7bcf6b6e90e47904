"""Each hard constraint of SPEC §4 has a test that fails if the constraint is dropped."""

from __future__ import annotations

import itertools
from datetime import date

import pytest

from jumelage.matching import match_night
from jumelage.paths import read_sql
from tests.matching.helpers import RUN_DATE, Warehouse


def proposed(wh: Warehouse) -> set[tuple[str, str]]:
    return wh.pairs(match_night(wh.con, wh.config, RUN_DATE))


def test_baseline_pair_is_proposed(wh: Warehouse) -> None:
    wh.mentee("e@x.org")
    wh.mentor("r@x.org")
    assert proposed(wh) == {("e@x.org", "r@x.org")}


@pytest.mark.parametrize(
    ("mentee_lang", "mentor_lang", "ok"),
    [
        ("fr", "fr", True),
        ("fr", "en", False),
        ("en", "fr", False),
        ("fr,en", "en", True),
        ("en", "fr,en", True),
        ("fr,en", "fr,en", True),
    ],
)
def test_shared_language(wh: Warehouse, mentee_lang: str, mentor_lang: str, ok: bool) -> None:
    wh.mentee("e@x.org", language=mentee_lang)
    wh.mentor("r@x.org", language=mentor_lang)
    assert bool(proposed(wh)) is ok


@pytest.mark.parametrize(
    ("mentee", "mentor", "ok"),
    [
        (("virtual", None), ("virtual", None), True),
        (("virtual", None), ("both", None), True),
        (("both", None), ("both", None), True),
        (("in_person", "Montréal"), ("virtual", "Montréal"), False),
        (("virtual", "Montréal"), ("in_person", "Montréal"), False),
        (("in_person", "Montréal"), ("both", "Montréal"), True),
        (("in_person", "Montréal"), ("in_person", "montréal "), True),
        (("both", "Montréal"), ("in_person", "Québec"), False),
        (("in_person", None), ("in_person", None), False),
        (("in_person", "Montréal"), ("both", None), False),
    ],
)
def test_meeting_mode_and_region(
    wh: Warehouse, mentee: tuple[str, str | None], mentor: tuple[str, str | None], ok: bool
) -> None:
    wh.mentee("e@x.org", meeting_mode=mentee[0], region=mentee[1])
    wh.mentor("r@x.org", meeting_mode=mentor[0], region=mentor[1])
    assert bool(proposed(wh)) is ok


@pytest.mark.parametrize(
    ("gap", "mentor_level", "ok"),
    [(1, 2, False), (1, 3, True), (0, 2, True), (2, 3, False), (2, 4, True)],
)
def test_level_gap(wh: Warehouse, gap: int, mentor_level: int, ok: bool) -> None:
    wh.reconfigure(min_level_gap=gap)
    wh.mentee("e@x.org", management_level=2)
    wh.mentor("r@x.org", management_level=mentor_level)
    assert bool(proposed(wh)) is ok


def test_never_with_oneself(wh: Warehouse) -> None:
    wh.mentee("same@x.org")
    wh.mentor("same@x.org")
    assert proposed(wh) == set()


@pytest.mark.parametrize(
    "history", ["declined", "ended", "active_elsewhere", "excluded", "rejected"]
)
def test_pair_history_blocks(wh: Warehouse, history: str) -> None:
    wh.mentee("e@x.org")
    wh.mentor("r@x.org", capacity=3)
    if history == "declined":
        wh.proposal("e@x.org", "r@x.org", "declined")
    elif history == "ended":
        wh.relationship("e@x.org", "r@x.org", "ended")
    elif history == "active_elsewhere":  # an ended relationship with another mentee: no effect
        wh.relationship("other@x.org", "r@x.org", "ended")
    elif history == "excluded":
        wh.rule("e@x.org", "r@x.org", "excluded")
    else:
        wh.con.execute(
            "insert into pair_rules values ('e@x.org', 'r@x.org', 'excluded', "
            "'proposal_rejected', date '2026-02-01', null)"
        )
    assert bool(proposed(wh)) is (history == "active_elsewhere")


def test_withdrawn_or_expired_proposal_does_not_block(wh: Warehouse) -> None:
    wh.mentee("e@x.org")
    wh.mentor("r@x.org")
    wh.proposal("e@x.org", "r@x.org", "withdrawn", "A")
    assert proposed(wh) == {("e@x.org", "r@x.org")}


@pytest.mark.parametrize("status", ["absent", "withdrawn", "unresponsive", "removed"])
def test_only_active_participants(wh: Warehouse, status: str) -> None:
    wh.mentee("e1@x.org", status=status)
    wh.mentor("r1@x.org")
    wh.mentee("e2@x.org")
    wh.mentor("r2@x.org", status=status, capacity=5)
    assert proposed(wh) == {("e2@x.org", "r1@x.org")}


def test_mentee_with_pending_proposal_or_relationship_is_not_waiting(wh: Warehouse) -> None:
    wh.mentee("pending@x.org")
    wh.mentee("approval@x.org")
    wh.mentee("paired@x.org")
    wh.mentee("free@x.org", first_seen_on=date(2026, 2, 1))
    wh.mentor("other@x.org", capacity=5)
    wh.mentor("r@x.org", capacity=5)
    wh.proposal("pending@x.org", "other@x.org", "proposed")
    wh.proposal("approval@x.org", "other@x.org", "pending_approval")
    wh.relationship("paired@x.org", "other@x.org", "active")
    assert {m for m, _ in proposed(wh)} == {"free@x.org"}


def test_capacity_counts_relationships_and_pending_proposals(wh: Warehouse) -> None:
    wh.mentor("r@x.org", capacity=3)
    wh.relationship("a@x.org", "r@x.org", "active")
    wh.relationship("b@x.org", "r@x.org", "ended")  # ended: frees the seat
    wh.proposal("c@x.org", "r@x.org", "proposed")
    wh.proposal("d@x.org", "r@x.org", "declined")  # answered: frees the seat
    for name in ("e1", "e2", "e3"):
        wh.mentee(f"{name}@x.org")
    assert len(proposed(wh)) == 1


def test_capacity_clipped_to_max_capacity(wh: Warehouse) -> None:
    wh.reconfigure(max_capacity=2)
    wh.mentor("r@x.org", capacity=9)
    for name in ("e1", "e2", "e3"):
        wh.mentee(f"{name}@x.org")
    assert len(proposed(wh)) == 2


def test_min_score(wh: Warehouse) -> None:
    wh.reconfigure(min_score=0.9)
    wh.mentee("e@x.org")
    wh.mentor("r@x.org")
    result = match_night(wh.con, wh.config, RUN_DATE)
    assert result.proposals.is_empty()
    assert result.unmatched.row(0, named=True)["reason"] == "below_min_score"


# --- hierarchy ---------------------------------------------------------------------------


def chain(wh: Warehouse, people: list[str]) -> None:
    """people[0] reports to people[1], who reports to people[2], ..."""
    for who, boss in itertools.pairwise(people):
        wh.con.execute("update participants set manager_email = ? where email = ?", [boss, who])


@pytest.mark.parametrize("length", [1, 2, 3])
@pytest.mark.parametrize("direction", ["mentor_above", "mentee_above"])
def test_hierarchical_chain_excluded(wh: Warehouse, length: int, direction: str) -> None:
    wh.mentee("e@x.org", management_level=1)
    wh.mentor("r@x.org", management_level=4)
    middle = [f"m{i}@x.org" for i in range(length - 1)]
    for email in middle:  # registered people (as mentors elsewhere) carry the chain
        wh.mentor(email, status="withdrawn", management_level=2)
    if direction == "mentor_above":
        chain(wh, ["e@x.org", *middle, "r@x.org"])
    else:
        chain(wh, ["r@x.org", *middle, "e@x.org"])
    result = match_night(wh.con, wh.config, RUN_DATE)
    assert result.proposals.is_empty()
    assert result.unmatched.row(0, named=True)["reason"] == "hierarchical_link_only"


def test_chain_of_three_with_a_free_mentor(wh: Warehouse) -> None:
    wh.mentee("e@x.org")
    wh.mentor("boss3@x.org", capacity=2)
    wh.mentor("outsider@x.org")
    wh.mentor("b1@x.org", status="absent")
    wh.mentor("b2@x.org", status="absent")
    chain(wh, ["e@x.org", "b1@x.org", "b2@x.org", "boss3@x.org"])
    assert proposed(wh) == {("e@x.org", "outsider@x.org")}


def test_shared_superior_is_not_a_link(wh: Warehouse) -> None:
    wh.mentee("e@x.org", manager_email="boss@x.org")
    wh.mentor("r@x.org", manager_email="boss@x.org")
    assert proposed(wh) == {("e@x.org", "r@x.org")}


def test_cycle_in_manager_data_terminates(wh: Warehouse) -> None:
    wh.mentee("e@x.org", manager_email="a@x.org")
    wh.mentor("a@x.org", manager_email="b@x.org", status="absent")
    wh.mentor("b@x.org", manager_email="e@x.org", status="absent")
    wh.mentor("r@x.org", manager_email="r@x.org", capacity=2)  # a self-loop
    wh.mentor("c@x.org", manager_email="a@x.org")  # under the cycle: linked to e
    wh.mentee("c@x.org", manager_email="a@x.org")
    links = set(wh.con.sql(read_sql("matching/linked_pairs.sql")).fetchall())
    assert {("c@x.org", "e@x.org"), ("e@x.org", "c@x.org"), ("e@x.org", "b@x.org")} <= links
    assert not any(a == b for a, b in links)
    assert ("r@x.org", "e@x.org") not in links
    assert proposed(wh) == {("e@x.org", "r@x.org"), ("c@x.org", "r@x.org")}
