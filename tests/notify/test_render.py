"""Content of every kind of email, in French and English, HTML and plain text."""

from __future__ import annotations

import re
from datetime import date

import pytest

from jumelage.notify import KINDS, compose, language_for, render
from jumelage.notify.compose import inline_data_images
from jumelage.notify.render import top_components
from tests.notify.helpers import MENTEE, MENTOR, context_for, person

TAG = re.compile(r"</?[a-zA-Z][^>]*>|<!DOCTYPE|&[a-z]+;|&#\d+;")
PROGRAM = {"program_name": "Connexion Cadres", "mailbox": "mentorat@example.org"}
# A word only the French (resp. English) version of each kind uses.
MARKERS = {
    "fr": ["Bonjour", "bureau du programme"],
    "en": ["Hello", "program office"],
}


def rendered(kind, lang, **kw):
    return render(kind, lang, context_for(kind, **kw), **PROGRAM)


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("kind", list(KINDS))
def test_every_kind_renders_in_both_languages(kind, lang):
    r = rendered(kind, lang)
    assert r.subject and "\n" not in r.subject
    assert r.subject.startswith("Connexion Cadres")
    assert "<html" in r.html.lower()
    # The text part is real text: no tags, no entities, not the HTML source.
    assert not TAG.search(r.text), TAG.search(r.text)
    assert len(r.text.strip().splitlines()) >= 3
    other = "en" if lang == "fr" else "fr"
    if kind != "daily_report":
        for marker in MARKERS[lang]:
            assert marker in r.text and marker in r.html
        for marker in MARKERS[other]:
            assert marker not in r.text
        assert "mentorat@example.org" in r.text


def test_french_and_english_subjects_differ():
    for kind in KINDS:
        assert rendered(kind, "fr").subject != rendered(kind, "en").subject


@pytest.mark.parametrize(
    ("registered", "program", "expected"),
    [
        ("en", "fr", "en"),
        ("fr", "en", "fr"),
        ("fr,en", "fr", "fr"),
        ("fr,en", "en", "en"),
        ("", "fr", "fr"),
        (None, "en", "en"),
    ],
)
def test_language_choice(registered, program, expected):
    assert language_for(registered, program) == expected


def test_proposal_tells_who_why_how_and_by_when():
    for lang, words in {
        "fr": ["3 décembre 2026", "J'accepte", "Je décline", "autre organisation"],
        "en": ["December 3, 2026", "I accept", "I decline", "another organization"],
    }.items():
        r = rendered("proposal", lang)
        for text in (r.text, r.html):
            assert "Jean" in text and "Tremblay" in text
            assert "Ministère de la Santé" in text
            assert "4" in text  # management level
            assert "leadership" in text and "gestion changement" in text
            assert "P-2026-0042" in text
            assert "mentorat@example.org" in text
            for word in words:
                assert word.replace("'", "&#39;") in text or word in text


def test_reasons_follow_the_weighted_components():
    components = {"goals": 0.9, "interests": 0.5, "cross_organization": 1.0, "preference": 0}
    weights = {"goals": 0.4, "interests": 0.15, "cross_organization": 0.05, "preference": 0.1}
    assert top_components(components, weights) == ["goals", "interests", "cross_organization"]
    assert top_components(components) == ["cross_organization", "goals", "interests"]
    assert top_components({"goals": 0}) == []


def test_proposal_without_positive_component_still_says_why():
    ctx = {**context_for("proposal"), "components": {"goals": 0.0}}
    r = render("proposal", "fr", ctx, **PROGRAM)
    assert "critères du programme" in r.text


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("role", ["mentee", "mentor"])
def test_confirmation_gives_contacts_first_meeting_and_rules(lang, role):
    r = rendered("confirmation", lang, role=role)
    partner = MENTOR if role == "mentee" else MENTEE
    me = MENTEE if role == "mentee" else MENTOR
    for text in (r.text, r.html):
        assert partner["email"] in text
        assert partner["organization"] in text
        assert me["first_name"] in text
    rules = {
        "fr": [
            "Confidentialité",
            "mi-parcours",
            "bilan final",
            "prend fin",
            "s'absente",
            "organisation",
            "niveau d'encadrement",
        ],
        "en": [
            "Confidentiality",
            "mid-point review",
            "final review",
            "ends",
            "absent",
            "organization",
            "management level",
        ],
    }[lang]
    for rule in rules:
        assert rule in r.text
    initiative = {
        ("fr", "mentee"): "à vous de prendre contact",
        ("fr", "mentor"): "personne mentorée qui prend l'initiative",
        ("en", "mentee"): "up to you to contact",
        ("en", "mentor"): "mentee takes the initiative",
    }[(lang, role)]
    assert initiative in r.text


HOSTILE = person(
    '<b>Zoé</b> & "Al"',
    "O'Brien-Gagné",
    "zoe@example.org",
    organization="<script>alert(1)</script> & Cie",
)


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("kind", [k for k in KINDS if k not in ("daily_report", "run_failed")])
def test_data_is_escaped_in_html_and_readable_in_text(kind, lang):
    r = render(kind, lang, context_for(kind, mentee=HOSTILE, mentor=HOSTILE), **PROGRAM)
    assert "<b>Zoé" not in r.html
    assert "<script>" not in r.html
    assert "&lt;b&gt;Zoé&lt;/b&gt; &amp; &#34;Al&#34;" in r.html
    assert "O&#39;Brien-Gagné" in r.html
    # Plain text shows the data as it is (no entities); the only tags are the data's own.
    assert '<b>Zoé</b> & "Al"' in r.text
    assert "&amp;" not in r.text and "&#" not in r.text
    leftover = TAG.sub(
        "", r.text.replace("<b>Zoé</b>", "").replace("<script>", "").replace("</script>", "")
    )
    assert not TAG.search(leftover)


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("status", ["failed", "interrupted"])
def test_run_failed_says_what_happened_and_what_to_do(lang, status):
    ctx = {**context_for("run_failed", mentee=HOSTILE), "status": status}
    r = render("run_failed", lang, ctx, **PROGRAM)
    assert "RuntimeError: &lt;b&gt;Zoé&lt;/b&gt;" in r.html  # the error is data: escaped
    assert 'RuntimeError: <b>Zoé</b> & "Al"' in r.text
    assert ctx["rerun_command"] in r.text and ctx["rerun_command"] in r.html
    word = {"fr": {"failed": "a échoué", "interrupted": "a été interrompue"},
            "en": {"failed": "failed", "interrupted": "was interrupted"}}[lang][status]  # fmt: skip
    assert word in r.subject and word in r.text


def test_free_text_detail_is_escaped():
    ctx = {**context_for("proposal_withdrawn"), "detail": '<i>absent</i> & "malade"'}
    r = render("proposal_withdrawn", "fr", ctx, **PROGRAM)
    assert "&lt;i&gt;absent&lt;/i&gt; &amp; &#34;malade&#34;" in r.html
    assert '<i>absent</i> & "malade"' in r.text


def test_missing_context_key_is_named():
    ctx = context_for("proposal")
    del ctx["answer_by"]
    with pytest.raises(ValueError, match="answer_by"):
        render("proposal", "fr", ctx, **PROGRAM)
    with pytest.raises(ValueError, match="unknown email kind"):
        render("birthday", "fr", {}, **PROGRAM)
    with pytest.raises(ValueError, match="recipient_role"):
        render("followup", "fr", {**context_for("followup"), "recipient_role": "x"}, **PROGRAM)


def test_daily_report_keeps_the_prepared_html_and_inlines_images(config):
    html = (
        "<html><body><p>Rapport</p><img alt='pool' src=\"data:image/png;base64,iVBORw0KGgo=\">"
        "<img src='data:image/png;base64,iVBORw0KGgo='></body></html>"
    )
    ctx = {**context_for("daily_report"), "html_body": html, "corrected": True}
    r = render("daily_report", "fr", ctx, **PROGRAM)
    assert "<p>Rapport</p>" in r.html
    assert "(corrigé)" in r.subject and "23 novembre 2026" in r.subject
    assert "3 propositions, 2 réponses" in r.text
    m = compose(
        config,
        "daily_report",
        to="coord@example.org",
        context=ctx,
        about="2026-11-23",
        due_on=date(2026, 11, 23),
    )
    assert "data:image" not in m.body_html and m.body_html.count("cid:img-") == 2
    assert len(m.inline_images) == 1  # the same picture twice: one part
    same, images = inline_data_images("<p>no image</p>")
    assert same == "<p>no image</p>" and images == []


def test_proposal_context_from_warehouse_rows(config):
    from jumelage.notify import proposal_context

    mentee = {
        **MENTEE,
        "goals": ["leadership", "negociation"],
        "interests": ["velo"],
        "availability": ["lun-am", "mer-pm"],
    }
    mentor = {
        **MENTOR,
        "competencies": ["negociation", "finances"],
        "interests": ["velo", "lecture"],
        "availability": ["mer-pm"],
    }
    proposal = {"proposal_id": "P-20261123-ab12", "score_goals": 0.5, "score_interests": 0.5}
    ctx = proposal_context(config, proposal, mentee, mentor, released_on=date(2026, 11, 23))
    assert ctx["answer_by"] == date(2026, 12, 2)  # expires the night of 23 + 10 days
    assert ctx["shared_competencies"] == ["negociation"]
    assert ctx["shared_interests"] == ["velo"] and ctx["common_availability"] == ["mer-pm"]
    assert ctx["components"] == {"goals": 0.5, "interests": 0.5}
    m = compose(config, "proposal", to=mentee["email"], context=ctx, about="P-20261123-ab12")
    assert "negociation" in m.body_text and "2 décembre 2026" in m.body_text
