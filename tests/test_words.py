"""One vocabulary, two catalogues: every code has its words in French and English, the two
catalogues say the same things with the same values, and the lists kept elsewhere agree."""

from __future__ import annotations

import json
import re
import string
from collections.abc import Mapping
from enum import StrEnum
from typing import Any

import pytest

from jumelage import words
from jumelage.config import Weights
from jumelage.ingest.columns import HEADERS, header_lookup
from jumelage.matching.reasons import _STAGES as REASON_STAGES
from jumelage.matching.scoring import COMPONENTS as SCORING_COMPONENTS
from jumelage.normalize import header_key
from jumelage.notify.render import COMPONENT_ORDER, KINDS
from jumelage.paths import expectation_path
from jumelage.quarantine import Reason
from jumelage.vocabulary import (
    COMPONENTS,
    FILE,
    LANGUAGES,
    ROW,
    Component,
    EmailKind,
    EmailStatus,
    FlagKind,
    Obstacle,
    PairRule,
    ParticipantStatus,
    ProposalStatus,
    QuarantineCode,
    RelationshipStatus,
    Role,
    UnmatchedReason,
)

#: Each name of the vocabulary, and the groups of the catalogues that must word it.
WORDED: list[tuple[type[StrEnum], tuple[str, ...]]] = [
    (Role, ("role",)),
    (Component, ("component",)),
    (ProposalStatus, ("proposal_status",)),
    (RelationshipStatus, ("relationship_status",)),
    (ParticipantStatus, ("participant_status",)),
    (EmailStatus, ("email_status",)),
    (EmailKind, ("email_kind",)),
    (FlagKind, ("flag_kind", "flag_action", "flag_detail")),
    (PairRule, ("pair_rule",)),
    (UnmatchedReason, ("unmatched",)),
    (Obstacle, ("obstacle",)),
    (QuarantineCode, ("quarantine",)),
]
COLUMNS = sorted({column for headers in HEADERS.values() for column in headers})


def _leaves(node: Mapping[str, Any], path: str = "") -> dict[str, str]:
    out: dict[str, str] = {}
    for key, value in node.items():
        name = f"{path}.{key}" if path else key
        out |= _leaves(value, name) if isinstance(value, Mapping) else {name: value}
    return out


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize(("names", "groups"), WORDED, ids=[e.__name__ for e, _ in WORDED])
def test_every_code_of_the_vocabulary_has_words(lang, names, groups):
    for group in groups:
        worded = words.group(lang, group)
        missing = [code.value for code in names if code not in worded]
        assert not missing, f"{lang}.toml [{group}] lacks {missing}"


def test_both_catalogues_word_the_same_codes_with_the_same_values():
    french, english = _leaves(words.catalogue("fr")), _leaves(words.catalogue("en"))
    # quarantine_line may reword a code's line in one language only
    lines = {k for k in french.keys() ^ english.keys() if k.startswith("quarantine_line.")}
    assert french.keys() ^ english.keys() == lines
    for key in french.keys() & english.keys():
        assert _placeholders(french[key]) == _placeholders(english[key]), key


def test_a_conflict_is_worded_for_each_rule_a_relationship_can_break():
    """SPEC §4: hierarchy, level, absence and withdrawal also apply to running relationships."""
    for lang in LANGUAGES:
        conflict = words.group(lang, "flag_detail.conflict")
        assert set(conflict) == {
            PairRule.HIERARCHICAL_LINK,
            PairRule.LEVEL_GAP,
            PairRule.PARTNER_ABSENT,
            PairRule.PARTNER_WITHDRAWN,
        }
        for rule in (PairRule.PARTNER_ABSENT, PairRule.PARTNER_WITHDRAWN):
            assert set(conflict[rule]) == set(Role)


def test_say_fills_values_and_refuses_half_a_sentence():
    assert words.say("fr", "flag_detail", FlagKind.STALE, since="2026-01-10") == (
        "aucune nouvelle depuis le 2026-01-10"
    )
    with pytest.raises(KeyError):
        words.say("fr", "flag_detail", FlagKind.STALE)  # the date is missing
    with pytest.raises(KeyError):
        words.say("fr", "pair_rule", "no_such_rule")
    with pytest.raises(ValueError):
        words.catalogue("de")


def test_every_column_has_a_name_and_french_names_are_headers_the_reader_accepts():
    for lang in LANGUAGES:
        assert set(words.group(lang, "field")) == {*COLUMNS, FILE, ROW}
        assert set(words.group(lang, "fix")) <= {*COLUMNS, FILE, ROW}
    french = words.group("fr", "field")
    for kind, headers in HEADERS.items():
        lookup = header_lookup(kind)
        for column in headers:
            assert lookup[header_key(french[column])] == column, (kind, column)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_quarantine_code_reads_as_a_line(lang):
    """Each code's words take the values its placeholders name, and read `field : reason`."""
    for code in QuarantineCode:
        template = words.group(lang, "quarantine")[code]
        values: dict[str, Any] = {name: "x" for name in _placeholders(template)}
        if "columns" in values:
            values["columns"] = ["event_type", "email"]
        text = Reason(code, "email", values).text(lang)
        assert text.startswith(words.say(lang, "field", "email")), text
        assert "{" not in text, text


@pytest.mark.parametrize("suite", ["registrations", "events"])
def test_expectation_suites_name_codes_of_the_vocabulary(suite):
    spec = json.loads(expectation_path(f"{suite}.json").read_text(encoding="utf-8"))
    for expectation in spec["expectations"]:
        QuarantineCode(expectation["meta"]["code"])
        assert expectation["kwargs"]["column"] in HEADERS[suite]


def test_lists_kept_elsewhere_agree_with_the_vocabulary():
    assert tuple(Weights.model_fields) == COMPONENTS
    assert tuple(SCORING_COMPONENTS) == COMPONENTS
    assert sorted(COMPONENT_ORDER) == sorted(COMPONENTS)
    assert tuple(KINDS) == tuple(EmailKind)
    stages = [code for _, code in REASON_STAGES]
    assert [*stages, UnmatchedReason.TAKEN_BY_OTHERS] == list(UnmatchedReason)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_flag_actions_name_events_as_a_coordinator_types_them(lang):
    """The actions tell which event to record in words the events file accepts, never as
    an internal code (« retour d'absence », not absence_ended)."""
    from jumelage.validate.events import event_type

    for kind, text in words.group(lang, "flag_action").items():
        assert not re.search(r"\b[a-z]+_[a-z_]+\b", text), (kind, text)
        for label in re.findall(r"« ([^»]+) »|\"([^\"]+)\"", text):
            typed = next(part for part in label if part)
            assert event_type(typed) is not None, (kind, typed)
