"""A flag's detail is decided from codes and worded by the catalogue of the program's language."""

from __future__ import annotations

import pytest

from jumelage.lifecycle.followup import _flag_key, conflict_detail
from jumelage.vocabulary import PairRule


def person(status: str = "active", level: int = 2) -> dict[str, object]:
    return {"status": status, "management_level": level}


@pytest.mark.parametrize(
    ("reason", "mentee", "mentor", "lang", "expected"),
    [
        ("hierarchy", person(), person(), "fr",
         "lien hiérarchique entre les partenaires depuis un changement"),
        ("level", person(level=3), person(level=3), "fr",
         "écart de niveau rompu : mentor niveau 3, personne mentorée niveau 3"),
        ("absence", person(), person("absent"), "fr", "le mentor est absent"),
        ("absence", person("absent"), person(), "fr", "la personne mentorée est absente"),
        ("withdrawal", person("withdrawn"), person(), "fr", "la personne mentorée s'est retirée"),
        ("withdrawal", person(), person("withdrawn"), "fr", "le mentor s'est retiré"),
        # the rule's own code reads the same (sql/lifecycle/conflicts.sql is moving to them)
        (PairRule.PARTNER_ABSENT, person(), person("absent"), "fr", "le mentor est absent"),
        (PairRule.LEVEL_GAP, person(level=4), person(level=3), "en",
         "level gap broken: mentor level 3, mentee level 4"),
        ("withdrawal", person(), person("withdrawn"), "en", "the mentor withdrew"),
    ],
)  # fmt: skip
def test_conflict_detail(reason, mentee, mentor, lang, expected):
    assert conflict_detail(lang, reason, mentee, mentor) == expected


def test_a_conflict_keeps_its_identity_when_the_sql_gives_rule_codes():
    """Flags raised before conflicts.sql moves to rule codes must not be raised again."""
    assert _flag_key("hierarchy") == _flag_key(PairRule.HIERARCHICAL_LINK) == "hierarchy"
    assert _flag_key(PairRule.PARTNER_ABSENT) == "absence"
