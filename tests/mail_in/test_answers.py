"""Answers by email, end to end: a real IMAP server, the night's stages, the warehouse."""

from __future__ import annotations

import pytest

from jumelage import warehouse
from jumelage.errors import ConfigError
from jumelage.mail_in.stage import mail_in

from ..nights import run_night
from .helpers import (
    MENTEE,
    MENTOR,
    day,
    inbound,
    mark,
    message,
    propose,
    read,
    relate,
    sent,
)

PROCESSED, REVIEW = "jumelage/traites", "jumelage/a-verifier"


def status_of(config, pid):
    return read(config, "select status from proposals where proposal_id = ?", [pid])[0][0]


def test_an_acceptance_replying_to_the_proposal_starts_the_relationship(mail_config, imap):
    pid = propose(mail_config)
    mid, about = sent(mail_config, "proposal", MENTEE)
    assert about == pid
    imap.deliver(message(MENTEE.upper(), "J'accepte avec plaisir.\n\nJean", in_reply_to=mid))
    run_night(mail_config, day(1))
    assert status_of(mail_config, pid) == "accepted"
    assert read(mail_config, "select mentee_email, started_on from relationships") == [
        (MENTEE, day(1))
    ]
    assert read(
        mail_config, "select event_type, source, applied_on from events where source = 'email'"
    ) == [("proposal_accepted", "email", day(1))]
    assert inbound(mail_config) == [
        (MENTEE, "answer", "recorded", None, "proposal_accepted", pid, PROCESSED)
    ]
    assert len(imap.messages(PROCESSED)) == 1 and imap.messages("INBOX") == []
    # the confirmation went to both
    assert {
        r for (r,) in read(mail_config, "select recipient from emails where kind = 'confirmation'")
    } == {MENTEE, MENTOR}


@pytest.mark.parametrize(
    ("answer", "words", "status"),
    [
        ("accept", "I accept.", "accepted"),
        ("decline", "I decline, sorry: no time this spring.", "declined"),
    ],
)
def test_a_mailto_button_answers_in_english_by_its_token(mail_config, imap, answer, words, status):
    pid = propose(mail_config)
    subject = f"Proposal {pid} {mark(pid, answer, MENTEE)}"
    imap.deliver(message(MENTEE, words, subject=subject))
    run_night(mail_config, day(1))
    assert status_of(mail_config, pid) == status


def test_a_decline_keeps_its_reason(mail_config, imap):
    pid = propose(mail_config)
    mid, _ = sent(mail_config, "proposal", MENTEE)
    imap.deliver(message(MENTEE, "Je décline : je change de poste en avril.", in_reply_to=mid))
    run_night(mail_config, day(1))
    assert status_of(mail_config, pid) == "declined"
    assert read(mail_config, "select value from events where source = 'email'") == [
        ("Je décline : je change de poste en avril.",)
    ]


@pytest.mark.parametrize(
    ("reply", "status"),
    [
        pytest.param(
            {
                "html": "<html><body><div>J&#39;<b>accepte</b> !</div>"
                "<blockquote>Répondez « Je décline » ou « J'accepte »</blockquote></body></html>"
            },
            "accepted",
            id="html-only",
        ),
        pytest.param(
            {
                "body": "Je décline, merci.\n\n-- \nJean Côté\nJ'accepte les appels de 9 h à "
                "17 h\n\nLe lun. 2 mars 2026 à 01:30, Connexion Cadres a écrit :\n"
                "> Pour accepter, répondez « J'accepte ».\n"
            },
            "declined",
            id="quoted-original-and-signature-ignored",
        ),
        pytest.param(
            {
                "body": "I accept\n\n________________________________\nFrom: Connexion Cadres "
                "<mentorat@example.org>\nSent: Monday\nSubject: Proposal\n\nTo decline, reply "
                "I decline."
            },
            "accepted",
            id="outlook-quote-block-ignored",
        ),
    ],
)
def test_the_answer_is_what_the_person_wrote(mail_config, imap, reply, status):
    """An HTML-only reply is read; quoted text and signatures, which often hold the other
    answer's words, are not."""
    pid = propose(mail_config)
    mid, _ = sent(mail_config, "proposal", MENTEE)
    imap.deliver(message(MENTEE, in_reply_to=mid, **reply))
    run_night(mail_config, day(1))
    assert status_of(mail_config, pid) == status


def test_a_forged_sender_is_never_applied(mail_config, imap):
    pid = propose(mail_config)
    mid, _ = sent(mail_config, "proposal", MENTEE)
    imap.deliver(message("intrus@evil.example", "J'accepte", in_reply_to=mid))
    # a participant who is not the recipient, replying to someone else's email
    imap.deliver(message(MENTOR, "J'accepte", in_reply_to=mid))
    imap.deliver(message(MENTOR, "I accept", subject=f"Re {mark(pid, 'accept', MENTEE)}"))
    run_night(mail_config, day(1))
    assert status_of(mail_config, pid) == "proposed"
    rows = inbound(mail_config)
    assert [(r[0], r[2], r[3], r[6]) for r in rows] == [
        ("intrus@evil.example", "to_check", "unknown_sender", REVIEW),
        (MENTOR, "to_check", "no_context", REVIEW),
        (MENTOR, "to_check", "bad_token", REVIEW),
    ] or sorted(r[3] for r in rows) == ["bad_token", "no_context", "unknown_sender"]
    assert len(imap.messages(REVIEW)) == 3
    assert read(mail_config, "select count(*) from events where source = 'email'") == [(0,)]


def test_a_bad_token_is_never_applied(mail_config, imap):
    pid = propose(mail_config)
    good = mark(pid, "accept", MENTEE)
    bad = good[:-5] + ("0000]" if not good.endswith("0000]") else "1111]")
    imap.deliver(message(MENTEE, "J'accepte", subject=f"Proposition {bad}"))
    run_night(mail_config, day(1))
    assert status_of(mail_config, pid) == "proposed"
    assert [r[3] for r in inbound(mail_config)] == ["bad_token"]


def test_ambiguous_text_is_to_check(mail_config, imap):
    pid = propose(mail_config)
    mid, _ = sent(mail_config, "proposal", MENTEE)
    imap.deliver(message(MENTEE, "J'accepte... ou plutôt je décline ?", in_reply_to=mid))
    imap.deliver(message(MENTEE, "Bonjour, pouvez-vous m'appeler ?", in_reply_to=mid))
    # the button says accept, the words decline
    imap.deliver(message(MENTEE, "Je décline", subject=mark(pid, "accept", MENTEE)))
    run_night(mail_config, day(1))
    assert status_of(mail_config, pid) == "proposed"
    assert sorted(r[3] for r in inbound(mail_config)) == ["ambiguous", "ambiguous", "no_answer"]


def test_a_negation_is_not_its_positive(mail_config, imap):
    pid = propose(mail_config)
    mid, _ = sent(mail_config, "proposal", MENTEE)
    imap.deliver(message(MENTEE, "Désolé, je n'accepte pas.", in_reply_to=mid))
    run_night(mail_config, day(1))
    assert status_of(mail_config, pid) == "declined"


def test_an_answer_to_a_proposal_no_longer_pending_is_to_check(mail_config, imap):
    pid = propose(mail_config)
    mid, _ = sent(mail_config, "proposal", MENTEE)
    imap.deliver(message(MENTEE, "Je décline", in_reply_to=mid))
    run_night(mail_config, day(1))
    imap.deliver(message(MENTEE, "Finalement j'accepte", in_reply_to=mid))
    run_night(mail_config, day(2))
    assert status_of(mail_config, pid) == "declined"
    assert [r[2:4] for r in inbound(mail_config)] == [
        ("recorded", None),
        ("to_check", "not_pending"),
    ]


def test_auto_replies_are_recorded_not_answers(mail_config, imap):
    pid = propose(mail_config)
    mid, _ = sent(mail_config, "proposal", MENTEE)
    imap.deliver(
        message(MENTEE, "J'accepte", in_reply_to=mid, headers={"Auto-Submitted": "auto-replied"})
    )
    imap.deliver(message(MENTEE, "I accept", subject="Automatic reply: Proposal", in_reply_to=mid))
    imap.deliver(
        message(MENTEE, "Absent", subject="Réponse automatique : Proposition", in_reply_to=mid)
    )
    imap.deliver(message(MENTEE, "away", in_reply_to=mid, headers={"X-Autoreply": "yes"}))
    run_night(mail_config, day(1))
    assert status_of(mail_config, pid) == "proposed"
    assert [r[1:3] for r in inbound(mail_config)] == [("auto_reply", "auto_reply")] * 4
    assert len(imap.messages(PROCESSED)) == 4


def dsn(recipient: str, original_id: str) -> bytes:
    return (
        "From: MAILER-DAEMON@mx.example.org\r\nTo: mentorat@example.org\r\n"
        "Subject: Undelivered Mail Returned to Sender\r\nMessage-ID: <dsn1@mx.example.org>\r\n"
        "MIME-Version: 1.0\r\n"
        'Content-Type: multipart/report; report-type=delivery-status; boundary="B"\r\n\r\n'
        "--B\r\nContent-Type: text/plain\r\n\r\nI'm sorry, I could not deliver.\r\n"
        "--B\r\nContent-Type: message/delivery-status\r\n\r\n"
        "Reporting-MTA: dns; mx.example.org\r\n\r\n"
        f"Final-Recipient: rfc822; {recipient}\r\nAction: failed\r\nStatus: 5.1.1\r\n\r\n"
        "--B\r\nContent-Type: text/rfc822-headers\r\n\r\n"
        f"From: mentorat@example.org\r\nTo: {recipient}\r\nMessage-ID: {original_id}\r\n\r\n"
        "--B--\r\n"
    ).encode()


def bounce_the_proposal(config, imap) -> None:
    """The proposal email as sent (these tests have no SMTP server), and its bounce back."""
    con = warehouse.connect(config.data_dir)
    con.execute("update emails set status = 'sent', sent_at = now() where kind = 'proposal'")
    con.close()
    mid, _ = sent(config, "proposal", MENTEE)
    imap.deliver(dsn(MENTEE, mid))


def test_a_bounce_marks_the_email_and_flags_the_person(mail_config, imap):
    propose(mail_config)
    bounce_the_proposal(mail_config, imap)
    run_night(mail_config, day(1))
    assert read(mail_config, "select status from emails where kind = 'proposal'") == [("bounced",)]
    assert read(mail_config, "select kind, mentee_email from flags where kind = 'unreachable'") == [
        ("unreachable", MENTEE)
    ]
    assert [r[1:3] for r in inbound(mail_config)] == [("bounce", "bounced")]


def test_the_same_message_delivered_twice_is_applied_once(mail_config, imap):
    pid = propose(mail_config)
    mid, _ = sent(mail_config, "proposal", MENTEE)
    raw = message(MENTEE, "Je décline", in_reply_to=mid, message_id="<same@client.example>")
    imap.deliver(raw)
    imap.deliver(raw)
    run_night(mail_config, day(1))
    imap.deliver(raw)  # and once more, a night later
    run_night(mail_config, day(2))
    assert status_of(mail_config, pid) == "declined"
    assert read(mail_config, "select count(*) from events where source = 'email'") == [(1,)]
    assert len(inbound(mail_config)) == 1
    assert imap.messages("INBOX") == [] and len(imap.messages(PROCESSED)) == 3


def test_relationship_answers_first_meeting_review_end(mail_config, imap):
    _, rid = relate(mail_config, imap)
    mid, about = sent(mail_config, "confirmation", MENTOR)
    assert about == rid
    imap.deliver(message(MENTOR, "Nous nous sommes rencontrés hier.", in_reply_to=mid))
    run_night(mail_config, day(2))
    assert read(mail_config, "select first_meeting_on from relationships") == [(day(1),)]
    imap.deliver(message(MENTEE, "Review done", subject=f"Re: {mark(rid, 'review', MENTEE)}"))
    imap.deliver(message(MENTEE, "We have ended.", subject=f"Re: {mark(rid, 'ended', MENTEE)}"))
    run_night(mail_config, day(3))
    # a review answer needs a review email: the token's relationship had none yet
    outcomes = [r[2:5] for r in inbound(mail_config)]
    assert ("recorded", None, "relationship_ended") in outcomes
    assert read(mail_config, "select status from relationships") == [("ended",)]


def test_absent_back_withdraw_from_any_reply(mail_config, imap):
    propose(mail_config)
    mid, _ = sent(mail_config, "proposal", MENTEE)
    imap.deliver(message(MENTEE, "Je serai absent jusqu'en mai.", in_reply_to=mid))
    run_night(mail_config, day(1))
    assert read(mail_config, "select status from participants where email = ?", [MENTEE]) == [
        ("absent",)
    ]
    imap.deliver(message(MENTEE, "I'm back!", in_reply_to=mid))
    run_night(mail_config, day(2))
    assert read(mail_config, "select status from participants where email = ?", [MENTEE]) == [
        ("active",)
    ]
    imap.deliver(message(MENTEE, "Je me retire du programme.", in_reply_to=mid))
    run_night(mail_config, day(3))
    assert read(mail_config, "select status from participants where email = ?", [MENTEE]) == [
        ("withdrawn",)
    ]


def test_no_secret_stops_with_a_clear_message(mail_config, imap, monkeypatch):
    monkeypatch.delenv("JUMELAGE_SECRET")
    monkeypatch.setattr("jumelage.mail_in.token.keyring.get_password", lambda *a: None)
    con = warehouse.connect(mail_config.data_dir)
    try:
        with pytest.raises(ConfigError, match="JUMELAGE_SECRET"):
            mail_in(con, mail_config, day(0))
    finally:
        con.close()


def test_without_mailbox_in_nothing_changes(config):
    con = warehouse.connect(config.data_dir)
    try:
        assert mail_in(con, config, day(0)).configured is False
    finally:
        con.close()


def test_a_mailbox_that_cannot_be_read_does_not_stop_the_night(mail_config, imap, monkeypatch):
    monkeypatch.setenv("JUMELAGE_IMAP_PASSWORD", "wrong")
    con = warehouse.connect(mail_config.data_dir)
    try:
        result = mail_in(con, mail_config, day(0))
    finally:
        con.close()
    assert result.error and "wrong" not in result.error


def test_two_answers_the_same_night_the_second_is_to_check(mail_config, imap):
    pid = propose(mail_config)
    mid, _ = sent(mail_config, "proposal", MENTEE)
    imap.deliver(message(MENTEE, "J'accepte", in_reply_to=mid))
    imap.deliver(message(MENTEE, "Finalement je décline", in_reply_to=mid))
    run_night(mail_config, day(1))
    assert status_of(mail_config, pid) == "accepted"
    assert [r[2:4] for r in inbound(mail_config)] == [("recorded", None), ("to_check", "ambiguous")]


def test_a_server_without_move_gets_copy_delete_expunge(mail_config, imap, monkeypatch):
    from imapclient import IMAPClient

    real = IMAPClient.has_capability
    monkeypatch.setattr(IMAPClient, "has_capability", lambda self, c: c != "MOVE" and real(self, c))
    pid = propose(mail_config)
    mid, _ = sent(mail_config, "proposal", MENTEE)
    imap.deliver(message(MENTEE, "J'accepte", in_reply_to=mid))
    imap.deliver(message("x@evil.example", "J'accepte", in_reply_to=mid))
    run_night(mail_config, day(1))
    assert status_of(mail_config, pid) == "accepted"
    assert imap.messages("INBOX") == []
    assert len(imap.messages(PROCESSED)) == 1 and len(imap.messages(REVIEW)) == 1


def test_an_answer_after_a_bounce_resolves_unreachable(mail_config, imap):
    pid = propose(mail_config)
    bounce_the_proposal(mail_config, imap)
    run_night(mail_config, day(1))
    imap.deliver(message(MENTEE, "I accept", subject=mark(pid, "accept", MENTEE)))
    run_night(mail_config, day(2))
    assert read(
        mail_config, "select resolved_on, resolved_by from flags where kind = 'unreachable'"
    ) == [(day(2), "answer_by_email")]
