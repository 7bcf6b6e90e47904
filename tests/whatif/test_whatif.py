"""`jumelage whatif`: a night matched again on a copy, compared, with nothing written or sent."""

from __future__ import annotations

import hashlib
from datetime import date

import pytest

from jumelage.cli import main
from jumelage.demo.files import write_csv
from jumelage.errors import ConfigError, JumelageError
from jumelage.whatif import parse_seats, run_whatif, with_settings

from ..conftest import reg
from ..nights import run_night

NIGHT = date(2026, 3, 2)
MENTOR = {"role": "mentor", "management_level": "3", "goals": "", "competencies": "leadership"}


def _digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def matched(config, inbox):
    """Two mentees and one mentor with one place: one proposal, one mentee waiting."""
    write_csv(
        inbox / "inscriptions.csv",
        [
            reg(email="a@x.ca", submitted_at="2026-01-01"),
            reg(email="b@x.ca", submitted_at="2026-01-02", first_name="Béa"),
            reg(email="m1@x.ca", capacity="1", **MENTOR),
        ],
    )
    run_night(config, NIGHT)
    return config


def test_one_more_place_gains_a_proposal_and_the_warehouse_is_untouched(matched):
    warehouse = matched.data_dir / "warehouse.duckdb"
    before = _digest(warehouse)

    result = run_whatif(matched, NIGHT, seats=parse_seats(["M1@x.ca=2"]))

    assert result.before["mentee_email"].to_list() == ["a@x.ca"]  # the longer wait
    assert sorted(result.after["mentee_email"]) == ["a@x.ca", "b@x.ca"]
    assert result.gained["mentee_email"].to_list() == ["b@x.ca"]
    assert result.lost.height == 0 and result.changed.height == 0
    assert result.seats == [("m1@x.ca", 1, 2)]
    assert result.waiting.height == 0
    assert _digest(warehouse) == before
    assert not list((matched.data_dir / "reports").glob("proposals-*whatif*"))


def test_a_higher_minimum_score_loses_the_proposal_and_says_who_would_wait(matched):
    result = run_whatif(matched, NIGHT, ["matching.min_score=0.99"])

    assert result.settings == [("matching.min_score", 0.3, 0.99)]
    assert result.lost["mentee_email"].to_list() == ["a@x.ca"]
    assert result.after.height == 0
    reasons = dict(result.waiting.select("mentee_email", "reason").iter_rows())
    assert reasons == {"a@x.ca": "below_min_score", "b@x.ca": "below_min_score"}


def test_settings_are_checked_like_the_configuration(matched):
    with pytest.raises(ConfigError, match=r"matching\.weights\.goal: unknown key"):
        with_settings(matched, ["matching.weights.goal=0.5"])
    with pytest.raises(ConfigError, match="only the matching's keys"):
        with_settings(matched, ["program.name=x"])
    with pytest.raises(ConfigError, match="min_score"):
        with_settings(matched, ["matching.min_score=high"])
    with pytest.raises(ConfigError, match="whole number"):
        parse_seats(["m1@x.ca=two"])
    with pytest.raises(JumelageError, match="no mentor with this email"):
        run_whatif(matched, NIGHT, seats={"a@x.ca": 2})


def test_only_the_latest_matched_night_can_be_tried(matched):
    run_night(matched, date(2026, 3, 3))
    with pytest.raises(JumelageError, match=r"latest matched night \(2026-03-03\)"):
        run_whatif(matched, NIGHT)


def test_the_command_prints_the_comparison_and_writes_the_page(matched, capsys):
    code = main(
        [
            "whatif",
            "--config",
            str(matched.source),
            "--date",
            NIGHT.isoformat(),
            "--seats",
            "m1@x.ca=2",
        ]
    )
    out = capsys.readouterr().out
    assert code == 0
    assert "1 proposal(s) -> 2 (+1 gained, -0 lost, 0 changed)" in out
    page = next((matched.data_dir / "reports").glob("whatif-2026-03-02-*.html"))
    html = page.read_text(encoding="utf-8")
    assert 'data-metric="gained">1<' in html and "Béa" in html
    assert "Places de m1@x.ca : 1 → <strong>2</strong>" in html
    assert "data:image/png;base64," in html


def test_the_page_loads_cleanly_in_headless_chromium(matched, tmp_path):
    from jumelage.whatif import write_page
    from tests.report.chromium import load_page

    result = run_whatif(matched, NIGHT, ["matching.min_score=0.2"], parse_seats(["m1@x.ca=2"]))
    path = write_page(matched, result, 0.2)
    page = load_page(path.as_uri(), screenshot=tmp_path / "whatif.png")
    assert page.loaded and page.failed == [] and page.errors == []
    assert page.title.startswith("Essai de jumelage")
    assert page.images_total == page.images_complete == 1
