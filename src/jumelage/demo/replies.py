"""How the demo's people answer by email: replies to what they received, sent back through
the demo's mail sink, which delivers mail for the program mailbox into its IMAP server.

Like real people, they click a button (the prepared `mailto:` message), or reply and write
their answer in words above the quoted original, in their own language; one in ten mail
clients sends HTML only. Now and then an out-of-office reply, an answer from an assistant's
address, or an answer that says two things arrives: the report lists those to check.
"""

from __future__ import annotations

import random
import re
import smtplib
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from html import escape
from urllib.parse import parse_qs, unquote, urlsplit

import duckdb

from jumelage import models
from jumelage.words import say

BUTTON_ANSWERS = ("accept", "decline", "met", "review")

#: What the simulated people write (data of the demo's story, not words of the product).
SAYS = {
    "fr": {
        "accept": ["J'accepte, merci beaucoup !", "Bonjour,\n\nJ'accepte avec plaisir.",
                   "J'accepte la proposition."],
        "decline": ["Je décline : je change de poste le mois prochain.",
                    "Je dois décliner, trop de dossiers cet automne. Merci !"],
        "met": ["Nous nous sommes rencontrés hier, un très bon premier échange.",
                "Première rencontre faite !"],
        "review": ["Bilan fait avec mon mentor, tout se déroule bien.", "Bilan fait."],
        "ambiguous": ["J'accepte... en fait non, je décline. Je vous rappelle."],
    },
    "en": {
        "accept": ["I accept, thank you!", "Hello,\n\nHappy to: I accept."],
        "decline": ["I decline, sorry: too busy this fall."],
        "met": ["We met yesterday, great first conversation.", "First meeting held."],
        "review": ["Review done with my mentor.", "Review done."],
        "ambiguous": ["I accept... actually no, I decline. I'll call you."],
    },
}  # fmt: skip
#: A proposal's answers by draw: up to each bound, that answer (else no answer tonight).
PROPOSAL_DRAWS = ((0.25, "accept"), (0.32, "decline"), (0.34, "out_of_office"), (0.35, "ambiguous"))


@dataclass
class Awaited:
    awaits: str
    about: str
    email: str
    since: date
    kind: str
    message_id: str
    language: str


def awaited(con: duckdb.DuckDBPyConnection, day: date) -> list[Awaited]:
    """The latest delivered email of each answer a person owes, oldest question first."""
    _, rows = models.rows(con, "demo/awaited_answers", {"run_date": day})
    seen: set[tuple[str, str]] = set()
    found = []
    for row in rows:
        item = Awaited(*row)
        if (item.awaits, item.about) not in seen:
            seen.add((item.awaits, item.about))
            found.append(item)
    return found


def find(sink_messages: list[EmailMessage], message_id: str) -> EmailMessage | None:
    for message in sink_messages:
        if str(message.get("Message-ID", "")).strip() == message_id:
            return message
    return None


def choose(rng: random.Random, item: Awaited, waited: int) -> str | None:
    """What the person answers tonight, or None (they have not got to it yet)."""
    draw = rng.random()
    if item.awaits == "proposal":
        return next((answer for bound, answer in PROPOSAL_DRAWS if draw < bound), None)
    if item.awaits == "first_meeting":
        return "met" if waited >= 5 and draw < 0.15 else None
    return "review" if draw < 0.2 else None


def _button(original: EmailMessage, answer_code_label: str) -> tuple[str, str] | None:
    """(subject, body) of the original's button whose subject has this label."""
    html = original.get_body(("html",))
    if html is None:
        return None
    for href in re.findall(r'href="(mailto:[^"]+)"', html.get_content()):
        query = parse_qs(urlsplit(href.replace("&amp;", "&")).query)
        subject = unquote(query.get("subject", [""])[0])
        if answer_code_label in subject:
            return subject, unquote(query.get("body", [""])[0])
    return None


def _quote(original: EmailMessage, lang: str) -> str:
    text = original.get_body(("plain",))
    lines = text.get_content().splitlines() if text is not None else []
    said = "a écrit :" if lang == "fr" else "wrote:"
    return f"\n\n{original.get('Date')}, {original.get('From')} {said}\n" + "\n".join(
        "> " + line for line in lines[:30]
    )


def reply(
    rng: random.Random,
    item: Awaited,
    original: EmailMessage,
    day: date,
    answer: str,
    *,
    sender: str | None = None,
) -> EmailMessage:
    """The person's reply: a button's message, or words above the quoted original."""
    lang = item.language if item.language in SAYS else "fr"
    words = rng.choice(SAYS[lang][answer])
    msg = EmailMessage()
    msg["From"] = sender or item.email
    msg["To"] = str(original.get("Reply-To") or original.get("From"))
    when = datetime.combine(day, time(12 + rng.randint(0, 8), rng.randint(0, 59)), tzinfo=UTC)
    msg["Date"] = format_datetime(when)
    msg["Message-ID"] = make_msgid(domain=item.email.rpartition("@")[2] or "demo.example")
    label = say(lang, "answer_button", answer) if answer in BUTTON_ANSWERS else None
    button = _button(original, label) if label else None
    if button is not None and rng.random() < 0.35:
        msg["Subject"], body = button
        msg.set_content(body)
        return msg
    msg["Subject"] = ("RE: " if lang == "fr" else "Re: ") + str(original.get("Subject", ""))
    msg["In-Reply-To"] = item.message_id
    msg["References"] = item.message_id
    if rng.random() < 0.1:  # an HTML-only mail client
        msg.set_content(f"<html><body><p>{escape(words)}</p></body></html>", subtype="html")
    else:
        msg.set_content(words + _quote(original, lang))
    return msg


def out_of_office(item: Awaited, day: date) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = item.email
    msg["To"] = "mentorat"
    msg["Subject"] = "Réponse automatique : absent du bureau"
    msg["Auto-Submitted"] = "auto-replied"
    msg["In-Reply-To"] = item.message_id
    msg["Date"] = format_datetime(datetime.combine(day, time(9), tzinfo=UTC))
    msg["Message-ID"] = make_msgid(domain="autoreply.demo.example")
    msg.set_content("Je suis absent du bureau jusqu'au 15. / I am out of the office.")
    return msg


def send(host: str, port: int, mailbox: str, messages: list[EmailMessage]) -> None:
    """Through the demo's SMTP sink, which hands mail for `mailbox` to its IMAP server."""
    if not messages:
        return
    with smtplib.SMTP(host, port, timeout=30) as smtp:
        for message in messages:
            del message["To"]
            message["To"] = mailbox
            smtp.send_message(message, to_addrs=[mailbox])
