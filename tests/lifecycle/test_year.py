"""A year night by night: every flag and email on the exact day it falls due, never twice."""

from collections import Counter
from datetime import date, timedelta

import duckdb

from jumelage.demo.files import write_csv

from ..conftest import reg
from ..nights import run_night

D0 = date(2026, 1, 5)


def day(n: int) -> date:
    return D0 + timedelta(days=n)


def event(n: int, kind: str, email: str, **extra: str) -> dict[str, str]:
    return {
        "date_evenement": day(n).isoformat(),
        "type_evenement": kind,
        "courriel": email,
        "courriel_partenaire": extra.get("partner", ""),
        "no_proposition": extra.get("proposal", ""),
        "valeur": extra.get("value", ""),
    }


def read(config, sql, params=None):
    con = duckdb.connect(str(config.data_dir / "warehouse.duckdb"), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def test_a_year_of_follow_up(config, inbox):
    mentor = {"role": "mentor", "management_level": "3", "capacity": "1", "goals": ""}
    write_csv(
        inbox / "inscriptions.csv",
        [
            reg(email="a@x.ca", goals="leadership"),
            reg(email="b@x.ca", goals="strategie"),
            reg(email="m1@x.ca", competencies="leadership", **mentor),
            reg(email="m2@x.ca", competencies="strategie", **mentor),
        ],
    )
    run_night(config, day(0))
    proposals = dict(read(config, "select mentee_email, proposal_id from proposals"))
    assert read(config, "select mentee_email, mentor_email from proposals order by 1") == [
        ("a@x.ca", "m1@x.ca"),
        ("b@x.ca", "m2@x.ca"),
    ]
    script = {
        2: [event(2, "Acceptée", "a@x.ca", proposal=proposals["a@x.ca"])],
        30: [event(30, "rencontre tenue", "a@x.ca", partner="m1@x.ca")],
        # a coordinator acts on b's expired proposal: declined, b returns to the pool
        40: [event(40, "refusée", "b@x.ca", proposal=proposals["b@x.ca"])],
        100: [event(100, "meeting_held", "m1@x.ca")],
        200: [event(200, "bilan de mi-parcours", "a@x.ca", partner="m1@x.ca")],
    }
    for n in range(1, 371):
        if n in script:
            write_csv(inbox / f"evenements-{day(n)}.csv", script[n])
        run_night(config, day(n))

    emails = Counter(
        (kind, (sent_for - D0).days)
        for kind, sent_for in read(config, "select kind, created_run_date from emails")
    )
    followups = {n: 2 for n in (75, 145, 190, 245, 290, 335)}
    expected = Counter(
        {("proposal", 0): 2, ("confirmation", 2): 2, ("proposal_reminder", 5): 1,
         ("first_meeting_reminder", 23): 1, ("midpoint_review", 184): 2,
         ("final_review", 367): 2}
        | {("followup", n): count for n, count in followups.items()}
    )  # fmt: skip
    assert emails == expected

    flags = sorted(
        ((run - D0).days, kind, resolved and (resolved - D0).days)
        for run, kind, resolved in read(config, "select run_date, kind, resolved_on from flags")
    )
    assert flags == [
        (10, "no_response", 40),
        (23, "first_meeting_overdue", 30),
        (75, "stale", 100),
        (145, "stale", 200),
        (184, "midpoint_review_due", 200),
        (190, "stale", 200),
        (245, "stale", None),
        (290, "stale", None),
        (335, "stale", None),
        (367, "final_review_due", None),
    ]
    assert read(
        config, "select status, started_on, planned_end_on, midpoint_on from relationships"
    ) == [("active", day(2), date(2027, 1, 7), day(184))]
    assert read(config, "select mentee_email, status from proposals order by 1") == [
        ("a@x.ca", "accepted"),
        ("b@x.ca", "declined"),
    ]
    # b is back in the pool but m2 was declined and m1 is taken: no proposal, and why
    assert read(config, "select status from participants where email = 'b@x.ca'") == [("active",)]
    # a re-run of any night changes nothing and queues nothing
    before = (
        read(config, "select count(*) from emails")[0][0],
        read(config, "select count(*) from flags")[0][0],
    )
    run_night(config, day(190))
    run_night(config, day(370))
    after = (
        read(config, "select count(*) from emails")[0][0],
        read(config, "select count(*) from flags")[0][0],
    )
    assert after == before
