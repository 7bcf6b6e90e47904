"""Fairness and program health: figures by group, small groups suppressed, the monthly page."""

from __future__ import annotations

from datetime import date

import pytest

from jumelage import warehouse
from jumelage.demo.files import write_csv
from jumelage.report import build_report
from jumelage.report.health import month_path
from tests.conftest import reg
from tests.nights import run_night
from tests.report.conftest import metrics, table_rows

NIGHT = date(2026, 3, 2)
MENTOR = {"role": "mentor", "management_level": "3", "goals": "", "competencies": "leadership"}


@pytest.fixture
def program_night(config, inbox):
    """Six mentees in Estrie, two in Outaouais, three mentors with one place each."""
    rows = [
        reg(email=f"e{i}@x.ca", region="Estrie", submitted_at=f"2026-01-0{i + 1}") for i in range(6)
    ]
    rows += [
        reg(email=f"o{i}@x.ca", region="Outaouais", submitted_at="2026-02-01") for i in range(2)
    ]
    rows += [reg(email=f"m{i}@x.ca", capacity="1", **MENTOR) for i in range(3)]
    write_csv(inbox / "inscriptions.csv", rows)
    run_night(config, NIGHT)
    con = warehouse.connect(config.data_dir)
    yield con
    con.close()


def test_fairness_by_region_with_small_groups_suppressed(program_night, config):
    page = build_report(program_night, config, NIGHT).html
    rows = {r[0]: r for r in table_rows(page, "fairness_region")}

    proposed = dict(
        program_night.execute(
            "select p.region, count(distinct r.mentee_email) from proposals r "
            "join participants p on p.email = r.mentee_email and p.role = 'mentee' group by 1"
        ).fetchall()
    )
    assert rows["Estrie"][1] == "6"
    assert rows["Estrie"][2] == f"{proposed.get('Estrie', 0) / 6 * 100:.0f} %"
    # two people: no figure that could single them out
    assert rows["Outaouais"][1] == "< 5"
    assert sorted(r[0] for r in table_rows(page, "fairness_language")) == ["français"]
    assert "trop petit" in rows["Outaouais"][2]
    assert len(rows["Outaouais"]) == 3


def test_outcomes_and_the_monthly_page(program_night, config):
    report = build_report(program_night, config, NIGHT)
    numbers = metrics(report.html)
    assert numbers["health_days_to_proposal"] == "0 j"  # proposed the night they arrived
    assert numbers["health_ended_early"] == "0 / 0"

    month = month_path(config, NIGHT)
    assert month.name == "month-2026-03.html"
    page = month.read_text(encoding="utf-8")
    trends = table_rows(page, "trends")
    assert [t[0] for t in trends][-2:] == ["2026-02", "2026-03"] and len(trends) == 12
    proposals = program_night.execute("select count(*) from proposals").fetchone()[0]
    assert trends[-1][1] == "8" and trends[-1][3] == str(proposals)
    assert "data:image/png;base64," in page
