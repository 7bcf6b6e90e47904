"""Words for people to read, in French or English, from the catalogues beside the templates.

Domain code deals in codes (`jumelage.vocabulary`); it asks for words only where a person
will read them. `templates/words/<lang>.toml` holds, per group, the words of each code; a
group may nest (`flag_detail.conflict.partner_absent`). Placeholders are `str.format` fields
filled from the code's values, so a translator moves them freely within a sentence.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from functools import cache
from importlib.resources import files
from types import MappingProxyType
from typing import Any

from jumelage.vocabulary import LANGUAGES


@cache
def catalogue(lang: str) -> Mapping[str, Any]:
    """The whole catalogue of one language (read once per process)."""
    if lang not in LANGUAGES:
        raise ValueError(f"no words for language {lang!r} (expected one of {LANGUAGES})")
    text = files("jumelage").joinpath("templates", "words", f"{lang}.toml").read_text("utf-8")
    return tomllib.loads(text)


def group(lang: str, name: str) -> Mapping[str, Any]:
    """One group of words by its dotted name, as is (placeholders not filled): for templates
    that look codes up themselves."""
    node: Any = catalogue(lang)
    for part in name.split("."):
        node = node[part]
    if not isinstance(node, Mapping):
        raise KeyError(f"{name} is a word, not a group")
    return MappingProxyType(node)  # read only: the catalogue is shared by the process


def say(lang: str, group_name: str, code: str, /, **values: object) -> str:
    """The words of `code` in `group_name`, with `{placeholders}` filled from `values`.

    A missing code or value raises (KeyError): a sentence is never shown half-made.
    """
    words = group(lang, group_name)[str(code)]
    if not isinstance(words, str):
        raise KeyError(f"{group_name}.{code} is a group, not a word")
    return words.format_map(values)
