"""match_night end to end: idempotence, approval, the release hook, the CSV, the reasons,
the components kept with each proposal, and the >64-tag fallback."""

from __future__ import annotations

from datetime import date

import duckdb
import polars as pl
import pytest

from jumelage import models
from jumelage.config import Config
from jumelage.matching import COMPONENTS, match_night
from jumelage.matching.eligibility import build_pool, drop_pool, set_scope
from jumelage.matching.proposals import proposal_id
from jumelage.matching.scoring import score_views
from jumelage.vocabulary import UnmatchedReason
from tests.matching.helpers import RUN_DATE, Warehouse, reference_components, reference_score


def count(wh: Warehouse, table: str) -> int:
    ((n,),) = wh.con.execute(f"select count(*) from {table}").fetchall()
    return int(n)


def small_pool(wh: Warehouse) -> None:
    wh.mentee("e1@x.org", interests=["lecture", "plein_air"], availability=["mon-am", "tue-pm"])
    wh.mentee("e2@x.org", first_seen_on=date(2026, 2, 1))
    wh.mentor("r1@x.org", organization="Org B", interests=["lecture"], availability=["mon-am"])
    wh.mentor("r2@x.org", experience_years=20)


def test_rerunning_a_night_changes_nothing(wh: Warehouse) -> None:
    small_pool(wh)
    calls: list[int] = []
    first = match_night(wh.con, wh.config, RUN_DATE, lambda con, f: calls.append(f.height))
    assert first.created and first.proposals.height == 2 and calls == [2]
    before = wh.con.sql("select * from proposals order by proposal_id").fetchall()
    again = match_night(wh.con, wh.config, RUN_DATE, lambda con, f: calls.append(f.height))
    assert not again.created and calls == [2]
    assert wh.con.sql("select * from proposals order by proposal_id").fetchall() == before
    assert again.proposals.drop("created_at").equals(first.proposals.drop("created_at"))
    assert count(wh, "matching_runs") == 1


def test_proposals_are_released_tonight_without_approval(wh: Warehouse) -> None:
    small_pool(wh)
    result = match_night(wh.con, wh.config, RUN_DATE)
    rows = result.proposals.to_dicts()
    assert {r["status"] for r in rows} == {"proposed"}
    assert {r["released_on"] for r in rows} == {RUN_DATE}
    for r in rows:
        assert r["proposal_id"] == proposal_id(RUN_DATE, 1, r["mentee_email"], r["mentor_email"])


def test_require_approval_keeps_proposals_pending(wh: Warehouse) -> None:
    wh.reconfigure(require_approval=True)
    small_pool(wh)
    calls: list[int] = []
    result = match_night(wh.con, wh.config, RUN_DATE, lambda con, f: calls.append(f.height))
    assert calls == []
    assert set(result.proposals["status"]) == {"pending_approval"}
    assert result.proposals["released_on"].null_count() == 2
    assert "pending_approval" in result.csv_path.read_text(encoding="utf-8-sig")
    # pending proposals hold the mentee and the mentor's seat: the next night proposes nothing
    nxt = match_night(wh.con, wh.config, date(2026, 3, 3))
    assert nxt.proposals.is_empty() and nxt.unmatched.is_empty()


def test_hook_runs_inside_the_transaction(wh: Warehouse) -> None:
    small_pool(wh)

    def hook(con, frame: pl.DataFrame) -> None:
        ((n,),) = con.execute("select count(*) from proposals").fetchall()
        assert n == frame.height == 2
        raise RuntimeError("smtp queue broken")

    with pytest.raises(RuntimeError):
        match_night(wh.con, wh.config, RUN_DATE, hook)
    assert count(wh, "proposals") == count(wh, "matching_runs") == count(wh, "unmatched") == 0
    assert match_night(wh.con, wh.config, RUN_DATE).proposals.height == 2


def test_csv_for_the_committee(wh: Warehouse) -> None:
    wh.mentee("e@x.org", first_name="=HYPERLINK(1)", last_name="Doe", organization="+Org")
    wh.mentor("r@x.org", first_name="@Bob", last_name="-X", organization="\tTab")
    result = match_night(wh.con, wh.config, RUN_DATE)
    raw = result.csv_path.read_bytes()
    assert result.csv_path.name == "proposals-2026-03-02.csv"
    assert raw.startswith(b"\xef\xbb\xbf")
    lines = raw.decode("utf-8-sig").split("\r\n")
    header, row = lines[0].split(";"), lines[1].split(";")
    assert header[:3] == ["proposal_id", "status", "mentee_email"]
    cells = dict(zip(header, row, strict=True))
    assert cells["mentee_name"] == "'=HYPERLINK(1) Doe"
    assert cells["mentee_organization"] == "'+Org"
    assert cells["mentor_name"] == "'@Bob -X"
    assert cells["mentor_organization"] == "'\tTab"
    assert cells["score"].count(",") == 1 and "score_goals" in header


def test_components_kept_with_each_proposal(wh: Warehouse) -> None:
    e = wh.mentee(
        "e@x.org",
        goals=["leadership", "finances", "rh"],
        interests=["lecture", "musique"],
        availability=["mon-am", "tue-pm", "wed-am"],
        experience_years=4,
        preferred_mentors=["other@x.org", "r@x.org"],
    )
    r = wh.mentor(
        "r@x.org",
        organization="Org B",
        competencies=["leadership", "rh", "strategie"],
        interests=["lecture", "plein_air"],
        availability=["mon-am"],
        experience_years=9,
    )
    row = match_night(wh.con, wh.config, RUN_DATE).proposals.row(0, named=True)
    expected = reference_components(e, r)
    assert expected == {
        "goals": 2 / 3,
        "interests": 1 / 3,
        "experience": 0.5,
        "availability": 1 / 3,
        "cross_organization": 1.0,
        "preference": 0.5,
    }
    for name in COMPONENTS:
        assert row[f"score_{name}"] == pytest.approx(expected[name])
    assert row["score"] == pytest.approx(reference_score(expected, wh.config))


def test_more_than_64_tags_fall_back_to_bit_strings(wh: Warehouse) -> None:
    many = [f"interest-{i:03d}" for i in range(150)]
    e = wh.mentee("e@x.org", interests=many[:80])
    r1 = wh.mentor("r1@x.org", interests=many[60:100])
    r2 = wh.mentor("r2@x.org", interests=many[0:10] + many[120:150])
    pool = build_pool(wh.con, wh.config)
    assert pool.wide_masks
    drop_pool(wh.con)
    wh.reconfigure(max_capacity=5)
    result = match_night(wh.con, wh.config, RUN_DATE)
    (row,) = result.proposals.to_dicts()
    best = max((r1, r2), key=lambda m: reference_score(reference_components(e, m), wh.config))
    assert row["mentor_email"] == best["email"]
    assert best is r1
    assert row["score_interests"] == pytest.approx(0.2)


@pytest.mark.parametrize(
    ("setup", "reason"),
    [
        ("none", "no_active_mentor"),
        ("language", "no_shared_language"),
        ("mode", "no_compatible_meeting_mode"),
        ("level", "no_mentor_at_sufficient_level"),
        ("declined", "declined_or_excluded_only"),
        ("full", "all_compatible_mentors_full"),
        ("taken", "taken_by_others"),
    ],
)
def test_unmatched_reasons(wh: Warehouse, setup: str, reason: str) -> None:
    wh.mentee("e@x.org", language="en", meeting_mode="in_person", region="Laval")
    kwargs = {"language": "en", "meeting_mode": "both", "region": "Laval"}
    if setup == "language":
        wh.mentor("r@x.org", **{**kwargs, "language": "fr"})
    elif setup == "mode":
        wh.mentor("r@x.org", **{**kwargs, "region": "Québec"})
    elif setup == "level":
        wh.mentor("r@x.org", **kwargs, management_level=1)
    elif setup == "declined":
        wh.mentor("r@x.org", **kwargs)
        wh.proposal("e@x.org", "r@x.org", "declined")
    elif setup == "full":
        wh.mentor("r@x.org", **kwargs)
        wh.relationship("someone@x.org", "r@x.org", "active")
    elif setup == "taken":  # the other mentee waited longer
        wh.mentor("r@x.org", **kwargs)
        wh.mentee("first@x.org", **kwargs, first_seen_on=date(2025, 6, 1))
    result = match_night(wh.con, wh.config, RUN_DATE)
    row = result.unmatched.filter(mentee_email="e@x.org").row(0, named=True)
    assert row["reason"] == reason and reason in set(UnmatchedReason)
    assert "mentors actifs" in row["detail"]
    stored = wh.con.execute("select reason from unmatched where mentee_email = 'e@x.org'")
    assert stored.fetchall() == [(reason,)]


def test_rematch_adds_a_round_for_whoever_still_waits(wh: Warehouse) -> None:
    small_pool(wh)
    first = match_night(wh.con, wh.config, RUN_DATE)
    withdrawn = first.proposals.row(0, named=True)
    wh.con.execute(
        "update proposals set status = 'withdrawn' where proposal_id = ?",
        [withdrawn["proposal_id"]],
    )
    second = match_night(wh.con, wh.config, RUN_DATE, rematch=True)
    assert second.created and second.stats["round"] == 2
    (again,) = second.proposals.to_dicts()
    assert again["mentee_email"] == withdrawn["mentee_email"]
    assert again["proposal_id"] != withdrawn["proposal_id"]
    assert count(wh, "proposals") == 3


def test_empty_pools(wh: Warehouse) -> None:
    result = match_night(wh.con, wh.config, RUN_DATE)
    assert result.proposals.is_empty() and result.unmatched.is_empty()
    assert result.stats["eligible_pairs"] == 0 and result.stats["certified_optimal"]
    wh.mentee("alone@x.org")
    result = match_night(wh.con, wh.config, date(2026, 3, 3))
    assert result.unmatched.to_dicts()[0]["reason"] == "no_active_mentor"


def pair_components(
    con: duckdb.DuckDBPyConnection, config: Config, pairs: pl.DataFrame
) -> pl.DataFrame:
    """The reference for proposals.chosen_scores: every component and the score of some
    pairs, their mentees scored in one pass (scope: those mentees, every mentor)."""
    set_scope(con, pairs["mentee_id"].unique().sort().to_list())
    models.put(con, "wanted_pairs", pairs.select(pl.col("mentee_id", "mentor_id").cast(pl.Int32)))
    try:
        score_views(con, config)
        frame = models.frame(con, "matching/wanted_pair_scores", build=False)
    finally:
        models.drop(con, ["wanted_pairs"])
        set_scope(con, None)
    schema = {
        "mentee_id": pl.Int32,
        "mentor_id": pl.Int32,
        **{c: pl.Float64 for c in COMPONENTS},
        "score": pl.Float64,
        "score_units": pl.Int32,
    }
    return frame.select([pl.col(c).cast(t) for c, t in schema.items()])


def test_chosen_pairs_scored_in_groups_as_in_one_pass(wh: Warehouse, monkeypatch) -> None:
    """A proposal's components come from scoring the chosen pairs again, a few mentees and
    their mentors at a time (not every pair of every proposed mentee): the same values,
    and a pair that is not eligible is still absent."""
    from jumelage.matching import proposals

    for i in range(7):
        wh.mentee(f"e{i}@x.org", interests=["lecture", "plein_air"][: i % 3], language="fr")
    for j in range(5):
        wh.mentor(f"r{j}@x.org", organization=f"Org {j % 2}", experience_years=3 + 4 * j)
    wh.mentor("en@x.org", language="en")  # shares no language with any mentee
    build_pool(wh.con, wh.config)
    mentors = wh.con.table("available_mentors").select("mentor_id, email").pl()
    english = mentors.filter(pl.col("email") == "en@x.org")["mentor_id"][0]
    pairs = pl.DataFrame(
        {
            "mentee_id": [1, 2, 3, 4, 5, 6, 7, 7],
            "mentor_id": [1, 2, 3, 4, 5, 1, 2, english],
        },
        schema={"mentee_id": pl.Int32, "mentor_id": pl.Int32},
    )
    whole = pair_components(wh.con, wh.config, pairs).sort("mentee_id", "mentor_id")
    monkeypatch.setattr(proposals, "EXPLAIN_GROUP", 3)
    grouped = proposals.chosen_scores(wh.con, wh.config, pairs.reverse())
    assert grouped.sort("mentee_id", "mentor_id").equals(whole)
    assert whole.height > 3 and english not in grouped["mentor_id"].to_list()  # 2+ groups
    drop_pool(wh.con)
