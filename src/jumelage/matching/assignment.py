"""Global assignment (SPEC §5): a provably optimal b-matching of mentees to mentors.

Lexicographic objective, encoded in integers so that ties break the same way everywhere:
1. the largest number of mentees proposed (max flow),
2. then the largest total score (in thousandths),
3. then longer-waiting mentees first: each mentee carries a waiting weight n+1-rank, and the
   score is multiplied by S > sum of all waiting weights, so waiting never outweighs score.

OR-Tools `SimpleMinCostFlow.solve_max_flow_with_min_cost` solves (1) then (2)+(3) exactly.

At scale the solver is given only each mentee's best `prune_k` edges. That is *not* safe by
itself (scarce capacity makes mentees need their 50th choice), so every pruned solve is
followed by an LP-duality certificate over **all** qualifying edges: dual prices (u for
mentees, v for mentors) are derived from the solution, and if no discarded edge has
u_i + v_j < w_ij the solution is optimal over all edges; otherwise those edges are added and
the problem re-solved, until the certificate holds.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import numpy as np
from ortools.graph.python import min_cost_flow

from jumelage.matching.scoring import SCORE_SCALE

#: Above this many qualifying edges the solver starts from each mentee's best edges.
MAX_EDGES_UNPRUNED = 2_000_000
#: Never keep fewer edges per mentee than this when pruning.
MIN_PRUNE_K = 20
_INT64_MAX = np.iinfo(np.int64).max


@dataclass(frozen=True)
class Assignment:
    """The chosen pairs and how their optimality was shown."""

    mentee: np.ndarray  # compact mentee index of each chosen pair, ascending
    mentor: np.ndarray
    score_milli: np.ndarray
    certified: bool  # proven optimal over every qualifying edge, discarded ones included
    rounds: int  # solver runs (1 when nothing was pruned or the first certificate held)
    edges_solved: int  # edges given to the last solver run

    @classmethod
    def of(
        cls, edges: tuple[np.ndarray, ...], chosen: np.ndarray, certified: bool, rounds: int
    ) -> Assignment:
        mentee, mentor, score = edges
        return cls(mentee[chosen], mentor[chosen], score[chosen], certified, rounds, len(mentee))


def edge_values(
    mentee: np.ndarray, score_milli: np.ndarray, waiting_rank: np.ndarray
) -> tuple[np.ndarray, int, int, np.ndarray]:
    """Integer value of each edge, scale * score + waiting weight of its mentee; the count
    premium `big` that makes one more proposal worth more than any total of values; `scale`;
    and the waiting weight of every mentee.

    `mentee` holds compact indexes 0..n-1; `waiting_rank[i]` is 1 for the longest waiting.
    """
    n = len(waiting_rank)
    order = np.argsort(waiting_rank, kind="stable")
    weight = np.empty(n, dtype=np.int64)
    weight[order] = np.arange(n, 0, -1, dtype=np.int64)  # longest waiting: n
    scale = n * (n + 1) // 2 + 1  # > sum of every waiting weight
    top = scale * SCORE_SCALE + n
    big = n * top + 1  # > any sum of values over at most n proposals
    if big + top >= _INT64_MAX // 4:
        raise ValueError(f"pool too large for exact integer costs ({n} mentees)")
    values = scale * score_milli.astype(np.int64) + weight[mentee]
    return values, big, scale, weight


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
    mentees = np.unique(mentee).astype(np.int32)
    smcf.add_arcs_with_capacity_and_unit_cost(
        np.full(len(mentees), source, dtype=np.int32),
        mentees,
        np.ones(len(mentees), dtype=np.int64),
        np.zeros(len(mentees), dtype=np.int64),
    )
    mentors = np.unique(mentor).astype(np.int32)
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
        self, threshold: np.ndarray, price: np.ndarray, scale: int
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(mentee, mentor, score_milli) of the discarded edges with
        scale * score_milli > threshold[mentee] + price[mentor]."""
        ...


@dataclass(frozen=True)
class InMemoryEdges:
    """Discarded edges held as arrays (small pools, tests)."""

    mentee: np.ndarray
    mentor: np.ndarray
    score_milli: np.ndarray

    def violations(
        self, threshold: np.ndarray, price: np.ndarray, scale: int
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        bad = (
            scale * self.score_milli.astype(np.int64) > threshold[self.mentee] + price[self.mentor]
        )
        return self.mentee[bad], self.mentor[bad], self.score_milli[bad]


def violated_edges(
    mentee: np.ndarray, mentor: np.ndarray, weight: np.ndarray, u: np.ndarray, v: np.ndarray
) -> np.ndarray:
    """Edges whose reduced cost is negative: adding them could improve the solution."""
    return np.flatnonzero(u[mentee] + v[mentor] < weight)


def _canonical(
    mentee: np.ndarray, mentor: np.ndarray, score: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    order = np.lexsort((mentor, -score.astype(np.int64), mentee))
    return mentee[order], mentor[order], score[order]


def assign(
    mentee: np.ndarray,
    mentor: np.ndarray,
    score_milli: np.ndarray,
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
    are compact indexes into `waiting_rank` and `capacity`. Without `discarded`, more than
    `max_edges` edges (or an explicit `prune_k`) are pruned to each mentee's best ones here
    and the rest kept in memory for the certificate.
    """
    max_edges = MAX_EDGES_UNPRUNED if max_edges is None else max_edges
    n_edges = len(mentee)
    if discarded is None and (prune_k is not None or n_edges > max_edges):
        # tens of millions of edges: keep their compact dtypes, cast only what is solved
        starts = np.flatnonzero(np.r_[True, mentee[1:] != mentee[:-1]]) if n_edges else []
        starts = np.asarray(starts, dtype=np.int64)
        lengths = np.diff(np.r_[starts, n_edges]).astype(np.int64)
        rank = np.arange(n_edges) - np.repeat(starts, lengths)
        k = prune_k if prune_k is not None else max(MIN_PRUNE_K, max_edges // max(len(starts), 1))
        kept = rank < k
        rest = InMemoryEdges(mentee[~kept], mentor[~kept], score_milli[~kept])
        mentee, mentor, score_milli = mentee[kept], mentor[kept], score_milli[kept]
        return assign(mentee, mentor, score_milli, capacity, waiting_rank, discarded=rest)
    mentee = mentee.astype(np.int64)
    mentor = mentor.astype(np.int64)
    score_milli = score_milli.astype(np.int64)
    n = len(waiting_rank)
    rounds = 0
    while True:
        rounds += 1
        values, big, scale, wait = edge_values(mentee, score_milli, waiting_rank)
        chosen = _solve(mentee, mentor, values, capacity, n) if len(mentee) else np.zeros(0, bool)
        edges = (mentee, mentor, score_milli)
        if discarded is None:
            return Assignment.of(edges, chosen, True, rounds)
        prices = dual_prices(mentee, mentor, values + big, chosen, n, capacity)
        if prices is None:  # cannot happen for an optimal solve: refuse to claim optimality
            return Assignment.of(edges, chosen, False, rounds)
        u, v = prices
        extra = discarded.violations(u - big - wait, v, scale)
        if len(extra[0]) == 0:
            return Assignment.of(edges, chosen, True, rounds)
        mentee, mentor, score_milli = _canonical(
            np.r_[mentee, extra[0].astype(np.int64)],
            np.r_[mentor, extra[1].astype(np.int64)],
            np.r_[score_milli, extra[2].astype(np.int64)],
        )
