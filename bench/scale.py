"""Matching at scale: a seeded, realistic pool, scored in DuckDB and assigned by the solver.

    .venv/bin/python bench/scale.py [--sizes 2000x1000,10000x5000,50000x20000] [--seed 42]

For each size it prints: seconds for eligibility + scoring (DuckDB, keeping each mentee's
best pairs), seconds for the assignment (solver + optimality certificate over all qualifying
pairs, whose SQL re-scans are timed with it, and the share of all pairs each round re-scanned),
the numbers of pairs, the peak RSS of the process, and the time of a plain numpy baseline
scoring the same pairs (tags as uint64 bitmasks, `bitwise_count`), checked to find the same
eligible pairs, with the ratio DuckDB / numpy.
"""

from __future__ import annotations

import argparse
import gc
import itertools
import resource
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path

import numpy as np
import polars as pl

from jumelage import warehouse
from jumelage.config import Config
from jumelage.matching import assignment
from jumelage.matching.eligibility import build_pool, drop_pool
from jumelage.matching.scoring import IDEAL_EXPERIENCE_GAP, score_pool

REGIONS = [f"region-{i:02d}" for i in range(17)]
SKILLS = [f"skill-{i:02d}" for i in range(40)]
INTERESTS = [f"interest-{i:02d}" for i in range(30)]
SLOTS = [f"{d}-{p}" for d in ("mon", "tue", "wed", "thu", "fri") for p in ("am", "pm", "ev")]


def _zipf_choice(rng: np.random.Generator, n: int, size: int, a: float = 1.1) -> np.ndarray:
    weights = 1.0 / np.arange(1, n + 1) ** a
    return rng.choice(n, size=size, p=weights / weights.sum())


def _tag_lists(rng: np.random.Generator, vocab: list[str], n: int, lo: int, hi: int) -> list:
    counts = rng.integers(lo, hi + 1, size=n)
    weights = 1.0 / np.arange(1, len(vocab) + 1) ** 0.8
    weights /= weights.sum()
    return [
        [vocab[i] for i in rng.choice(len(vocab), size=c, replace=False, p=weights)] for c in counts
    ]


#: Two shapes of program. "regional": most people want to meet in person in their own
#: region (17 regions), which leaves ~6 % of the raw pairs eligible, like the reference pool
#: of issue 4. "national": mostly virtual, so about half of all pairs are eligible.
PROFILES = {
    "regional": {
        "mode": ([0.2, 0.1, 0.7], ["both", "virtual", "in_person"]),
        "language": [0.7, 0.2, 0.1],
        "mentee_levels": ([1, 2, 3, 4], [0.3, 0.3, 0.25, 0.15]),
        "mentor_levels": ([2, 3, 4, 5], [0.25, 0.3, 0.25, 0.2]),
    },
    "national": {
        "mode": ([0.6, 0.25, 0.15], ["both", "virtual", "in_person"]),
        "language": [0.65, 0.1, 0.25],
        "mentee_levels": ([1, 2, 3], [0.5, 0.35, 0.15]),
        "mentor_levels": ([2, 3, 4, 5], [0.2, 0.35, 0.3, 0.15]),
    },
}


def generate(n_mentees: int, n_mentors: int, seed: int, profile: str = "regional") -> pl.DataFrame:
    """A seeded pool shaped like a government program (PROFILES): mostly French, managers in
    the same organization, Zipf-popular skills and organizations."""
    shape = PROFILES[profile]
    rng = np.random.default_rng(seed)
    n = n_mentees + n_mentors
    role = np.array(["mentee"] * n_mentees + ["mentor"] * n_mentors)
    is_mentor = role == "mentor"
    email = np.array([f"p{i:06d}@org.example" for i in range(n)])
    level = np.where(
        is_mentor,
        rng.choice(shape["mentor_levels"][0], size=n, p=shape["mentor_levels"][1]),
        rng.choice(shape["mentee_levels"][0], size=n, p=shape["mentee_levels"][1]),
    )
    org = _zipf_choice(rng, 120, n)
    # managers: someone of a higher level in the same organization (often unregistered)
    manager = np.full(n, None, dtype=object)
    by_org: dict[int, np.ndarray] = {}
    order = np.argsort(org, kind="stable")
    bounds = np.flatnonzero(np.r_[True, org[order][1:] != org[order][:-1], True])
    for a, b in itertools.pairwise(bounds):
        by_org[int(org[order[a]])] = order[a:b]
    for i in rng.choice(n, size=int(0.7 * n), replace=False):
        peers = by_org[int(org[i])]
        boss = peers[rng.integers(0, len(peers))]
        if level[boss] > level[i]:
            manager[i] = email[boss]
        else:
            manager[i] = f"chief{int(org[i]):03d}-{level[i] + 1}@org.example"
    mode = rng.choice(shape["mode"][1], size=n, p=shape["mode"][0])
    region = rng.choice(REGIONS, size=n).astype(object)
    region[rng.random(n) < 0.1] = None
    experience = np.where(
        is_mentor, rng.integers(10, 36, size=n), rng.integers(2, 21, size=n)
    ).astype(object)
    experience[rng.random(n) < 0.1] = None
    mentor_emails = email[is_mentor]
    prefs = [
        rng.choice(mentor_emails, size=rng.integers(1, 4), replace=False).tolist()
        if not is_mentor[i] and rng.random() < 0.1
        else []
        for i in range(n)
    ]
    first_seen = date(2025, 1, 1)
    skills = _tag_lists(rng, SKILLS, n, 1, 4)
    competencies = _tag_lists(rng, SKILLS, n, 3, 8)
    return pl.DataFrame(
        {
            "email": email,
            "role": role,
            "status": "active",
            "first_name": "Prénom",
            "last_name": "Nom",
            "language": rng.choice(["fr", "en", "fr,en"], size=n, p=shape["language"]),
            "organization": [f"Organisation {o:03d}" for o in org],
            "unit": None,
            "manager_email": manager.tolist(),
            "management_level": level.astype(np.int32),
            "region": region.tolist(),
            "meeting_mode": mode,
            "competencies": [c if m else [] for c, m in zip(competencies, is_mentor, strict=True)],
            "goals": [[] if m else g for g, m in zip(skills, is_mentor, strict=True)],
            "interests": _tag_lists(rng, INTERESTS, n, 0, 5),
            "experience_years": experience.tolist(),
            "availability": _tag_lists(rng, SLOTS, n, 0, 6),
            "capacity": np.where(is_mentor, rng.choice([1, 2, 3], size=n, p=[0.5, 0.35, 0.15]), 1),
            "preferred_mentors": prefs,
            "duration_months": None,
            "submitted_at": [
                datetime(2025, 1, 1) + timedelta(minutes=int(x))
                for x in rng.integers(0, 525_600, size=n)
            ],
            "source_file": "bench.csv",
            "source_row": np.arange(1, n + 1, dtype=np.int32),
            "first_seen_on": [
                first_seen + timedelta(days=int(x)) for x in rng.integers(0, 365, size=n)
            ],
            "updated_on": date(2026, 1, 1),
        },
        schema_overrides={
            "experience_years": pl.Int32,
            "manager_email": pl.String,
            "region": pl.String,
            "unit": pl.String,
            "duration_months": pl.Int32,
        },
    )


def numpy_baseline(con, config: Config, block: int = 256) -> tuple[float, int, int]:
    """Score the same pool with plain numpy (tags as uint64 bitmasks, `bitwise_count`), blocks
    of mentees x all mentors, the same hard constraints; returns (seconds, eligible,
    qualifying) so that the caller can check both found the same pairs."""

    def side(table: str, key: str, kind: str) -> dict[str, np.ndarray]:
        return con.sql(
            f"select m.*, k.skill_mask, k.interest_mask, k.slot_mask from {table} as m "
            f"join tag_masks as k on k.side = '{kind}' and k.id = m.{key} order by m.{key}"
        ).fetchnumpy()

    e = side("waiting_mentees", "mentee_id", "mentee")
    r = side("available_mentors", "mentor_id", "mentor")
    excluded = con.sql("select mentee_id - 1, mentor_id - 1 from excluded_pairs").fetchnumpy()
    prefs = con.sql("select mentee_id - 1, mentor_id - 1, preference from preferences").fetchnumpy()
    w = config.matching.weights.normalized()
    gap, min_score = config.matching.min_level_gap, config.matching.min_score - 1e-9

    def codes(values: np.ndarray, table: dict) -> np.ndarray:
        """Dense codes; an unknown value (null) is "", code 0 for regions (never the same)."""
        return np.array(
            [
                table.setdefault(
                    "" if v is None or v is np.ma.masked else str(v).strip().lower(), len(table)
                )
                for v in values
            ]
        )

    def years(values: np.ndarray) -> np.ndarray:
        return np.array([np.nan if v is None or v is np.ma.masked else float(v) for v in values])

    start = time.perf_counter()
    orgs: dict[str, int] = {}
    regions: dict[str, int] = {"": 0}
    cols = {}
    for name, d in (("e", e), ("r", r)):
        cols[name] = {
            "lang": d["language_mask"].astype(np.uint8),
            "level": d["management_level"].astype(np.int32),
            "ip_only": np.asarray(d["meeting_mode"] == "in_person"),
            "ip_ok": np.asarray(d["meeting_mode"] != "virtual"),
            "region": codes(d["region_key"], regions),
            "org": codes(d["organization"], orgs),
            "years": years(d["experience_years"]),
            "skill": d["skill_mask"].astype(np.uint64),
            "int": d["interest_mask"].astype(np.uint64),
            "slot": d["slot_mask"].astype(np.uint64),
        }
    E, R = cols["e"], cols["r"]
    n_e = len(E["lang"])
    eligible = qualifying = 0
    for lo in range(0, n_e, block):
        hi = min(lo + block, n_e)
        s = slice(lo, hi)

        def col(x: np.ndarray, s: slice = s) -> np.ndarray:
            return x[s, None]

        ok = (col(E["lang"]) & R["lang"]) != 0
        ok &= R["level"] >= col(E["level"]) + gap
        need_region = col(E["ip_only"]) | R["ip_only"]
        same_region = (col(E["region"]) > 0) & (col(E["region"]) == R["region"])
        ok &= ~need_region | (col(E["ip_ok"]) & R["ip_ok"] & same_region)
        x = (excluded["(mentee_id - 1)"] >= lo) & (excluded["(mentee_id - 1)"] < hi)
        ok[excluded["(mentee_id - 1)"][x] - lo, excluded["(mentor_id - 1)"][x]] = False
        ii, jj = np.nonzero(ok)
        if ii.size == 0:
            continue
        gi = ii + lo
        n_goals = np.bitwise_count(E["skill"][gi]).astype(float)
        covered = np.bitwise_count(E["skill"][gi] & R["skill"][jj])
        goals = np.divide(covered, n_goals, out=np.zeros(ii.size), where=n_goals > 0)
        inter = np.bitwise_count(E["int"][gi] & R["int"][jj]).astype(float)
        union = np.bitwise_count(E["int"][gi] | R["int"][jj]).astype(float)
        interests = np.divide(inter, union, out=np.zeros(ii.size), where=union > 0)
        ns_e = np.bitwise_count(E["slot"][gi]).astype(float)
        ns_r = np.bitwise_count(R["slot"][jj])
        shared = np.bitwise_count(E["slot"][gi] & R["slot"][jj])
        avail = np.where((ns_e == 0) | (ns_r == 0), 0.5, shared / np.maximum(ns_e, 1))
        gap_years = R["years"][jj] - E["years"][gi]
        exp = np.where(
            np.isnan(gap_years),
            0.5,
            np.clip(np.nan_to_num(gap_years), 0, IDEAL_EXPERIENCE_GAP) / IDEAL_EXPERIENCE_GAP,
        )
        cross = (E["org"][gi] != R["org"][jj]).astype(float)
        score = (
            w["goals"] * goals
            + w["interests"] * interests
            + w["experience"] * exp
            + w["availability"] * avail
            + w["cross_organization"] * cross
        )
        p = (prefs["(mentee_id - 1)"] >= lo) & (prefs["(mentee_id - 1)"] < hi)
        if p.any():
            bonus = np.zeros(ok.shape)
            bonus[prefs["(mentee_id - 1)"][p] - lo, prefs["(mentor_id - 1)"][p]] = prefs[
                "preference"
            ][p]
            score += w["preference"] * bonus[ii, jj]
        eligible += score.size
        qualifying += int((score >= min_score).sum())
    return time.perf_counter() - start, eligible, qualifying


def peak_rss_gib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20


def run(
    n_mentees: int,
    n_mentors: int,
    seed: int,
    baseline: bool,
    profile: str,
    proposals: Path | None = None,
) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        data.mkdir()
        config = Config.model_validate(
            {
                "program": {
                    "name": "bench",
                    "mailbox": "m@org.example",
                    "coordinators": ["c@org.example"],
                    "data_dir": str(data),
                }
            }
        )
        con = warehouse.connect(data)
        t_load = time.perf_counter()
        people = generate(n_mentees, n_mentors, seed, profile)
        con.register("bench_people", people.to_arrow())
        con.execute("insert into participants by name select * from bench_people")
        con.unregister("bench_people")
        del people
        gc.collect()

        t0 = time.perf_counter()
        pool = build_pool(con, config)
        candidates = score_pool(con, config)
        eligible, qualifying = candidates.eligible, candidates.qualifying
        t1 = time.perf_counter()
        mentees = con.sql(
            "select waiting_rank from waiting_mentees order by mentee_id"
        ).fetchnumpy()
        mentors = con.sql(
            "select free_capacity from available_mentors order by mentor_id"
        ).fetchnumpy()
        left_out = candidates.left_out
        result = assignment.assign(
            candidates.mentee_id - 1,
            candidates.mentor_id - 1,
            candidates.score_units,
            mentors["free_capacity"].astype(np.int64),
            mentees["waiting_rank"],
            discarded=left_out,
        )
        del candidates
        t2 = time.perf_counter()
        if proposals is not None:  # to compare two versions' results pair by pair
            pl.DataFrame(
                {
                    "mentee_id": result.mentee + 1,
                    "mentor_id": result.mentor + 1,
                    "score_units": result.score_units,
                }
            ).write_csv(proposals)
        row = {
            "size": f"{n_mentees}x{n_mentors}",
            "profile": profile,
            "s_generate_load": round(t0 - t_load, 2),
            "mentees": pool.mentees,
            "mentors": pool.mentors,
            "free_capacity": pool.free_capacity,
            "eligible_pairs": eligible,
            "qualifying_pairs": qualifying,
            "edges_solved": result.edges_solved,
            "proposals": len(result.mentee),
            "certified": result.certified,
            "rounds": result.rounds,
            # share of all mentee x mentor pairs each certificate round read again
            "rescanned_per_round": [
                round(n / max(pool.mentees * pool.mentors, 1), 3) for n in left_out.scanned
            ],
            "s_score": round(t1 - t0, 2),
            "s_assign": round(t2 - t1, 2),
            "s_certificate_scans": [round(x, 2) for x in left_out.seconds],
            "s_total": round(t2 - t0, 2),
            # the process's peak so far: pool, scoring, certificate and solver (before the
            # numpy baseline, whose own blocks of pairs come on top)
            "peak_rss_gib_match": round(peak_rss_gib(), 2),
        }
        if baseline:
            seconds, b_eligible, b_qualifying = numpy_baseline(con, config)
            row["s_numpy"] = round(seconds, 2)
            row["numpy_same_pairs"] = (b_eligible, b_qualifying) == (eligible, qualifying)
            row["duckdb_vs_numpy"] = round((t1 - t0) / seconds, 2)
        drop_pool(con)
        con.close()
        row["peak_rss_gib"] = round(peak_rss_gib(), 2)
        return row


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="2000x1000,10000x5000,50000x20000")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--no-baseline", action="store_true")
    parser.add_argument("--profile", choices=sorted(PROFILES), default="regional")
    parser.add_argument(
        "--proposals", type=Path, help="write each size's proposals to <this>-<size>.csv"
    )
    args = parser.parse_args(argv)
    for size in args.sizes.split(","):
        a, b = (int(x) for x in size.lower().split("x"))
        dump = None if args.proposals is None else Path(f"{args.proposals}-{size}.csv")
        print(run(a, b, args.seed, not args.no_baseline, args.profile, dump), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
