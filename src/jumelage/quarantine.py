"""A quarantine reason as data: a code, the column it is about, and the values its words need.

Validation, the reader and the apply stage produce `Reason`s; the warehouse keeps them as
JSON in `quarantine.reason_codes` beside their text in `quarantine.reasons`, written in the
program's language for coordinators' queries. Whoever needs to act on a reason (the report's
fix) reads the code and the field, never the text.
"""

from __future__ import annotations

import dataclasses
import difflib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from jumelage import words
from jumelage.vocabulary import QuarantineCode

#: Values that list columns: shown as the columns' names in the reader's language.
_FIELD_LISTS = {"columns"}
#: The cell as typed in the file, shown after the reason so that a coordinator can find it.
TYPED = "typed"


#: Words people write for a role, as `normalize.role` reads them: a text close to one of
#: them is a typing slip to correct; anything else (« stagiaire ») is not a role of the program.
_ROLE_WORDS = ("mentor", "mentore", "mentoré", "mentorée", "mentee", "mentoree", "mentorée")


def refine(code: QuarantineCode, typed: Any) -> QuarantineCode:
    """An unknown role that is no misspelling of a role is a role outside the program: no
    correction of the file will make that row a registration."""
    if code is QuarantineCode.UNKNOWN_ROLE and typed is not None and str(typed).strip():
        text = str(typed).strip().lower()
        if not difflib.get_close_matches(text, _ROLE_WORDS, n=1, cutoff=0.6):
            return QuarantineCode.ROLE_OUTSIDE_PROGRAM
    return code


@dataclass(frozen=True)
class Reason:
    """Why a row (or a whole file) is quarantined."""

    code: QuarantineCode
    field: str | None = None  # a canonical column, vocabulary.FILE or .ROW; None: the row
    values: Mapping[str, Any] = dataclasses.field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        """`{"code", "field", **values}`: the shape stored in `quarantine.reason_codes`."""
        return {"code": str(self.code), "field": self.field, **self.values}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Reason:
        values = {k: v for k, v in data.items() if k not in ("code", "field")}
        return cls(QuarantineCode(data["code"]), data.get("field"), values)

    def message(self, lang: str) -> str:
        """The reason alone, without its column: `files.error` for a file that was rejected."""
        shown = {
            key: ", ".join(words.say(lang, "field", f) for f in value)
            if key in _FIELD_LISTS
            else value
            for key, value in self.values.items()
        }
        text = words.say(lang, "quarantine", self.code, **shown)
        typed = self.values.get(TYPED)
        if typed is not None and str(typed).strip():
            text += words.say(lang, "quarantine_line", TYPED, typed=typed)
        return text

    def text(self, lang: str) -> str:
        """The reason as coordinators read it, e.g. `niveau_encadrement : niveau 7 hors de 1..5`."""
        message = self.message(lang)
        if self.field is None:
            return message
        lines = words.group(lang, "quarantine_line")
        line = lines.get(str(self.code), lines["default"])
        return line.format(field=words.say(lang, "field", self.field), reason=message)


def to_json(reasons: Iterable[Reason]) -> str:
    """The value of `quarantine.reason_codes`."""
    return json.dumps([r.as_json() for r in reasons], ensure_ascii=False)


def from_json(text: str | None) -> list[Reason]:
    """Reasons read back from `quarantine.reason_codes` (none for a NULL: a reason written by
    an older version as text only, or by a stage that has not been moved to codes yet)."""
    return [Reason.from_json(item) for item in json.loads(text)] if text else []
