"""Scoring of every eligible pair in DuckDB (SPEC §5).

The solver needs integer costs, so each pair also gets `score_units`, its score in units of
1e-9 (rounded to the nearest): two scores more than 1e-9 apart never get the same units, so
the optimum is that of the exact scores and only scores equal within 1e-9 can tie (waiting
time then decides). Whether a pair qualifies (score >= min_score) is decided on the exact
score, in SQL.

Eligible pairs are never stored as rows: one pass (`candidates.sql`) aggregates them per
mentee into counts and its best qualifying mentors with their integer scores; the solver
starts from those, and its optimality certificate scans again, in SQL, only the mentees
whose left-out pairs might matter (`LeftOut`).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import duckdb
import numpy as np
import polars as pl

from jumelage import models
from jumelage.config import Config
from jumelage.matching.eligibility import eligible_params, set_scope
from jumelage.vocabulary import COMPONENTS

#: Years of experience ahead of the mentee at which the experience component is 1.
IDEAL_EXPERIENCE_GAP = 10
#: Resolution of the integer scores given to the solver: units of 1e-9 (an INTEGER column).
SCORE_SCALE = 1_000_000_000
#: Room for mentor ids in the packed edge keys of candidates.sql.
MENTOR_SLOTS = 1 << 24
#: Tolerance for score >= min_score (a sum of products of decimals is never exact).
EPSILON = 1e-9


def score_params(con: duckdb.DuckDBPyConnection, config: Config) -> dict[str, float | int]:
    weights = config.matching.weights.normalized()
    return {
        **eligible_params(con, config),
        **{f"w_{name}": weights[name] for name in COMPONENTS},
        "ideal_gap": IDEAL_EXPERIENCE_GAP,
        "score_scale": SCORE_SCALE,
        "min_score": config.matching.min_score - EPSILON,
    }


def score_views(con: duckdb.DuckDBPyConnection, config: Config) -> None:
    """The views `eligible_pairs` and `scored_pairs` over the pool (and its scope), with
    tonight's parameters bound."""
    params = score_params(con, config)
    models.materialize(con, "matching/eligible_pairs", params, build=False, view=True)
    models.materialize(con, "matching/scored_pairs", params, build=False, view=True)


#: Qualifying edges per mentee given to the solver at first; the optimality certificate adds
#: any other that could matter.
TOP_K = 48
#: A mentor that the mentees' best edges give fewer edges than this also gets its best
#: mentees, so that the solver sees mentors that no mentee ranks among its best.
MENTOR_K = 8
#: Up to this many qualifying pairs in the pool, the solver is given them all (one solve,
#: nothing to certify), as assignment.MAX_EDGES_UNPRUNED does for edges held in memory.
ALL_EDGES_UP_TO = 2_000_000
#: The certificate's scan also brings pairs this close below the dual prices (0.02 of
#: score): not needed for the proof, but they save rounds (each one a solve and a scan), and
#: later scans read again only the pairs whose mentee's threshold and mentor's price fell by
#: more than this in all since the first (LeftOut.violations). Measured at 50,000 x 20,000:
#: 0.01 makes four scans instead of three, 0.04 a first scan of 29 % of pairs, not 21 %.
CERTIFICATE_MARGIN = SCORE_SCALE // 50
#: A scan query's fixed cost, in mentee x mentor pairs of its join (see _prefix_groups):
#: about 0.1 s on the 2-core machine, at 20,000 x 8,000 as at 50,000 x 20,000.
SCAN_QUERY_PAIRS = 4_000_000
#: Where the mentees of a scan may be cut into groups: at these many quantiles.
SCAN_CUT_CANDIDATES = 64


@dataclass(frozen=True)
class Candidates:
    """Each mentee's best qualifying pairs, as solver edges in canonical order (mentee, best
    score first, then mentor), with the pool's counts and what the certificate needs to
    check the pairs left out."""

    mentee_id: np.ndarray
    mentor_id: np.ndarray
    score_units: np.ndarray
    eligible: int
    qualifying: int
    left_out: LeftOut


def score_pool(
    con: duckdb.DuckDBPyConnection, config: Config, top_k: int | None = None
) -> Candidates:
    """Score every eligible pair of the pool in one pass (candidates.sql), keeping only each
    mentee's best `top_k` qualifying pairs (and the bound on the rest), then the best
    mentees of the mentors those pairs leave short (mentor_candidates.sql, over their pairs).

    Also keeps `mentee_scores(mentee_id, eligible, qualifying)` for the reasons. Components
    are recomputed for the few pairs proposed (`proposals.chosen_scores`).
    """
    top_k = TOP_K if top_k is None else top_k
    score_views(con, config)
    keys = {"score_scale": SCORE_SCALE, "mentor_slots": MENTOR_SLOTS}
    per_mentee = models.frame(con, "matching/candidates", {**keys, "top_k": top_k}, build=False)
    counts = per_mentee.select(
        pl.col("mentee_id").cast(pl.Int32), pl.col("eligible"), pl.col("qualifying")
    )
    models.put(con, "mentee_scores", counts)
    mentee_ids = counts["mentee_id"].to_numpy()
    lengths = per_mentee["edge_keys"].list.len().to_numpy().astype(np.int64)
    flat = per_mentee["edge_keys"].explode().drop_nulls().to_numpy().astype(np.int64)
    starts = np.cumsum(lengths) - lengths
    rank = np.arange(len(flat)) - np.repeat(starts, lengths)
    owner = np.repeat(mentee_ids, lengths)
    kept = rank < top_k
    # per mentee: the last key given to the solver and the best score left out (-1: none)
    last_key = np.full(len(mentee_ids), -1, dtype=np.int64)
    next_units = np.full(len(mentee_ids), -1, dtype=np.int64)
    has_kept = lengths > 0
    last_key[has_kept] = flat[(starts + np.minimum(lengths, top_k) - 1)[has_kept]]
    beyond = ~kept
    next_units[np.searchsorted(mentee_ids, owner[beyond])] = (
        SCORE_SCALE - flat[beyond] // MENTOR_SLOTS
    )
    qualifying = int(counts["qualifying"].sum() or 0)
    if (next_units >= 0).any() and qualifying <= ALL_EDGES_UP_TO:
        # few enough for the solver: all of them (a second, plain pass) and none left out,
        # rather than certificate rounds that each scan again
        every = models.relation(con, "matching/qualifying_pairs", build=False).fetchnumpy()
        mentee, mentor, units = (
            every[c].astype(np.int64) for c in ("mentee_id", "mentor_id", "score_units")
        )
        next_units[:] = -1
    else:
        mentee, mentor, units = _with_short_mentors(
            con, owner[kept], flat[kept], {**keys, "mentor_k": MENTOR_K}
        )
    pair = np.unique(mentee * MENTOR_SLOTS + mentor, return_index=True)[1]
    mentee, mentor, units = mentee[pair], mentor[pair], units[pair]
    order = np.lexsort((mentor, -units, mentee))  # canonical: mentee, best score, mentor
    return Candidates(
        mentee[order].astype(np.int32),
        mentor[order].astype(np.int32),
        units[order].astype(np.int32),
        int(counts["eligible"].sum() or 0),
        qualifying,
        LeftOut(con, config, mentee_ids, last_key, next_units),
    )


def _with_short_mentors(
    con: duckdb.DuckDBPyConnection, owner: np.ndarray, keys: np.ndarray, params: dict[str, int]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The mentees' kept edges (owner, packed keys) as (mentee, mentor, units), plus the best
    MENTOR_K mentees of each mentor they leave with fewer edges than that
    (mentor_candidates.sql, scoped to those mentors: a pass over their pairs only), so that
    the solver also sees mentors no mentee ranks among its best. Some edges may repeat."""
    mentors = con.table("available_mentors").select("mentor_id").fetchnumpy()["mentor_id"]
    load = np.bincount(keys % MENTOR_SLOTS, minlength=int(mentors.max(initial=0)) + 1)
    short = mentors[load[mentors] < MENTOR_K]
    m_ids, m_lengths, m_flat = (np.zeros(0, dtype=np.int64),) * 3
    if len(short) and len(keys):
        set_scope(con, None, short.tolist())
        try:
            per_mentor = models.frame(con, "matching/mentor_candidates", params, build=False)
        finally:
            set_scope(con, None)
        m_ids = per_mentor["mentor_id"].to_numpy()
        m_lengths = per_mentor["mentee_keys"].list.len().to_numpy().astype(np.int64)
        m_flat = per_mentor["mentee_keys"].explode().drop_nulls().to_numpy().astype(np.int64)
    mentee = np.r_[owner, m_flat % MENTOR_SLOTS].astype(np.int64)
    mentor = np.r_[keys % MENTOR_SLOTS, np.repeat(m_ids, m_lengths)].astype(np.int64)
    units = np.r_[SCORE_SCALE - keys // MENTOR_SLOTS, SCORE_SCALE - m_flat // MENTOR_SLOTS]
    return mentee, mentor, units


def _ranks(key: np.ndarray, limit: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The mentors in order of `key` (ascending, ties by index) and, per mentee, the last
    position in that order whose key is at most its `limit` (-1: none): a mentee is scanned
    against exactly the mentors keyed within its limit, a prefix of the order."""
    order = np.argsort(key, kind="stable")
    return np.searchsorted(key[order], limit, side="right").astype(np.int64) - 1, order


def _prefix_groups(sees_up_to: np.ndarray) -> list[np.ndarray]:
    """Mentees (indexes) in groups, each to be scanned by one query against the prefix of
    the mentors its first mentee sees.

    A query's join enumerates every pair of its mentees and mentors before the ranks filter
    them: one query for all would cost (all mentees) x (the longest prefix). Groups of
    mentees with similar prefixes cost about the sum of the prefixes, plus SCAN_QUERY_PAIRS
    a query; the cuts (among quantiles of the mentees by prefix) minimize that sum."""
    live = np.flatnonzero(sees_up_to >= 0)
    if not len(live):
        return []
    by = live[np.argsort(-sees_up_to[live], kind="stable")]
    length = sees_up_to[by] + 1  # descending
    cuts = np.unique(np.linspace(0, len(by), SCAN_CUT_CANDIDATES + 1).astype(np.int64))
    best = np.full(len(cuts), np.inf)
    came = np.zeros(len(cuts), dtype=np.int64)
    best[0] = 0.0
    for b in range(1, len(cuts)):
        a = np.arange(b)
        cost = best[a] + (cuts[b] - cuts[a]) * length[cuts[a]].astype(float) + SCAN_QUERY_PAIRS
        came[b] = int(np.argmin(cost))
        best[b] = cost[came[b]]
    groups, b = [], len(cuts) - 1
    while b > 0:
        groups.append(by[cuts[came[b]] : cuts[b]])
        b = int(came[b])
    return groups[::-1]


class LeftOut:
    """The qualifying pairs the solver was not given (`assignment.DiscardedEdges`): never
    held, scanned again in SQL (certificate_violations.sql) only where no bound settles
    them (see `violations`).

    Indexes are compact (mentee_id - 1, mentor_id - 1), as the solver's.
    """

    def __init__(
        self,
        con: duckdb.DuckDBPyConnection,
        config: Config,
        mentee_ids: np.ndarray,
        last_key: np.ndarray,
        next_units: np.ndarray,
    ) -> None:
        self.con, self.config = con, config
        self.mentee_ids, self.last_key, self.next_units = mentee_ids, last_key, next_units
        # (mentee, mentor) pairs in the scope of each certificate round and its seconds,
        # for the stats
        self.scanned: list[int] = []
        self.seconds: list[float] = []
        # (threshold, price) of the first round, which covered every left-out pair
        self.reference: tuple[np.ndarray, np.ndarray] | None = None
        # (threshold, price) of the last round after the first: every left-out pair it did
        # not return scores below threshold + price
        self.last: tuple[np.ndarray, np.ndarray] | None = None

    def without(self, mentee_ids: np.ndarray) -> LeftOut:
        """The same, ignoring some mentees (those fixed before the solve)."""
        next_units = np.where(np.isin(self.mentee_ids, mentee_ids), -1, self.next_units)
        return LeftOut(self.con, self.config, self.mentee_ids, self.last_key, next_units)

    def violations(
        self, threshold: np.ndarray, price: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Left-out pairs with score_units >= threshold[mentee] + price[mentor].

        Sound bounds settle pairs without reading them:

        - By price: a mentee's left-out pairs all score at most `next_units` (its best one
          left out), so the mentors priced above next_units - threshold + margin cannot
          reach the prices with it (nor come within the margin).
        - By the first round: the first call covers every left-out pair, and each pair it
          returns is held by the solver's side from then on (checked after every solve).
          A pair not returned scores below t1 + p1 - CERTIFICATE_MARGIN (its mentee's
          threshold and its mentor's price then), so it can reach t + p now only if the
          two fell by more than CERTIFICATE_MARGIN in all: a mentee whose threshold fell
          by at most f needs only the mentors whose price fell by more than the margin - f.
          The mentees are taken in levels of f; at the usual f <= 0, few mentors.
        - By the last round (from the third on): every left-out pair it did not return
          scores below its t + p then (returned within the margin, or settled by one of
          these bounds), so a mentee whose threshold did not fall since needs only the
          mentors whose price did.

        Within a level the mentors are ranked by price and each mentee is scanned against
        the prefix its price bound leaves (`set_scope` with ranks, a filter inside the pair
        join). The join enumerates every pair of its mentees and mentors before that
        filter, so mentees with similar prefixes share a query scoped to their mentors
        (`_prefix_groups`)."""
        index = self.mentee_ids.astype(np.int64) - 1
        has_left_out = self.next_units >= 0
        # by price: each mentee's mentors are those priced up to its limit
        limit = self.next_units - threshold[index] + CERTIFICATE_MARGIN
        if self.reference is None:
            self.reference = (threshold.copy(), price.copy())
            levels = [(has_left_out, np.arange(len(price)))]
        else:  # by the first round: a mentee whose threshold fell by at most `fell` needs
            # only the mentors whose price fell by more than CERTIFICATE_MARGIN - fell
            first_threshold, first_price = self.reference
            mentee_fell = first_threshold[index] - threshold[index]
            mentor_fell = first_price - price
            # by the last round, if any: a mentee whose threshold did not fall since needs
            # only the mentors whose price did
            steady = np.ones(len(index), dtype=bool)
            fell_since = np.arange(len(price))
            if self.last is not None:
                last_threshold, last_price = self.last
                steady = last_threshold[index] - threshold[index] <= 0
                fell_since = np.flatnonzero(last_price - price > 0)
            levels, below = [], np.zeros(len(index), dtype=bool)
            for fell in (*(CERTIFICATE_MARGIN * q // 4 for q in range(5)), None):
                at = ~below if fell is None else ~below & (mentee_fell <= fell)
                below |= at
                mentors = (
                    np.arange(len(price))
                    if fell is None
                    else np.flatnonzero(mentor_fell > CERTIFICATE_MARGIN - fell)
                )
                levels.append((at & steady & has_left_out, np.intersect1d(mentors, fell_since)))
                levels.append((at & ~steady & has_left_out, mentors))
        started = time.perf_counter()
        found: list[tuple[np.ndarray, ...]] = []
        scanned = 0
        try:
            for mentees, mentors in levels:
                if not mentees.any() or not len(mentors):
                    continue
                sees_up_to, order = _ranks(price[mentors], limit)
                sees_up_to[~mentees] = -1
                scanned += int((sees_up_to + 1).sum())
                for group in _prefix_groups(sees_up_to):
                    seen = int(sees_up_to[group[0]]) + 1
                    scoped = np.full(len(index), -1, dtype=np.int64)
                    scoped[group] = sees_up_to[group]
                    found.append(
                        self._scan(scoped, mentors[order[:seen]], np.arange(seen), threshold, price)
                    )
        finally:
            models.drop(self.con, ["certificate_mentees", "certificate_mentors"])
            set_scope(self.con, None)
        if len(self.scanned):  # not the first round, which is the reference
            self.last = (threshold.copy(), price.copy())
        self.scanned.append(scanned)
        self.seconds.append(time.perf_counter() - started)
        if not found:
            empty = np.zeros(0, dtype=np.int64)
            return empty, empty, empty
        mentee, mentor, units = (np.concatenate(parts) for parts in zip(*found, strict=True))
        return mentee, mentor, units

    def _scan(
        self,
        sees_up_to: np.ndarray,
        mentors: np.ndarray,
        rank: np.ndarray,
        threshold: np.ndarray,
        price: np.ndarray,
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """certificate_violations.sql over the mentees that see some mentors (sees_up_to >=
        0) and some mentors (indexes, with their ranks); the caller drops the tables it
        leaves and restores the scope."""
        scoped = sees_up_to >= 0
        mentee_ids = self.mentee_ids[scoped]
        mentor_ids = (mentors + 1).astype(np.int32)
        models.put(
            self.con,
            "certificate_mentees",
            pl.DataFrame(
                {
                    "mentee_id": mentee_ids,
                    "last_key": self.last_key[scoped],
                    "threshold": threshold[mentee_ids.astype(np.int64) - 1],
                }
            ),
        )
        models.put(
            self.con,
            "certificate_mentors",
            pl.DataFrame({"mentor_id": mentor_ids, "price": price[mentors]}),
        )
        # the views over the pool read the scope tables by name: replacing those is enough
        set_scope(
            self.con,
            mentee_ids.tolist(),
            mentor_ids.tolist(),
            sees_up_to=sees_up_to[scoped].tolist(),
            scope_rank=rank.tolist(),
        )
        found = models.relation(
            self.con,
            "matching/certificate_violations",
            {
                "score_scale": SCORE_SCALE,
                "mentor_slots": MENTOR_SLOTS,
                "margin": CERTIFICATE_MARGIN,
            },
            build=False,
        ).fetchnumpy()
        return (
            found["mentee_id"].astype(np.int64) - 1,
            found["mentor_id"].astype(np.int64) - 1,
            found["score_units"].astype(np.int64),
        )


def scored_model(
    con: duckdb.DuckDBPyConnection,
    config: Config,
    model: str,
    mentee_ids: list[int],
    mentor_ids: list[int] | None = None,
    **params: int,
) -> pl.DataFrame:
    """Run a model over `scored_pairs` for some mentees (and mentors) only, e.g. the pairs
    the committee requested."""
    set_scope(con, mentee_ids, mentor_ids)
    try:
        score_views(con, config)
        return models.relation(con, model, params, build=False).pl()
    finally:
        set_scope(con, None)
