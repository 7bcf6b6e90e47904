"""The report's nearest candidates: for a mentee left waiting, the mentors who come closest
(full ones too) and what stands in the way of each, on a pool small enough to reason out by
hand; the scores come from the tests' own reference formula."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from jumelage.matching import match_night
from jumelage.report import nearest
from jumelage.report.nearest import nearest_candidates
from tests.matching.helpers import (
    RUN_DATE,
    Warehouse,
    reference_components,
    reference_score,
)


@pytest.fixture
def wh(tmp_path: Path) -> Iterator[Warehouse]:
    w = Warehouse(tmp_path / "data")
    yield w
    w.con.close()


def _pool(wh: Warehouse) -> dict[str, dict[str, Any]]:
    """Mia waits for a mentor of level 2 or more who speaks French. Nobody can take her:

    - full: a good match, but its one place is taken by a running relationship;
    - low: level and place fine, but it covers none of her goals: score under 0.30;
    - junior: level 1, where 2 is needed;
    - english: speaks only English;
    - far: meets only in person, in Laval (Mia is in Québec);
    - junior_full: level 1 and full (two obstacles: after all the others);
    - boss (her manager) and refused (she declined him): never candidates.
    """
    mia = wh.mentee(
        "mia@x.org",
        goals=["leadership", "strategie"],
        region="Québec",
        manager_email="boss@x.org",
        experience_years=2,
    )
    good = {"competencies": ["leadership", "strategie"], "experience_years": 12}
    mentors = {
        "full": wh.mentor("full@x.org", organization="Org B", **good),
        "low": wh.mentor("low@x.org", competencies=["rh"], experience_years=2),
        "junior": wh.mentor("junior@x.org", management_level=1, **good),
        "english": wh.mentor("english@x.org", language="en", competencies=["leadership"]),
        "far": wh.mentor(
            "far@x.org", meeting_mode="in_person", region="Laval", competencies=["strategie"]
        ),
        "junior_full": wh.mentor("junior_full@x.org", management_level=1, **good),
        "boss": wh.mentor("boss@x.org", **good),
        "refused": wh.mentor("refused@x.org", **good),
    }
    wh.mentee("taken@x.org", goals=["leadership"])
    wh.relationship("taken@x.org", "full@x.org", "active")
    wh.mentee("taken2@x.org", goals=["leadership"])
    wh.relationship("taken2@x.org", "junior_full@x.org", "active")
    wh.proposal("mia@x.org", "refused@x.org", "declined")
    return {"mia": mia, **mentors}


def test_nearest_candidates_say_what_stands_in_the_way(
    wh: Warehouse, monkeypatch: pytest.MonkeyPatch
) -> None:
    people = _pool(wh)
    result = match_night(wh.con, wh.config, RUN_DATE)
    assert result.proposals.is_empty()  # nobody can take Mia: she is left waiting

    def score(name: str) -> float:
        return reference_score(reference_components(people["mia"], people[name]), wh.config)

    assert score("low") < 0.30 <= min(score(n) for n in ("full", "junior", "english", "far"))
    monkeypatch.setattr(nearest, "NEAREST_K", 10)
    found = nearest_candidates(wh.con, wh.config, RUN_DATE)
    assert list(found) == ["mia@x.org"]
    candidates = found["mia@x.org"]
    words = {
        "full": ["aucune place libre"],
        "low": [f"score {score('low'):.2f} sous le minimum de 0.30"],
        "junior": ["niveau 1 alors qu'il faut 2"],
        "english": ["aucune langue en commun"],
        "far": ["rencontre en personne : pas la même région"],
        "junior_full": ["aucune place libre", "niveau 1 alors qu'il faut 2"],
    }
    one_obstacle = sorted(
        (n for n in words if n != "junior_full"), key=lambda n: (-round(score(n), 9), n)
    )
    assert [c.mentor_email for c in candidates] == [
        f"{n}@x.org" for n in [*one_obstacle, "junior_full"]
    ]
    for c in candidates:
        name = c.mentor_email.split("@")[0]
        assert list(c.obstacles) == words[name], name
        assert c.score == pytest.approx(score(name))


def test_the_nearest_few_only_and_nothing_left_behind(wh: Warehouse) -> None:
    _pool(wh)
    match_night(wh.con, wh.config, RUN_DATE)
    found = nearest_candidates(wh.con, wh.config, RUN_DATE)
    assert len(found["mia@x.org"]) == nearest.NEAREST_K
    # the night's pool objects are gone: a later query cannot read the widened pool
    names = {row[0] for row in wh.con.execute("show tables").fetchall()}
    assert not names & {"waiting_mentees", "available_mentors", "scored_pairs"}
    # another night with nobody left waiting: nothing
    assert nearest_candidates(wh.con, wh.config, date(2026, 3, 3)) == {}


def test_a_pool_too_large_gets_none(wh: Warehouse, monkeypatch: pytest.MonkeyPatch) -> None:
    _pool(wh)
    match_night(wh.con, wh.config, RUN_DATE)
    monkeypatch.setattr(nearest, "MAX_PAIRS", 5)  # 1 mentee x 8 mentors
    assert nearest_candidates(wh.con, wh.config, RUN_DATE) == {}


def test_more_than_64_tags_score_the_same(wh: Warehouse) -> None:
    """With more distinct tags than a UBIGINT holds, the pool's masks are BIT strings
    (tag_masks_wide): the nearest candidates are scored by the same formula."""
    tags = [f"t{i}" for i in range(100)]
    mia = wh.mentee("mia@x.org", goals=tags[:70])
    full = wh.mentor("full@x.org", competencies=tags[:35])
    wh.mentee("taken@x.org", goals=["leadership"])
    wh.relationship("taken@x.org", "full@x.org", "active")
    match_night(wh.con, wh.config, RUN_DATE)
    ((candidate,),) = nearest_candidates(wh.con, wh.config, RUN_DATE).values()
    assert candidate.mentor_email == "full@x.org"
    assert candidate.obstacles == ("aucune place libre",)
    assert candidate.score == pytest.approx(
        reference_score(reference_components(mia, full), wh.config)
    )


def test_a_report_made_again_for_an_older_night_gets_none(wh: Warehouse) -> None:
    """The candidates are today's people: the report of an older night, made again after a
    later night was matched, must not show them as that night's."""
    _pool(wh)
    later = date.fromordinal(RUN_DATE.toordinal() + 1)
    match_night(wh.con, wh.config, RUN_DATE)
    match_night(wh.con, wh.config, later)
    assert nearest_candidates(wh.con, wh.config, RUN_DATE) == {}
    assert list(nearest_candidates(wh.con, wh.config, later)) == ["mia@x.org"]


def test_the_report_email_text_part_lists_them_too(wh: Warehouse) -> None:
    from jumelage.report import build_report

    _pool(wh)
    match_night(wh.con, wh.config, RUN_DATE)
    found = nearest_candidates(wh.con, wh.config, RUN_DATE)["mia@x.org"]
    text = build_report(wh.con, wh.config, RUN_DATE).text
    section = text.split("EN ATTENTE — LES PLUS PROCHES\n", 1)[1].split("\n\n", 1)[0]
    (line,) = section.splitlines()
    assert line.startswith("- ") and line.count(" ; ") == len(found) - 1
    for c in found:
        assert f"{c.mentor_name} ({c.score:.2f} — {', '.join(c.obstacles)})" in line
