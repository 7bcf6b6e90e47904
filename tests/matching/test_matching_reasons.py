"""Why a mentee got no proposal: the grouped computation of `unmatched_reasons` (mentor
profiles x mentee requirements, corrected by each mentee's own pairs) agrees, reason and
every count of the detail, with a brute-force pure-Python pass over every (mentee, mentor)
pair, on random small pools with history: people in both roles, manager chains and cycles,
declined, ended and excluded pairs, pending proposals and relationships using up seats."""

from __future__ import annotations

import random
import tempfile
from datetime import date
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from jumelage.matching import match_night
from tests.matching.helpers import (
    RUN_DATE,
    Warehouse,
    defaults,
    reference_components,
    reference_score,
)

NAMES = ["ana", "ben", "cam", "dan", "eve", "fay", "gus", "hal"]
REGIONS = [None, "", "Laval", " laval", "LAVAL ", "Québec"]
GOALS = ["leadership", "strategie", "finances", "rh"]

#: The stages of the detail, in order, as the report words them.
LABELS = (
    "mentors actifs",
    "partagent sa langue",
    "mode de rencontre compatible",
    "de niveau suffisant",
    "sans lien hiérarchique",
    "jamais refusés ni exclus",
    "avec une place libre",
    "au-dessus du score minimal",
)
CODES = (
    "no_active_mentor",
    "no_shared_language",
    "no_compatible_meeting_mode",
    "no_mentor_at_sufficient_level",
    "hierarchical_link_only",
    "declined_or_excluded_only",
    "all_compatible_mentors_full",
    "below_min_score",
)


def random_pool(rng: random.Random) -> dict[str, Any]:
    """People (one name may be registered in both roles), history and settings."""

    def person(name: str, role: str) -> dict[str, Any]:
        row = defaults(f"{name}@x.org", role)
        row.update(
            status=rng.choice(["active"] * 5 + ["absent", "removed"]),
            language=rng.choice(["fr", "en", "fr,en"]),
            meeting_mode=rng.choice(["in_person", "virtual", "both"]),
            region=rng.choice(REGIONS),
            management_level=rng.randint(1, 3) if role == "mentee" else rng.randint(1, 5),
            manager_email=rng.choice([None, None, f"{rng.choice(NAMES)}@x.org"]),
            first_seen_on=date(2026, 1, rng.randint(1, 3)),
            experience_years=rng.choice([None, rng.randint(0, 20)]),
            interests=rng.sample(["plein_air", "lecture"], rng.randint(0, 2)),
        )
        if role == "mentee":
            row["goals"] = rng.sample(GOALS, rng.randint(1, 3))
        else:
            row["competencies"] = rng.sample(GOALS, rng.randint(1, 4))
            row["capacity"] = rng.randint(1, 3)
        return row

    mentees = [person(n, "mentee") for n in rng.sample(NAMES, rng.randint(1, 7))]
    mentors = [person(n, "mentor") for n in rng.sample(NAMES, rng.randint(0, 7))]
    emails = [f"{n}@x.org" for n in NAMES]
    history = [
        (
            rng.choice(["proposal", "relationship", "rule"]),
            rng.choice(emails),
            rng.choice(emails),
            rng.choice(["declined", "proposed", "pending_approval", "active", "ended"]),
        )
        for _ in range(rng.randint(0, 6))
    ]
    matching = {
        "min_score": rng.choice([0.0, 0.3, 0.6]),
        "min_level_gap": rng.choice([0, 1]),
        "max_capacity": rng.choice([1, 5]),
    }
    return {"mentees": mentees, "mentors": mentors, "history": history, "matching": matching}


def load(wh: Warehouse, pool: dict[str, Any]) -> None:
    for row in pool["mentees"] + pool["mentors"]:
        wh.person(
            row["email"],
            row["role"],
            **{k: v for k, v in row.items() if k not in ("email", "role")},
        )
    for i, (kind, mentee, mentor, status) in enumerate(pool["history"]):
        if kind == "proposal" and status in ("declined", "proposed", "pending_approval"):
            wh.proposal(mentee, mentor, status, pid=f"P{i}")
        elif kind == "relationship" and status in ("active", "ended"):
            if not _has_relationship(wh, mentee, mentor):
                wh.relationship(mentee, mentor, status)
        elif kind == "rule":
            wh.rule(mentee, mentor, "excluded")


def _has_relationship(wh: Warehouse, mentee: str, mentor: str) -> bool:
    found = wh.con.execute(
        "select count(*) from relationships where mentee_email = ? and mentor_email = ?",
        [mentee, mentor],
    ).fetchone()
    return bool(found and found[0])


def brute_force_reasons(
    pool: dict[str, Any], wh: Warehouse, matched: set[str]
) -> dict[str, tuple[str, str]]:
    """Reason and detail of every waiting unmatched mentee, pair by pair in Python."""
    config = wh.config.matching
    people = pool["mentees"] + pool["mentors"]
    # the history as it stood when the night began (tonight's proposals are not a mentor's
    # load for the reasons: a mentor they took is "taken by others")
    proposals = wh.con.execute(
        "select mentee_email, mentor_email, status from proposals where run_date <> ?",
        [RUN_DATE],
    ).fetchall()
    relationships = wh.con.execute(
        "select mentee_email, mentor_email, status from relationships"
    ).fetchall()
    rules = wh.con.execute("select mentee_email, mentor_email from pair_rules").fetchall()

    manager: dict[str, set[str]] = {}
    for p in people:
        if p["status"] != "removed" and p["manager_email"] and p["manager_email"] != p["email"]:
            manager.setdefault(p["email"], set()).add(p["manager_email"])

    def superiors(email: str) -> set[str]:
        seen: set[str] = set()
        stack = list(manager.get(email, ()))
        while stack:
            boss = stack.pop()
            if boss not in seen:
                seen.add(boss)
                stack.extend(manager.get(boss, ()))
        return seen - {email}

    def linked(a: str, b: str) -> bool:
        return b in superiors(a) or a in superiors(b)

    blocked = {(a, b) for a, b, s in proposals if s == "declined"}
    blocked |= {(a, b) for a, b, _ in relationships} | set(rules)
    pending = [(a, b) for a, b, s in proposals if s in ("proposed", "pending_approval")]
    busy = {a for a, _ in pending} | {a for a, _, s in relationships if s == "active"}

    def free(mentor: dict[str, Any]) -> int:
        load = sum(b == mentor["email"] for _, b in pending)
        load += sum(b == mentor["email"] and s == "active" for _, b, s in relationships)
        return min(mentor["capacity"], config.max_capacity) - load

    def langs(value: str) -> set[str]:
        return {x for x in ("fr", "en") if x in value}

    def region(value: str | None) -> str:
        return (value or "").strip(" ").lower()

    def meets(a: dict[str, Any], b: dict[str, Any]) -> bool:
        if a["meeting_mode"] != "in_person" and b["meeting_mode"] != "in_person":
            return True
        return (
            "virtual" not in (a["meeting_mode"], b["meeting_mode"])
            and region(a["region"]) != ""
            and region(a["region"]) == region(b["region"])
        )

    tests = (
        lambda e, r: bool(langs(e["language"]) & langs(r["language"])),
        meets,
        lambda e, r: r["management_level"] >= e["management_level"] + config.min_level_gap,
        lambda e, r: not linked(e["email"], r["email"]),
        lambda e, r: (e["email"], r["email"]) not in blocked,
        lambda _, r: free(r) > 0,
        lambda e, r: (
            reference_score(reference_components(e, r), wh.config) >= config.min_score - 1e-9
        ),
    )
    expected = {}
    for e in pool["mentees"]:
        if e["status"] != "active" or e["email"] in busy or e["email"] in matched:
            continue
        stages: list[list[dict[str, Any]]] = [
            [r for r in pool["mentors"] if r["status"] == "active" and r["email"] != e["email"]]
        ]
        for test in tests:
            stages.append([r for r in stages[-1] if test(e, r)])
        counts = [len(s) for s in stages]
        reason = next(
            (code for code, n in zip(CODES, counts, strict=True) if n == 0), "taken_by_others"
        )
        detail = " · ".join(f"{n} {label}" for n, label in zip(counts, LABELS, strict=True))
        expected[e["email"]] = (reason, detail)
    return expected


@settings(max_examples=60, deadline=None)
@given(rng=st.randoms(use_true_random=False))
def test_reasons_agree_with_brute_force(rng: random.Random) -> None:
    pool = random_pool(rng)
    with tempfile.TemporaryDirectory() as tmp:
        wh = Warehouse(Path(tmp) / "data", **pool["matching"])
        try:
            load(wh, pool)
            result = match_night(wh.con, wh.config, RUN_DATE)
            matched = set(result.proposals["mentee_email"])
            expected = brute_force_reasons(pool, wh, matched)
        finally:
            wh.con.close()
    got = {
        row["mentee_email"]: (row["reason"], row["detail"])
        for row in result.unmatched.iter_rows(named=True)
    }
    assert got == expected
