"""« Ce qui en jumellerait davantage »: changes tried by re-solving on a copy, in the report."""

from __future__ import annotations

from datetime import date

from lxml import html as lxml_html

from jumelage import stages, warehouse
from jumelage.demo.files import write_csv
from jumelage.night import open_night
from jumelage.whatif.suggest import Suggestion, suggest

from ..conftest import reg

NIGHT = date(2026, 3, 2)
MENTOR = {"role": "mentor", "management_level": "3", "goals": "", "competencies": "leadership"}


def _night(config, inbox):
    write_csv(
        inbox / "inscriptions.csv",
        [
            reg(email="a@x.ca", submitted_at="2026-01-01"),
            reg(email="b@x.ca", submitted_at="2026-01-02"),
            reg(email="c@x.ca", language="en"),  # nobody speaks English
            reg(email="m1@x.ca", capacity="1", first_name="Jean", last_name="Roy", **MENTOR),
        ],
    )
    with open_night(config, NIGHT) as night:
        stages.run(night, skip=("notify", "send_report"))
    return night.results["report"]


def test_the_report_says_what_would_match_more_people(config, inbox):
    report = _night(config, inbox)
    items = [
        " ".join(li.text_content().split())
        for li in lxml_html.fromstring(report.html).xpath('//ul[@data-list="suggestions"]/li')
    ]
    assert items == [
        "Une place de plus chez Jean Roy (m1@x.ca) jumellerait 1 personne(s) de plus (b@x.ca)",
        "1 personne(s) attendent un mentor ou une mentore qui parle anglais",
    ]


def test_suggestions_are_counted_by_the_solver_and_leave_the_warehouse_alone(config, inbox):
    _night(config, inbox)
    con = warehouse.connect(config.data_dir)
    try:
        before = con.execute("select count(*) from proposals").fetchall()
        found = suggest(con, config, NIGHT)
        assert found == [Suggestion("place", "m1@x.ca", 1, ("b@x.ca",))]
        assert con.execute("select count(*) from proposals").fetchall() == before
        assert con.execute(
            "select capacity from participants where role = 'mentor'"
        ).fetchall() == [(1,)]
        assert suggest(con, config, date(2026, 3, 1)) == []  # not the latest night: no trial
    finally:
        con.close()


def test_no_trials_when_tonights_pool_is_too_large_to_solve_again(config, inbox, monkeypatch):
    """Each trial re-solves the whole night, the mentees proposed tonight included: a launch
    night with few left waiting is still too large to solve four more times."""
    from jumelage import models
    from jumelage.whatif import suggest as suggest_module

    _night(config, inbox)
    con = warehouse.connect(config.data_dir)
    try:
        waiting = models.frame(con, "matching/night_unmatched", {"run_date": NIGHT}).height
        proposed = con.execute("select count(*) from proposals").fetchall()[0][0]
        assert waiting and proposed
        monkeypatch.setattr(suggest_module, "MAX_WAITING", waiting)
        assert suggest(con, config, NIGHT) == []
    finally:
        con.close()


def test_places_are_tried_only_for_mentees_waiting_on_full_mentors(config, inbox, monkeypatch):
    """A mentee who waits because nobody speaks their language gains nothing from a place
    more: the place trials (each a re-solve of the night) are skipped, the score one runs."""
    from jumelage.whatif import suggest as suggest_module

    write_csv(
        inbox / "inscriptions.csv",
        [
            reg(email="a@x.ca", submitted_at="2026-01-01"),
            reg(email="c@x.ca", language="en"),  # nobody speaks English
            reg(email="m1@x.ca", capacity="1", **MENTOR),
        ],
    )
    with open_night(config, NIGHT) as night:
        stages.run(night, skip=("notify", "send_report"))
    tried = []
    real = suggest_module.run_whatif

    def counted(*args, **kwargs):
        tried.append(kwargs)
        return real(*args, **kwargs)

    monkeypatch.setattr(suggest_module, "run_whatif", counted)
    con = warehouse.connect(config.data_dir)
    try:
        assert suggest(con, config, NIGHT) == []
    finally:
        con.close()
    assert [sorted(k) for k in tried] == [["copy_of"]]  # the lower minimum score only
