"""The solver: optimal (against brute force), lexicographic, certified when pruned."""

from __future__ import annotations

from datetime import date, datetime

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from jumelage.matching import assignment, match_night, scoring
from jumelage.matching.assignment import assign, count_premium, dual_prices, violated_edges
from tests.matching.helpers import RUN_DATE, Warehouse, brute_force


def canonical(mentee: list[int], mentor: list[int], score: list[int]) -> tuple[np.ndarray, ...]:
    """Deduplicate and sort edges the way the SQL hands them over."""
    best: dict[tuple[int, int], int] = {}
    for a, b, s in zip(mentee, mentor, score, strict=True):
        best[(a, b)] = max(best.get((a, b), -1), s)
    rows = sorted(best.items(), key=lambda kv: (kv[0][0], -kv[1], kv[0][1]))
    return (
        np.array([a for (a, _), _ in rows], dtype=np.int64),
        np.array([b for (_, b), _ in rows], dtype=np.int64),
        np.array([s for _, s in rows], dtype=np.int64),
    )


@st.composite
def instances(draw: st.DrawFn) -> tuple[np.ndarray, ...]:
    n = draw(st.integers(1, 6))
    m = draw(st.integers(1, 4))
    k = draw(st.integers(0, 14))
    mentee = draw(st.lists(st.integers(0, n - 1), min_size=k, max_size=k))
    mentor = draw(st.lists(st.integers(0, m - 1), min_size=k, max_size=k))
    # few distinct scores: ties are the hard part
    score = draw(st.lists(st.sampled_from([300, 400, 500, 700, 1000]), min_size=k, max_size=k))
    capacity = np.array(draw(st.lists(st.integers(1, 2), min_size=m, max_size=m)))
    waiting = np.array(draw(st.permutations(list(range(1, n + 1)))))
    return (*canonical(mentee, mentor, score), capacity, waiting)


def value_of(result: assignment.Assignment, waiting: np.ndarray) -> tuple:
    weight = len(waiting) + 1 - waiting
    return len(result.mentee), int(result.score_units.sum()), int(weight[result.mentee].sum())


def check_feasible(result: assignment.Assignment, a, b, s, cap: np.ndarray) -> None:
    assert len(set(result.mentee.tolist())) == len(result.mentee), "a mentee got two proposals"
    load = np.bincount(result.mentor, minlength=len(cap))
    assert (load <= cap).all(), "a mentor got more than its capacity"
    edges = {(int(x), int(y)): int(z) for x, y, z in zip(a, b, s, strict=True)}
    for x, y, z in zip(result.mentee, result.mentor, result.score_units, strict=True):
        assert edges[(int(x), int(y))] == int(z), "not one of the edges given"


def pairs_of(result: assignment.Assignment) -> set:
    return set(zip(result.mentee.tolist(), result.mentor.tolist(), strict=True))


@settings(max_examples=300, deadline=None)
@given(instances(), st.sampled_from([None, 1, 2]))
def test_assign_equals_brute_force(inst: tuple[np.ndarray, ...], prune_k: int | None) -> None:
    a, b, s, cap, waiting = inst
    result = assign(a, b, s, cap, waiting, prune_k=prune_k)
    check_feasible(result, a, b, s, cap)
    edges = {(int(x), int(y)): int(z) for x, y, z in zip(a, b, s, strict=True)}
    weight = {i: len(waiting) + 1 - int(w) for i, w in enumerate(waiting)}
    best = brute_force(edges, dict(enumerate(cap.tolist())), weight)
    assert value_of(result, waiting) == (best.count, best.total, best.waiting)
    assert result.certified


@settings(max_examples=100, deadline=None)
@given(instances())
def test_certificate_rejects_a_suboptimal_solution(inst: tuple[np.ndarray, ...]) -> None:
    a, b, s, cap, waiting = inst
    optimal = pairs_of(assign(a, b, s, cap, waiting))
    weight = s + count_premium(len(waiting))
    chosen = np.array([(x, y) in optimal for x, y in zip(a.tolist(), b.tolist(), strict=True)])
    chosen = chosen.astype(bool).reshape(len(a))
    prices = dual_prices(a, b, weight, chosen, len(waiting), cap)
    assert prices is not None and violated_edges(a, b, weight, *prices).size == 0
    if chosen.any():  # drop one proposal: no longer optimal, no certificate may say otherwise
        chosen[np.flatnonzero(chosen)[0]] = False
        prices = dual_prices(a, b, weight, chosen, len(waiting), cap)
        assert prices is None or violated_edges(a, b, weight, *prices).size > 0


def test_pruning_loses_matches_but_the_certificate_recovers_them() -> None:
    # Three mentees all prefer mentor 0 (capacity 1); their second choices are distinct.
    a, b, s = canonical([0, 0, 1, 1, 2, 2], [0, 1, 0, 2, 0, 3], [900, 500, 900, 500, 900, 500])
    cap, waiting = np.array([1, 1, 1, 1]), np.array([1, 2, 3])
    full = assign(a, b, s, cap, waiting)
    pruned = assign(a, b, s, cap, waiting, prune_k=1)  # keeps only mentor 0 for everyone
    assert len(full.mentee) == 3
    assert value_of(pruned, waiting) == value_of(full, waiting)
    assert pruned.certified and pruned.rounds > 1


def test_deterministic_regardless_of_edge_order() -> None:
    rng = np.random.default_rng(7)
    a = rng.integers(0, 40, 400)
    b = rng.integers(0, 15, 400)
    s = rng.choice([400, 500, 600], 400)
    ca, cb, cs = canonical(a.tolist(), b.tolist(), s.tolist())
    perm = rng.permutation(len(a))
    da, db, ds = canonical(a[perm].tolist(), b[perm].tolist(), s[perm].tolist())
    cap, waiting = np.full(15, 2), rng.permutation(40) + 1
    one = assign(ca, cb, cs, cap, waiting)
    two = assign(da, db, ds, cap, waiting)
    assert pairs_of(one) == pairs_of(two)


@settings(max_examples=200, deadline=None)
@given(instances())
def test_same_pairs_whatever_edges_the_solver_starts_from(inst: tuple[np.ndarray, ...]) -> None:
    # The proven prices are the least optimal ones whatever was solved on the way, so the
    # tight edges, the waiting tie-break and the pairs (not only their value) are the same.
    a, b, s, cap, waiting = inst
    results = [assign(a, b, s, cap, waiting, prune_k=k) for k in (None, 1, 2)]
    assert pairs_of(results[1]) == pairs_of(results[0]) == pairs_of(results[2])


def test_canonical_order_packed_or_not_sorts_alike() -> None:
    rng = np.random.default_rng(3)
    for high in (50, 1 << 18):  # within the packed key's 17 bits, then beyond
        key = np.unique(rng.integers(0, high, 3000) * (1 << 20) + rng.integers(0, high, 3000))
        mentee, mentor = key >> 20, key & ((1 << 20) - 1)
        score = rng.choice([0, 5, 999_999_999], len(key))
        order = assignment._canonical_order(mentee, mentor, score)
        assert (order == np.lexsort((mentor, -score, mentee))).all()


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(-1, 5000), max_size=400))
def test_scan_groups_cover_every_scanned_mentee_once(prefix: list[int]) -> None:
    sees_up_to = np.array(prefix, dtype=np.int64)
    groups = scoring._prefix_groups(sees_up_to)
    covered = np.concatenate(groups) if groups else np.zeros(0, dtype=np.int64)
    assert sorted(covered.tolist()) == np.flatnonzero(sees_up_to >= 0).tolist()
    # each group's query is scoped to the prefix of its first mentee, the longest
    assert all(sees_up_to[g[0]] == sees_up_to[g].max() for g in groups)


def greedy_by_score(pairs: dict[tuple[str, str], float], capacity: dict[str, int]) -> set:
    taken, load, chosen = set(), dict.fromkeys(capacity, 0), set()
    for (mentee, mentor), _ in sorted(pairs.items(), key=lambda kv: -kv[1]):
        if mentee not in taken and load[mentor] < capacity[mentor]:
            taken.add(mentee)
            load[mentor] += 1
            chosen.add((mentee, mentor))
    return chosen


def test_greedy_by_score_leaves_a_mentee_out_the_solver_does_not(wh: Warehouse) -> None:
    wh.mentee("anne@x.org", language="fr", goals=["leadership", "strategie"])
    wh.mentee("bob@x.org", language="en", goals=["leadership", "finances"])
    wh.mentor("xavier@x.org", language="fr,en", competencies=["leadership", "strategie"])
    wh.mentor("yves@x.org", language="fr", competencies=["leadership"])
    result = match_night(wh.con, wh.config, RUN_DATE)
    scores = {
        ("anne@x.org", "xavier@x.org"): 1.0,
        ("anne@x.org", "yves@x.org"): 0.5,
        ("bob@x.org", "xavier@x.org"): 0.5,
    }
    assert len(greedy_by_score(scores, {"xavier@x.org": 1, "yves@x.org": 1})) == 1
    assert wh.pairs(result) == {("anne@x.org", "yves@x.org"), ("bob@x.org", "xavier@x.org")}


def test_longer_waiting_mentee_wins_a_tie(wh: Warehouse) -> None:
    wh.mentee("zoe@x.org", first_seen_on=date(2026, 1, 5))
    wh.mentee("adam@x.org", first_seen_on=date(2026, 2, 5))
    wh.mentor("r@x.org")
    assert wh.pairs(match_night(wh.con, wh.config, RUN_DATE)) == {("zoe@x.org", "r@x.org")}


def test_tie_on_first_seen_goes_to_earlier_submission_then_email(wh: Warehouse) -> None:
    wh.mentee("zoe@x.org", submitted_at=datetime(2026, 1, 1, 8))
    wh.mentee("adam@x.org", submitted_at=datetime(2026, 1, 1, 9))
    wh.mentee("bea@x.org", submitted_at=datetime(2026, 1, 1, 9))
    wh.mentor("r@x.org", capacity=2)
    assert {m for m, _ in wh.pairs(match_night(wh.con, wh.config, RUN_DATE))} == {
        "zoe@x.org",
        "adam@x.org",
    }


def test_score_outweighs_waiting(wh: Warehouse) -> None:
    wh.mentee("old@x.org", first_seen_on=date(2025, 1, 1), goals=["finances", "leadership"])
    wh.mentee("new@x.org", first_seen_on=date(2026, 2, 1), goals=["leadership"])
    wh.mentor("r@x.org")
    assert wh.pairs(match_night(wh.con, wh.config, RUN_DATE)) == {("new@x.org", "r@x.org")}


def test_requested_pair_is_fixed_first_even_below_min_score(wh: Warehouse) -> None:
    wh.reconfigure(min_score=0.5)
    wh.mentee("e@x.org", goals=["finances"])
    wh.mentee("f@x.org")
    wh.mentor("best@x.org", competencies=["finances"])
    wh.mentor("asked@x.org", competencies=["leadership"])
    wh.rule("e@x.org", "asked@x.org", "requested")
    result = match_night(wh.con, wh.config, RUN_DATE)
    assert wh.pairs(result) == {("e@x.org", "asked@x.org")}
    row = result.proposals.filter(requested=True).row(0, named=True)
    assert row["mentee_email"] == "e@x.org" and row["score"] < 0.5
    assert result.unmatched.row(0, named=True)["mentee_email"] == "f@x.org"


def test_ineligible_requested_pair_is_not_honored(wh: Warehouse) -> None:
    wh.mentee("e@x.org", language="en")
    wh.mentor("asked@x.org", language="fr")
    wh.mentor("other@x.org", language="en")
    wh.rule("e@x.org", "asked@x.org", "requested")
    assert wh.pairs(match_night(wh.con, wh.config, RUN_DATE)) == {("e@x.org", "other@x.org")}


def test_pruned_path_in_match_night(wh: Warehouse, monkeypatch) -> None:
    # each mentee's best pair and each mentor's best mentee only: the SQL certificate
    # (certificate_violations.sql) must bring back the others that capacity makes necessary
    monkeypatch.setattr(scoring, "TOP_K", 1)
    monkeypatch.setattr(scoring, "MENTOR_K", 1)
    monkeypatch.setattr(scoring, "ALL_EDGES_UP_TO", 0)
    for i in range(4):  # everyone's best mentor is 'star'; capacity makes them spread out
        wh.mentee(
            f"e{i}@x.org", goals=["leadership", "strategie"], first_seen_on=date(2026, 1, 1 + i)
        )
    wh.mentor("star@x.org", competencies=["leadership", "strategie"])
    for i in range(3):
        wh.mentor(f"r{i}@x.org", competencies=["leadership"])
    result = match_night(wh.con, wh.config, RUN_DATE)
    assert result.proposals.height == 4
    assert result.stats["certified_optimal"] and result.stats["certificate_rounds"] > 1


def test_requested_pair_below_min_score_without_a_seat_falls_back_to_qualifying(
    wh: Warehouse,
) -> None:
    # the committee asks for a weak pair, but the mentor's one seat goes to another requested
    # mentee who waited longer: the first is then matched like anyone else, on qualifying pairs
    wh.reconfigure(min_score=0.5)
    wh.mentee("old@x.org", goals=["finances"], first_seen_on=date(2025, 6, 1))
    wh.mentee("new@x.org", goals=["finances"], first_seen_on=date(2026, 1, 1))
    wh.mentor("asked@x.org", competencies=["leadership"])
    wh.mentor("good@x.org", competencies=["finances"])
    wh.mentor("weak@x.org", competencies=["rh"])
    wh.rule("old@x.org", "asked@x.org", "requested")
    wh.rule("new@x.org", "asked@x.org", "requested")
    result = match_night(wh.con, wh.config, RUN_DATE)
    assert wh.pairs(result) == {("old@x.org", "asked@x.org"), ("new@x.org", "good@x.org")}
    by_mentee = {r["mentee_email"]: r for r in result.proposals.iter_rows(named=True)}
    assert by_mentee["old@x.org"]["requested"] and by_mentee["old@x.org"]["score"] < 0.5
    assert not by_mentee["new@x.org"]["requested"] and by_mentee["new@x.org"]["score"] >= 0.5
    assert result.stats["requested_fixed"] == 1
