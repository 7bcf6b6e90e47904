"""Which answers a reply's own text gives, by the phrases of `templates/words/answers.toml`.

Pure text work: authenticity and whether the answer still applies are decided elsewhere
(`jumelage.mail_in.decide`). Phrases are whole words of the folded text; where two phrases
overlap the longer wins, so a negation listed as its own phrase ("je n'accepte pas") is not
read as its positive.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from functools import cache
from importlib.resources import files
from typing import Any

from jumelage.mail_in.text import fold

#: What each answer becomes, by the kind of email it answers. `None`: any kind (an answer
#: about the person, not a proposal or a relationship).
EVENTS: dict[str, dict[str | None, str]] = {
    "accept": {"proposal": "proposal_accepted", "proposal_reminder": "proposal_accepted"},
    "decline": {"proposal": "proposal_declined", "proposal_reminder": "proposal_declined"},
    "met": {
        "confirmation": "meeting_held",
        "first_meeting_reminder": "meeting_held",
        "followup": "meeting_held",
    },
    "well": {"followup": "meeting_held"},
    "ended": {
        "followup": "relationship_ended",
        "confirmation": "relationship_ended",
        "first_meeting_reminder": "relationship_ended",
        "midpoint_review": "relationship_ended",
        "final_review": "relationship_ended",
    },
    "review": {"midpoint_review": "midpoint_review_done", "final_review": "final_review_done"},
    "absent": {None: "absence_started"},
    "back": {None: "absence_ended"},
    "withdraw": {None: "withdrew"},
}
ANSWERS = tuple(EVENTS)
#: The answers each email kind's buttons offer (in this order).
BUTTONS: dict[str, tuple[str, ...]] = {
    "proposal": ("accept", "decline"),
    "proposal_reminder": ("accept", "decline"),
    "confirmation": ("met",),
    "first_meeting_reminder": ("met",),
    "followup": ("well", "met", "ended"),
    "midpoint_review": ("review",),
    "final_review": ("review",),
}


@cache
def catalogue() -> Mapping[str, Any]:
    text = files("jumelage").joinpath("templates", "words", "answers.toml").read_text("utf-8")
    return tomllib.loads(text)


@cache
def _patterns() -> tuple[tuple[str, re.Pattern[str]], ...]:
    found = []
    for answer, phrases in catalogue()["answers"].items():
        for phrase in phrases:
            words = re.escape(fold(phrase))
            found.append((answer, re.compile(r"(?<![a-z0-9])" + words + r"(?![a-z0-9])")))
    return tuple(found)


def event_for(answer: str, kind: str | None) -> str | None:
    """The event an answer gives in reply to an email of `kind`, or None if it does not fit."""
    events = EVENTS.get(answer, {})
    return events.get(None) or (events.get(kind) if kind else None)


def answers_in(text: str) -> list[str]:
    """The distinct answers the text gives, in catalogue order (empty: none recognised)."""
    folded = fold(text[:20_000])
    spans: list[tuple[int, int, str]] = []
    for answer, pattern in _patterns():
        spans += [(m.start(), m.end(), answer) for m in pattern.finditer(folded)]
    kept = [
        (start, end, answer)
        for start, end, answer in spans
        if not any((s <= start and end <= e) and (e - s) > (end - start) for s, e, _ in spans)
    ]
    found = {answer for _, _, answer in kept}
    return [a for a in ANSWERS if a in found]


def reason_of(text: str) -> str:
    """A decline's reason as the person wrote it: the reply's own text, short."""
    return " ".join(text.split())[:500]
