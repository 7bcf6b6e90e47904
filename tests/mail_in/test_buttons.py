"""The one-click answers: every email that asks for an answer carries `mailto:` buttons to the
program mailbox (never a web link), and the message a button prepares, sent as is, is applied."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, unquote, urlsplit

import pytest

from ..nights import run_night
from .helpers import MENTEE, MENTOR, day, message, propose, read, relate


def email_of(config, kind, recipient):
    ((html, text, subject),) = read(
        config,
        "select body_html, body_text, subject from emails where kind = ? and recipient = ?",
        [kind, recipient],
    )
    return html, text, subject


def buttons(html: str) -> list[tuple[str, str, str]]:
    """(to, subject, body) of each mailto: link of the email but the footer's."""
    found = []
    for href in re.findall(r'href="(mailto:[^"]+)"', html):
        parts = urlsplit(href.replace("&amp;", "&"))
        query = parse_qs(parts.query)
        if "subject" in query:
            found.append((unquote(parts.path), query["subject"][0], query["body"][0]))
    return found


@pytest.mark.parametrize("label", ["J'accepte", "Je décline"])
def test_a_proposal_button_sent_as_is_is_applied(mail_config, imap, label):
    pid = propose(mail_config)
    html, text, _ = email_of(mail_config, "proposal", MENTEE)
    assert "http://" not in html and "https://" not in html
    found = buttons(html)
    assert [s.split(" [JM")[0] for _, s, _ in found] == [
        f"{pid} — J'accepte",
        f"{pid} — Je décline",
    ]
    assert all(to == "mentorat@example.org" for to, _, _ in found)
    assert "[JM " + pid in text and "Ou écrivez au bureau du programme" in text  # in words
    _, subject, body = next(b for b in found if label in b[1])
    imap.deliver(message(MENTEE, body, subject=subject))
    run_night(mail_config, day(1))
    status = read(mail_config, "select status from proposals where proposal_id = ?", [pid])
    assert status == [("accepted" if label == "J'accepte" else "declined",)]


def test_a_button_forwarded_to_someone_else_is_not_applied(mail_config, imap):
    pid = propose(mail_config)
    html, _, _ = email_of(mail_config, "proposal", MENTEE)
    _, subject, body = buttons(html)[0]
    imap.deliver(message(MENTOR, body, subject=subject))
    run_night(mail_config, day(1))
    assert read(mail_config, "select status from proposals where proposal_id = ?", [pid]) == [
        ("proposed",)
    ]


def test_the_confirmation_asks_for_the_first_meeting(mail_config, imap):
    _, rid = relate(mail_config, imap)
    html, _, _ = email_of(mail_config, "confirmation", MENTOR)
    ((_, subject, body),) = buttons(html)
    assert rid in subject
    imap.deliver(message(MENTOR, body, subject=subject))
    run_night(mail_config, day(2))
    # dated the day it was written (the message's Date:), not the night it was read
    assert read(mail_config, "select first_meeting_on from relationships") == [(day(1),)]


def test_no_buttons_without_the_mailbox(config, inbox):
    from jumelage.demo.files import write_csv
    from tests.conftest import reg

    from .helpers import MENTOR_ROW

    rows = [
        reg(email=MENTEE, goals="leadership"),
        reg(email=MENTOR, competencies="leadership", **MENTOR_ROW),
    ]
    write_csv(inbox / "inscriptions.csv", rows)
    run_night(config, day(0))
    html, text, _ = email_of(config, "proposal", MENTEE)
    assert buttons(html) == [] and "[JM" not in text


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_buttons_sit_where_the_email_says_how_to_answer(program, monkeypatch, lang):
    """In the « Comment répondre » part, before what follows an acceptance and the closing
    line, in HTML and in text; in the confirmation, in its « first meeting » part."""
    from jumelage.notify.compose import compose
    from tests.notify.helpers import context_for

    monkeypatch.setenv("JUMELAGE_SECRET", "a secret for the tokens")
    config = program('\n[mailbox_in]\nhost = "127.0.0.1"\nuser = "mentorat@example.org"\n')

    def parts(kind: str) -> tuple[str, str]:
        message = compose(
            config, kind, to="zoe@example.org", context=context_for(kind), about="P-1",
            language=lang,
        )  # fmt: skip
        return message.body_html, message.body_text

    how, after, closing = {
        "fr": ("Comment répondre", "Si vous acceptez", "Au plaisir de vous lire"),
        "en": ("How to answer", "If you accept", "We look forward to hearing from you"),
    }[lang]
    html, text = parts("proposal")
    for body, button in ((html, "mailto:mentorat@example.org?subject="), (text, "[JM P-1 ")):
        at, low = body.index(button), body.lower()  # the text part's headings are capitals
        assert low.index(how.lower()) < at < body.index(after) < body.index(closing)
        assert body.count(button) == 2  # accept, decline: once each
    meeting, rules = {
        "fr": ("Une fois la première rencontre faite", "gles du programme"),
        "en": ("Once the first meeting has taken place", "rules"),
    }[lang]
    html, text = parts("confirmation")
    for body, button in ((html, "%5BJM%20P-1%20met%20"), (text, "[JM P-1 met ")):
        assert body.index(meeting) < body.index(button) < body.lower().index(rules)
