"""Each section's numbers equal what a coordinator gets by querying the warehouse."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from lxml import html as lxml_html

from jumelage.report import build_report
from jumelage.report.queries import SECTIONS, parameters, query_names, run_query
from tests.report.conftest import metrics, table_rows
from tests.report.program import EXPECTED, RUN_DATE

# A coordinator's own queries, written from the README's description of the tables (not
# from sql/report): each gives one number of the page for the run date $d.
COORDINATOR_QUERIES = {
    "todo_emails_uncertain": "select count(*) from emails where status = 'uncertain'",
    "todo_emails_failed": "select count(*) from emails where status = 'failed'",
    "todo_flags": "select count(*) from flags where run_date <= $d"
    " and (resolved_on is null or resolved_on > $d)",
    "todo_quarantine_rows": "select count(*) from quarantine q join files f"
    " on f.name = q.source_file and f.sha256 = q.file_sha256"
    " where f.status in ('current', 'rejected')",
    "night_files": "select count(*) from files where run_date = $d",
    "night_rows_read": "select sum(rows_read) from files where run_date = $d",
    "night_rows_accepted": "select sum(rows_accepted) from files where run_date = $d",
    "night_rows_quarantined": "select sum(rows_quarantined) from files where run_date = $d",
    "night_rows_superseded": "select sum(rows_superseded) from files where run_date = $d",
    "night_events_applied": "select count(*) from events where applied_on = $d"
    " and outcome = 'applied'",
    "night_unknown_values": "select count(distinct (u.field, u.value)) from unknown_values u"
    " join files f on f.name = u.source_file and f.sha256 = u.file_sha256"
    " where f.status = 'current'",
    "pool_mentees_waiting": "select count(*) from participants p where role = 'mentee'"
    " and status = 'active' and not exists (select 1 from relationships r"
    " where r.mentee_email = p.email and r.status = 'active') and not exists (select 1"
    " from proposals x where x.mentee_email = p.email"
    " and x.status in ('proposed', 'pending_approval'))",
    "pool_max_wait_days": "select max($d::date - first_seen_on) from participants p"
    " where email in ('m1@x.ca', 'm2@x.ca', 'm7@x.ca')",
    "pool_unmatched_tonight": "select count(*) from unmatched where run_date = $d",
    "pool_mentors_active": "select count(*) from participants"
    " where role = 'mentor' and status = 'active'",
    "pool_free_capacity": "select sum(greatest(least(capacity, 5)"
    " - (select count(*) from relationships r where r.mentor_email = p.email"
    " and r.status = 'active') - (select count(*) from proposals x"
    " where x.mentor_email = p.email and x.status in ('proposed', 'pending_approval')), 0))"
    " from participants p where role = 'mentor' and status = 'active'",
    "proposals_tonight": "select count(*) from proposals where run_date = $d",
    "proposals_pending_approval": "select count(*) from proposals"
    " where status = 'pending_approval'",
    "proposals_answers": "select count(*) from proposals where decided_on = $d",
    "relationships_active": "select count(*) from relationships where status = 'active'",
    "relationships_started": "select count(*) from relationships where started_on = $d",
    "relationships_ended": "select count(*) from relationships where ended_on = $d",
    "relationships_flagged": "select count(distinct relationship_id) from flags"
    " where run_date <= $d and resolved_on is null and relationship_id is not null",
    "emails_sent_tonight": "select count(*) from emails where sent_run_date = $d"
    " and status = 'sent'",
    "emails_queued_tonight": "select count(*) from emails where created_run_date = $d",
    "emails_queued": "select count(*) from emails where status = 'queued'",
    "emails_failed": "select count(*) from emails where status = 'failed'",
    "emails_uncertain": "select count(*) from emails where status = 'uncertain'",
}


def _scalar(con: Any, sql: str) -> int:
    ((value,),) = con.execute(sql.replace("$d", f"DATE '{RUN_DATE}'")).fetchall()
    return int(value or 0)


def test_every_report_query_belongs_to_a_section():
    assert sorted(n for names in SECTIONS.values() for n in names) == query_names()


@pytest.mark.parametrize("name", sorted(COORDINATOR_QUERIES))
def test_page_number_equals_the_coordinators_query(report, scripted, name):
    shown = metrics(report.html)
    assert shown[name] == str(EXPECTED[name])
    assert _scalar(scripted, COORDINATOR_QUERIES[name]) == EXPECTED[name]
    assert report.numbers[name] == EXPECTED[name]


def test_every_expected_number_is_on_the_page(report):
    shown = metrics(report.html)
    assert {k: shown.get(k) for k in EXPECTED} == {k: str(v) for k, v in EXPECTED.items()}


def test_tables_list_the_rows_of_their_query(report, scripted, config):
    params = parameters(config, RUN_DATE)
    page = report.html
    for table, query in [
        ("todo_emails", "todo_emails"),
        ("todo_quarantine", "todo_quarantine"),
        ("night_files", "night_files"),
        ("night_events", "night_events"),
        ("night_unknown_values", "night_unknown_values"),
        ("pool_waiting", "pool_waiting"),
        ("proposals_tonight", "proposals_tonight"),
        ("proposals_answers", "proposals_answers"),
        ("emails", "emails"),
    ]:
        assert len(table_rows(page, table)) == run_query(scripted, query, params).height, table
    flags = run_query(scripted, "todo_flags", params)
    for kind in ("first_meeting_overdue", "stale", "no_response"):
        shown = len(table_rows(page, f"todo_flags_{kind}"))
        assert shown == flags.filter(flags["kind"] == kind).height == 1, kind
    assert metrics(page)["todo_flags_no_response"] == "1"
    # Mentors listed: those with free places (r2, r5, r6), most places first.
    mentors = table_rows(page, "pool_mentors")
    assert [row[-1] for row in mentors] == ["5", "2", "1"]
    # Relationships listed: started, ended or flagged (R1 flagged, R2 started, R3 ended).
    assert len(table_rows(page, "relationships")) == 3


def test_unmatched_reasons_and_fixes_in_words(report):
    waiting = {row[0].split()[-1]: row for row in table_rows(report.html, "pool_waiting")}
    assert "aucun mentor ne partage sa langue" in waiting["m1@x.ca"][-2]
    assert waiting["m1@x.ca"][-3] == "75"
    assert "sous le score minimal" in waiting["m2@x.ca"][-2]
    # the last column: the closest mentors and what keeps each away, in words
    assert "aucune langue en commun" in waiting["m1@x.ca"][-1]
    assert "aucune place libre" in waiting["m2@x.ca"][-1]  # full mentors score better
    fixes = {(r[0].split()[0], r[1]): r[3] for r in table_rows(report.html, "todo_quarantine")}
    assert "consentement" in fixes[("inscriptions-2026-10-15.csv", "3")]
    assert "AAAA-MM-JJ" in fixes[("inscriptions-2026-10-01.csv", "4")]
    assert "niveau d'encadrement" in fixes[("inscriptions-2026-10-15.csv", "8")]
    assert "adresse courriel" in fixes[("inscriptions-2026-10-15.csv", "8")]
    assert "fichier entier" in [r[1] for r in table_rows(report.html, "todo_quarantine")]


def test_events_of_the_night_in_words(report, scripted, config):
    """« La nuit » names each event type and outcome in words, never by its code."""
    params = parameters(config, RUN_DATE)
    events = run_query(scripted, "night_events", params)
    shown = table_rows(report.html, "night_events")
    assert len(shown) == events.height > 0
    codes = set(events["event_type"].to_list()) | set(events["outcome"].to_list())
    assert not codes & {cell for row in shown for cell in row}


def test_proposals_show_components_in_words(report):
    rows = table_rows(report.html, "proposals_tonight")
    first = next(r for r in rows if "0.72" in r[2])
    assert "objectifs couverts par les compétences 100 %" in first[3]
    assert "disponibilités communes 25 %" in first[3]
    assert "mentor souhaité" not in first[3]  # a zero component is not a reason
    assert any("en attente du comité" in r[4] for r in rows)


def test_pending_approval_shown_when_required(scripted, program):
    config = program("")
    approval = program("").model_copy(
        update={"program": config.program.model_copy(update={"require_approval": True})}
    )
    page = build_report(scripted, approval, RUN_DATE).html
    assert metrics(page)["proposals_pending_approval"] == "1"


def test_empty_warehouse_gives_a_calm_report(con, config):
    report = build_report(con, config, date(2026, 1, 1))
    shown = metrics(report.html)
    assert shown["todo_total"] == "0"
    assert "Rien à traiter aujourd'hui." in lxml_html.fromstring(report.html).text_content()
    assert report.path.read_text(encoding="utf-8") == report.html
    assert all(v in ("0", "—", "0 / 0") for v in shown.values())  # "0 / 0": none done, none due


def test_summary_and_file(report, config):
    assert report.path == config.data_dir / "reports" / "report-2026-10-15.html"
    assert report.path.read_text(encoding="utf-8") == report.html
    assert str(report.path) in report.markdown
    assert "## À traiter (10)" in report.markdown
    assert "| 3 | personnes mentorées en attente |" in report.markdown
    assert "personnes mentorées en attente : 3" in report.text
