"""Test helpers: a warehouse with participants inserted directly, and an independent
pure-Python reference of the hard constraints, the score and the optimal assignment."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import duckdb

from jumelage import warehouse
from jumelage.config import Config

RUN_DATE = date(2026, 3, 2)


def make_config(data_dir: Path, **matching: Any) -> Config:
    require_approval = matching.pop("require_approval", False)
    return Config.model_validate(
        {
            "program": {
                "name": "Test",
                "mailbox": "mentorat@example.org",
                "coordinators": ["coord@example.org"],
                "data_dir": str(data_dir),
                "require_approval": require_approval,
            },
            "matching": matching,
        }
    )


def defaults(email: str, role: str) -> dict[str, Any]:
    return {
        "email": email,
        "role": role,
        "status": "active",
        "first_name": email.split("@")[0].capitalize(),
        "last_name": "Test",
        "language": "fr",
        "organization": "Org A",
        "unit": None,
        "manager_email": None,
        "management_level": 1 if role == "mentee" else 3,
        "region": None,
        "meeting_mode": "both",
        "competencies": ["leadership", "strategie"] if role == "mentor" else [],
        "goals": ["leadership"] if role == "mentee" else [],
        "interests": [],
        "experience_years": None,
        "availability": [],
        "capacity": 1,
        "preferred_mentors": [],
        "duration_months": None,
        "submitted_at": datetime(2026, 1, 1, 12, 0),
        "source_file": "registrations.csv",
        "source_row": 1,
        "first_seen_on": date(2026, 1, 1),
        "updated_on": date(2026, 1, 1),
    }


class Warehouse:
    """A fresh warehouse in a directory, with helpers to insert rows directly."""

    def __init__(self, data_dir: Path, **matching: Any) -> None:
        self.data_dir = data_dir
        data_dir.mkdir(parents=True, exist_ok=True)  # as `jumelage init` makes it
        self.config = make_config(data_dir, **matching)
        self.con: duckdb.DuckDBPyConnection = warehouse.connect(data_dir)

    def reconfigure(self, **matching: Any) -> None:
        self.config = make_config(self.data_dir, **matching)

    def person(self, email: str, role: str, **fields: Any) -> dict[str, Any]:
        row = {**defaults(email, role), **fields}
        cols = ", ".join(row)
        marks = ", ".join("?" for _ in row)
        self.con.execute(f"insert into participants ({cols}) values ({marks})", list(row.values()))
        return row

    def mentee(self, email: str, **fields: Any) -> dict[str, Any]:
        return self.person(email, "mentee", **fields)

    def mentor(self, email: str, **fields: Any) -> dict[str, Any]:
        return self.person(email, "mentor", **fields)

    def proposal(self, mentee: str, mentor: str, status: str, pid: str | None = None) -> None:
        self.con.execute(
            "insert into proposals (proposal_id, run_date, mentee_email, mentor_email, score, "
            "score_goals, score_interests, score_experience, score_availability, "
            "score_cross_organization, score_preference, status, created_at) "
            "values (?, ?, ?, ?, 0.5, 0, 0, 0, 0, 0, 0, ?, ?)",
            [
                pid or f"X-{mentee}-{mentor}",
                date(2026, 2, 1),
                mentee,
                mentor,
                status,
                datetime(2026, 2, 1),
            ],
        )

    def relationship(self, mentee: str, mentor: str, status: str) -> None:
        self.con.execute(
            "insert into relationships (relationship_id, mentee_email, mentor_email, started_on, "
            "status) values (?, ?, ?, ?, ?)",
            [f"R-{mentee}-{mentor}", mentee, mentor, date(2026, 1, 15), status],
        )

    def rule(self, mentee: str, mentor: str, rule: str) -> None:
        self.con.execute(
            "insert into pair_rules values (?, ?, ?, ?, ?, null)",
            [mentee, mentor, rule, f"pair_{rule}", date(2026, 2, 1)],
        )

    def pairs(self, result: Any) -> set[tuple[str, str]]:
        return set(result.proposals.select("mentee_email", "mentor_email").iter_rows())


# --- an independent reference, written from SPEC §4-§5 without looking at the SQL -----------


def _langs(value: str) -> set[str]:
    return {part for part in ("fr", "en") if part in value}


def _superiors(people: list[dict[str, Any]]) -> dict[str, set[str]]:
    manager: dict[str, set[str]] = {}
    for p in people:
        if p["manager_email"] and p["manager_email"] != p["email"]:
            manager.setdefault(p["email"], set()).add(p["manager_email"])
    closure: dict[str, set[str]] = {}
    for start in {p["email"] for p in people}:
        seen: set[str] = set()
        stack = list(manager.get(start, ()))
        while stack:
            boss = stack.pop()
            if boss not in seen:
                seen.add(boss)
                stack.extend(manager.get(boss, ()))
        closure[start] = seen - {start}
    return closure


def reference_eligible(
    mentee: dict[str, Any], mentor: dict[str, Any], config: Config, superiors: dict[str, set[str]]
) -> bool:
    if mentee["email"] == mentor["email"]:
        return False
    if not _langs(mentee["language"]) & _langs(mentor["language"]):
        return False
    modes = (mentee["meeting_mode"], mentor["meeting_mode"])
    if "in_person" in modes:
        if "virtual" in modes:
            return False
        region_a, region_b = mentee["region"], mentor["region"]
        if not region_a or not region_b or region_a.strip().lower() != region_b.strip().lower():
            return False
    if mentor["management_level"] < mentee["management_level"] + config.matching.min_level_gap:
        return False
    return mentor["email"] not in superiors.get(mentee["email"], set()) and mentee[
        "email"
    ] not in superiors.get(mentor["email"], set())


def reference_components(mentee: dict[str, Any], mentor: dict[str, Any]) -> dict[str, float]:
    goals, comps = set(mentee["goals"]), set(mentor["competencies"])
    ia, ib = set(mentee["interests"]), set(mentor["interests"])
    sa, sb = set(mentee["availability"]), set(mentor["availability"])
    ya, yb = mentee["experience_years"], mentor["experience_years"]
    prefs = [p.lower() for p in mentee["preferred_mentors"]]
    return {
        "goals": len(goals & comps) / len(goals) if goals else 0.0,
        "interests": len(ia & ib) / len(ia | ib) if ia | ib else 0.0,
        "experience": 0.5 if ya is None or yb is None else min(max(yb - ya, 0), 10) / 10,
        "availability": 0.5 if not sa or not sb else len(sa & sb) / len(sa),
        "cross_organization": float(
            mentee["organization"].strip().lower() != mentor["organization"].strip().lower()
        ),
        "preference": 1 / (prefs.index(mentor["email"]) + 1) if mentor["email"] in prefs else 0.0,
    }


def reference_score(components: dict[str, float], config: Config) -> float:
    weights = config.matching.weights.normalized()
    return sum(weights[k] * v for k, v in components.items())


def reference_pairs(
    mentees: list[dict[str, Any]], mentors: list[dict[str, Any]], config: Config
) -> dict[tuple[str, str], float]:
    """Every eligible (mentee, mentor) pair of active people with its reference score
    (no history, no pending load: the random pools of the property tests have none)."""
    superiors = _superiors(mentees + mentors)
    return {
        (a["email"], b["email"]): reference_score(reference_components(a, b), config)
        for a in mentees
        for b in mentors
        if a["status"] == "active"
        and b["status"] == "active"
        and reference_eligible(a, b, config, superiors)
    }


@dataclass(frozen=True)
class Optimum:
    count: int
    total: int  # sum of integer scores (thousandths)
    waiting: int  # sum of waiting weights of the mentees proposed


def brute_force(
    edges: dict[tuple[str, str], int],
    capacity: dict[str, int],
    waiting_weight: dict[str, int],
) -> Optimum:
    """Best (count, total score, waiting) over every feasible assignment, by enumeration."""
    mentees = sorted({a for a, _ in edges})
    options = [[None, *sorted(b for (a2, b) in edges if a2 == a)] for a in mentees]
    best = Optimum(0, 0, 0)
    for choice in itertools.product(*options):
        load: dict[str, int] = {}
        count = total = wait = 0
        for mentee, mentor in zip(mentees, choice, strict=True):
            if mentor is None:
                continue
            load[mentor] = load.get(mentor, 0) + 1
            count += 1
            total += edges[(mentee, mentor)]
            wait += waiting_weight[mentee]
        if any(load[m] > capacity[m] for m in load):
            continue
        candidate = Optimum(count, total, wait)
        if (count, total, wait) > (best.count, best.total, best.waiting):
            best = candidate
    return best
