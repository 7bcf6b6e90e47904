"""The model runner composes SQL models by name, binds only their parameters, and builds what
they read first; and a few checks on the matching models' shapes (unique, dense keys)."""

from __future__ import annotations

import random

import duckdb
import pytest

from jumelage import models
from jumelage.matching.eligibility import build_pool
from jumelage.matching.scoring import score_views

from .matching.helpers import Warehouse


def test_a_model_names_what_it_reads_and_the_parameters_it_binds():
    m = models.model("matching/eligible_pairs")
    assert "matching/mentees_in_scope" in m.reads and "matching/excluded_pairs" in m.reads
    assert m.params == {"min_level_gap"}  # `$score_scale` in a comment is not one
    assert m.object_name == "eligible_pairs"
    assert "score_scale" not in models.model("matching/candidates").reads


def test_missing_parameter_is_named():
    con = duckdb.connect()
    with pytest.raises(KeyError, match="rules/load_region_synonyms needs parameter"):
        models.execute(con, "rules/load_region_synonyms", {"labels": []})


def test_extra_parameters_are_not_bound_and_reads_are_built_first(tmp_path):
    wh = Warehouse(tmp_path / "data")
    wh.mentee("a@x.org")
    wh.mentor("m@x.org")
    # available_mentors reads rules/participant_profiles: built first, under its stem
    frame = models.frame(wh.con, "matching/available_mentors", {"max_capacity": 3, "other": 1})
    assert frame["email"].to_list() == ["m@x.org"]
    assert wh.con.table("participant_profiles").count("*").fetchall() == [(2,)]
    wh.con.close()


def test_a_view_follows_its_inputs_a_materialized_model_does_not(tmp_path):
    wh = Warehouse(tmp_path / "data")
    wh.mentee("a@x.org")
    models.materialize(wh.con, "rules/participant_profiles", as_name="kept")
    models.materialize(wh.con, "rules/participant_profiles", as_name="live", view=True)
    wh.mentee("b@x.org")
    assert wh.con.table("kept").count("*").fetchall() == [(1,)]
    assert wh.con.table("live").count("*").fetchall() == [(2,)]
    models.drop(wh.con, ["kept", "live"])
    with pytest.raises(duckdb.CatalogException):
        wh.con.table("live")
    wh.con.close()


def test_pool_models_have_dense_unique_keys_and_unique_pairs(tmp_path):
    rng = random.Random(3)
    wh = Warehouse(tmp_path / "data")
    for i in range(40):
        language = rng.choice(["fr", "en", "fr,en"])
        mode = rng.choice(["virtual", "both", "in_person"])
        region = rng.choice([None, "Laval", "Montréal"])
        wh.mentee(f"e{i}@x.org", language=language, meeting_mode=mode, region=region)
        if i % 3 == 0:
            wh.mentor(f"r{i}@x.org", language=language, meeting_mode=mode, region=region,
                      management_level=rng.randint(2, 5), capacity=2)  # fmt: skip
    build_pool(wh.con, wh.config)
    score_views(wh.con, wh.config)
    con = wh.con
    for table, key in (("waiting_mentees", "mentee_id"), ("available_mentors", "mentor_id")):
        ((n, distinct, low, high),) = con.sql(
            f"select count(*), count(distinct {key}), min({key}), max({key}) from {table}"
        ).fetchall()
        assert (distinct, low, high) == (n, 1, n)
    ((pairs, distinct_pairs),) = con.sql(
        "select count(*), count(distinct (mentee_id, mentor_id)) from eligible_pairs"
    ).fetchall()
    assert pairs == distinct_pairs > 0
    ((members, masks),) = con.sql(
        "select (select count(*) from waiting_mentees) + (select count(*) from available_mentors),"
        " count(*) from tag_masks"
    ).fetchall()
    assert members == masks  # every member has its masks, tags or not
    con.close()


def test_a_nights_stored_proposals_have_the_columns_the_matching_writes(tmp_path):
    from jumelage.matching.proposals import PROPOSAL_COLUMNS

    wh = Warehouse(tmp_path / "data")
    frame = models.frame(wh.con, "matching/night_proposals", {"run_date": "2026-03-02"})
    assert tuple(frame.columns) == PROPOSAL_COLUMNS
    wh.con.close()
