"""Global assignment (SPEC §5): a provably optimal b-matching of mentees to mentors.

Lexicographic objective:
1. the largest number of mentees proposed (max flow),
2. then the largest total score, on integer scores in units of 1e-9 (`SCORE_SCALE`): two
   scores more than 1e-9 apart are never equal here, so only those equal within 1e-9 can tie;
3. then, among the solutions optimal for (1) and (2), longer-waiting mentees first (each
   mentee carries a waiting weight n+1-rank).

(1) and (2) are one OR-Tools `solve_max_flow_with_min_cost`. (3) cannot be folded into the
same integer costs (score units x a waiting scale overflow int64 at 50,000 mentees), so it is
a second min-cost flow over the *optimal face* of (2): dual prices (u, v) of the first solve
characterize every optimal solution (complementary slackness: only tight edges, every mentee
with u > 0 proposed, every mentor with v > 0 full), and the second solve maximizes the waiting
weight among exactly those solutions.

At scale the solver is given only each mentee's best edges. That is *not* safe by itself
(scarce capacity makes mentees need their 50th choice), so every pruned solve is followed by
an LP-duality certificate over **all** qualifying edges: if no discarded edge has
u_i + v_j < w_ij the solution is optimal over all edges; otherwise those edges are added and
the problem re-solved, until the certificate holds. Discarded edges that are tight (an equal
alternative) are added before the waiting tie-break, so that it too sees every edge. The
same proof lets later solves get only the edges near tight under the last prices (a solve
costs about its edges): the others are checked in memory, in one vectorized pass.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import numpy as np
from ortools.graph.python import min_cost_flow

from jumelage.matching.scoring import SCORE_SCALE

#: Above this many qualifying edges held in memory the solver starts from each mentee's best.
MAX_EDGES_UNPRUNED = 2_000_000
#: Never keep fewer edges per mentee than this when pruning.
MIN_PRUNE_K = 20
#: After the first solve the solver gets only the edges this close to tight (reduced cost at
#: most 0.05 of score) under the last prices, and the violated ones: a solve costs about its
#: edges, and the others cannot be in an optimum unless the prices move that far.
NEAR_TIGHT = SCORE_SCALE // 20
_INT64_MAX = np.iinfo(np.int64).max


@dataclass(frozen=True)
class Assignment:
    """The chosen pairs and how their optimality was shown."""

    mentee: np.ndarray  # compact mentee index of each chosen pair, ascending
    mentor: np.ndarray
    score_units: np.ndarray  # score in units of 1 / SCORE_SCALE
    certified: bool  # proven optimal over every qualifying edge, discarded ones included
    rounds: int  # solver runs (1 when nothing was pruned or the first certificate held)
    edges_solved: int  # edges given to the last solver run (the others were checked)

    @classmethod
    def of(
        cls,
        edges: tuple[np.ndarray, ...],
        chosen: np.ndarray,
        certified: bool,
        rounds: int,
        solved: int = 0,
    ) -> Assignment:
        mentee, mentor, score = edges
        return cls(mentee[chosen], mentor[chosen], score[chosen], certified, rounds, solved)


def waiting_weights(waiting_rank: np.ndarray) -> np.ndarray:
    """The waiting weight of every mentee: n for the longest waiting (rank 1), down to 1."""
    n = len(waiting_rank)
    order = np.argsort(waiting_rank, kind="stable")
    weight = np.empty(n, dtype=np.int64)
    weight[order] = np.arange(n, 0, -1, dtype=np.int64)
    return weight


def count_premium(n_mentees: int) -> int:
    """A premium per proposal larger than any total of scores over at most n proposals, so
    that weight = premium + score makes one more proposal worth more than any score."""
    big = n_mentees * SCORE_SCALE + 1
    if big >= _INT64_MAX // 4:
        raise ValueError(f"pool too large for exact integer costs ({n_mentees} mentees)")
    return big


def _present(index: np.ndarray, size: int) -> np.ndarray:
    """The distinct values of `index` (in 0..size-1), ascending: a count, not a hash set."""
    return np.flatnonzero(np.bincount(index, minlength=size)).astype(np.int32)


def _solve(
    mentee: np.ndarray, mentor: np.ndarray, values: np.ndarray, capacity: np.ndarray, n: int
) -> np.ndarray:
    """Max-flow min-cost on the bipartite graph; returns a boolean 'chosen' per edge."""
    m = len(capacity)
    source, sink = n + m, n + m + 1
    smcf = min_cost_flow.SimpleMinCostFlow()
    # Arc k < len(values) is edge k: flows are read back by index.
    smcf.add_arcs_with_capacity_and_unit_cost(
        mentee.astype(np.int32),
        (n + mentor).astype(np.int32),
        np.ones(len(values), dtype=np.int64),
        -values,
    )
    mentees = _present(mentee, n)
    smcf.add_arcs_with_capacity_and_unit_cost(
        np.full(len(mentees), source, dtype=np.int32),
        mentees,
        np.ones(len(mentees), dtype=np.int64),
        np.zeros(len(mentees), dtype=np.int64),
    )
    mentors = _present(mentor, m)
    smcf.add_arcs_with_capacity_and_unit_cost(
        n + mentors,
        np.full(len(mentors), sink, dtype=np.int32),
        capacity[mentors].astype(np.int64),
        np.zeros(len(mentors), dtype=np.int64),
    )
    smcf.set_node_supply(source, len(mentees))
    smcf.set_node_supply(sink, -len(mentees))
    status = smcf.solve_max_flow_with_min_cost()
    if status != smcf.OPTIMAL:
        raise RuntimeError(f"min-cost flow failed with status {status}")
    return smcf.flows(np.arange(len(values), dtype=np.int32)) > 0


def _break_ties(
    edges: tuple[np.ndarray, np.ndarray, np.ndarray],
    prices: tuple[np.ndarray, np.ndarray],
    big: int,
    count: int,
    capacity: np.ndarray,
    wait: np.ndarray,
) -> np.ndarray:
    """Among the solutions optimal on count and score (`count` proposals), the one that proposes to
    the longest-waiting mentees (largest total waiting weight).

    The optimal face of the score problem, given optimal prices (u, v): solutions that use
    only tight edges (u_i + v_j = big + score), propose to every mentee with u_i > 0 and fill
    every mentor with v_j > 0. Those mentees and mentors get fixed supplies; the others hang
    off a source and a sink, whose supplies make the count `count`.
    """
    mentee, mentor, score = edges
    u, v = prices
    tight = np.flatnonzero(u[mentee] + v[mentor] == score + big)
    n, m = len(u), len(v)
    source, sink = n + m, n + m + 1
    forced_mentee = u > 0
    forced_mentor = v > 0
    t_mentee, t_mentor = mentee[tight], mentor[tight]
    smcf = min_cost_flow.SimpleMinCostFlow()
    smcf.add_arcs_with_capacity_and_unit_cost(
        t_mentee.astype(np.int32),
        (n + t_mentor).astype(np.int32),
        np.ones(len(tight), dtype=np.int64),
        -wait[t_mentee],
    )
    free_mentees = np.flatnonzero(np.bincount(t_mentee, minlength=n).astype(bool) & ~forced_mentee)
    smcf.add_arcs_with_capacity_and_unit_cost(
        np.full(len(free_mentees), source, dtype=np.int32),
        free_mentees.astype(np.int32),
        np.ones(len(free_mentees), dtype=np.int64),
        np.zeros(len(free_mentees), dtype=np.int64),
    )
    free_mentors = np.flatnonzero(np.bincount(t_mentor, minlength=m).astype(bool) & ~forced_mentor)
    smcf.add_arcs_with_capacity_and_unit_cost(
        (n + free_mentors).astype(np.int32),
        np.full(len(free_mentors), sink, dtype=np.int32),
        capacity[free_mentors].astype(np.int64),
        np.zeros(len(free_mentors), dtype=np.int64),
    )
    for i in np.flatnonzero(forced_mentee):
        smcf.set_node_supply(int(i), 1)
    for j in np.flatnonzero(forced_mentor):
        smcf.set_node_supply(n + int(j), -int(capacity[j]))
    smcf.set_node_supply(source, count - int(forced_mentee.sum()))
    smcf.set_node_supply(sink, -(count - int(capacity[forced_mentor].sum())))
    status = smcf.solve()
    if status != smcf.OPTIMAL:  # the first solve is feasible here: prices that do not fit it
        raise RuntimeError(f"waiting tie-break failed with status {status}")
    flows = smcf.flows(np.arange(len(tight), dtype=np.int32)) > 0
    result = np.zeros(len(mentee), dtype=bool)
    result[tight[flows]] = True
    return result


def dual_prices(
    mentee: np.ndarray,
    mentor: np.ndarray,
    weight: np.ndarray,
    chosen: np.ndarray,
    n_mentees: int,
    capacity: np.ndarray,
) -> tuple[np.ndarray, np.ndarray] | None:
    """Dual prices (u per mentee, v per mentor) proving `chosen` optimal on these edges for
    max sum(weight) under capacities, or None if they do not exist (chosen is not optimal).

    Complementary slackness fixes u_i = w(i, m(i)) - v_m(i) for matched mentees and u_i = 0
    otherwise; the least v >= 0 with u_i + v_j >= w_ij on every edge is a longest-path
    problem, solved by vectorized Bellman-Ford (no positive cycle exists at an optimum).
    """
    m = len(capacity)
    match_of = np.full(n_mentees, -1, dtype=np.int64)
    match_weight = np.zeros(n_mentees, dtype=np.int64)
    match_of[mentee[chosen]] = mentor[chosen]
    match_weight[mentee[chosen]] = weight[chosen]
    free = ~chosen
    e_mentee, e_mentor, e_weight = mentee[free], mentor[free], weight[free]
    matched_edge = match_of[e_mentee] >= 0
    v = np.zeros(m, dtype=np.int64)
    active = np.ones(len(e_mentee), dtype=bool)
    for _ in range(n_mentees + m + 2):
        idx = np.flatnonzero(active)
        if idx.size == 0:
            break
        u = np.where(
            matched_edge[idx],
            match_weight[e_mentee[idx]] - v[np.maximum(match_of[e_mentee[idx]], 0)],
            0,
        )
        bound = e_weight[idx] - u
        new_v = v.copy()
        np.maximum.at(new_v, e_mentor[idx], bound)
        changed = new_v > v
        if not changed.any():
            break
        v = new_v
        # Only the edges of mentees matched to a mentor whose price rose can tighten again.
        mentee_changed = np.zeros(n_mentees, dtype=bool)
        matched = match_of >= 0
        mentee_changed[matched] = changed[match_of[matched]]
        active = mentee_changed[e_mentee]
    else:
        return None
    u = np.zeros(n_mentees, dtype=np.int64)
    has = match_of >= 0
    u[has] = match_weight[has] - v[match_of[has]]
    load = np.bincount(mentor[chosen], minlength=m)
    if (u < 0).any() or ((v > 0) & (load < capacity)).any():
        return None
    # Strong duality, checked exactly (Python integers: the sums exceed int64).
    primal = sum(int(x) for x in weight[chosen])
    dual = sum(int(x) for x in u) + sum(int(c) * int(x) for c, x in zip(capacity, v, strict=True))
    if primal != dual:
        return None
    return u, v


class DiscardedEdges(Protocol):
    """Qualifying edges the solver was not given, able to name those that violate prices."""

    def violations(
        self, threshold: np.ndarray, price: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(mentee, mentor, score_units) of the discarded edges with
        score_units >= threshold[mentee] + price[mentor] (violated or tight)."""
        ...


def violated_edges(
    mentee: np.ndarray, mentor: np.ndarray, weight: np.ndarray, u: np.ndarray, v: np.ndarray
) -> np.ndarray:
    """Edges whose reduced cost is negative: adding them could improve the solution."""
    return np.flatnonzero(u[mentee] + v[mentor] < weight)


def _canonical_order(mentee: np.ndarray, mentor: np.ndarray, score: np.ndarray) -> np.ndarray:
    """The permutation that sorts edges canonically: by mentee, best score first, then mentor.

    One sort of a packed 64-bit key (17 bits of mentee, 30 of inverted score, 17 of mentor;
    pairs are distinct, so the keys are) when the values fit, three passes otherwise."""
    if len(mentee) and (
        max(int(mentee.max()), int(mentor.max())) < 1 << 17
        and min(int(mentee.min()), int(mentor.min()), int(score.min())) >= 0
        and int(score.max()) < 1 << 30
    ):
        key = (mentee.astype(np.uint64) << np.uint64(47)) | (
            ((1 << 30) - 1 - score).astype(np.uint64) << np.uint64(17)
        )
        return np.argsort(key | mentor.astype(np.uint64))
    return np.lexsort((mentor, -score.astype(np.int64), mentee))


def _new_edges(
    edges: tuple[np.ndarray, np.ndarray, np.ndarray],
    extra: tuple[np.ndarray, np.ndarray, np.ndarray],
    n_mentors: int,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The edges of `extra` that are not already among `edges`."""
    have = np.sort(edges[0] * n_mentors + edges[1])
    keys = extra[0].astype(np.int64) * n_mentors + extra[1].astype(np.int64)
    at = np.minimum(np.searchsorted(have, keys), max(len(have) - 1, 0))
    new = have[at] != keys if len(have) else np.ones(len(keys), dtype=bool)
    return extra[0][new], extra[1][new], extra[2][new]


def prune(mentee: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Masks (kept, discarded) of edges in canonical order: each mentee's best `k` edges."""
    n_edges = len(mentee)
    starts = np.flatnonzero(np.r_[True, mentee[1:] != mentee[:-1]]) if n_edges else []
    starts = np.asarray(starts, dtype=np.int64)
    lengths = np.diff(np.r_[starts, n_edges]).astype(np.int64)
    rank = np.arange(n_edges) - np.repeat(starts, lengths)
    kept = rank < k
    return kept, ~kept


def assign(
    mentee: np.ndarray,
    mentor: np.ndarray,
    score_units: np.ndarray,
    capacity: np.ndarray,
    waiting_rank: np.ndarray,
    *,
    discarded: DiscardedEdges | None = None,
    max_edges: int | None = None,
    prune_k: int | None = None,
) -> Assignment:
    """Choose the proposals, optimally over the given edges *and* the `discarded` ones.

    Edges must come in canonical order (sorted by mentee, best score first, then mentor) so
    that the graph, hence any tie, never depends on input row order. `mentee` and `mentor`
    are compact indexes into `waiting_rank` and `capacity`; `score_units` are scores in
    units of 1 / SCORE_SCALE.

    Every given edge is held in memory; without `discarded`, above `max_edges` (or with an
    explicit `prune_k`) the solver gets only each mentee's best ones at first. After each
    solve the prices are checked against every edge held (one vectorized pass): if some
    edge breaks them, the solver gets every edge within NEAR_TIGHT of the prices and solves
    again. Only prices optimal over every edge held are sent to the `discarded` edges (an
    SQL scan): those returned (violated or tight) join the edges held, and the next solve
    gets only the violated ones and those within NEAR_TIGHT. Whatever the solver was given,
    the proof is the same: prices optimal for its solution on its edges (`dual_prices`:
    complementary slackness and equal objectives) and feasible on every other edge, held or
    discarded, make the solution optimal over all of them. The prices proven are then the
    least optimal ones of the whole problem (least on the solved edges and feasible on the
    rest), whatever path led there, so the tight edges, hence the waiting tie-break and the
    proposals, do not depend on the edges the solver was given on the way.
    """
    max_edges = MAX_EDGES_UNPRUNED if max_edges is None else max_edges
    edges = (mentee.astype(np.int64), mentor.astype(np.int64), score_units.astype(np.int64))
    solved = np.ones(len(edges[0]), dtype=bool)  # the edges the solver gets
    if discarded is None and (prune_k is not None or len(edges[0]) > max_edges):
        n_with_edges = len(np.unique(edges[0])) if len(edges[0]) else 0
        k = prune_k if prune_k is not None else max(MIN_PRUNE_K, max_edges // max(n_with_edges, 1))
        solved = prune(edges[0], k)[0]
    n, m = len(waiting_rank), len(capacity)
    big = count_premium(n)
    wait = waiting_weights(waiting_rank)
    rounds = 0
    while True:
        rounds += 1
        mentee, mentor, score = edges
        if not len(mentee):
            return Assignment.of(edges, np.zeros(0, bool), True, rounds)
        given = np.flatnonzero(solved)
        flows = _solve(mentee[given], mentor[given], score[given], capacity, n)
        chosen = np.zeros(len(mentee), dtype=bool)
        chosen[given[flows]] = True
        prices = dual_prices(mentee[given], mentor[given], score[given] + big, flows, n, capacity)
        if prices is None:  # cannot happen for an optimal solve: refuse to claim optimality
            return Assignment.of(edges, chosen, False, rounds, len(given))
        u, v = prices
        reduced = u[mentee] + v[mentor] - score - big
        if (~solved & (reduced < 0)).any():  # edges held but not solved break the prices
            solved |= reduced <= NEAR_TIGHT
            continue
        if discarded is not None:
            extra = _new_edges(edges, discarded.violations(u - big, v), m)
            if len(extra[0]):
                violated = extra[2].astype(np.int64) > (u - big)[extra[0]] + v[extra[1]]
                merged = tuple(
                    np.r_[a, b.astype(np.int64)] for a, b in zip(edges, extra, strict=True)
                )
                order = _canonical_order(*merged)
                edges = (merged[0][order], merged[1][order], merged[2][order])
                extra_reduced = (u - big)[extra[0]] + v[extra[1]] - extra[2].astype(np.int64)
                solved = np.r_[reduced <= NEAR_TIGHT, extra_reduced <= NEAR_TIGHT][order]
                if violated.any():
                    continue  # not optimal over every edge yet: solve again
            # only tight edges were missing: the same prices still certify the optimum
        chosen = _break_ties(edges, (u, v), big, int(chosen.sum()), capacity, wait)
        return Assignment.of(edges, chosen, True, rounds, len(given))
