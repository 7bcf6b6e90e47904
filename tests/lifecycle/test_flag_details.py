"""A flag's detail is decided from codes and worded by the catalogue of the program's language."""

from __future__ import annotations

import pytest

from jumelage.lifecycle.followup import _flag_key, conflict_detail
from jumelage.vocabulary import PairRule


def person(status: str = "active", level: int = 2) -> dict[str, object]:
    return {"status": status, "management_level": level}


@pytest.mark.parametrize(
    ("rule", "mentee", "mentor", "lang", "expected"),
    [
        (PairRule.HIERARCHICAL_LINK, person(), person(), "fr",
         "lien hiérarchique entre les partenaires depuis un changement"),
        (PairRule.LEVEL_GAP, person(level=3), person(level=3), "fr",
         "écart de niveau rompu : mentor niveau 3, personne mentorée niveau 3"),
        (PairRule.PARTNER_ABSENT, person(), person("absent"), "fr", "le mentor est absent"),
        (PairRule.PARTNER_ABSENT, person("absent"), person(), "fr",
         "la personne mentorée est absente"),
        (PairRule.PARTNER_WITHDRAWN, person("withdrawn"), person(), "fr",
         "la personne mentorée s'est retirée"),
        (PairRule.PARTNER_WITHDRAWN, person(), person("withdrawn"), "fr",
         "le mentor s'est retiré"),
        (PairRule.LEVEL_GAP, person(level=4), person(level=3), "en",
         "level gap broken: mentor level 3, mentee level 4"),
        (PairRule.PARTNER_WITHDRAWN, person(), person("withdrawn"), "en", "the mentor withdrew"),
    ],
)  # fmt: skip
def test_conflict_detail(rule, mentee, mentor, lang, expected):
    assert conflict_detail(lang, rule, mentee, mentor) == expected


def test_a_conflict_keeps_the_identity_its_flag_had_before_rule_codes():
    """Flags raised by an earlier version (keys hierarchy, level, absence, withdrawal) must
    not be raised again after an upgrade."""
    assert _flag_key(PairRule.HIERARCHICAL_LINK) == "hierarchy"
    assert _flag_key(PairRule.LEVEL_GAP) == "level"
    assert _flag_key(PairRule.PARTNER_ABSENT) == "absence"
    assert _flag_key(PairRule.PARTNER_WITHDRAWN) == "withdrawal"
