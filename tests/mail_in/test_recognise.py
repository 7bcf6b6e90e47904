"""The words of an answer, without a server: each answer in French and English, negations,
quotes and signatures cut off, HTML read, headers that lie."""

from __future__ import annotations

import pytest

from jumelage.mail_in import recognise, token
from jumelage.mail_in.parse import html_to_text, parse
from jumelage.mail_in.text import strip_quoted

QUOTED = recognise.catalogue()["quoted"]
AUTO = [recognise.fold(s) for s in recognise.catalogue()["auto_reply"]["subjects"]]


@pytest.mark.parametrize(
    ("text", "answers"),
    [
        ("J'accepte !", ["accept"]),
        ("I accept, thanks", ["accept"]),
        ("Je décline, désolée.", ["decline"]),
        ("I decline: no time", ["decline"]),
        ("Je n'accepte pas", ["decline"]),
        ("I don't accept", ["decline"]),
        ("Nous nous sommes rencontrés mardi", ["met"]),
        ("We met on Tuesday", ["met"]),
        ("Tout va bien de notre côté", ["well"]),
        ("All is well", ["well"]),
        ("Nous avons terminé le mentorat", ["ended"]),
        ("We have ended our relationship", ["ended"]),
        ("Bilan fait hier", ["review"]),
        ("Review done", ["review"]),
        ("Je serai absente jusqu'en mai", ["absent"]),
        ("I will be away until May", ["absent"]),
        ("Je suis de retour", ["back"]),
        ("I'm back", ["back"]),
        ("Je me retire du programme", ["withdraw"]),
        ("I withdraw", ["withdraw"]),
        ("J'accepte ou je décline ?", ["accept", "decline"]),
        ("Bonjour, pouvez-vous m'appeler ?", []),
        ("inacceptable", []),
    ],
)
def test_answers_in_words(text, answers):
    assert recognise.answers_in(text) == answers


def test_quotes_and_signatures_are_cut():
    text = "Je décline\n-- \nJ'accepte les appels\n"
    assert strip_quoted(text, QUOTED) == "Je décline"
    text = "I decline\n\nOn Mon, Mar 2, 2026 at 1:30 AM Program <p@x.org> wrote:\n> I accept"
    assert strip_quoted(text, QUOTED) == "I decline"
    text = "Je décline\n\nDe : Programme <p@x.org>\nEnvoyé : lundi\nJ'accepte"
    assert strip_quoted(text, QUOTED) == "Je décline"


def test_html_without_its_quote():
    html = "<div>I <b>decline</b></div><div id=divRplyFwdMsg>From: x<br>I accept</div>"
    assert recognise.answers_in(html_to_text(html)) == ["decline"]
    html = '<p>J&#39;accepte</p><div class="gmail_quote">Je décline</div>'
    assert recognise.answers_in(html_to_text(html)) == ["accept"]


def test_a_token_binds_the_person_and_the_subject():
    key = b"k"
    mark = token.marker(key, "P-20260302-0A1B2C3D", "accept", "A@x.ca")
    (found,) = token.find(f"RE: Proposition {mark}")
    assert token.verify(key, found.ref, "a@x.ca", found.token)
    assert not token.verify(key, found.ref, "b@x.ca", found.token)
    assert not token.verify(b"other", found.ref, "a@x.ca", found.token)
    assert not token.verify(key, "P-20260302-0A1B2C3E", "a@x.ca", found.token)


@pytest.mark.parametrize(
    "raw",
    [
        b"",
        b"\x00\xff\xfe garbage",
        b"From: =?x-unknown?q?=E9?= <a@x.ca>\r\nSubject: =?utf-99?b?w6k=?=\r\n\r\nJ'accepte",
        b"Content-Type: text/plain; charset=x-bogus\r\nFrom: a@x.ca\r\n\r\n\xe9 J'accepte",
        b'Content-Type: multipart/mixed; boundary="B"\r\nFrom: a@x.ca\r\n\r\n--B\r\nunclosed',
        b"From: a@x.ca\r\nDate: yesterday\r\nIn-Reply-To: <<>>\r\n\r\nok",
    ],
)
def test_any_bytes_parse(raw):
    msg = parse(raw, AUTO, QUOTED)
    assert msg.key and isinstance(msg.new_text, str)


def test_headers_that_mark_auto_replies_and_bounces():
    auto = parse(b"From: a@x.ca\r\nSubject: Out of Office: x\r\n\r\nbody", AUTO, QUOTED)
    assert auto.auto_reply and not auto.bounce
    daemon = parse(b"From: MAILER-DAEMON@mx.example\r\nSubject: failure\r\n\r\nx", AUTO, QUOTED)
    assert daemon.bounce and not daemon.auto_reply
