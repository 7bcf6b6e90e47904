"""The org chart (`organigramme*` / `org_chart*`): validated and quarantined like any inbox
file, corrected by a file of the same name, and read with the registrations' managers so
that a chain of superiors through people outside the program counts."""

from __future__ import annotations

from jumelage import warehouse
from jumelage.demo.files import write_csv
from jumelage.quarantine import from_json
from jumelage.report.build import build_report

from ..conftest import reg
from ..nights import run_night
from .test_events import conflicts, day, emails, proposal_of, second_mentor, start_relationship
from .test_year import read


def chart(*rows: tuple[str, str]) -> list[dict[str, str]]:
    return [{"courriel": e, "courriel_superieur": m, "organisation": "MCE"} for e, m in rows]


def test_a_chain_through_an_unregistered_manager_withdraws_the_pending_proposal(config, inbox):
    rows = second_mentor()
    rows[0]["manager_email"] = "boss@x.ca"  # a's manager is not in the program
    write_csv(inbox / "inscriptions.csv", rows)
    run_night(config, day(0))
    pid, mentor, status = proposal_of(config, "a@x.ca")
    assert (mentor, status) == ("m1@x.ca", "proposed")
    # the HR export: boss reports to m1, so m1 is a's superior's superior
    write_csv(inbox / "organigramme-2026-03.csv", chart(("boss@x.ca", "m1@x.ca")))
    run_night(config, day(1))
    assert read(config, "select status, status_reason from proposals where proposal_id = ?",
                [pid]) == [("withdrawn", "hierarchical_link")]  # fmt: skip
    assert emails(config, "proposal_withdrawn") == [("a@x.ca", day(1))]
    assert proposal_of(config, "a@x.ca")[1:] == ("m2@x.ca", "proposed")
    assert ("a@x.ca", "m1@x.ca") in read(config, "select a, b from hierarchy_links")


def test_a_chart_change_raises_a_conflict_in_an_active_relationship(config, inbox):
    start_relationship(config, inbox)
    assert conflicts(config) == []
    # a (registered without a manager) reports to x, who reports to m1: neither x nor the
    # link is in the registrations
    write_csv(inbox / "org_chart.csv", chart(("a@x.ca", "x@x.ca"), ("x@x.ca", "m1@x.ca")))
    run_night(config, day(3))
    assert conflicts(config) == [
        (day(3), "lien hiérarchique entre les partenaires depuis un changement", None)
    ]


def test_rows_are_quarantined_and_a_file_of_the_same_name_is_a_correction(config, inbox):
    write_csv(inbox / "inscriptions.csv", [reg(email="a@x.ca")])
    bad = [
        *chart(("e1@x.ca", "boss@x.ca"), ("e2@x.ca", ""), ("e3@x.ca", "pas une adresse")),
        *chart(("e4@x.ca", "b1@x.ca"), ("e4@x.ca", "b2@x.ca")),
    ]
    write_csv(inbox / "organigramme.csv", bad)
    run_night(config, day(0))
    assert read(config, "select kind, rows_read, rows_accepted, rows_quarantined from files"
                " where name = 'organigramme.csv'") == [("org_chart", 5, 1, 4)]  # fmt: skip
    quarantined = read(config, "select row_number, reason_codes from quarantine"
                       " where source_file = 'organigramme.csv' order by 1")  # fmt: skip
    codes = {n: [r.code for r in from_json(c)] for n, c in quarantined}
    assert codes == {
        2: ["missing_manager_email"],
        3: ["unreadable_manager_email"],
        4: ["duplicate_employee"],
        5: ["duplicate_employee"],
    }
    assert read(config, "select email, manager_email from org_chart") == [("e1@x.ca", "boss@x.ca")]
    # the same name again, corrected: its rows replace the earlier version's
    write_csv(inbox / "organigramme.csv", chart(("e1@x.ca", "b1@x.ca"), ("e4@x.ca", "b2@x.ca")))
    run_night(config, day(1))
    assert sorted(read(config, "select email, manager_email from org_chart")) == [
        ("e1@x.ca", "b1@x.ca"),
        ("e4@x.ca", "b2@x.ca"),
    ]


def test_the_most_recent_source_gives_a_persons_manager(config, inbox):
    write_csv(inbox / "inscriptions.csv", [reg(email="a@x.ca", manager_email="old@x.ca")])
    run_night(config, day(0))
    write_csv(inbox / "org_chart.csv", chart(("a@x.ca", "new@x.ca")))
    run_night(config, day(1))
    links = set(read(config, "select a, b from hierarchy_links where a = 'a@x.ca'"))
    assert links == {("a@x.ca", "new@x.ca")}


def test_the_report_lists_participants_whose_manager_is_unknown(config, inbox):
    write_csv(
        inbox / "inscriptions.csv",
        [
            reg(email="a@x.ca", manager_email="boss@x.ca"),
            reg(email="b@x.ca"),
            reg(email="c@x.ca"),
        ],
    )
    write_csv(inbox / "organigramme.csv", chart(("c@x.ca", "boss@x.ca")))
    run_night(config, day(0))
    con = warehouse.connect(config.data_dir)
    try:
        page = build_report(con, config, day(0)).html
    finally:
        con.close()
    table = page.split('data-table="pool_unknown_managers"')[1].split("</table>")[0]
    assert "b@x.ca" in table and "a@x.ca" not in table and "c@x.ca" not in table
    assert "Participants dont le supérieur est inconnu (1)" in page
