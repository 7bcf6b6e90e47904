"""The report shows tonight's answers by email and, under « Réponses à vérifier », those not
applied, with their sender, date, subject and first lines escaped."""

from __future__ import annotations

from jumelage import warehouse
from jumelage.report import build_report

from ..nights import run_night
from .helpers import MENTEE, day, message, propose, sent


def test_report_lists_answers_received_and_to_check(mail_config, imap):
    propose(mail_config)
    mid, _ = sent(mail_config, "proposal", MENTEE)
    imap.deliver(message(MENTEE, "J'accepte", in_reply_to=mid))
    imap.deliver(
        message(
            "intrus@evil.example",
            "<script>alert(1)</script> J'accepte",
            subject="<b>Re</b> proposition",
            in_reply_to=mid,
        )
    )
    run_night(mail_config, day(1))
    con = warehouse.connect(mail_config.data_dir)
    try:
        report = build_report(con, mail_config, day(1))
    finally:
        con.close()
    html = report.html
    assert "Réponses à vérifier" in html and "Réponses reçues par courriel" in html
    assert report.numbers["todo_answers"] == 1
    assert report.numbers["night_answers_recorded"] == 1
    assert "intrus@evil.example" in html and "expéditeur inconnu du programme" in html
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html
    assert "&lt;b&gt;Re&lt;/b&gt; proposition" in html
    assert "proposition acceptée" in html


def test_report_flags_an_unreachable_person(mail_config, imap):
    from .test_answers import bounce_the_proposal

    propose(mail_config)
    bounce_the_proposal(mail_config, imap)
    run_night(mail_config, day(1))
    con = warehouse.connect(mail_config.data_dir)
    try:
        html = build_report(con, mail_config, day(1)).html
    finally:
        con.close()
    assert "Courriel non distribué (adresse injoignable)" in html
    assert f"un courriel envoyé à {MENTEE} est revenu non distribué" in html
