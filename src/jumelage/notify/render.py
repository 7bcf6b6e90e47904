"""Render every kind of email of SPEC §6, in French and English, HTML and plain text.

Templates live in ``jumelage/templates/emails/<kind>.<lang>.html`` and ``.txt``; HTML is
rendered with autoescape on, so names and free text from the data are escaped. The plain
text part is written as text (separate templates), never derived from the HTML.

Each kind takes a documented context (``KINDS[kind].required`` / ``.optional``). A
*person* is a mapping with ``first_name`` and ``last_name`` and, where listed, ``email``,
``organization``, ``unit``, ``management_level``, ``region``, ``experience_years``.
Dates are ``datetime.date`` (or ISO strings). The renderer adds ``program`` (name,
mailbox) and ``lang`` itself.

=========================  ==================================================================
kind                       context keys (required; *optional*)
=========================  ==================================================================
proposal                   mentee (person), mentor (person with organization,
                           management_level; *unit, region, experience_years*),
                           proposal_id, answer_by (date), shared_competencies (list of labels),
                           components (dict component -> value in [0, 1]: goals, interests,
                           experience, availability, cross_organization, preference);
                           *shared_interests, common_availability* (lists of labels),
                           *weights* (component -> weight; `compose` fills it from config)
proposal_reminder          mentee, mentor (person with organization), proposal_id,
                           answer_by, proposed_on
confirmation               recipient_role ('mentee' | 'mentor'), mentee and mentor (persons
                           with email, organization; *unit*), started_on, planned_end_on;
                           *midpoint_on*
first_meeting_reminder     mentee, mentor (person with email), started_on
followup                   recipient_role, mentee, mentor, last_event_on
midpoint_review            recipient_role, mentee, mentor, midpoint_on, planned_end_on
final_review               recipient_role, mentee, mentor, planned_end_on
proposal_withdrawn         mentee, mentor, proposal_id, reason (the rule broken, a code of
                           jumelage.vocabulary.PairRule); *detail* (free text)
daily_report               run_date, html_body (the report's complete, trusted HTML),
                           text_summary (plain text); *corrected* (bool)
run_failed                 run_date, status ('failed' | 'interrupted'), stage (a stage name,
                           'start' for a night that could not start, or None), error,
                           attempts, rerun_command (the command that redoes the night)
=========================  ==================================================================
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from jinja2 import Environment, Template
from markupsafe import Markup

from jumelage import words
from jumelage.templating import environment
from jumelage.vocabulary import LANGUAGES, Component


@dataclass(frozen=True)
class KindSpec:
    recipients: str
    required: tuple[str, ...]
    optional: tuple[str, ...] = ()


_PAIR = ("recipient_role", "mentee", "mentor")
KINDS: dict[str, KindSpec] = {
    "proposal": KindSpec(
        "mentee",
        ("mentee", "mentor", "proposal_id", "answer_by", "shared_competencies", "components"),
        ("shared_interests", "common_availability", "weights"),
    ),
    "proposal_reminder": KindSpec(
        "mentee", ("mentee", "mentor", "proposal_id", "answer_by", "proposed_on")
    ),
    "confirmation": KindSpec("both", (*_PAIR, "started_on", "planned_end_on"), ("midpoint_on",)),
    "first_meeting_reminder": KindSpec("mentee", ("mentee", "mentor", "started_on")),
    "followup": KindSpec("both", (*_PAIR, "last_event_on")),
    "midpoint_review": KindSpec("both", (*_PAIR, "midpoint_on", "planned_end_on")),
    "final_review": KindSpec("both", (*_PAIR, "planned_end_on")),
    "proposal_withdrawn": KindSpec(
        "mentee", ("mentee", "mentor", "proposal_id", "reason"), ("detail",)
    ),
    "daily_report": KindSpec(
        "coordinators", ("run_date", "html_body", "text_summary"), ("corrected",)
    ),
    "run_failed": KindSpec(
        "operators", ("run_date", "status", "stage", "error", "attempts", "rerun_command")
    ),
}

SUBJECTS: dict[tuple[str, str], str] = {
    ("proposal", "fr"): "{{ program.name }} — Proposition de jumelage n° {{ proposal_id }}",
    ("proposal", "en"): "{{ program.name }} — Mentoring match proposal no. {{ proposal_id }}",
    ("proposal_reminder", "fr"): (
        "{{ program.name }} — Rappel : proposition n° {{ proposal_id }} en attente de réponse"
    ),
    ("proposal_reminder", "en"): (
        "{{ program.name }} — Reminder: proposal no. {{ proposal_id }} awaits your answer"
    ),
    ("confirmation", "fr"): "{{ program.name }} — Confirmation de votre jumelage",
    ("confirmation", "en"): "{{ program.name }} — Your mentoring relationship is confirmed",
    ("first_meeting_reminder", "fr"): "{{ program.name }} — Votre première rencontre",
    ("first_meeting_reminder", "en"): "{{ program.name }} — Your first meeting",
    ("followup", "fr"): "{{ program.name }} — Des nouvelles de votre jumelage ?",
    ("followup", "en"): "{{ program.name }} — How is your mentoring relationship going?",
    ("midpoint_review", "fr"): "{{ program.name }} — Bilan de mi-parcours",
    ("midpoint_review", "en"): "{{ program.name }} — Mid-point review",
    ("final_review", "fr"): "{{ program.name }} — Bilan de fin de jumelage",
    ("final_review", "en"): "{{ program.name }} — Final review",
    ("proposal_withdrawn", "fr"): ("{{ program.name }} — Proposition n° {{ proposal_id }} retirée"),
    ("proposal_withdrawn", "en"): ("{{ program.name }} — Proposal no. {{ proposal_id }} withdrawn"),
    ("daily_report", "fr"): (
        "{{ program.name }} — Rapport quotidien du {{ run_date | longdate }}"
        "{% if corrected %} (corrigé){% endif %}"
    ),
    ("run_failed", "fr"): (
        "{{ program.name }} — La nuit du {{ run_date | longdate }} "
        "{% if status == 'interrupted' %}a été interrompue{% else %}a échoué{% endif %}"
    ),
    ("run_failed", "en"): (
        "{{ program.name }} — The night of {{ run_date | longdate }} "
        "{% if status == 'interrupted' %}was interrupted{% else %}failed{% endif %}"
    ),
    ("daily_report", "en"): (
        "{{ program.name }} — Daily report, {{ run_date | longdate }}"
        "{% if corrected %} (corrected){% endif %}"
    ),
}

#: Every score component, most telling first: the order of reasons whose values tie.
COMPONENT_ORDER: tuple[Component, ...] = (
    Component.GOALS,
    Component.PREFERENCE,
    Component.INTERESTS,
    Component.AVAILABILITY,
    Component.EXPERIENCE,
    Component.CROSS_ORGANIZATION,
)


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    html: str


def language_for(participant_language: str | None, program_language: str = "fr") -> str:
    """'en' -> English, 'fr' -> French, bilingual ('fr,en', anything else) -> the program's."""
    value = (participant_language or "").strip().lower().replace(" ", "")
    if value == "en":
        return "en"
    if value == "fr":
        return "fr"
    return program_language if program_language in LANGUAGES else "fr"


def top_components(
    components: Mapping[str, Any] | None,
    weights: Mapping[str, float] | None = None,
    limit: int = 3,
) -> list[str]:
    """The components that weigh most in the score (value x weight), strongest first."""
    ranked = []
    for name, value in (components or {}).items():
        try:
            number = float(value) * float((weights or {}).get(name, 1.0))
        except (TypeError, ValueError):
            continue
        if number > 0 and name in COMPONENT_ORDER:
            ranked.append((-number, COMPONENT_ORDER.index(name), name))
    return [name for _, _, name in sorted(ranked)[:limit]]


def _environment(autoescape: bool, lang: str) -> Environment:
    env = environment("emails", lang, autoescape=autoescape, keep_trailing_newline=True)
    env.globals["top_components"] = top_components
    # The templates are the package's own and never change while it runs: no stat() of
    # every template and import at each message (a launch night renders 10,000 of them).
    env.auto_reload = False
    return env


# (lang, html?) -> environment; the filters speak the language.
_ENVS = {(lang, html): _environment(html, lang) for lang in LANGUAGES for html in (True, False)}


def check_context(kind: str, context: Mapping[str, Any]) -> None:
    """Raise ValueError naming the missing keys of `kind`'s context."""
    if kind not in KINDS:
        raise ValueError(f"unknown email kind {kind!r} (known: {', '.join(KINDS)})")
    missing = [k for k in KINDS[kind].required if k not in context]
    if missing:
        raise ValueError(f"email kind {kind!r}: missing context keys {missing}")
    if "recipient_role" in KINDS[kind].required and context["recipient_role"] not in (
        "mentee",
        "mentor",
    ):
        raise ValueError(f"email kind {kind!r}: recipient_role must be 'mentee' or 'mentor'")


@functools.cache
def _subject_template(kind: str, lang: str) -> Template:
    """A subject line's template, compiled once (compiling cost more than rendering)."""
    return _ENVS[(lang, False)].from_string(SUBJECTS[(kind, lang)])


def render(
    kind: str,
    language: str,
    context: Mapping[str, Any],
    *,
    program_name: str,
    mailbox: str,
) -> Rendered:
    """Subject, plain text and HTML of one message. `language` is 'fr' or 'en'."""
    check_context(kind, context)
    lang = language if language in LANGUAGES else "fr"
    values: dict[str, Any] = {optional: None for optional in KINDS[kind].optional}
    values.update(context)
    values["program"] = {"name": program_name, "mailbox": mailbox}
    values["lang"] = lang
    values.setdefault("answers", [])  # the one-click answers (jumelage.mail_in.buttons)
    values["answer_mail"] = words.group(lang, "answer_mail")
    role = values.get("recipient_role")
    if role in ("mentee", "mentor"):
        values["me"] = values[role]
        values["partner"] = values["mentor" if role == "mentee" else "mentee"]
    if kind == "daily_report":
        # Prepared by the report stage from escaped data: trusted as is.
        values["html_body"] = Markup(values["html_body"])
    name = f"{kind}.{lang}"
    text_env, html_env = _ENVS[(lang, False)], _ENVS[(lang, True)]
    subject = _subject_template(kind, lang).render(values)
    subject = " ".join(subject.split())
    text = text_env.get_template(f"{name}.txt").render(values)
    html = html_env.get_template(f"{name}.html").render(values)
    return Rendered(subject=subject, text=_tidy_text(text), html=html)


def _tidy_text(text: str) -> str:
    """At most one blank line in a row, no trailing spaces, one final newline."""
    lines = [line.rstrip() for line in text.splitlines()]
    out: list[str] = []
    for line in lines:
        if not line and (not out or not out[-1]):
            continue
        out.append(line)
    while out and not out[-1]:
        out.pop()
    return "\n".join(out) + "\n"
