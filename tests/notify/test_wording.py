"""Words that read right: labels, not codes, in the reader's language, and inclusive forms."""

from __future__ import annotations

from datetime import date

from jumelage.notify import proposal_context
from jumelage.notify.compose import compose
from jumelage.templating import join_words, slot
from tests.notify.helpers import MENTEE, MENTOR

LABELS = """
[vocabulary.labels.en]
gestion_changement = "change management"
"""


def _proposal(config, language: str, **mentor_values):
    mentee = {
        **MENTEE,
        "language": language,
        "goals": ["gestion_changement", "leadership"],
        "availability": ["fri-am", "wed-pm"],
    }
    mentor = {
        **MENTOR,
        "competencies": ["gestion_changement", "leadership"],
        "availability": ["fri-am"],
        **mentor_values,
    }
    proposal = {"proposal_id": "P-1", "score_goals": 0.9, "score_availability": 0.5}
    ctx = proposal_context(config, proposal, mentee, mentor, released_on=date(2026, 11, 23))
    return compose(
        config, "proposal", to=mentee["email"], context=ctx, about="P-1", language=language
    )


def test_tags_and_slots_read_in_the_readers_language(program):
    config = program(LABELS)
    english = _proposal(config, "en")
    assert (
        "change management" in english.body_text
        and "gestion du changement" not in english.body_text
    )
    assert "Friday morning" in english.body_text and "fri-am" not in english.body_text
    french = _proposal(config, "fr")
    assert "gestion du changement" in french.body_text  # the first synonym, in French
    assert "vendredi matin" in french.body_html and "fri-am" not in french.body_html


def test_inclusive_forms_and_no_code_in_the_french_proposal(program):
    body = _proposal(program(LABELS), "fr").body_text
    assert "Votre mentor ou mentore" in body or "VOTRE MENTOR OU MENTORE" in body
    assert "elle ou il" not in body and "_" not in body.split("Proposition n°")[0]


def test_lists_read_as_one_even_when_a_tag_holds_the_conjunction():
    assert (
        join_words(["diversite_inclusion", "leadership"], "fr")
        == "diversite inclusion et leadership"
    )
    assert (
        join_words(["diversité et inclusion", "leadership"], "fr")
        == "diversité et inclusion ; leadership"
    )
    assert join_words(["a", "b", "c"], "en") == "a, b and c"
    assert slot("mon-pm", "fr") == "lundi après-midi" and slot("brunch", "en") == "brunch"
