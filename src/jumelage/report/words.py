"""What the report decides from codes: the fix for each quarantine reason.

Its words (headings, flag kinds, reasons, fixes…) are in the catalogues beside the templates
(`templates/words/<lang>.toml`, read through `jumelage.words`). Data from the warehouse
(names, reason texts, flag details) is shown as is.
"""

from __future__ import annotations

from collections.abc import Sequence

from jumelage import words
from jumelage.quarantine import Reason


def fixes_for(reasons: Sequence[Reason], lang: str) -> list[str]:
    """One fix per distinct column the reasons are about, from the reasons' data (never their
    text); a reason about no known column, or a row whose reasons have no codes, gets the
    generic fix."""
    known = words.group(lang, "fix")
    generic = words.say(lang, "report", "generic_fix")
    out: list[str] = []
    for reason in reasons or [None]:
        fix = known.get(reason.field, generic) if reason and reason.field else generic
        if fix not in out:
            out.append(fix)
    return out
