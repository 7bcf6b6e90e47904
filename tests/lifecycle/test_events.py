"""Events applied to proposals, relationships and participants; conflicts and withdrawals."""

from datetime import date, timedelta

import pytest

from jumelage.demo.files import write_csv
from jumelage.quarantine import Reason, from_json
from jumelage.vocabulary import QuarantineCode

from ..conftest import reg
from ..nights import run_night
from .test_year import read

D0 = date(2026, 3, 2)
MENTOR = {"role": "mentor", "management_level": "3", "capacity": "1", "goals": ""}


def day(n: int) -> date:
    return D0 + timedelta(days=n)


def ev(n: int, kind: str, email: str, partner: str = "", proposal: str = "", value: str = ""):
    return {"date_evenement": day(n).isoformat(), "type_evenement": kind, "courriel": email,
            "courriel_partenaire": partner, "no_proposition": proposal, "valeur": value}  # fmt: skip


def people(*extra: dict[str, str]) -> list[dict[str, str]]:
    return [
        reg(email="a@x.ca", goals="leadership"),
        reg(email="m1@x.ca", competencies="leadership", **MENTOR),
        *extra,
    ]


def drop_events(inbox, n, *events):
    write_csv(inbox / f"evenements-{day(n)}.csv", list(events))


def proposal_of(config, mentee):
    rows = read(
        config,
        "select proposal_id, mentor_email, status from proposals where mentee_email = ?"
        " order by run_date, round",
        [mentee],
    )
    return rows[-1]


def emails(config, kind):
    return read(
        config,
        "select recipient, created_run_date from emails where kind = ? order by 1, 2",
        [kind],
    )


def start_relationship(config, inbox, rows=None):
    write_csv(inbox / "inscriptions.csv", rows or people())
    run_night(config, day(0))
    pid, _, _ = proposal_of(config, "a@x.ca")
    drop_events(inbox, 1, ev(1, "acceptée", "a@x.ca", proposal=pid))
    run_night(config, day(1))
    return pid


def conflicts(config):
    return read(
        config,
        "select run_date, detail, resolved_on from flags where kind = 'conflict' order by 1, 2",
    )


def test_acceptance_creates_the_relationship_and_tells_both(config, inbox):
    pid = start_relationship(config, inbox)
    assert read(config, "select proposal_id, status, mentee_email, mentor_email, started_on,"
                " planned_end_on from relationships") == [
        (pid, "active", "a@x.ca", "m1@x.ca", day(1), date(2027, 3, 3))
    ]  # fmt: skip
    assert emails(config, "confirmation") == [("a@x.ca", day(1)), ("m1@x.ca", day(1))]
    # the same acceptance sent again (in another file) is not applied twice
    drop_events(inbox, 2, ev(1, "proposal_accepted", "a@x.ca", proposal=pid))
    run_night(config, day(2))
    assert read(config, "select outcome from events order by applied_on") == [
        ("applied",),
        ("already applied",),
    ]
    assert len(emails(config, "confirmation")) == 2


def test_mentor_becomes_the_superiors_superior_after_a_correction(config, inbox):
    rows = people(reg(email="x@x.ca", role="mentor", management_level="2", competencies="strategie",
                      goals=""))  # fmt: skip
    start_relationship(config, inbox, rows)
    assert conflicts(config) == []
    # correction of the registrations: a moves to x's team, and x reports to m1
    fixed = [dict(r) for r in rows]
    fixed[0].update(organization="MCE", manager_email="x@x.ca")
    fixed[2].update(manager_email="m1@x.ca")
    write_csv(inbox / "inscriptions.csv", fixed)
    run_night(config, day(3))
    run_night(config, day(4))
    assert conflicts(config) == [
        (day(3), "lien hiérarchique entre les partenaires depuis un changement", None)
    ]


def test_level_rises_above_the_gap_and_absence(config, inbox):
    start_relationship(config, inbox)
    drop_events(inbox, 5, ev(5, "changement de niveau", "a@x.ca", value="3"))
    run_night(config, day(5))
    assert read(config, "select management_level from participants where email = 'a@x.ca'") == [
        (3,)
    ]
    drop_events(inbox, 6, ev(6, "absence_started", "m1@x.ca"))
    run_night(config, day(6))
    drop_events(inbox, 8, ev(8, "fin d'absence", "m1@x.ca"))
    run_night(config, day(8))
    assert conflicts(config) == [
        (day(5), "écart de niveau rompu : mentor niveau 3, personne mentorée niveau 3", None),
        (day(6), "le mentor est absent", day(8)),
    ]
    # the level change survives the next nights (registrations are re-derived every night)
    run_night(config, day(9))
    assert read(config, "select management_level from participants where email = 'a@x.ca'") == [
        (3,)
    ]


def second_mentor() -> list[dict[str, str]]:
    """a prefers m1; m2 fits too (above min_score) and comes second."""
    rows = people(reg(email="m2@x.ca", competencies="leadership;strategie", **MENTOR))
    rows[0]["preferred_mentors"] = "m1@x.ca"
    return rows


def test_pending_proposal_withdrawn_once_when_the_mentor_is_absent(config, inbox):
    rows = second_mentor()
    write_csv(inbox / "inscriptions.csv", rows)
    run_night(config, day(0))
    pid, mentor, _ = proposal_of(config, "a@x.ca")
    assert mentor == "m1@x.ca"
    drop_events(inbox, 1, ev(1, "début d'absence", "m1@x.ca"))
    run_night(config, day(1))
    run_night(config, day(2))
    assert read(
        config, "select status, status_reason from proposals where proposal_id = ?", [pid]
    ) == [("withdrawn", "partner_absent")]
    assert emails(config, "proposal_withdrawn") == [("a@x.ca", day(1))]
    # back in the pool the same night, with the other mentor
    assert proposal_of(config, "a@x.ca")[1:] == ("m2@x.ca", "proposed")


def test_declined_pair_is_never_proposed_again(config, inbox):
    rows = second_mentor()
    write_csv(inbox / "inscriptions.csv", rows)
    run_night(config, day(0))
    assert proposal_of(config, "a@x.ca")[1] == "m1@x.ca"
    drop_events(inbox, 1, ev(1, "refusée", "a@x.ca", partner="m1@x.ca"))
    run_night(config, day(1))
    assert read(
        config, "select mentor_email, status, run_date from proposals order by run_date"
    ) == [
        ("m1@x.ca", "declined", day(0)),
        ("m2@x.ca", "proposed", day(1)),
    ]


def test_unknown_person_or_proposal_is_quarantined(config, inbox):
    start_relationship(config, inbox)
    drop_events(
        inbox,
        3,
        ev(3, "rencontre tenue", "nobody@x.ca"),
        ev(3, "acceptée", "a@x.ca", proposal="P-0000"),
        ev(3, "rencontre tenue", "a@x.ca", partner="m1@x.ca"),
    )
    run_night(config, day(3))
    assert read(
        config, "select row_number, reasons from quarantine where kind = 'events' order by 1"
    ) == [
        (1, ["courriel : personne inconnue « nobody@x.ca » (aucune inscription)"]),
        (2, ["no_proposition : proposition inconnue « P-0000 »"]),
    ]
    # the same reasons as data, for whoever acts on them (the report's fix)
    codes = read(
        config, "select reason_codes from quarantine where kind = 'events' order by row_number"
    )
    assert [from_json(text) for (text,) in codes] == [
        [Reason(QuarantineCode.UNKNOWN_PERSON, "email", {"email": "nobody@x.ca"})],
        [Reason(QuarantineCode.UNKNOWN_PROPOSAL, "proposal_id", {"proposal_id": "P-0000"})],
    ]
    assert read(config, "select rows_read, rows_accepted, rows_quarantined from files"
                " where name like 'evenements-%' and rows_read = 3") == [(3, 1, 2)]  # fmt: skip
    assert read(config, "select first_meeting_on from relationships") == [(day(3),)]


def test_an_event_dated_later_waits_for_its_night(config, inbox):
    start_relationship(config, inbox)
    drop_events(inbox, 2, ev(10, "rencontre tenue", "a@x.ca"))
    run_night(config, day(2))
    assert read(config, "select first_meeting_on from relationships") == [(None,)]
    run_night(config, day(10))
    assert read(config, "select first_meeting_on from relationships") == [(day(10),)]


@pytest.mark.parametrize("decision", ["approuvée", "rejetée"])
def test_committee_approval(program, decision):
    config = program()
    config = config.model_copy(
        update={"program": config.program.model_copy(update={"require_approval": True})}
    )
    inbox = config.data_dir / "inbox"
    write_csv(inbox / "inscriptions.csv", people())
    run_night(config, day(0))
    pid, _, status = proposal_of(config, "a@x.ca")
    assert status == "pending_approval" and emails(config, "proposal") == []
    drop_events(inbox, 1, ev(1, decision, "a@x.ca", proposal=pid))
    run_night(config, day(1))
    if decision == "approuvée":
        assert read(config, "select status, released_on from proposals") == [("proposed", day(1))]
        assert emails(config, "proposal") == [("a@x.ca", day(1))]
    else:
        assert read(config, "select status from proposals") == [("withdrawn",)]
        assert read(config, "select rule from pair_rules") == [("excluded",)]
        assert emails(config, "proposal") == []


def test_an_unanswered_proposal_expires_and_a_coordinator_brings_the_mentee_back(config, inbox):
    write_csv(inbox / "inscriptions.csv", people())
    run_night(config, day(0))
    for n in range(1, 11):
        run_night(config, day(n))
    assert read(config, "select status, decided_on from proposals") == [("expired", day(10))]
    assert read(config, "select status from participants where email = 'a@x.ca'") == [
        ("unresponsive",)
    ]
    assert read(config, "select run_date, kind, resolved_on from flags") == [
        (day(10), "no_response", None)
    ]
    drop_events(inbox, 12, ev(12, "fin d'absence", "a@x.ca"))
    run_night(config, day(12))
    assert read(config, "select status from participants where email = 'a@x.ca'") == [("active",)]
    assert read(config, "select resolved_on, resolved_by from flags") == [(day(12), "coordinator")]
