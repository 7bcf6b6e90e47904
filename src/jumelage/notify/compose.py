"""Turn (kind, recipient, context) into a ready-to-queue message with its keys."""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from jumelage.config import Config
from jumelage.mail_in.buttons import answer_buttons
from jumelage.notify.keys import email_key, message_id
from jumelage.notify.render import language_for, render
from jumelage.vocabulary import COMPONENTS

# <img src="data:image/png;base64,...">: the report is self-contained as a file; in the
# email the pictures travel as inline MIME parts (cid:), which mail clients display.
_DATA_URI = re.compile(
    r"""(?P<q>["'])data:(?P<mime>image/[a-z0-9.+-]+);base64,(?P<data>[A-Za-z0-9+/=\s]+)(?P=q)""",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class OutgoingEmail:
    """One message to one recipient, as stored in the `emails` table."""

    email_key: str
    kind: str
    recipient: str
    language: str
    subject: str
    body_text: str
    body_html: str
    message_id: str
    about: str | None = None
    due_on: date | None = None
    cc: tuple[str, ...] = ()
    inline_images: tuple[dict[str, str], ...] = field(default=())
    created_run_date: date | None = None


def inline_data_images(html: str) -> tuple[str, list[dict[str, str]]]:
    """Replace `data:` image URIs by `cid:` references; returns (html, images).

    Each image is {"cid", "mime", "data" (base64)}; identical images share one part.
    """
    images: dict[str, dict[str, str]] = {}

    def swap(match: re.Match[str]) -> str:
        data = re.sub(r"\s+", "", match.group("data"))
        cid = "img-" + hashlib.sha256(data.encode("ascii")).hexdigest()[:16] + "@jumelage"
        images.setdefault(cid, {"cid": cid, "mime": match.group("mime").lower(), "data": data})
        return f"{match.group('q')}cid:{cid}{match.group('q')}"

    return _DATA_URI.sub(swap, html), list(images.values())


def compose(
    config: Config,
    kind: str,
    *,
    to: str,
    context: Mapping[str, Any],
    about: str | None,
    due_on: date | None = None,
    language: str | None = None,
    cc: tuple[str, ...] | list[str] = (),
    run_date: date | None = None,
) -> OutgoingEmail:
    """Render `kind` for `to` and give it its idempotency key and Message-ID.

    `language` is the recipient's language as registered ('fr', 'en', 'fr,en'; None means
    the program's): 'en' gives English, 'fr' French, bilingual the program's language.
    `about` names what the message is about (proposal id, relationship id, run date) and
    `due_on` the due date it answers; with `kind` and `to` they make the key, so composing
    the same message again gives the same key (and enqueueing it again does nothing).
    """
    lang = language_for(language, config.program.language)
    if kind == "proposal" and context.get("weights") is None:
        context = {**context, "weights": config.matching.weights.normalized()}
    buttons = answer_buttons(config, kind, about, to, lang)
    rendered = render(
        kind,
        lang,
        {**context, "answers": buttons} if buttons else context,
        program_name=config.program.name,
        mailbox=config.program.mailbox,
    )
    html = rendered.html
    images: list[dict[str, str]] = []
    if kind == "daily_report":
        html, images = inline_data_images(html)
        # Check the payloads now rather than at 2 a.m. in the send stage.
        for image in images:
            base64.b64decode(image["data"], validate=True)
    key = email_key(kind, about, due_on, to)
    return OutgoingEmail(
        email_key=key,
        kind=kind,
        recipient=to.strip().lower(),
        language=lang,
        subject=rendered.subject,
        body_text=rendered.text,
        body_html=html,
        message_id=message_id(key, config.program.mailbox),
        about=about,
        due_on=due_on,
        cc=tuple(c.strip().lower() for c in cc),
        inline_images=tuple(images),
        created_run_date=run_date,
    )


def compose_both(
    config: Config,
    kind: str,
    *,
    mentee: Mapping[str, Any],
    mentor: Mapping[str, Any],
    context: Mapping[str, Any],
    about: str,
    due_on: date | None = None,
    run_date: date | None = None,
) -> list[OutgoingEmail]:
    """The two messages of a kind sent to both partners (confirmation, followup, reviews).

    `mentee` and `mentor` are the persons (with `email` and `language`); each gets the
    message in their own language with `recipient_role` set. Two rows, two keys.
    """
    messages = []
    for role, who in (("mentee", mentee), ("mentor", mentor)):
        messages.append(
            compose(
                config,
                kind,
                to=str(who["email"]),
                context={**context, "mentee": mentee, "mentor": mentor, "recipient_role": role},
                about=about,
                due_on=due_on,
                language=who.get("language"),
                run_date=run_date,
            )
        )
    return messages


def tag_label(config: Config, field_name: str, tag: str, lang: str = "fr") -> str:
    """A canonical tag as a reader of `lang` reads it (`[vocabulary.labels]`)."""
    return config.vocabulary.label(field_name, tag, lang)


def proposal_context(
    config: Config,
    proposal: Mapping[str, Any],
    mentee: Mapping[str, Any],
    mentor: Mapping[str, Any],
    *,
    released_on: date,
) -> dict[str, Any]:
    """The `proposal` context from warehouse rows (plain mappings).

    `proposal` needs `proposal_id` and the components, either as `components` (a dict) or
    as `score_<component>` columns; `mentee` and `mentor` are `participants` rows (names,
    email, organization, unit, management_level, region, experience_years, competencies,
    goals, interests, availability). The answer is due the day before the night it would
    expire (`released_on` + `proposal_expiry` days).
    """
    components = dict(proposal.get("components") or {})
    for name in COMPONENTS:
        if name not in components and proposal.get(f"score_{name}") is not None:
            components[name.value] = float(proposal[f"score_{name}"])
    lang = language_for(mentee.get("language"), config.program.language)
    goals = list(mentee.get("goals") or [])
    competencies = set(mentor.get("competencies") or [])
    interests = set(mentor.get("interests") or [])
    availability = set(mentor.get("availability") or [])
    return {
        "mentee": dict(mentee),
        "mentor": dict(mentor),
        "proposal_id": proposal["proposal_id"],
        # The night of released_on + proposal_expiry expires it: the day before is the last.
        "answer_by": released_on + timedelta(days=config.delays.proposal_expiry - 1),
        "shared_competencies": [
            tag_label(config, "competencies", g, lang) for g in goals if g in competencies
        ],
        "shared_interests": [
            tag_label(config, "interests", t, lang)
            for t in (mentee.get("interests") or [])
            if t in interests
        ],
        "common_availability": [s for s in (mentee.get("availability") or []) if s in availability],
        "components": components,
    }
