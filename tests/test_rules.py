"""The hard constraints, defined once (sql/rules): every rule that a correction or an event
breaks withdraws the pending proposal, and eligibility agrees with the withdrawal checks."""

from __future__ import annotations

import random
import re
from typing import Any

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jumelage import models, rules
from jumelage.demo.files import write_csv
from jumelage.matching.eligibility import build_pool, drop_pool
from jumelage.matching.scoring import score_views
from jumelage.paths import read_sql
from jumelage.vocabulary import PairRule

from .conftest import reg
from .lifecycle.test_events import day, drop_events, emails, ev
from .lifecycle.test_year import read
from .matching.helpers import Warehouse
from .nights import run_night

MENTOR = {"role": "mentor", "management_level": "3", "capacity": "1", "goals": ""}


def pool(**changes: dict[str, str]) -> list[dict[str, str]]:
    """A mentee who prefers m1 (so m1 is proposed first) and m2, a valid second choice;
    `changes` override fields of a@x.ca, m1@x.ca or m2@x.ca by their local part."""
    rows = {
        "a": reg(email="a@x.ca", goals="leadership", preferred_mentors="m1@x.ca"),
        "m1": reg(email="m1@x.ca", competencies="leadership", **MENTOR),
        "m2": reg(email="m2@x.ca", competencies="leadership", **MENTOR),
    }
    for who, fields in changes.items():
        rows[who].update(fields)
    return [rows[k] for k in ("a", "m1", "m2") if "drop" not in rows[k]]


# (rule, registrations on night 0, correction on night 1 or None, events of night 1)
CASES: list[tuple[str, dict[str, Any], dict[str, Any] | None, list[dict[str, str]]]] = [
    (
        "no_shared_language",
        {"m1": {"language": "fr"}, "m2": {"language": "fr,en"}},
        {"a": {"language": "en"}, "m1": {"language": "fr"}, "m2": {"language": "fr,en"}},
        [],
    ),
    (
        "incompatible_meeting_mode",
        {"m1": {"region": "Québec"}, "m2": {"region": "Montreal"}},
        {
            "a": {"meeting_mode": "présentiel", "region": "Montréal"},
            "m1": {"region": "Québec"},
            "m2": {"region": "Montreal"},  # the same region, spelled without its accent
        },
        [],
    ),
    (
        "level_gap",
        {"m1": {"management_level": "3"}, "m2": {"management_level": "5"}},
        {"a": {"management_level": "3"}, "m2": {"management_level": "5"}},
        [],
    ),
    ("level_gap", {}, None, [ev(1, "level_changed", "m1@x.ca", value="1")]),
    ("hierarchical_link", {}, {"a": {"manager_email": "m1@x.ca"}}, []),
    ("partner_removed", {}, {"m1": {"drop": "yes"}}, []),
    ("partner_absent", {}, None, [ev(1, "absence_started", "m1@x.ca")]),
    ("partner_withdrawn", {}, None, [ev(1, "withdrew", "m1@x.ca")]),
    ("excluded", {}, None, [ev(1, "pair_excluded", "a@x.ca", partner="m1@x.ca")]),
]


@pytest.mark.parametrize(
    ("rule", "before", "correction", "events"),
    CASES,
    ids=[f"{c[0]}-{'correction' if c[2] else 'event'}" for c in CASES],
)
def test_a_broken_rule_withdraws_the_pending_proposal_once(
    config, inbox, rule, before, correction, events
):
    write_csv(inbox / "inscriptions.csv", pool(**before))
    run_night(config, day(0))
    ((pid, mentor, status),) = read(
        config, "select proposal_id, mentor_email, status from proposals"
    )
    assert (mentor, status) == ("m1@x.ca", "proposed")

    if correction is not None:
        write_csv(inbox / "inscriptions.csv", pool(**correction))
    if events:
        drop_events(inbox, 1, *events)
    run_night(config, day(1))
    run_night(config, day(2))  # the next night changes nothing more

    assert read(
        config, "select status, status_reason from proposals where proposal_id = ?", [pid]
    ) == [("withdrawn", rule)]
    assert emails(config, "proposal_withdrawn") == [("a@x.ca", day(1))]
    # a new valid proposal the same night, with the other mentor
    assert read(
        config,
        "select mentor_email, status, run_date from proposals where proposal_id <> ?",
        [pid],
    ) == [("m2@x.ca", "proposed", day(1))]


def test_regions_compare_without_case_accents_or_synonyms(program, inbox):
    config = program('\n[vocabulary.regions]\n"Montréal" = ["MTL", "Région de Montréal"]\n')
    person = {"meeting_mode": "présentiel"}
    write_csv(
        inbox / "inscriptions.csv",
        [
            reg(email="a@x.ca", goals="leadership", region="MTL", **person),
            reg(email="m1@x.ca", competencies="leadership", region="montreal", **MENTOR, **person),
            reg(email="b@x.ca", goals="leadership", region="Laval", **person),
        ],
    )
    run_night(config, day(0))
    assert read(config, "select mentee_email, mentor_email from proposals") == [
        ("a@x.ca", "m1@x.ca")
    ]
    assert read(config, "select mentee_email, reason from unmatched") == [
        ("b@x.ca", "no_compatible_meeting_mode")
    ]


# --- eligibility agrees with the checks of pending proposals, over random pools ---------

LANGUAGES = ["fr", "en", "fr,en"]
MODES = ["in_person", "virtual", "both"]
REGIONS = [None, "Montréal", "montreal", "Québec", "Laval"]


def random_pool(wh: Warehouse, rng: random.Random) -> None:
    people = [f"p{i}@x.org" for i in range(9)]
    for i, email in enumerate(people):
        fields = {
            "language": rng.choice(LANGUAGES),
            "meeting_mode": rng.choice(MODES),
            "region": rng.choice(REGIONS),
            "management_level": rng.randint(1, 5),
            "manager_email": rng.choice([None, None, *people]),
            "organization": rng.choice(["A", "B"]),
        }
        if i < 5 or rng.random() < 0.3:
            wh.mentee(email, goals=["leadership"], **fields)
        if i >= 4:
            wh.mentor(email, competencies=["leadership"], capacity=2, **fields)
    mentees = wh.con.sql("select email from participants where role = 'mentee'").fetchall()
    mentors = wh.con.sql("select email from participants where role = 'mentor'").fetchall()
    for (a,), (b,) in zip(mentees, reversed(mentors), strict=False):
        blocked = rng.choice(["excluded", "declined", "ended", None, None])
        if blocked == "excluded":
            wh.rule(a, b, "excluded")
        elif blocked == "declined":
            wh.proposal(a, b, "declined")
        elif blocked == "ended":
            wh.relationship(a, b, "ended")


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10**6), gap=st.integers(0, 2))
def test_a_pair_is_eligible_iff_no_withdrawal_reason_applies(tmp_path_factory, seed, gap):
    wh = Warehouse(tmp_path_factory.mktemp("pool") / "data", min_level_gap=gap)
    try:
        random_pool(wh, random.Random(seed))
        build_pool(wh.con, wh.config)
        score_views(wh.con, wh.config)
        eligible = set(
            wh.con.sql(
                "select e.email, r.email from eligible_pairs as p"
                " join waiting_mentees as e using (mentee_id)"
                " join available_mentors as r using (mentor_id)"
            ).fetchall()
        )
        every_pair = wh.con.sql(
            "select e.email as mentee_email, r.email as mentor_email"
            " from waiting_mentees as e cross join available_mentors as r"
        ).pl()
        drop_pool(wh.con)
        checks = rules.check_pairs(wh.con, wh.config, every_pair)
        no_reason = {
            (row["mentee_email"], row["mentor_email"])
            for row in checks.filter(pl.col("broken_rule").is_null()).iter_rows(named=True)
        }
        assert eligible == no_reason
        # and every rule the checks name is one of the rules
        assert set(checks["broken_rule"].drop_nulls()) <= set(PairRule)
    finally:
        models.drop(wh.con, ["checked_pairs"])
        wh.con.close()


def test_the_vocabulary_lists_the_rules_in_the_order_the_macros_test_them():
    macros = read_sql("rules/macros.sql")
    tested = re.findall(r"then '([a-z_]+)'", macros)
    assert tested == [str(rule) for rule in PairRule]
